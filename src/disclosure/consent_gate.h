// The consent gate: whether one item may go to the recipient of one request. A witness's
// material passes only if their consent allows sharing with that kind of recipient
// (collection::consent_allows decides, and its reason is the one shown), and health or
// sexual-violence material only if the request's scope explicitly covers that category too.
// Blocked items stay visible to the package builder with the exact reason, and the witnesses
// whose consent should be renewed are listed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collection/collection.h"
#include "collection/consent.h"
#include "core/status.h"
#include "disclosure/requests.h"

namespace evhub::disclosure {

// The consent recipient a requester kind is (nullopt for a kind that is not one of
// kRequesterKinds): a national prosecution service asks as a national prosecutor, the ICC
// OTP as the ICC, a UN or OSCE mechanism as one, a lawyer and an NGO as themselves.
std::optional<collection::Recipient> recipient_of(const std::string& requester_kind);

// One item a package would hold, as the gate needs it.
struct GateItem {
  // Names the item in reasons when it is no witness's material: "OSINT video 14", an object id.
  std::string label;
  // The code of the witness whose material it is (their key domain); empty for material no
  // witness gave (OSINT, hub-wide documents), which needs no consent.
  std::string witness;
  std::string sensitivity = "normal";  // catalog::kSensitivities
  // The item names the witness or gives their contact details: consent must cover disclosure
  // of identity to the recipient, not only sharing with it.
  bool reveals_identity = false;
};

// Why an item is blocked.
enum class GateBlock {
  kNone,         // allowed
  kBadRequest,   // the request's requester kind is unknown (a bug: the register checks it)
  kNoWitness,    // the witness register has no such code
  kErased,       // the witness was erased
  kNoConsent,    // no consent on record
  kWithdrawn,    // the newest consent was withdrawn
  kExpired,      // its renew-by date has passed
  kNotCovered,   // valid, but does not cover this recipient (or disclosure of identity)
  kSensitivity,  // health or sexual-violence material the request's scope does not cover
};
const char* gate_block_name(GateBlock block);  // "none", "bad-request", "no-witness", ...

struct GateDecision {
  bool allowed = false;
  // "W-00123: consent v2 does not cover lawyers", "W-00123: consent v1: renew-by date passed
  // on 2026-03-01", "W-00123: sexual-violence material needs a request whose scope covers it";
  // for an allowed item, what allowed it.
  std::string reason;
  GateBlock block = GateBlock::kNone;
  std::string witness;  // the item's witness, if any
};

// The decision for one item, given its witness's consent history (any order; empty when none
// is on record), as of `today` (YYYY-MM-DD). Consent is asked first, then sensitivity: an
// item blocked by both shows the consent's reason. Pure, so it can be tested and explained.
GateDecision gate_item(const GateItem& item, const std::vector<collection::Consent>& history,
                       const Request& request, const std::string& today);

// The decisions for `items`, in their order, reading each witness's newest consent from the
// register once. kInvalidArgument if `today` is not YYYY-MM-DD.
Result<std::vector<GateDecision>> gate_items(collection::Collection& witnesses,
                                             const Request& request,
                                             const std::vector<GateItem>& items,
                                             const std::string& today);

// The witnesses whose consent should be renewed before their material can go: those blocked
// because the renew-by date passed or because their consent does not cover the recipient (or
// disclosure of identity). Each once, sorted. Withdrawn and missing consents are left out: a
// withdrawal is not renewed, and a missing consent is taken, not renewed.
std::vector<std::string> witnesses_to_renew(const std::vector<GateDecision>& decisions);

}  // namespace evhub::disclosure
