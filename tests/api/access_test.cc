// Every route, called by a user holding each single role (and by nobody): the allowed ones get
// through, the others get 401/403 with the error alone — no data, no counts, no ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/test_server.h"
#include "catalog/catalog.h"
#include "coding/annotations.h"
#include "collection/collection.h"
#include "crypto/password.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"

namespace evhub::api {
namespace {

using accounts::Role;
using nlohmann::json;

// Who may call each route; "*" is any signed-in user, "public" anyone.
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"GET /api/v1/health", {"public"}},
    {"POST /api/v1/session", {"public"}},
    {"GET /api/v1/session", {"*"}},
    {"DELETE /api/v1/session", {"*"}},
    {"POST /api/v1/session/totp", {"*"}},
    {"POST /api/v1/session/totp/confirm", {"*"}},
    {"GET /api/v1/objects",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/objects", {"intake-officer", "analyst", "osint-researcher", "lead"}},
    {"GET /api/v1/objects/{id}/content",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/objects/{id}/verify",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"GET /api/v1/dashboard", {"*"}},
    {"GET /api/v1/organisations", {"administrator"}},
    {"GET /api/v1/users", {"administrator"}},
    {"POST /api/v1/users", {"administrator"}},
    {"POST /api/v1/users/{username}/grants", {"administrator"}},
    {"DELETE /api/v1/users/{username}/grants", {"administrator"}},
    {"POST /api/v1/users/{username}/disabled", {"administrator"}},
    {"GET /api/v1/audit", {"administrator", "auditor"}},
    {"GET /api/v1/hub", {"administrator", "lead", "auditor"}},
    {"GET /api/v1/witnesses",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/witnesses", {"intake-officer", "lead"}},
    {"GET /api/v1/witnesses/{code}",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"DELETE /api/v1/witnesses/{code}", {"lead"}},
    {"GET /api/v1/witnesses/{code}/personal", {"intake-officer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/witnesses/{code}/consents", {"intake-officer", "lead"}},
    {"GET /api/v1/witnesses/{code}/consent-check", {"intake-officer", "legal-officer", "lead"}},
    {"GET /api/v1/consent-gaps", {"legal-officer", "lead"}},
    {"GET /api/v1/witnesses/{code}/interviews",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/witnesses/{code}/interviews", {"intake-officer", "lead"}},
    {"GET /api/v1/interviews/{id}",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"PATCH /api/v1/interviews/{id}", {"intake-officer", "lead"}},
    {"GET /api/v1/witnesses/{code}/documents",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/witnesses/{code}/documents", {"intake-officer", "lead"}},
    {"GET /api/v1/documents/{id}",
     {"intake-officer", "analyst", "legal-officer", "reviewer", "mhpss-coordinator", "lead"}},
    {"GET /api/v1/witnesses/{code}/contacts", {"intake-officer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/witnesses/{code}/contacts", {"intake-officer", "mhpss-coordinator", "lead"}},
    {"GET /api/v1/witnesses/{code}/contact-check", {"intake-officer", "mhpss-coordinator", "lead"}},
    {"POST /api/v1/objects/{id}/translations",
     {"intake-officer", "analyst", "osint-researcher", "lead"}},
    {"GET /api/v1/jobs",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/jobs/{id}/retry", {"intake-officer", "analyst", "osint-researcher", "lead"}},
    {"POST /api/v1/imports", {"intake-officer", "lead"}},
    {"GET /api/v1/search",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"GET /api/v1/saved-searches",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/saved-searches",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"GET /api/v1/saved-searches/{id}/new",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/saved-searches/{id}/seen",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"DELETE /api/v1/saved-searches/{id}",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"GET /api/v1/coding/framework", {"*"}},
    {"GET /api/v1/coding/framework/export", {"*"}},
    {"PUT /api/v1/coding/framework", {"administrator"}},
    {"POST /api/v1/coding/framework/codes", {"administrator"}},
    {"PUT /api/v1/coding/framework/codes/{id}", {"administrator"}},
    {"GET /api/v1/coding/objects/{id}", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/coding/objects/{id}/pages/{page}",
     {"analyst", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/coding/annotations", {"analyst", "lead"}},
    {"PUT /api/v1/coding/annotations/{id}", {"analyst", "lead"}},
    {"DELETE /api/v1/coding/annotations/{id}", {"analyst", "lead"}},
    {"GET /api/v1/coding/annotations/{id}/history",
     {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/coding/passages", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/places", {"*"}},
    {"GET /api/v1/facilities", {"*"}},
    {"GET /api/v1/facilities/{id}", {"*"}},
    {"POST /api/v1/facilities", {"intake-officer", "analyst", "lead"}},
    {"PUT /api/v1/facilities/{id}", {"intake-officer", "analyst", "lead"}},
    {"GET /api/v1/incidents", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/incidents/draft", {"analyst", "lead"}},
    {"POST /api/v1/incidents", {"analyst", "lead"}},
    {"GET /api/v1/incidents/{id}", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"PUT /api/v1/incidents/{id}", {"analyst", "lead"}},
    {"DELETE /api/v1/incidents/{id}", {"analyst", "lead"}},
    {"GET /api/v1/incidents/{id}/history", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/summaries", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/summaries", {"analyst", "lead"}},
    {"GET /api/v1/summaries/{id}", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"PUT /api/v1/summaries/{id}", {"analyst", "lead"}},
    {"GET /api/v1/summaries/{id}/citable", {"analyst", "lead"}},
    {"POST /api/v1/summaries/{id}/transitions", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/summaries/{id}/history", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/summaries/{id}/diff", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/summaries/{id}/exports", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/coding/agreement", {"analyst", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/requests", {"legal-officer", "lead"}},
    {"POST /api/v1/requests", {"legal-officer", "lead"}},
    {"GET /api/v1/requests/{id}", {"legal-officer", "lead"}},
    {"PATCH /api/v1/requests/{id}", {"legal-officer", "lead"}},
    {"POST /api/v1/requests/{id}/correspondence", {"legal-officer", "lead"}},
    {"GET /api/v1/requests/{id}/correspondence/{object}", {"legal-officer", "lead"}},
    {"GET /api/v1/packages", {"legal-officer", "lead"}},
    {"GET /api/v1/package-candidates", {"legal-officer", "lead"}},
    {"POST /api/v1/packages", {"legal-officer", "lead"}},
    {"GET /api/v1/packages/{id}", {"legal-officer", "lead"}},
    {"GET /api/v1/packages/{id}/history", {"legal-officer", "lead"}},
    {"PUT /api/v1/packages/{id}/items", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/items/{object}/redaction", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/items/{object}/review", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/redactions", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/reviews", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/submit", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/changes", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/approve", {"legal-officer", "lead"}},
    {"POST /api/v1/packages/{id}/export", {"legal-officer", "lead"}},
    {"GET /api/v1/packages/{id}/export", {"legal-officer", "lead"}},
    {"GET /api/v1/disclosures", {"legal-officer", "lead"}},
    {"GET /api/v1/witnesses/{code}/disclosures", {"legal-officer", "lead"}},
};

// The routes of collection_routes.cc: given a witness, an interview, documents and a failed job
// every allowed role may reach, each allowed call must work (not merely pass the gate).
bool is_collection_route(const std::string& key) {
  for (const char* part :
       {"/interviews", "/documents", "/contact", "/translations", "/jobs", "/imports"}) {
    if (key.find(part) != std::string::npos) return true;
  }
  return false;
}

// A witness in `organisation_id`'s care, with personal details and a consent version.
void register_witness(hub::Hub& hub, const std::string& code, const std::string& organisation_id,
                      const std::string& name, const std::string& conditions) {
  auto c = collection::Collection::open(hub);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  collection::WitnessProfile profile;
  profile.gender = "female";
  profile.country = "BY";
  collection::PersonalDetails personal;
  personal.name = name;
  ASSERT_TRUE((*c)->register_witness(code, organisation_id, profile, personal).is_ok());
  collection::Consent consent;
  consent.given_on = "2026-01-10";
  consent.taken_by = "intake staff";
  consent.scopes = {"internal-analysis", "share-icc"};
  consent.conditions = conditions;
  ASSERT_TRUE((*c)->add_consent(code, consent).is_ok());
}

// A remote interview of `code` with one recording; its id.
std::string record_interview(hub::Hub& hub, const std::string& code, const std::string& recording) {
  auto c = std::move(collection::Collection::open(hub)).value();
  collection::Interview iv;
  iv.code = code;
  iv.on = "2026-01-11";
  iv.remote = true;
  iv.interviewer = "intake staff";
  iv.recordings = {recording};
  auto recorded = c->record_interview(iv);
  EXPECT_TRUE(recorded.is_ok()) << recorded.status().to_string();
  return recorded.is_ok() ? recorded->id : "";
}

TEST(Access, EveryRouteWithEveryRole) {
  testing::TempDir tmp;
  const auto cred = [] { return vault::Credential::key_file(Bytes(32, 9)); };
  hub::InitOptions init;
  init.actor = "test";
  ASSERT_TRUE(hub::init_hub(tmp / "hub", cred(), init).is_ok());
  auto hub = std::move(hub::Hub::open(tmp / "hub", cred(), {"test", 5000})).value();
  auto accounts = std::move(accounts::Accounts::open(hub->layout().accounts())).value();
  ASSERT_TRUE(accounts->add_organisation("Partner B").is_ok());
  auto orgs = *accounts->organisations();
  const std::string hash = *crypto::hash_password("a password 12", crypto::KdfCost::interactive());
  for (Role r : accounts::kAllRoles) {
    ASSERT_TRUE(accounts->add_user(role_name(r), "Partner B", hash).is_ok());
    ASSERT_TRUE(accounts->grant(role_name(r), "Partner B", r, "test").is_ok());
  }
  accounts.reset();
  auto stored = hub->put_data("t", "evidence", "W-00001", hub::Intake::evidence(orgs[0].id));
  ASSERT_TRUE(stored.is_ok());
  // The MHPSS coordinator reads only restricted categories: the record-level rules have their
  // own test below; here each role is given a record it may read, if any.
  auto health =
      hub->put_data("h", "medical record", "W-00001", hub::Intake::evidence(orgs[0].id, "health"));
  ASSERT_TRUE(health.is_ok());
  // A witness every role that reads the register may reach, and one for the lead to erase.
  register_witness(*hub, "W-00001", orgs[0].id, "Witness One", "only by video");
  register_witness(*hub, "W-00099", orgs[0].id, "Witness Ninety-Nine", "");
  // An interview and two documents of W-00001 (one health record, for the MHPSS coordinator),
  // and a failed job on each object.
  const std::string interview_id = record_interview(*hub, "W-00001", stored->id);
  {
    auto c = std::move(collection::Collection::open(*hub)).value();
    for (const auto* o : {&*stored, &*health}) {
      ASSERT_TRUE(
          c->add_document({o->id, "W-00001", "other", "", "be", "Witness's letter", ""}).is_ok());
    }
  }
  auto queue = std::move(jobs::JobQueue::open(hub->layout().jobs())).value();
  std::map<std::string, std::int64_t> job_of;
  auto fail_jobs = [&] {
    for (const auto* o : {&*stored, &*health}) {
      job_of[o->id] = queue->enqueue("extract-text", o->id, "{}", 1, 0)->id;
    }
    while (auto claimed = *queue->claim({"extract-text"}, "test", 1000, 0)) {
      ASSERT_TRUE(queue->fail(claimed->id, "test", "damaged", true, 0, 0).is_ok());
    }
  };
  ASSERT_NO_FATAL_FAILURE(fail_jobs());
  const std::string manifest = tmp / "manifest.csv";
  testing::write_text_file(manifest, "record,witness\nconsent,W-00001\n");
  // An annotation by the analyst on the ordinary object, for the annotation routes.
  std::string annotation_id;
  {
    auto users = std::move(accounts::Accounts::open(hub->layout().accounts())).value()->users();
    ASSERT_TRUE(users.is_ok());
    coding::Annotation a;
    a.target.object_id = stored->id;
    a.target.begin = 0;
    a.target.end = 8;
    a.codes = {{"physical.kicks", 1}};
    for (const auto& u : *users) {
      if (u.username == "analyst") a.coder = u.id;
    }
    auto annotations = std::move(coding::AnnotationStore::open(*hub)).value();
    auto added = annotations->add(a);
    ASSERT_TRUE(added.is_ok()) << added.status().to_string();
    annotation_id = added->id;
  }
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  // Every registered route is in the table, and the reverse.
  std::set<std::string> registered;
  for (const auto& r : router->routes()) registered.insert(r.method + " " + r.path);
  std::set<std::string> tabled;
  for (const auto& [k, v] : kAllowed) tabled.insert(k);
  ASSERT_EQ(registered, tabled) << "update kAllowed when routes change";

  std::vector<std::string> callers = {"nobody"};
  for (Role r : accounts::kAllRoles) callers.push_back(role_name(r));
  int new_witnesses = 0;
  for (const std::string& who : callers) {
    for (const auto& r : router->routes()) {
      const std::string key = r.method + " " + r.path;
      // A fresh session per call: some routes (sign-out) end it.
      std::string jar = tmp / ("jar-" + who);
      std::string csrf;
      std::filesystem::remove(jar);
      if (who != "nobody") {
        auto [st, body] = curl({"-c", jar, "--data",
                                json{{"username", who}, {"password", "a password 12"}}.dump(),
                                server.url("/api/v1/session")});
        ASSERT_EQ(st, 200) << who;
        csrf = json::parse(body)["csrf_token"];
      }
      if (r.path.starts_with("/api/v1/jobs/")) {
        ASSERT_NO_FATAL_FAILURE(fail_jobs());
      }
      std::string path = r.path;
      // Each role is given an object it may read: the MHPSS coordinator reads health records.
      const auto& object = who == "mhpss-coordinator" ? *health : *stored;
      if (auto p = path.find("{id}"); p != std::string::npos) {
        path.replace(p, 4,
                     path.starts_with("/api/v1/interviews/") ? interview_id
                     : path.starts_with("/api/v1/jobs/")     ? std::to_string(job_of[object.id])
                     : path.starts_with("/api/v1/coding/annotations/") ? annotation_id
                     : path.starts_with("/api/v1/coding/framework/")   ? "physical.kicks"
                                                                       : object.id);
      }
      if (auto p = path.find("{page}"); p != std::string::npos) path.replace(p, 6, "1");
      if (auto p = path.find("{username}"); p != std::string::npos) path.replace(p, 10, "analyst");
      if (auto p = path.find("{object}"); p != std::string::npos) path.replace(p, 8, object.id);
      if (auto p = path.find("{code}"); p != std::string::npos) {
        path.replace(p, 6, r.method == "DELETE" ? "W-00099" : "W-00001");
      }
      if (r.method == "POST" && path == "/api/v1/objects") {
        // A registered witness's domain takes material from those who may add to their record
        // only; analysts and OSINT researchers add to domains of their own.
        path += who == "intake-officer" || who == "lead" ? "?domain=W-00001" : "?domain=source-1";
      }
      if (path.ends_with("/consent-check") || path.ends_with("/consent-gaps")) {
        path += "?purpose=sharing&recipient=icc";
      }
      if (r.method == "DELETE" && path.starts_with("/api/v1/witnesses/")) path += "?reason=test";
      if (path == "/api/v1/imports") path += "?dry_run=true";
      if (path == "/api/v1/coding/passages") path += "?code=physical";
      if (path == "/api/v1/coding/framework/export") path += "?format=csv";
      if (r.method == "DELETE" && path.starts_with("/api/v1/coding/")) path += "?version=1";
      std::string body_sent = "{}";
      if (r.method == "POST" && path == "/api/v1/witnesses") {
        body_sent = json{{"code", "W-" + std::to_string(10000 + ++new_witnesses)}}.dump();
      }
      if (r.method == "POST" && path.ends_with("/consents")) {
        body_sent = R"({"given_on":"2026-02-01","taken_by":"t","scopes":["internal-analysis"]})";
      }
      if (r.method == "POST" && path.ends_with("/interviews")) {
        body_sent = R"({"on":"2026-02-01","interviewer":"t","remote":true})";
      }
      if (r.method == "POST" && path.ends_with("/documents")) {
        body_sent = json{{"object_id", object.id}, {"kind", "other"}}.dump();
      }
      if (r.method == "POST" && path.ends_with("/contacts")) {
        body_sent = R"({"on":"2026-02-01","by":"t","channel":"phone","planned":true})";
      }
      if (path.ends_with("/translations")) body_sent = R"({"language":"en","text":"a letter"})";
      std::vector<std::string> args = {"-X", r.method, "-H", "X-CSRF-Token: " + csrf};
      if (who != "nobody") args.insert(args.end(), {"-b", jar});
      if (path.starts_with("/api/v1/imports")) {
        args.insert(args.end(), {"-F", "manifest=@" + manifest});
      } else if (r.method == "POST" || r.method == "PATCH" || r.method == "PUT") {
        args.insert(args.end(), {"--data", body_sent});
      }
      args.push_back(server.url(path));
      auto [status, body] = curl(args);
      const auto& allowed = kAllowed.at(key);
      const bool ok = allowed.count("public") ||
                      (who != "nobody" && (allowed.count("*") || allowed.count(who)));
      SCOPED_TRACE(who + " " + key + " -> " + std::to_string(status) + " " + body);
      if (ok) {
        EXPECT_NE(status, 401);
        EXPECT_NE(status, 403);
        // The witness routes were given a witness the role may reach and a request that works.
        if (key.find("witness") != std::string::npos || key.find("consent") != std::string::npos ||
            is_collection_route(key)) {
          EXPECT_LT(status, 300);
        }
      } else {
        EXPECT_EQ(status, who == "nobody" ? 401 : 403);
        json j = json::parse(body, nullptr, false);
        ASSERT_FALSE(j.is_discarded());
        EXPECT_EQ(j.size(), 1u) << "a refusal carries the error alone";
        EXPECT_TRUE(j.contains("error"));
        for (const auto* o : {&*stored, &*health}) {
          EXPECT_EQ(body.find(o->id), std::string::npos);
          EXPECT_EQ(body.find(o->sha256), std::string::npos);
        }
        EXPECT_EQ(body.find("W-000"), std::string::npos) << "no witness codes";
        EXPECT_EQ(body.find("Witness"), std::string::npos) << "no personal details";
        EXPECT_EQ(body.find(interview_id), std::string::npos) << "no interview ids";
      }
    }
  }
}

// A hub with Partners A and B and, in Partner A, one user per role, named after the role.
struct TwoPartners {
  std::unique_ptr<hub::Hub> hub;
  std::string a_id, b_id;
  void open(const testing::TempDir& tmp, std::uint8_t seed) {
    const auto cred = [seed] { return vault::Credential::key_file(Bytes(32, seed)); };
    hub::InitOptions init;
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp / "hub", cred(), init).is_ok());
    hub = std::move(hub::Hub::open(tmp / "hub", cred(), {"test", 5000})).value();
    auto accounts = std::move(accounts::Accounts::open(hub->layout().accounts())).value();
    a_id = accounts->add_organisation("Partner A")->id;
    b_id = accounts->add_organisation("Partner B")->id;
    const std::string hash =
        *crypto::hash_password("a password 12", crypto::KdfCost::interactive());
    for (Role r : accounts::kAllRoles) {
      ASSERT_TRUE(accounts->add_user(role_name(r), "Partner A", hash).is_ok());
      ASSERT_TRUE(accounts->grant(role_name(r), "Partner A", r, "test").is_ok());
    }
  }
};

// Health and sexual-violence material, record by record: each role sees in lists, counts and
// downloads exactly the categories api/policy.h gives it, and nothing at all of another
// organisation's material.
TEST(Access, RestrictedCategoriesAreSeenOnlyByTheRolesThatNeedThem) {
  testing::TempDir tmp;
  TwoPartners p;
  ASSERT_NO_FATAL_FAILURE(p.open(tmp, 4));
  auto& hub = p.hub;
  const std::string a_id = p.a_id, b_id = p.b_id;
  // One object per category in Partner A, and one of each in Partner B that nobody here reads.
  std::map<std::string, hub::StoredObject> in_a, in_b;
  for (const char* s : catalog::kSensitivities) {
    in_a[s] = *hub->put_data("a", std::string("A ") + s, "W-00001", hub::Intake::evidence(a_id, s));
    in_b[s] = *hub->put_data("b", std::string("B ") + s, "W-00002", hub::Intake::evidence(b_id, s));
  }
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  const std::map<std::string, std::set<std::string>> kReads = {
      {"intake-officer", {"normal", "health", "sexual-violence"}},
      {"analyst", {"normal"}},
      {"osint-researcher", {"normal"}},
      {"legal-officer", {"normal", "health", "sexual-violence"}},
      {"reviewer", {"normal"}},
      {"mhpss-coordinator", {"health", "sexual-violence"}},
      {"lead", {"normal", "health", "sexual-violence"}},
      {"administrator", {}},
      {"auditor", {}},
  };
  for (const auto& [who, reads] : kReads) {
    SCOPED_TRACE(who);
    const std::string jar = tmp / ("jar-" + who);
    ASSERT_EQ(
        curl({"-c", jar, "--data", json{{"username", who}, {"password", "a password 12"}}.dump(),
              server.url("/api/v1/session")})
            .first,
        200);
    auto [list_status, list_body] = curl({"-b", jar, server.url("/api/v1/objects")});
    std::set<std::string> listed;
    if (list_status == 200) {
      const json page =
          json::parse(list_body);  // named: a range-for over a temporary's member dangles
      for (const auto& o : page["objects"]) listed.insert(o["id"].get<std::string>());
    }
    json dash = json::parse(curl({"-b", jar, server.url("/api/v1/dashboard")}).second);
    EXPECT_EQ(dash["objects"], reads.size()) << "counts include only what may be read";
    for (const char* s : catalog::kSensitivities) {
      const bool may = reads.count(s) > 0;
      EXPECT_EQ(listed.count(in_a[s].id), may ? 1u : 0u) << s;
      EXPECT_EQ(listed.count(in_b[s].id), 0u) << s;
      auto [get, body] =
          curl({"-b", jar, server.url("/api/v1/objects/" + in_a[s].id + "/content")});
      EXPECT_EQ(get, may ? 200 : 403) << s;
      EXPECT_EQ(body.find("A "), may ? 0u : std::string::npos) << s;
      EXPECT_EQ(curl({"-b", jar, server.url("/api/v1/objects/" + in_b[s].id + "/content")}).first,
                403)
          << s;
    }
  }
}

// The witness register, witness by witness: each role of Partner A reads, in Partner A's
// register, what api/policy.h gives it (profiles, consent conditions, personal details, consent
// checks and gaps), and of Partner B's witness nothing at all — not in lists, not in gaps, not
// by asking for its code.
TEST(Access, WitnessesAreSeenWithinTheirOrganisationAndByRole) {
  testing::TempDir tmp;
  TwoPartners p;
  ASSERT_NO_FATAL_FAILURE(p.open(tmp, 5));
  auto& hub = p.hub;
  const std::string a_id = p.a_id, b_id = p.b_id;
  register_witness(*hub, "W-00010", a_id, "Alesia Example", "not before the trial");
  register_witness(*hub, "W-00020", b_id, "Barys Example", "never to lawyers");
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  const std::set<std::string> readers = {"intake-officer", "analyst",           "legal-officer",
                                         "reviewer",       "mhpss-coordinator", "lead"};
  const std::set<std::string> conditions = {"intake-officer", "legal-officer", "mhpss-coordinator",
                                            "lead"};
  const std::set<std::string> personal = {"intake-officer", "mhpss-coordinator", "lead"};
  const std::set<std::string> checkers = {"intake-officer", "legal-officer", "lead"};
  const std::set<std::string> gap_readers = {"legal-officer", "lead"};
  auto refused_alone = [](int status, const std::string& body) {
    EXPECT_EQ(status, 403) << body;
    json j = json::parse(body, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.size() == 1 && j.contains("error")) << body;
    EXPECT_EQ(body.find("W-000"), std::string::npos) << body;
    EXPECT_EQ(body.find("Example"), std::string::npos) << body;
  };
  for (Role role : accounts::kAllRoles) {
    const std::string who = role_name(role);
    SCOPED_TRACE(who);
    const std::string jar = tmp / ("jar-" + who);
    ASSERT_EQ(
        curl({"-c", jar, "--data", json{{"username", who}, {"password", "a password 12"}}.dump(),
              server.url("/api/v1/session")})
            .first,
        200);
    auto get = [&](const std::string& path) { return curl({"-b", jar, server.url(path)}); };

    auto [list_status, list_body] = get("/api/v1/witnesses");
    if (readers.count(who)) {
      ASSERT_EQ(list_status, 200) << list_body;
      const json list = json::parse(list_body);
      ASSERT_EQ(list["witnesses"].size(), 1u) << list_body;
      EXPECT_EQ(list["witnesses"][0]["code"], "W-00010");
      EXPECT_EQ(list["witnesses"][0]["organisation"], "Partner A");
      EXPECT_EQ(list_body.find("W-00020"), std::string::npos);
      EXPECT_EQ(list_body.find("Example"), std::string::npos) << "no names in the register";
      EXPECT_EQ(list_body.find("trial"), std::string::npos) << "no conditions in the register";
    } else {
      refused_alone(list_status, list_body);
    }

    auto [page_status, page_body] = get("/api/v1/witnesses/W-00010");
    if (readers.count(who)) {
      ASSERT_EQ(page_status, 200) << page_body;
      const json page = json::parse(page_body);
      ASSERT_EQ(page["consents"].size(), 1u);
      EXPECT_EQ(page["consents"][0].contains("conditions"), conditions.count(who) > 0);
      EXPECT_EQ(page_body.find("not before the trial") != std::string::npos,
                conditions.count(who) > 0);
      EXPECT_EQ(page["permissions"]["view_personal"], personal.count(who) > 0);
      EXPECT_EQ(page["permissions"]["check_consent"], checkers.count(who) > 0);
      EXPECT_EQ(page_body.find("Alesia"), std::string::npos) << "names only on request";
    } else {
      refused_alone(page_status, page_body);
    }
    auto [other_status, other_body] = get("/api/v1/witnesses/W-00020");
    refused_alone(other_status, other_body);

    auto [p_status, p_body] = get("/api/v1/witnesses/W-00010/personal");
    if (personal.count(who)) {
      EXPECT_EQ(p_status, 200) << p_body;
      EXPECT_EQ(json::parse(p_body)["name"], "Alesia Example");
    } else {
      refused_alone(p_status, p_body);
    }
    auto [po_status, po_body] = get("/api/v1/witnesses/W-00020/personal");
    refused_alone(po_status, po_body);

    auto [c_status, c_body] =
        get("/api/v1/witnesses/W-00010/consent-check?purpose=sharing&recipient=icc");
    if (checkers.count(who)) {
      EXPECT_EQ(c_status, 200) << c_body;
      EXPECT_EQ(json::parse(c_body)["allowed"], true) << c_body;
    } else {
      refused_alone(c_status, c_body);
    }
    auto [co_status, co_body] =
        get("/api/v1/witnesses/W-00020/consent-check?purpose=sharing&recipient=icc");
    refused_alone(co_status, co_body);

    auto [g_status, g_body] = get("/api/v1/consent-gaps?purpose=sharing&recipient=lawyer");
    if (gap_readers.count(who)) {
      ASSERT_EQ(g_status, 200) << g_body;
      const json gaps = json::parse(g_body)["gaps"];
      ASSERT_EQ(gaps.size(), 1u) << g_body;
      EXPECT_EQ(gaps[0]["code"], "W-00010");
      EXPECT_EQ(gaps[0]["problem"], "too-narrow");
      EXPECT_EQ(g_body.find("W-00020"), std::string::npos);
    } else {
      refused_alone(g_status, g_body);
    }
  }
  // Only the views that were allowed are in the log, by code and user id, never by name.
  const std::string log = testing::read_text(tmp / "hub/custody/events.jsonl");
  std::size_t views = 0;
  for (auto at = log.find("witness.personal.view"); at != std::string::npos;
       at = log.find("witness.personal.view", at + 1)) {
    ++views;
  }
  EXPECT_EQ(views, personal.size());
  EXPECT_EQ(log.find("Example"), std::string::npos);
}

// Interviews, documents, contacts, translations and jobs of Partner B's witness, asked for by
// every role of Partner A: refused with the error alone, and never listed.
TEST(Access, AnotherOrganisationsInterviewsDocumentsContactsAndJobsAreOutOfReach) {
  testing::TempDir tmp;
  TwoPartners p;
  ASSERT_NO_FATAL_FAILURE(p.open(tmp, 6));
  auto& hub = p.hub;
  register_witness(*hub, "W-00020", p.b_id, "Barys Example", "never to lawyers");
  auto recording =
      *hub->put_data("r", "RIFF recording of B", "W-00020", hub::Intake::evidence(p.b_id));
  auto letter = *hub->put_data("l", "letter of B", "W-00020", hub::Intake::evidence(p.b_id));
  const std::string interview_id = record_interview(*hub, "W-00020", recording.id);
  {
    auto c = std::move(collection::Collection::open(*hub)).value();
    ASSERT_TRUE(
        c->add_document({letter.id, "W-00020", "other", "", "be", "Example's letter", ""}).is_ok());
    ASSERT_TRUE(
        c->log_contact("W-00020", {"2026-01-12", "staff of B", "phone", "Example", false}).is_ok());
  }
  auto queue = std::move(jobs::JobQueue::open(hub->layout().jobs())).value();
  const auto job = *queue->enqueue("extract-text", letter.id, "{}", 1, 0);
  ASSERT_TRUE(queue->claim({"extract-text"}, "t", 1000, 0).is_ok());
  ASSERT_TRUE(queue->fail(job.id, "t", "damaged", true, 0, 0).is_ok());
  const auto objects_of_b = hub->list("W-00020")->size();
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  const std::vector<std::pair<std::string, std::string>> calls = {
      {"GET", "/api/v1/witnesses/W-00020/interviews"},
      {"POST", "/api/v1/witnesses/W-00020/interviews"},
      {"GET", "/api/v1/interviews/" + interview_id},
      {"PATCH", "/api/v1/interviews/" + interview_id},
      {"GET", "/api/v1/witnesses/W-00020/documents"},
      {"POST", "/api/v1/witnesses/W-00020/documents"},
      {"GET", "/api/v1/documents/" + letter.id},
      {"GET", "/api/v1/witnesses/W-00020/contacts"},
      {"POST", "/api/v1/witnesses/W-00020/contacts"},
      {"GET", "/api/v1/witnesses/W-00020/contact-check"},
      {"POST", "/api/v1/objects/" + letter.id + "/translations"},
      {"POST", "/api/v1/jobs/" + std::to_string(job.id) + "/retry"},
      {"POST", "/api/v1/objects?domain=W-00020"},
  };
  for (Role role : accounts::kAllRoles) {
    const std::string who = role_name(role);
    const std::string jar = tmp / ("jar-" + who);
    auto [st, signed_in] =
        curl({"-c", jar, "--data", json{{"username", who}, {"password", "a password 12"}}.dump(),
              server.url("/api/v1/session")});
    ASSERT_EQ(st, 200);
    const std::string csrf = json::parse(signed_in)["csrf_token"];
    for (const auto& [method, path] : calls) {
      SCOPED_TRACE(who + " " + method + " " + path);
      std::vector<std::string> args = {"-X", method, "-b", jar, "-H", "X-CSRF-Token: " + csrf};
      if (method != "GET") {
        args.insert(args.end(),
                    {"--data", R"({"on":"2026-02-01","by":"t","channel":"phone","interviewer":"t",)"
                               R"("remote":true,"language":"en","text":"x","kind":"other",)"
                               R"("object_id":")" +
                                   letter.id + R"("})"});
      }
      args.push_back(server.url(path));
      auto [status, body] = curl(args);
      EXPECT_EQ(status, 403) << body;
      json j = json::parse(body, nullptr, false);
      EXPECT_TRUE(j.is_object() && j.size() == 1 && j.contains("error")) << body;
      EXPECT_EQ(body.find("W-000"), std::string::npos) << body;
      EXPECT_EQ(body.find("Example"), std::string::npos) << body;
      EXPECT_EQ(body.find(recording.id), std::string::npos) << body;
    }
    // The job monitor lists nothing of Partner B's.
    auto [jobs_status, jobs_body] = curl({"-b", jar, server.url("/api/v1/jobs")});
    if (jobs_status == 200) {
      EXPECT_EQ(json::parse(jobs_body)["jobs"].size(), 0u) << jobs_body;
    } else {
      EXPECT_EQ(jobs_status, 403);
    }
    EXPECT_EQ(jobs_body.find(letter.id), std::string::npos);
  }
  EXPECT_EQ(queue->find(job.id)->value().state, "failed") << "nobody of Partner A retried it";
  // Nothing was added to Partner B's witness.
  auto c = std::move(collection::Collection::open(*hub)).value();
  EXPECT_EQ(c->interviews("W-00020")->size(), 1u);
  EXPECT_EQ(c->contacts("W-00020")->size(), 1u);
  EXPECT_EQ(hub->list("W-00020")->size(), objects_of_b) << "no upload, no translation";
}

}  // namespace
}  // namespace evhub::api
