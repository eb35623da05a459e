// Requests for assistance and disclosure packages through the API, against a real server and
// hub: the whole path (register, build, redact, review, submit, approval by another legal
// officer, export, download, the disclosure log and a witness's history), and the bad paths —
// unknown ids, stale versions, self-approval, a blocked item stopping submission with the
// gate's reason, another organisation's legal officer and a reviewer refused with no data,
// malformed boxes, another partner's material. Every person here is fictional.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "api/api_fixture.h"
#include "collection/collection.h"
#include "support/support.h"

namespace evhub::api {
namespace {

using accounts::Role;
using nlohmann::json;

class DisclosureApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    add_user("legal.a", "Partner A", {{"Partner A", Role::kLegalOfficer}});
    add_user("legal.a2", "Partner A", {{"Partner A", Role::kLegalOfficer}});
    add_user("legal.b", "Partner B", {{"Partner B", Role::kLegalOfficer}});
    add_user("reviewer.a", "Partner A", {{"Partner A", Role::kReviewer}});
    {
      auto accounts = std::move(accounts::Accounts::open(hub_->layout().accounts())).value();
      for (const auto& o : *accounts->organisations()) {
        (o.name == "Partner A" ? org_a_ : org_b_) = o.id;
      }
    }
    auto witnesses = std::move(collection::Collection::open(*hub_)).value();
    for (auto [code, name, scope] : {std::tuple{"W-00101", "Алена Дзераўянка", "share-lawyer"},
                                     std::tuple{"W-00102", "Ян Клімовіч", "share-icc"}}) {
      collection::PersonalDetails personal;
      personal.name = name;
      ASSERT_TRUE(witnesses->register_witness(code, org_a_, {}, personal).is_ok());
      collection::Consent c;
      c.given_on = "2026-01-10";
      c.taken_by = "intake-1";
      c.scopes = {"internal-analysis", scope};
      ASSERT_TRUE(witnesses->add_consent(code, c).is_ok());
    }
    allowed_ = put("W-00101", "Мяне завуць Алена Дзераўянка. Нас білі на Акрэсціна.", org_a_);
    blocked_ = put("W-00102", "Мяне завуць Ян Клімовіч.", org_a_);
    other_partner_ = put("source-b", "Partner B's own open-source note.", org_b_);
  }

  std::string put(const std::string& domain, const std::string& text, const std::string& org) {
    auto stored = hub_->put_data("item", text, domain, hub::Intake::evidence(org));
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? stored->id : "";
  }

  static json parse(const std::string& body) { return json::parse(body, nullptr, false); }

  // A request of Partner A from a lawyer, registered by legal.a; its id.
  std::string register_request(const Session& s) {
    auto [status, body] =
        s.send("POST", "/api/v1/requests",
               {{"organisation", "Partner A"},
                {"requester", {{"kind", "lawyer"}, {"body", "Counsel for victims (test)"}}},
                {"reference", "LAW-2026/3"},
                {"deadline", "2099-01-01"}});
    EXPECT_EQ(status, 201) << body;
    return parse(body).value("id", "");
  }

  // A package of `objects` for `request`, built by `s`.
  json build(const Session& s, const std::string& request, const std::vector<std::string>& objects,
             int expect = 201) {
    json items = json::array();
    for (const auto& o : objects) items.push_back({{"object", o}});
    auto [status, body] =
        s.send("POST", "/api/v1/packages", {{"request", request}, {"items", items}});
    EXPECT_EQ(status, expect) << body;
    return parse(body);
  }

  // A refusal carries the error alone: no ids, codes or names.
  void expect_bare_refusal(int status, const std::string& body, int want) {
    EXPECT_EQ(status, want) << body;
    json j = parse(body);
    ASSERT_TRUE(j.is_object()) << body;
    EXPECT_EQ(j.size(), 1U) << body;
    EXPECT_TRUE(j.contains("error")) << body;
    for (const char* s : {"W-001", "RQ-", "pk-", "LAW-2026", "Counsel"}) {
      EXPECT_EQ(body.find(s), std::string::npos) << s << " in " << body;
    }
    EXPECT_EQ(body.find(allowed_), std::string::npos) << body;
  }

  std::string org_a_, org_b_;
  std::string allowed_, blocked_, other_partner_;
};

TEST_F(DisclosureApiTest, ALegalOfficerAnswersARequestAndAnotherApprovesIt) {
  const Session legal = session("legal.a"), second = session("legal.a2");
  const std::string rq = register_request(legal);
  ASSERT_EQ(rq.rfind("RQ-", 0), 0U);
  auto [st, body] = legal.get("/api/v1/requests/" + rq);
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["requester"]["body"], "Counsel for victims (test)");
  std::tie(st, body) =
      legal.send("PATCH", "/api/v1/requests/" + rq,
                 {{"version", 1}, {"status", "scoping"}, {"assignees", {"legal.a"}}});
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["assignees"], json::array({"legal.a"}));
  std::tie(st, body) = legal.get("/api/v1/requests?view=deadlines&within=30");
  ASSERT_EQ(st, 200) << body;
  ASSERT_EQ(parse(body)["requests"].size(), 1U);
  EXPECT_EQ(parse(body)["requests"][0]["deadline_state"], "later");

  json built = build(legal, rq, {allowed_});
  const std::string pk = built.value("id", "");
  ASSERT_EQ(built["gate"].size(), 1U) << built.dump();
  EXPECT_TRUE(built["gate"][0]["allowed"]);
  EXPECT_EQ(built["items"][0]["gate"]["consent_version"], 1);
  std::tie(st, body) = legal.send(
      "POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/redaction", json::object());
  ASSERT_EQ(st, 201) << body;
  const json redacted = parse(body);
  EXPECT_EQ(redacted["log"][0]["kind"], "name");
  EXPECT_EQ(body.find("Дзераўянка"), std::string::npos) << "the log never repeats what it removed";
  std::tie(st, body) = legal.send("POST", "/api/v1/packages/" + pk + "/submit",
                                  {{"version", redacted["package"]["version"]}});
  EXPECT_EQ(st, 409) << "the redaction is not reviewed: " << body;
  std::tie(st, body) = legal.send(
      "POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/review", json::object());
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["items"][0]["redaction_reviewed_by"], "legal.a");
  int version = parse(body)["version"];
  std::tie(st, body) =
      legal.send("POST", "/api/v1/packages/" + pk + "/submit", {{"version", version}});
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["state"], "in-review");
  version = parse(body)["version"];

  // Self-approval is refused the way the summaries refuse it: 409, with the rule.
  std::tie(st, body) =
      legal.send("POST", "/api/v1/packages/" + pk + "/approve", {{"version", version}});
  EXPECT_EQ(st, 409) << body;
  EXPECT_NE(body.find("did not build or change it"), std::string::npos) << body;
  std::tie(st, body) =
      second.send("POST", "/api/v1/packages/" + pk + "/approve", {{"version", version}});
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["approved_by"], "legal.a2");
  version = parse(body)["version"];

  std::tie(st, body) = legal.get("/api/v1/packages/" + pk + "/export");
  EXPECT_EQ(st, 404) << "not exported yet: " << body;
  const std::string age_key = tmp_ / "recipient.txt";
  ASSERT_EQ(testing::run({"age-keygen", "-o", age_key}).exit_code, 0);
  std::string recipient = testing::run({"age-keygen", "-y", age_key}).out;
  recipient.pop_back();
  std::tie(st, body) = legal.send("POST", "/api/v1/packages/" + pk + "/export",
                                  {{"version", version}, {"recipients", {"age1nonsense"}}});
  EXPECT_EQ(st, 400) << body;
  std::tie(st, body) = legal.send("POST", "/api/v1/packages/" + pk + "/export",
                                  {{"version", version}, {"recipients", {recipient}}});
  ASSERT_EQ(st, 201) << body;
  const json exported = parse(body);
  EXPECT_EQ(exported["package"]["state"], "exported");
  EXPECT_EQ(exported["files"], 1);
  std::tie(st, body) = legal.send("POST", "/api/v1/packages/" + pk + "/export",
                                  {{"version", version + 1}, {"recipients", {recipient}}});
  EXPECT_EQ(st, 409) << "exported once: " << body;

  // The download is the file the recipient decrypts.
  std::tie(st, body) = legal.get("/api/v1/packages/" + pk + "/export");
  ASSERT_EQ(st, 200);
  EXPECT_EQ(body.size(), exported["size"].get<std::size_t>());
  const std::string file = tmp_ / "download.tar.age";
  testing::write_text_file(file, body);
  auto decrypted = testing::run({"age", "-d", "-i", age_key, "-o", tmp_ / "p.tar", file});
  EXPECT_EQ(decrypted.exit_code, 0) << decrypted.err;
  auto downloads = hub_->events(-1, "package.download", 5);
  ASSERT_TRUE(downloads.is_ok());
  EXPECT_EQ(downloads->size(), 1U) << "the download is a logged read";

  std::tie(st, body) = legal.get("/api/v1/disclosures");
  ASSERT_EQ(st, 200) << body;
  json log = parse(body)["disclosures"];
  ASSERT_EQ(log.size(), 1U) << body;
  EXPECT_EQ(log[0]["request"], rq);
  EXPECT_EQ(log[0]["witness"], "W-00101");
  EXPECT_EQ(log[0]["consent_version"], 1);
  EXPECT_EQ(log[0]["recipient"]["kind"], "lawyer");
  std::tie(st, body) = legal.get("/api/v1/witnesses/W-00101/disclosures");
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["disclosures"].size(), 1U);
  EXPECT_EQ(parse(body)["holders"][0]["request"], rq);
  std::tie(st, body) = legal.get("/api/v1/witnesses/W-00102/disclosures");
  ASSERT_EQ(st, 200) << body;
  EXPECT_TRUE(parse(body)["disclosures"].empty());
  EXPECT_EQ(hub_->events(-1, "disclosures.read", 5)->size(), 1U);
  EXPECT_EQ(hub_->events(-1, "witness.disclosures.read", 5)->size(), 2U);
  const auto viewed = hub_->events(-1, "witness.personal.view", 5);
  ASSERT_EQ(viewed->size(), 1U) << "the redaction's read of the personal details is logged";
  EXPECT_EQ(viewed->at(0).details.value("for", ""), "redaction");
}

TEST_F(DisclosureApiTest, ABlockedItemStopsSubmissionWithTheGatesReason) {
  const Session legal = session("legal.a");
  const std::string rq = register_request(legal);
  json built = build(legal, rq, {allowed_, blocked_});
  ASSERT_EQ(built["gate"].size(), 2U) << built.dump();
  EXPECT_FALSE(built["gate"][1]["allowed"]);
  EXPECT_EQ(built["gate"][1]["reason"], "W-00102: consent v1 does not cover lawyers");
  EXPECT_EQ(built["gate"][1]["block"], "not-covered");
  EXPECT_EQ(built["renew"], json::array({"W-00102"}));
  auto [st, body] = legal.send("POST", "/api/v1/packages/" + built.value("id", "") + "/submit",
                               {{"version", built["version"]}});
  EXPECT_EQ(st, 409) << body;
  EXPECT_NE(body.find("W-00102: consent v1 does not cover lawyers"), std::string::npos) << body;

  // Taken out, the package goes to review.
  std::tie(st, body) =
      legal.send("PUT", "/api/v1/packages/" + built.value("id", "") + "/items",
                 {{"version", built["version"]}, {"items", {{{"object", allowed_}}}}});
  ASSERT_EQ(st, 200) << body;
  EXPECT_EQ(parse(body)["items"].size(), 1U);
}

TEST_F(DisclosureApiTest, UnknownIdsAre404AndStaleVersions409) {
  const Session legal = session("legal.a");
  const std::string rq = register_request(legal);
  const std::string nothing = "pk-" + std::string(32, '0');
  for (const std::string& path : std::vector<std::string>{
           "/api/v1/requests/RQ-2099-9999", "/api/v1/packages/" + nothing,
           "/api/v1/packages/" + nothing + "/history", "/api/v1/packages/" + nothing + "/export",
           std::string("/api/v1/witnesses/W-99999/disclosures")}) {
    auto [st, body] = legal.get(path);
    EXPECT_EQ(st, 404) << path << ": " << body;
  }
  auto [st, body] =
      legal.send("POST", "/api/v1/packages/" + nothing + "/approve", {{"version", 1}});
  EXPECT_EQ(st, 404) << body;
  std::tie(st, body) = legal.send("POST", "/api/v1/packages",
                                  {{"request", "RQ-2099-9999"}, {"items", json::array()}});
  EXPECT_EQ(st, 404) << body;
  std::tie(st, body) =
      legal.send("POST", "/api/v1/packages",
                 {{"request", rq}, {"items", {{{"object", std::string(64, '0')}}}}});
  EXPECT_EQ(st, 404) << body;

  // Stale: the request, the items, a step, a redaction.
  std::tie(st, body) =
      legal.send("PATCH", "/api/v1/requests/" + rq, {{"version", 1}, {"status", "scoping"}});
  ASSERT_EQ(st, 200) << body;
  std::tie(st, body) =
      legal.send("PATCH", "/api/v1/requests/" + rq, {{"version", 1}, {"status", "collecting"}});
  EXPECT_EQ(st, 409) << body;
  EXPECT_NE(body.find("reload"), std::string::npos) << body;
  std::tie(st, body) =
      legal.send("PATCH", "/api/v1/requests/" + rq, {{"version", 2}, {"status", "delivered"}});
  EXPECT_EQ(st, 409) << "not a step the register allows: " << body;
  std::tie(st, body) = legal.send("PATCH", "/api/v1/requests/" + rq, {{"status", "collecting"}});
  EXPECT_EQ(st, 400) << "no version: " << body;

  const json built = build(legal, rq, {allowed_});
  const std::string pk = built.value("id", "");
  const int version = built["version"];
  std::tie(st, body) = legal.send("PUT", "/api/v1/packages/" + pk + "/items",
                                  {{"version", version - 1}, {"items", {{{"object", allowed_}}}}});
  EXPECT_EQ(st, 409) << body;
  std::tie(st, body) =
      legal.send("POST", "/api/v1/packages/" + pk + "/submit", {{"version", version - 1}});
  EXPECT_EQ(st, 409) << body;
  std::tie(st, body) =
      legal.send("POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/redaction",
                 {{"version", version - 1}});
  EXPECT_EQ(st, 409) << body;
  std::tie(st, body) = legal.send(
      "POST", "/api/v1/packages/" + pk + "/items/" + blocked_ + "/redaction", json::object());
  EXPECT_EQ(st, 404) << "not in the package: " << body;
  std::tie(st, body) = legal.send(
      "POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/review", json::object());
  EXPECT_EQ(st, 409) << "nothing to review: " << body;
}

TEST_F(DisclosureApiTest, MalformedBoxesAre400) {
  const Session legal = session("legal.a");
  const std::string rq = register_request(legal);
  const json built = build(legal, rq, {allowed_});
  const std::string path =
      "/api/v1/packages/" + built.value("id", "") + "/items/" + allowed_ + "/redaction";
  for (const json& boxes :
       {json("a box"), json::array({json{{"page", 1}}}),
        json::array({json{{"page", 0}, {"x", 0.1}, {"y", 0.1}, {"width", 0.1}, {"height", 0.1}}}),
        json::array({json{{"page", 1}, {"x", 0.9}, {"y", 0.1}, {"width", 0.5}, {"height", 0.1}}}),
        json::array({json{{"page", "1"}, {"x", 0.1}, {"y", 0.1}, {"width", 0.1}, {"height", 0.1}}}),
        json::array({json{{"page", 1},
                          {"x", 0.1},
                          {"y", 0.1},
                          {"width", 0.1},
                          {"height", 0.1},
                          {"colour", "black"}}})}) {
    auto [st, body] = legal.send("POST", path, {{"boxes", boxes}});
    EXPECT_EQ(st, 400) << boxes.dump() << ": " << body;
  }
  // Well-formed boxes on a text: the redaction says what to do instead.
  auto [st, body] = legal.send(
      "POST", path,
      {{"boxes", {{{"page", 1}, {"x", 0.1}, {"y", 0.1}, {"width", 0.2}, {"height", 0.2}}}}});
  EXPECT_EQ(st, 400) << body;
}

TEST_F(DisclosureApiTest, AnotherOrganisationsLegalOfficerAndAReviewerGetNothing) {
  const Session legal = session("legal.a"), other = session("legal.b"),
                reviewer = session("reviewer.a"), analyst = session("analyst.a");
  const std::string rq = register_request(legal);
  const json built = build(legal, rq, {allowed_});
  const std::string pk = built.value("id", "");
  for (const std::string& path : std::vector<std::string>{
           "/api/v1/requests/" + rq, "/api/v1/packages/" + pk,
           "/api/v1/packages/" + pk + "/history", "/api/v1/packages/" + pk + "/export",
           std::string("/api/v1/witnesses/W-00101/disclosures")}) {
    auto [st, body] = other.get(path);
    SCOPED_TRACE(path);
    expect_bare_refusal(st, body, 403);
  }
  for (const auto& [method, path, sent] : std::vector<std::tuple<std::string, std::string, json>>{
           {"PATCH", "/api/v1/requests/" + rq, {{"version", 1}, {"status", "scoping"}}},
           {"POST", "/api/v1/packages", {{"request", rq}, {"items", json::array()}}},
           {"PUT", "/api/v1/packages/" + pk + "/items", {{"version", 2}, {"items", json::array()}}},
           {"POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/redaction", json::object()},
           {"POST", "/api/v1/packages/" + pk + "/items/" + allowed_ + "/review", json::object()},
           {"POST", "/api/v1/packages/" + pk + "/submit", {{"version", 2}}},
           {"POST", "/api/v1/packages/" + pk + "/changes", {{"version", 2}, {"note", "x"}}},
           {"POST", "/api/v1/packages/" + pk + "/approve", {{"version", 2}}},
           {"POST",
            "/api/v1/packages/" + pk + "/export",
            {{"version", 2}, {"recipients", {"age1x"}}}},
           {"POST",
            "/api/v1/requests",
            {{"organisation", "Partner A"}, {"requester", {{"kind", "lawyer"}, {"body", "x"}}}}}}) {
    auto [st, body] = other.send(method, path, sent);
    SCOPED_TRACE(method + " " + path);
    expect_bare_refusal(st, body, 403);
  }
  // Lists hold only the caller's organisations.
  for (const auto& [path, key] :
       {std::pair{"/api/v1/requests", "requests"}, std::pair{"/api/v1/packages", "packages"},
        std::pair{"/api/v1/disclosures", "disclosures"}}) {
    auto [st, body] = other.get(path);
    ASSERT_EQ(st, 200) << body;
    EXPECT_TRUE(parse(body)[key].empty()) << body;
  }
  // Reviewers and analysts are not in the disclosure workflow at all.
  for (const Session* s : {&reviewer, &analyst}) {
    for (const std::string& path : std::vector<std::string>{
             "/api/v1/requests", "/api/v1/packages/" + pk, std::string("/api/v1/disclosures")}) {
      auto [st, body] = s->get(path);
      expect_bare_refusal(st, body, 403);
    }
  }
  // Partner A's package takes no material of Partner B, even from someone who could read it.
  add_user("legal.ab", "Partner A",
           {{"Partner A", Role::kLegalOfficer}, {"Partner B", Role::kLegalOfficer}});
  const Session both = session("legal.ab");
  auto [st, body] = both.send("POST", "/api/v1/packages",
                              {{"request", rq}, {"items", {{{"object", other_partner_}}}}});
  EXPECT_EQ(st, 403) << body;
  EXPECT_EQ(body.find(other_partner_), std::string::npos) << body;
}

}  // namespace
}  // namespace evhub::api
