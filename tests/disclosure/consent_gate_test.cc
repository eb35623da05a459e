// The consent gate on a real hub: for every requester kind, a witness whose consent is missing,
// withdrawn, expired or valid, with the recipient's scope and without it, and items of every
// sensitivity against requests whose scope covers each restricted category or not — every
// combination, with the exact reason a legal officer reads; then identity disclosure, items of
// no witness, unknown and erased witnesses, and the witnesses whose consent should be renewed.
#include "disclosure/consent_gate.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>

#include "coding/framework.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

using collection::Consent;
using collection::Recipient;

constexpr const char* kToday = "2026-06-15";

// Each requester kind, the consent scope that covers it, and how reasons name it.
struct Kind {
  const char* kind;
  Recipient recipient;
  const char* scope;
  const char* label;
};
constexpr Kind kKinds[] = {
    {"national-prosecution-service", Recipient::kNationalProsecutor, "share-national-prosecutor",
     "national prosecutors"},
    {"icc-otp", Recipient::kIcc, "share-icc", "the ICC"},
    {"un-mechanism", Recipient::kUnMechanism, "share-un", "UN mechanisms"},
    {"osce-mechanism", Recipient::kOsce, "share-osce", "OSCE mechanisms"},
    {"lawyer", Recipient::kLawyer, "share-lawyer", "lawyers"},
    {"ngo", Recipient::kNgo, "share-ngo", "NGOs"},
};

enum class State { kMissing, kWithdrawn, kExpired, kValid };
constexpr State kStates[] = {State::kMissing, State::kWithdrawn, State::kExpired, State::kValid};
constexpr const char* kSensitivities[] = {"normal", "health", "sexual-violence"};
const std::vector<std::vector<std::string>> kCoverings = {
    {}, {"health"}, {"sexual-violence"}, {"health", "sexual-violence"}};

Consent consent(std::vector<std::string> scopes, std::string renew_by = "2027-05-01",
                std::string withdrawn_on = "") {
  Consent c;
  c.given_on = "2025-05-01";
  c.taken_by = "intake-1";
  c.scopes = std::move(scopes);
  c.renew_by = std::move(renew_by);
  c.withdrawn_on = std::move(withdrawn_on);
  return c;
}

// The recipient's scope only (with internal analysis), or every scope but the recipient's.
std::vector<std::string> scopes_for(const Kind& k, bool with_recipient) {
  if (with_recipient) return {"internal-analysis", k.scope};
  std::vector<std::string> all;
  for (const char* s : collection::kScopes) {
    if (std::string(s) != k.scope) all.push_back(s);
  }
  return all;
}

class ConsentGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    witnesses_ = std::move(collection::Collection::open(*hub_)).value();
    requests_ = std::move(RequestRegister::open(*hub_)).value();
  }

  void witness(const std::string& code, const std::vector<Consent>& versions) {
    ASSERT_TRUE(witnesses_->register_witness(code, "org-a", {}, std::nullopt).is_ok()) << code;
    for (const auto& c : versions) {
      auto added = witnesses_->add_consent(code, c);
      ASSERT_TRUE(added.is_ok()) << code << ": " << added.status().to_string();
    }
  }

  // A witness of kind k's row of the table, in consent state `s`, with or without k's scope.
  std::string table_witness(std::size_t k, State s, bool with_scope) {
    const int number =
        10000 + static_cast<int>(k) * 100 + static_cast<int>(s) * 10 + (with_scope ? 1 : 0);
    const std::string code = fmt::format("W-{:05}", number);
    const auto scopes = scopes_for(kKinds[k], with_scope);
    switch (s) {
      case State::kMissing:
        witness(code, {});
        break;
      case State::kWithdrawn:
        witness(code, {consent(scopes), consent(scopes, "2027-05-01", "2026-01-10")});
        break;
      case State::kExpired:
        witness(code, {consent(scopes, "2026-03-01")});
        break;
      case State::kValid:
        witness(code, {consent(scopes)});
        break;
    }
    return code;
  }

  Request request(const std::string& kind, std::vector<std::string> restricted) {
    Request r;
    r.organisation_id = "org-a";
    r.requester = {kind, "a requesting body", "desk officer"};
    r.received_on = "2026-06-01";
    r.scope.restricted = std::move(restricted);
    r.updated_by = "legal-1";
    auto added = requests_->add(r, coding::Framework{});
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? *added : r;
  }

  std::vector<GateDecision> gate(const Request& r, const std::vector<GateItem>& items) {
    auto decided = gate_items(*witnesses_, r, items, kToday);
    EXPECT_TRUE(decided.is_ok()) << decided.status().to_string();
    return decided.is_ok() ? *decided : std::vector<GateDecision>(items.size());
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> witnesses_;
  std::unique_ptr<RequestRegister> requests_;
};

// What the gate must say for the table's witness `code`: the consent decides first, then the
// item's sensitivity against what the request covers.
GateDecision expected(const Kind& k, const std::string& code, State s, bool with_scope,
                      const std::string& sensitivity, const std::vector<std::string>& covered) {
  switch (s) {
    case State::kMissing:
      return {false, code + ": no consent on record", GateBlock::kNoConsent, code};
    case State::kWithdrawn:
      return {false, code + ": consent v2 was withdrawn on 2026-01-10", GateBlock::kWithdrawn,
              code};
    case State::kExpired:
      return {false, code + ": consent v1: renew-by date passed on 2026-03-01", GateBlock::kExpired,
              code};
    case State::kValid:
      break;
  }
  if (!with_scope) {
    return {false, code + ": consent v1 does not cover " + k.label, GateBlock::kNotCovered, code};
  }
  const std::string allowed =
      code + ": consent v1 (given 2025-05-01) covers sharing with " + k.label;
  if (sensitivity == "normal") return {true, allowed, GateBlock::kNone, code};
  if (std::find(covered.begin(), covered.end(), sensitivity) == covered.end()) {
    return {false, code + ": " + sensitivity + " material needs a request whose scope covers it",
            GateBlock::kSensitivity, code};
  }
  return {true, allowed + "; the request's scope covers " + sensitivity + " material",
          GateBlock::kNone, code};
}

TEST_F(ConsentGateTest, EveryKindScopeConsentStateAndSensitivity) {
  int decisions = 0;
  for (std::size_t k = 0; k < std::size(kKinds); ++k) {
    SCOPED_TRACE(kKinds[k].kind);
    struct Row {
      std::string code;
      State state;
      bool with_scope;
    };
    std::vector<Row> rows;
    for (State s : kStates) {
      for (bool with_scope : {true, false}) {
        rows.push_back({table_witness(k, s, with_scope), s, with_scope});
      }
    }
    std::vector<GateItem> items;
    for (const auto& row : rows) {
      for (const char* sensitivity : kSensitivities) {
        GateItem item;
        item.label = "transcript of " + row.code;
        item.witness = row.code;
        item.sensitivity = sensitivity;
        items.push_back(item);
      }
    }
    for (const auto& covered : kCoverings) {
      const Request r = request(kKinds[k].kind, covered);
      const auto got = gate(r, items);
      ASSERT_EQ(got.size(), items.size());
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Row& row = rows[i / std::size(kSensitivities)];
        const GateDecision want =
            expected(kKinds[k], row.code, row.state, row.with_scope, items[i].sensitivity, covered);
        SCOPED_TRACE(fmt::format("{} {} covering {}", row.code, items[i].sensitivity,
                                 fmt::join(covered, "+")));
        EXPECT_EQ(got[i].allowed, want.allowed);
        EXPECT_EQ(got[i].reason, want.reason);
        EXPECT_EQ(gate_block_name(got[i].block), std::string(gate_block_name(want.block)));
        EXPECT_EQ(got[i].witness, row.code);
        ++decisions;
      }
      // Renewal: the expired ones (with or without the scope) and the valid one without it;
      // not the withdrawn or missing ones. Each once, sorted.
      const std::vector<std::string> renew = {rows[4].code, rows[5].code, rows[7].code};
      std::vector<std::string> sorted = renew;
      std::sort(sorted.begin(), sorted.end());
      EXPECT_EQ(witnesses_to_renew(got), sorted);
    }
  }
  EXPECT_EQ(decisions, 6 * 4 * 2 * 3 * 4);
}

TEST_F(ConsentGateTest, TheIssuesOwnExamples) {
  witness("W-00123", {consent(std::vector<std::string>(std::begin(collection::kScopes),
                                                       std::end(collection::kScopes))),
                      consent({"internal-analysis", "share-un"})});
  witness("W-00124", {consent({"internal-analysis", "share-lawyer"}, "2026-03-01")});
  GateItem item;
  item.witness = "W-00123";
  item.sensitivity = "sexual-violence";
  GateItem expired;
  expired.witness = "W-00124";
  const auto to_lawyer = gate(request("lawyer", {"sexual-violence"}), {item, expired});
  EXPECT_EQ(to_lawyer[0].reason, "W-00123: consent v2 does not cover lawyers");
  EXPECT_EQ(to_lawyer[1].reason, "W-00124: consent v1: renew-by date passed on 2026-03-01");
  const auto to_un = gate(request("un-mechanism", {"health"}), {item});
  EXPECT_FALSE(to_un[0].allowed);
  EXPECT_EQ(to_un[0].reason,
            "W-00123: sexual-violence material needs a request whose scope covers it");
  EXPECT_EQ(witnesses_to_renew(to_lawyer), (std::vector<std::string>{"W-00123", "W-00124"}));
  EXPECT_TRUE(witnesses_to_renew(to_un).empty());  // the request must change, not the consent
}

TEST_F(ConsentGateTest, IdentityNeedsItsOwnScopeBesidesTheRecipients) {
  witness("W-00200", {consent({"internal-analysis", "share-icc"})});
  witness("W-00201", {consent({"identity-disclosure", "share-icc"})});
  witness("W-00202", {consent({"identity-disclosure", "share-un"})});
  GateItem contact;
  contact.label = "contact details";
  contact.reveals_identity = true;
  std::vector<GateItem> items(3, contact);
  items[0].witness = "W-00200";
  items[1].witness = "W-00201";
  items[2].witness = "W-00202";
  const auto got = gate(request("icc-otp", {}), items);
  EXPECT_EQ(got[0].reason, "W-00200: consent v1 does not cover disclosure of identity");
  EXPECT_EQ(got[0].block, GateBlock::kNotCovered);
  EXPECT_TRUE(got[1].allowed);
  EXPECT_EQ(got[1].reason,
            "W-00201: consent v1 (given 2025-05-01) covers disclosure of identity to the ICC");
  EXPECT_EQ(got[2].reason, "W-00202: consent v1 does not cover the ICC");
  EXPECT_EQ(witnesses_to_renew(got), (std::vector<std::string>{"W-00200", "W-00202"}));
  // Shared without the identity, W-00200's material passes.
  items[0].reveals_identity = false;
  EXPECT_TRUE(gate(request("icc-otp", {}), items)[0].allowed);
}

TEST_F(ConsentGateTest, ItemsOfNoWitnessNeedNoConsentButObeySensitivity) {
  for (const Kind& k : kKinds) {
    SCOPED_TRACE(k.kind);
    GateItem osint;
    osint.label = "OSINT video 14";
    std::vector<GateItem> items;
    for (const char* s : {"normal", "health", "sexual-violence", "secret"}) {
      osint.sensitivity = s;
      items.push_back(osint);
    }
    const auto narrow = gate(request(k.kind, {}), items);
    EXPECT_TRUE(narrow[0].allowed);
    EXPECT_EQ(narrow[0].reason, "OSINT video 14: no witness's material; no consent needed");
    EXPECT_EQ(narrow[1].reason,
              "OSINT video 14: health material needs a request whose scope covers it");
    EXPECT_EQ(narrow[2].reason,
              "OSINT video 14: sexual-violence material needs a request whose scope covers it");
    EXPECT_EQ(narrow[3].reason,
              "OSINT video 14: material of unknown sensitivity \"secret\" is not disclosed");
    const auto wide = gate(request(k.kind, {"health", "sexual-violence"}), items);
    EXPECT_TRUE(wide[1].allowed);
    EXPECT_TRUE(wide[2].allowed);
    EXPECT_EQ(wide[2].reason,
              "OSINT video 14: no witness's material; no consent needed; the request's scope "
              "covers sexual-violence material");
    EXPECT_FALSE(wide[3].allowed);
    EXPECT_TRUE(witnesses_to_renew(narrow).empty());
  }
}

TEST_F(ConsentGateTest, UnknownAndErasedWitnessesAndBadInput) {
  witness("W-00300", {consent({"share-ngo"})});
  ASSERT_TRUE(witnesses_->erase("W-00300", "the witness asked").is_ok());
  GateItem unknown;
  unknown.witness = "W-09999";
  GateItem erased;
  erased.witness = "W-00300";
  const Request ngo = request("ngo", {});
  const auto got = gate(ngo, {unknown, erased});
  EXPECT_EQ(got[0].reason, "W-09999: the witness register has no such code");
  EXPECT_EQ(got[0].block, GateBlock::kNoWitness);
  EXPECT_EQ(got[1].block, GateBlock::kErased);
  EXPECT_EQ(got[1].reason.rfind("W-00300: erased on ", 0), 0U) << got[1].reason;
  EXPECT_FALSE(got[1].allowed);

  EXPECT_EQ(gate_items(*witnesses_, ngo, {unknown}, "15 June").status().code(),
            Code::kInvalidArgument);
  Request press = ngo;
  press.requester.kind = "press";
  GateItem osint;
  osint.label = "OSINT photo 3";
  const auto refused = gate_item(osint, {}, press, kToday);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.block, GateBlock::kBadRequest);
}

TEST(ConsentGate, EveryRequesterKindIsAConsentRecipient) {
  for (const Kind& k : kKinds) {
    EXPECT_EQ(recipient_of(k.kind), k.recipient) << k.kind;
    EXPECT_TRUE(is_requester_kind(k.kind));
    EXPECT_TRUE(collection::is_scope(k.scope));
  }
  EXPECT_EQ(std::size(kKinds), std::size(kRequesterKinds));
  EXPECT_FALSE(recipient_of("press"));
  EXPECT_FALSE(recipient_of(""));
}

}  // namespace
}  // namespace evhub::disclosure
