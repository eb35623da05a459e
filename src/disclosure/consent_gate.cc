#include "disclosure/consent_gate.h"

#include <algorithm>
#include <map>

#include "catalog/catalog.h"

namespace evhub::disclosure {

using collection::Consent;
using collection::Purpose;
using collection::Recipient;

namespace {

struct KindRecipient {
  const char* kind;
  Recipient recipient;
};
constexpr KindRecipient kKindRecipients[] = {
    {"national-prosecution-service", Recipient::kNationalProsecutor},
    {"icc-otp", Recipient::kIcc},
    {"un-mechanism", Recipient::kUnMechanism},
    {"osce-mechanism", Recipient::kOsce},
    {"lawyer", Recipient::kLawyer},
    {"ngo", Recipient::kNgo},
};

GateDecision blocked(GateBlock block, std::string reason, const GateItem& item) {
  return GateDecision{false, std::move(reason), block, item.witness};
}

// How a refusal by consent_allows came about, from the state of the newest version.
GateBlock consent_block(const std::vector<Consent>& history, const std::string& today) {
  if (history.empty()) return GateBlock::kNoConsent;
  const Consent& newest =
      *std::max_element(history.begin(), history.end(),
                        [](const Consent& a, const Consent& b) { return a.version < b.version; });
  const std::string state = collection::consent_state(newest, today);
  if (state == "withdrawn") return GateBlock::kWithdrawn;
  if (state == "expired") return GateBlock::kExpired;
  return GateBlock::kNotCovered;
}

bool covers(const Request& request, const std::string& category) {
  const auto& r = request.scope.restricted;
  return std::find(r.begin(), r.end(), category) != r.end();
}

// Sensitivity after consent: restricted material needs the request to name its category.
// `allowed` is the reason the item passed consent; it is completed or replaced here.
GateDecision sensitivity_check(const GateItem& item, const Request& request, const std::string& who,
                               std::string allowed) {
  if (!catalog::is_sensitivity(item.sensitivity)) {
    return blocked(
        GateBlock::kSensitivity,
        who + ": material of unknown sensitivity \"" + item.sensitivity + "\" is not disclosed",
        item);
  }
  if (item.sensitivity == "normal") {
    return GateDecision{true, std::move(allowed), GateBlock::kNone, item.witness};
  }
  if (!covers(request, item.sensitivity)) {
    return blocked(
        GateBlock::kSensitivity,
        who + ": " + item.sensitivity + " material needs a request whose scope covers it", item);
  }
  allowed += "; the request's scope covers " + item.sensitivity + " material";
  return GateDecision{true, std::move(allowed), GateBlock::kNone, item.witness};
}

// An item of a witness as the register knows them (nullopt: it does not).
GateDecision gate_witness_item(const GateItem& item, const std::optional<collection::Witness>& w,
                               const Request& request, const std::string& today) {
  if (!w) {
    return blocked(GateBlock::kNoWitness, item.witness + ": the witness register has no such code",
                   item);
  }
  if (w->erased) {
    return blocked(GateBlock::kErased, item.witness + ": erased on " + w->erased_at, item);
  }
  std::vector<Consent> history;
  if (w->consent) history.push_back(*w->consent);
  return gate_item(item, history, request, today);
}

}  // namespace

std::optional<Recipient> recipient_of(const std::string& requester_kind) {
  for (const auto& k : kKindRecipients) {
    if (requester_kind == k.kind) return k.recipient;
  }
  return std::nullopt;
}

const char* gate_block_name(GateBlock block) {
  switch (block) {
    case GateBlock::kBadRequest:
      return "bad-request";
    case GateBlock::kNoWitness:
      return "no-witness";
    case GateBlock::kErased:
      return "erased";
    case GateBlock::kNoConsent:
      return "no-consent";
    case GateBlock::kWithdrawn:
      return "withdrawn";
    case GateBlock::kExpired:
      return "expired";
    case GateBlock::kNotCovered:
      return "not-covered";
    case GateBlock::kSensitivity:
      return "sensitivity";
    case GateBlock::kNone:
      break;
  }
  return "none";
}

GateDecision gate_item(const GateItem& item, const std::vector<Consent>& history,
                       const Request& request, const std::string& today) {
  const std::string who = !item.witness.empty() ? item.witness
                          : !item.label.empty() ? item.label
                                                : std::string("an item");
  const auto recipient = recipient_of(request.requester.kind);
  if (!recipient) {
    return blocked(GateBlock::kBadRequest,
                   who + ": request " + request.id + " names no known kind of requester", item);
  }
  if (item.witness.empty()) {
    return sensitivity_check(item, request, who,
                             who + ": no witness's material; no consent needed");
  }
  const Purpose purpose = item.reveals_identity ? Purpose::kIdentityDisclosure : Purpose::kSharing;
  auto decision = collection::consent_allows(item.witness, history, purpose, *recipient, today);
  if (!decision.allowed) {
    return blocked(consent_block(history, today), std::move(decision.reason), item);
  }
  return sensitivity_check(item, request, who, std::move(decision.reason));
}

Result<std::vector<GateDecision>> gate_items(collection::Collection& witnesses,
                                             const Request& request,
                                             const std::vector<GateItem>& items,
                                             const std::string& today) {
  if (!collection::is_date(today)) {
    return Status(Code::kInvalidArgument, "the day the gate decides for is a date, YYYY-MM-DD");
  }
  // Each witness's register entry, read once: the newest consent is all consent_allows uses.
  std::map<std::string, std::optional<collection::Witness>> seen;
  std::vector<GateDecision> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    auto it = seen.find(item.witness);
    if (!item.witness.empty() && it == seen.end()) {
      EVHUB_ASSIGN_OR_RETURN(auto w, witnesses.witness(item.witness));
      it = seen.emplace(item.witness, std::move(w)).first;
    }
    out.push_back(item.witness.empty() ? gate_item(item, {}, request, today)
                                       : gate_witness_item(item, it->second, request, today));
  }
  return out;
}

std::vector<std::string> witnesses_to_renew(const std::vector<GateDecision>& decisions) {
  std::vector<std::string> out;
  for (const auto& d : decisions) {
    if (d.block == GateBlock::kExpired || d.block == GateBlock::kNotCovered) {
      out.push_back(d.witness);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace evhub::disclosure
