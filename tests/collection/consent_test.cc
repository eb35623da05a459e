// consent_allows() for every scope, recipient, withdrawal and expiry, with the reasons a legal
// officer reads when an item is blocked.
#include "collection/consent.h"

#include <gtest/gtest.h>

namespace evhub::collection {
namespace {

Consent version(int v, std::vector<std::string> scopes, std::string renew_by = "",
                std::string withdrawn_on = "") {
  Consent c;
  c.version = v;
  c.given_on = "2025-05-01";
  c.taken_by = "interviewer-1";
  c.scopes = std::move(scopes);
  c.renew_by = std::move(renew_by);
  c.withdrawn_on = std::move(withdrawn_on);
  return c;
}

struct Case {
  const char* name;
  std::vector<Consent> history;
  Purpose purpose;
  Recipient recipient;
  bool allowed;
  const char* reason;  // a part of the reason
};

TEST(Consent, DecisionsForEveryScopeRecipientWithdrawalAndExpiry) {
  const auto all = std::vector<std::string>(std::begin(kScopes), std::end(kScopes));
  const std::vector<Case> cases = {
      {"no consent at all",
       {},
       Purpose::kInternalAnalysis,
       Recipient::kNone,
       false,
       "W-00123: no consent on record"},
      {"internal analysis covered",
       {version(1, {"internal-analysis"})},
       Purpose::kInternalAnalysis,
       Recipient::kNone,
       true,
       "consent v1 (given 2025-05-01) covers"},
      {"internal analysis not covered",
       {version(1, {"share-ngo"})},
       Purpose::kInternalAnalysis,
       Recipient::kNone,
       false,
       "consent v1 does not cover internal analysis"},
      {"lawyers not covered",
       {version(2, {"internal-analysis", "share-un"})},
       Purpose::kSharing,
       Recipient::kLawyer,
       false,
       "W-00123: consent v2 does not cover lawyers"},
      {"each recipient needs its own scope",
       {version(1, {"share-icc"})},
       Purpose::kSharing,
       Recipient::kIcc,
       true,
       "covers sharing with the ICC"},
      {"UN",
       {version(1, {"share-un"})},
       Purpose::kSharing,
       Recipient::kUnMechanism,
       true,
       "UN mechanisms"},
      {"national prosecutors",
       {version(1, {"share-un"})},
       Purpose::kSharing,
       Recipient::kNationalProsecutor,
       false,
       "does not cover national prosecutors"},
      {"NGOs", {version(1, {"share-ngo"})}, Purpose::kSharing, Recipient::kNgo, true, "NGOs"},
      {"OSCE mechanisms",
       {version(1, {"share-osce"})},
       Purpose::kSharing,
       Recipient::kOsce,
       true,
       "covers sharing with OSCE mechanisms"},
      {"OSCE mechanisms need their own scope",
       {version(1, {"share-un", "share-ngo"})},
       Purpose::kSharing,
       Recipient::kOsce,
       false,
       "W-00123: consent v1 does not cover OSCE mechanisms"},
      {"sharing without a recipient",
       {version(1, all)},
       Purpose::kSharing,
       Recipient::kNone,
       false,
       "needs a recipient"},
      {"re-contact",
       {version(1, {"internal-analysis"})},
       Purpose::kRecontact,
       Recipient::kNone,
       false,
       "does not cover re-contact"},
      {"re-contact covered",
       {version(1, {"recontact"})},
       Purpose::kRecontact,
       Recipient::kNone,
       true,
       "covers re-contact"},
      {"identity needs its own scope",
       {version(1, {"share-icc"})},
       Purpose::kIdentityDisclosure,
       Recipient::kIcc,
       false,
       "does not cover disclosure of identity"},
      {"identity to a recipient needs the recipient too",
       {version(1, {"identity-disclosure"})},
       Purpose::kIdentityDisclosure,
       Recipient::kIcc,
       false,
       "does not cover the ICC"},
      {"identity to the ICC",
       {version(1, {"identity-disclosure", "share-icc"})},
       Purpose::kIdentityDisclosure,
       Recipient::kIcc,
       true,
       "disclosure of identity to the ICC"},
      {"the newest version decides",
       {version(1, all), version(2, {"internal-analysis"})},
       Purpose::kSharing,
       Recipient::kLawyer,
       false,
       "consent v2 does not cover lawyers"},
      {"order of the history does not matter",
       {version(3, all), version(2, {})},
       Purpose::kSharing,
       Recipient::kLawyer,
       true,
       "consent v3"},
      {"withdrawn",
       {version(1, all), version(2, all, "", "2026-01-10")},
       Purpose::kInternalAnalysis,
       Recipient::kNone,
       false,
       "W-00123: consent v2 was withdrawn on 2026-01-10"},
      {"withdrawal dated in the future does not count yet",
       {version(1, all, "", "2026-12-31")},
       Purpose::kInternalAnalysis,
       Recipient::kNone,
       true,
       "covers internal analysis"},
      {"renew-by passed",
       {version(1, all, "2026-03-01")},
       Purpose::kSharing,
       Recipient::kNgo,
       false,
       "W-00123: consent v1: renew-by date passed on 2026-03-01"},
      {"renew-by today still counts",
       {version(1, all, "2026-06-15")},
       Purpose::kSharing,
       Recipient::kNgo,
       true,
       "NGOs"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ConsentDecision d =
        consent_allows("W-00123", c.history, c.purpose, c.recipient, "2026-06-15");
    EXPECT_EQ(d.allowed, c.allowed) << d.reason;
    EXPECT_NE(d.reason.find(c.reason), std::string::npos) << d.reason;
  }
}

TEST(Consent, RecordsAreCheckedFieldByField) {
  Consent good = version(1, {"internal-analysis"}, "2027-05-01");
  EXPECT_FALSE(consent_problem(good));
  Consent bad_date = good;
  bad_date.given_on = "2025-02-30";
  EXPECT_NE(consent_problem(bad_date)->find("given on"), std::string::npos);
  Consent bad_scope = good;
  bad_scope.scopes = {"share-everyone"};
  EXPECT_NE(consent_problem(bad_scope)->find("unknown scope share-everyone"), std::string::npos);
  Consent backwards = good;
  backwards.renew_by = "2024-01-01";
  EXPECT_NE(consent_problem(backwards)->find("before"), std::string::npos);
  Consent nobody = good;
  nobody.taken_by.clear();
  EXPECT_TRUE(consent_problem(nobody));
  EXPECT_TRUE(is_date("2024-02-29"));
  EXPECT_FALSE(is_date("2023-02-29"));
  EXPECT_FALSE(is_date("2023-1-01"));
}

TEST(Consent, NamesRoundTrip) {
  for (auto p : {Purpose::kInternalAnalysis, Purpose::kSharing, Purpose::kRecontact,
                 Purpose::kIdentityDisclosure}) {
    EXPECT_EQ(parse_purpose(purpose_name(p)), p);
  }
  for (auto r : {Recipient::kUnMechanism, Recipient::kIcc, Recipient::kNationalProsecutor,
                 Recipient::kLawyer, Recipient::kNgo, Recipient::kOsce}) {
    EXPECT_EQ(parse_recipient(recipient_name(r)), r);
  }
  EXPECT_FALSE(parse_purpose("marketing"));
  EXPECT_FALSE(parse_recipient("press"));
  EXPECT_EQ(parse_recipient("osce"), Recipient::kOsce);
  EXPECT_TRUE(is_scope("share-osce"));
}

}  // namespace
}  // namespace evhub::collection
