#include "collection/consent.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace evhub::collection {

namespace {

struct RecipientInfo {
  Recipient recipient;
  const char* name;   // as the CLI and API take it
  const char* scope;  // the share- scope that covers it
  const char* label;  // in reasons: "does not cover …"
};

constexpr RecipientInfo kRecipients[] = {
    {Recipient::kUnMechanism, "un", "share-un", "UN mechanisms"},
    {Recipient::kIcc, "icc", "share-icc", "the ICC"},
    {Recipient::kNationalProsecutor, "national-prosecutor", "share-national-prosecutor",
     "national prosecutors"},
    {Recipient::kLawyer, "lawyer", "share-lawyer", "lawyers"},
    {Recipient::kNgo, "ngo", "share-ngo", "NGOs"},
    {Recipient::kOsce, "osce", "share-osce", "OSCE mechanisms"},
};

const RecipientInfo* info(Recipient r) {
  for (const auto& i : kRecipients) {
    if (i.recipient == r) return &i;
  }
  return nullptr;
}

bool covers(const Consent& c, std::string_view scope) {
  return std::find(c.scopes.begin(), c.scopes.end(), scope) != c.scopes.end();
}

}  // namespace

bool is_scope(std::string_view scope) {
  return std::any_of(std::begin(kScopes), std::end(kScopes),
                     [&](const char* s) { return scope == s; });
}

std::optional<Purpose> parse_purpose(std::string_view name) {
  if (name == "internal-analysis") return Purpose::kInternalAnalysis;
  if (name == "sharing") return Purpose::kSharing;
  if (name == "recontact") return Purpose::kRecontact;
  if (name == "identity-disclosure") return Purpose::kIdentityDisclosure;
  return std::nullopt;
}

std::optional<Recipient> parse_recipient(std::string_view name) {
  if (name.empty() || name == "none") return Recipient::kNone;
  for (const auto& i : kRecipients) {
    if (name == i.name) return i.recipient;
  }
  return std::nullopt;
}

const char* purpose_name(Purpose p) {
  switch (p) {
    case Purpose::kInternalAnalysis:
      return "internal-analysis";
    case Purpose::kSharing:
      return "sharing";
    case Purpose::kRecontact:
      return "recontact";
    case Purpose::kIdentityDisclosure:
      return "identity-disclosure";
  }
  return "?";
}

const char* recipient_name(Recipient r) {
  const RecipientInfo* i = info(r);
  return i ? i->name : "none";
}

bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  using namespace std::chrono;
  const year_month_day day{year{num(0, 4)}, month{static_cast<unsigned>(num(5, 2))},
                           std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  return day.ok();
}

std::optional<std::string> consent_problem(const Consent& c) {
  if (!is_date(c.given_on)) return "given on must be a date, YYYY-MM-DD";
  if (!c.renew_by.empty() && !is_date(c.renew_by)) return "renew by must be a date, YYYY-MM-DD";
  if (!c.renew_by.empty() && c.renew_by < c.given_on) return "renew by comes before given on";
  if (!c.withdrawn_on.empty() && !is_date(c.withdrawn_on)) {
    return "withdrawn on must be a date, YYYY-MM-DD";
  }
  if (c.taken_by.empty()) return "say who took the consent";
  for (const auto& s : c.scopes) {
    if (!is_scope(s)) {
      std::string all;
      for (const char* k : kScopes) all += std::string(all.empty() ? "" : ", ") + k;
      return "unknown scope " + s + "; scopes: " + all;
    }
  }
  return std::nullopt;
}

const char* consent_state(const std::optional<Consent>& newest, const std::string& today) {
  if (!newest) return "missing";
  if (!newest->withdrawn_on.empty() && newest->withdrawn_on <= today) return "withdrawn";
  if (!newest->renew_by.empty() && newest->renew_by < today) return "expired";
  return "valid";
}

ConsentDecision consent_allows(const std::string& witness, const std::vector<Consent>& history,
                               Purpose purpose, Recipient recipient, const std::string& today) {
  if (history.empty()) return {false, witness + ": no consent on record"};
  const Consent& c =
      *std::max_element(history.begin(), history.end(),
                        [](const Consent& a, const Consent& b) { return a.version < b.version; });
  const std::string v = fmt::format("{}: consent v{}", witness, c.version);
  if (!c.withdrawn_on.empty() && c.withdrawn_on <= today) {
    return {false, fmt::format("{} was withdrawn on {}", v, c.withdrawn_on)};
  }
  if (!c.renew_by.empty() && c.renew_by < today) {
    return {false, fmt::format("{}: renew-by date passed on {}", v, c.renew_by)};
  }
  const RecipientInfo* to = info(recipient);
  auto refuse_scope = [&](const std::string& what) {
    return ConsentDecision{false, fmt::format("{} does not cover {}", v, what)};
  };
  switch (purpose) {
    case Purpose::kInternalAnalysis:
      if (!covers(c, "internal-analysis")) return refuse_scope("internal analysis");
      return {true, fmt::format("{} (given {}) covers internal analysis", v, c.given_on)};
    case Purpose::kRecontact:
      if (!covers(c, "recontact")) return refuse_scope("re-contact");
      return {true, fmt::format("{} (given {}) covers re-contact", v, c.given_on)};
    case Purpose::kSharing:
      if (!to) return {false, witness + ": sharing needs a recipient"};
      if (!covers(c, to->scope)) return refuse_scope(to->label);
      return {true, fmt::format("{} (given {}) covers sharing with {}", v, c.given_on, to->label)};
    case Purpose::kIdentityDisclosure:
      if (!covers(c, "identity-disclosure")) return refuse_scope("disclosure of identity");
      if (to && !covers(c, to->scope)) return refuse_scope(to->label);
      return {true, fmt::format("{} (given {}) covers disclosure of identity{}", v, c.given_on,
                                to ? std::string(" to ") + to->label : "")};
  }
  return {false, witness + ": unknown purpose"};
}

}  // namespace evhub::collection
