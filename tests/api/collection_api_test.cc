// The collection's routes against a real server and real processing (extraction, apertium):
// interviews with their transcript and its machine and human translations, documents shown in
// the page, the contact log's warnings, uploads into a witness's own domain, the job monitor,
// and bulk import checked whole before anything is stored.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/api_fixture.h"
#include "collection/collection.h"

namespace evhub::api {
namespace {

using accounts::Role;
using nlohmann::json;

// A fictional statement in Belarusian.
const char* const kStatement =
    "Мяне затрымалі ў Мінску ў жніўні. У пастарунку нас білі і не давалі вады.";

class CollectionApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    add_user("intake.a", "Partner A", {{"Partner A", Role::kIntakeOfficer}});
    add_user("intake.b", "Partner B", {{"Partner B", Role::kIntakeOfficer}});
  }
  // Registers a witness as `s` (an intake officer or lead); returns the status.
  int register_witness(const Session& s, const std::string& code, bool do_not_contact = false) {
    return s
        .send("POST", "/api/v1/witnesses",
              {{"code", code}, {"languages", {"be"}}, {"do_not_contact", do_not_contact}})
        .first;
  }
  // Uploads `bytes` into key domain `domain` as `s`; returns the status and the answer.
  std::pair<int, json> upload(const Session& s, const std::string& domain, const std::string& bytes,
                              const std::string& query = "") {
    auto [status, body] = curl({"-b", s.jar, "-H", "X-CSRF-Token: " + s.csrf, "--data-binary",
                                bytes, server_->url("/api/v1/objects?domain=" + domain + query)});
    return {status, json::parse(body, nullptr, false)};
  }
  // The job monitor as `s` sees it, once `done(jobs)` holds (or after a minute).
  json wait_for_jobs(const Session& s, const std::function<bool(const json&)>& done,
                     const std::string& query = "") {
    json jobs;
    for (int i = 0; i < 600; ++i) {
      auto [status, body] = s.get("/api/v1/jobs" + query);
      EXPECT_EQ(status, 200) << body;
      jobs = json::parse(body)["jobs"];
      if (done(jobs)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return jobs;
  }
  static void expect_refused_alone(const std::pair<int, std::string>& r) {
    EXPECT_EQ(r.first, 403) << r.second;
    json j = json::parse(r.second, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.size() == 1 && j.contains("error")) << r.second;
  }
};

TEST_F(CollectionApiTest, AnInterviewShowsItsTranscriptBesideMachineAndHumanTranslations) {
  api_->start_processing(1);
  const auto intake = session("intake.a");
  ASSERT_EQ(register_witness(intake, "W-00300"), 201);
  auto [up, transcript] = upload(intake, "W-00300", kStatement);
  ASSERT_EQ(up, 201) << transcript;
  const std::string text_id = transcript["id"];

  auto [rec, rec_body] = intake.send("POST", "/api/v1/witnesses/W-00300/interviews",
                                     {{"on", "2026-03-02"},
                                      {"interviewer", "intake.a"},
                                      {"place", "Vilnius"},
                                      {"languages", {"be"}},
                                      {"transcript", text_id}});
  ASSERT_EQ(rec, 201) << rec_body;
  const json iv = json::parse(rec_body);
  EXPECT_EQ(iv["status"], "transcribed");
  EXPECT_EQ(iv["code"], "W-00300");
  const std::string iv_id = iv["id"];

  // Plain text is its own text: the translation is made from the transcript itself.
  auto jobs = wait_for_jobs(intake, [](const json& j) {
    return j.size() == 2 && j[0]["state"] == "done" && j[1]["state"] == "done";
  });
  ASSERT_EQ(jobs.size(), 2u) << jobs;
  EXPECT_EQ(jobs[0]["kind"], "translate");
  EXPECT_EQ(jobs[0]["domain"], "W-00300");

  auto [page_status, page_body] = intake.get("/api/v1/interviews/" + iv_id);
  ASSERT_EQ(page_status, 200) << page_body;
  json page = json::parse(page_body);
  ASSERT_EQ(page["objects"].size(), 1u);
  EXPECT_EQ(page["objects"][0]["role"], "transcript");
  EXPECT_EQ(page["permissions"]["update"], true);
  json texts = page["objects"][0]["texts"];
  ASSERT_EQ(texts.size(), 1u) << texts;
  EXPECT_EQ(texts[0]["kind"], "translation");
  EXPECT_EQ(texts[0]["tool"], "apertium");
  EXPECT_EQ(texts[0]["machine"], true);
  EXPECT_EQ(texts[0]["language"], "ru");
  EXPECT_EQ(texts[0]["from"], "be");
  EXPECT_TRUE(texts[0]["by"].is_null());
  auto [tr_status, russian] =
      intake.get("/api/v1/objects/" + texts[0]["id"].get<std::string>() + "/content");
  ASSERT_EQ(tr_status, 200);
  EXPECT_FALSE(russian.empty());
  EXPECT_NE(russian, kStatement) << "apertium translated it";

  // A person's translation beside the machine's, marked as human and by whom.
  const std::string english = "They detained me in Minsk in August; at the station we were beaten.";
  auto [human_status, human_body] =
      intake.send("POST", "/api/v1/objects/" + text_id + "/translations",
                  {{"language", "en"}, {"from", "be"}, {"text", english}});
  ASSERT_EQ(human_status, 201) << human_body;
  const json human = json::parse(human_body);
  EXPECT_EQ(human["machine"], false);
  EXPECT_EQ(human["tool"], "human");
  EXPECT_EQ(human["by"], "intake.a");
  EXPECT_EQ(human["derived_from"], text_id);
  EXPECT_EQ(human["domain"], "W-00300") << "in the witness's own key domain";
  EXPECT_EQ(intake
                .send("POST", "/api/v1/objects/" + text_id + "/translations",
                      {{"language", "English"}, {"text", "x"}})
                .first,
            400);
  EXPECT_EQ(intake
                .send("POST", "/api/v1/objects/" + text_id + "/translations",
                      {{"language", "en"}, {"text", ""}})
                .first,
            400);
  page = json::parse(intake.get("/api/v1/interviews/" + iv_id).second);
  texts = page["objects"][0]["texts"];
  ASSERT_EQ(texts.size(), 2u) << texts;
  EXPECT_EQ(texts[1]["machine"], false);
  EXPECT_EQ(texts[1]["by"], "intake.a");

  // The status moves forward only.
  auto [fwd, fwd_body] =
      intake.send("PATCH", "/api/v1/interviews/" + iv_id, {{"status", "translated"}});
  EXPECT_EQ(fwd, 200) << fwd_body;
  EXPECT_EQ(intake.send("PATCH", "/api/v1/interviews/" + iv_id, {{"status", "recorded"}}).first,
            409);
  EXPECT_EQ(intake.send("PATCH", "/api/v1/interviews/" + iv_id, {{"stauts", "coded"}}).first, 400);

  // An analyst of Partner A reads and may translate, but not change the interview; Partner B
  // reaches none of it.
  const auto analyst = session("analyst.a");
  auto [a_status, a_body] = analyst.get("/api/v1/interviews/" + iv_id);
  ASSERT_EQ(a_status, 200) << a_body;
  EXPECT_EQ(json::parse(a_body)["permissions"]["update"], false);
  EXPECT_EQ(json::parse(a_body)["permissions"]["translate"], true);
  expect_refused_alone(analyst.send("PATCH", "/api/v1/interviews/" + iv_id, {{"status", "coded"}}));
  const auto other = session("intake.b");
  expect_refused_alone(other.get("/api/v1/interviews/" + iv_id));
  expect_refused_alone(other.get("/api/v1/witnesses/W-00300/interviews"));
  expect_refused_alone(other.send("POST", "/api/v1/objects/" + text_id + "/translations",
                                  {{"language", "en"}, {"text", "x"}}));
  EXPECT_EQ(json::parse(other.get("/api/v1/jobs").second)["jobs"].size(), 0u);
  EXPECT_EQ(other.get("/api/v1/interviews/iv-unknown").first, 404);

  // The log holds who did what, by code and id: no text, no translation.
  const std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"interview.record\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"translation.add\""), std::string::npos);
  EXPECT_EQ(log.find("detained"), std::string::npos);
  EXPECT_EQ(log.find("Мінску"), std::string::npos);
}

TEST_F(CollectionApiTest, DocumentsAreDescribedAndShownInThePageOnlyAsWhatBrowsersDisplay) {
  const auto intake = session("intake.a");
  ASSERT_EQ(register_witness(intake, "W-00301"), 201);
  auto [pdf_status, pdf] = upload(intake, "W-00301", "%PDF-1.4 a fictional court decision");
  ASSERT_EQ(pdf_status, 201);
  auto [med_status, med] = upload(intake, "W-00301", "medical certificate", "&sensitivity=health");
  ASSERT_EQ(med_status, 201);
  const std::string pdf_id = pdf["id"], med_id = med["id"];
  auto [d1, d1_body] = intake.send("POST", "/api/v1/witnesses/W-00301/documents",
                                   {{"object_id", pdf_id},
                                    {"kind", "court"},
                                    {"date", "2021-03-02"},
                                    {"language", "ru"},
                                    {"description", "decision of the district court"}});
  ASSERT_EQ(d1, 201) << d1_body;
  EXPECT_EQ(json::parse(d1_body)["description"], "decision of the district court");
  ASSERT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00301/documents",
                      {{"object_id", med_id}, {"kind", "medical"}})
                .first,
            201);
  // A medical record stored as normal material would stay open to analysts: refused.
  auto [plain_status, plain] = upload(intake, "W-00301", "another medical certificate");
  ASSERT_EQ(plain_status, 201);
  auto [m409, m409_body] = intake.send("POST", "/api/v1/witnesses/W-00301/documents",
                                       {{"object_id", plain["id"]}, {"kind", "medical"}});
  EXPECT_EQ(m409, 409) << m409_body;
  EXPECT_NE(m409_body.find("health"), std::string::npos) << m409_body;
  EXPECT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00301/documents",
                      {{"object_id", pdf_id}, {"kind", "diary"}})
                .first,
            400);
  EXPECT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00301/documents",
                      {{"object_id", pdf_id}, {"kind", "court"}, {"date", "March"}})
                .first,
            400);

  auto [page_status, page_body] = intake.get("/api/v1/documents/" + pdf_id);
  ASSERT_EQ(page_status, 200) << page_body;
  json page = json::parse(page_body);
  EXPECT_EQ(page["document"]["kind"], "court");
  EXPECT_EQ(page["object"]["id"], pdf_id);
  EXPECT_TRUE(page["texts"].is_array());

  // An analyst reads the ordinary document, not the health record, which is only counted.
  const auto analyst = session("analyst.a");
  auto [list_status, list_body] = analyst.get("/api/v1/witnesses/W-00301/documents");
  ASSERT_EQ(list_status, 200) << list_body;
  json list = json::parse(list_body);
  ASSERT_EQ(list["documents"].size(), 1u);
  EXPECT_EQ(list["documents"][0]["object_id"], pdf_id);
  EXPECT_EQ(list["withheld"], 1);
  EXPECT_EQ(analyst.get("/api/v1/documents/" + med_id).first, 403);
  expect_refused_alone(session("intake.b").get("/api/v1/documents/" + pdf_id));

  // Shown in the page: a PDF goes to the browser's viewer, framed by this origin only;
  // anything it would not display stays an attachment.
  auto headers = [&](const std::string& id) {
    return testing::run({"curl", "-s", "-D", "-", "-o", "/dev/null", "-b", intake.jar,
                         server_->url("/api/v1/objects/" + id + "/content?inline=1")})
        .out;
  };
  const std::string shown = headers(pdf_id);
  EXPECT_NE(shown.find("Content-Type: application/pdf"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Content-Disposition: inline"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Content-Security-Policy: frame-ancestors 'self'"), std::string::npos);
  const std::string kept = headers(med_id);
  EXPECT_NE(kept.find("Content-Type: application/octet-stream"), std::string::npos) << kept;
  EXPECT_NE(kept.find("Content-Disposition: attachment"), std::string::npos) << kept;

  const std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"document.add\""), std::string::npos);
  EXPECT_EQ(log.find("district court"), std::string::npos) << "descriptions stay encrypted";
}

TEST_F(CollectionApiTest, UploadsIntoAWitnesssDomainComeOnlyFromThoseWhoMayAddToTheirRecord) {
  add_user("lead.ab", "Partner A", {{"Partner A", Role::kLead}, {"Partner B", Role::kLead}});
  const auto intake = session("intake.a");
  ASSERT_EQ(register_witness(intake, "W-00302"), 201);
  ASSERT_EQ(register_witness(intake, "W-00303"), 201);
  EXPECT_EQ(upload(intake, "W-00302", "statement").first, 201);
  // An analyst adds evidence, but not to a witness's record; another partner not at all.
  auto [analyst_status, analyst_body] = upload(session("analyst.a"), "W-00302", "x");
  EXPECT_EQ(analyst_status, 403) << analyst_body;
  auto [b_status, b_body] = upload(session("intake.b"), "W-00302", "x");
  EXPECT_EQ(b_status, 403) << b_body;
  EXPECT_EQ(b_body.dump().find("W-00302"), std::string::npos);
  // A lead of both partners who names the other organisation still adds to the witness's own.
  auto [lead_status, lead_body] =
      upload(session("lead.ab"), "W-00302", "lead's note", "&organisation=Partner%20B");
  ASSERT_EQ(lead_status, 201) << lead_body;
  auto stored = hub_->describe(lead_body["id"]);
  ASSERT_TRUE(stored.is_ok());
  EXPECT_EQ(stored->domain, "W-00302");
  EXPECT_EQ(json::parse(session("lead.ab").get("/api/v1/witnesses/W-00302").second)["organisation"],
            "Partner A");
  // An object of another witness cannot be described as this witness's document.
  auto [other_status, other] = upload(intake, "W-00303", "another witness's letter");
  ASSERT_EQ(other_status, 201);
  EXPECT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00302/documents",
                      {{"object_id", other["id"]}, {"kind", "other"}})
                .first,
            400);
  // Nothing is added to an erased witness.
  ASSERT_EQ(session("lead.ab").send("DELETE", "/api/v1/witnesses/W-00303?reason=test").first, 200);
  EXPECT_EQ(upload(intake, "W-00303", "late").first, 409);
}

TEST_F(CollectionApiTest, ContactsWarnBeforeTheyArePlannedAndEveryContactIsLogged) {
  const auto intake = session("intake.a");
  ASSERT_EQ(register_witness(intake, "W-00305", true), 201);
  auto [check_status, check_body] =
      intake.get("/api/v1/witnesses/W-00305/contact-check?on=2026-05-10");
  ASSERT_EQ(check_status, 200) << check_body;
  json warnings = json::parse(check_body)["warnings"];
  ASSERT_EQ(warnings.size(), 1u) << warnings;
  EXPECT_NE(warnings[0].get<std::string>().find("marked not to be contacted"), std::string::npos);
  EXPECT_EQ(intake.get("/api/v1/witnesses/W-00305/contact-check?on=soon").first, 400);

  auto [add_status, add_body] = intake.send("POST", "/api/v1/witnesses/W-00305/contacts",
                                            {{"on", "2026-05-01"},
                                             {"by", "intake.a"},
                                             {"channel", "phone"},
                                             {"purpose", "follow-up about the hearing"}});
  ASSERT_EQ(add_status, 201) << add_body;
  EXPECT_EQ(json::parse(add_body)["warnings"].size(), 1u) << "warned, and recorded all the same";
  EXPECT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00305/contacts",
                      {{"on", "2026-05-01"}, {"by", "x"}, {"channel", "pigeon"}})
                .first,
            400);
  warnings = json::parse(
      intake.get("/api/v1/witnesses/W-00305/contact-check?on=2026-05-10").second)["warnings"];
  ASSERT_EQ(warnings.size(), 2u) << warnings;
  EXPECT_NE(warnings[1].get<std::string>().find("was contacted 9 days before"), std::string::npos);
  auto [list_status, list_body] = intake.get("/api/v1/witnesses/W-00305/contacts");
  ASSERT_EQ(list_status, 200);
  json contacts = json::parse(list_body)["contacts"];
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["purpose"], "follow-up about the hearing");

  expect_refused_alone(session("analyst.a").get("/api/v1/witnesses/W-00305/contacts"));
  expect_refused_alone(session("intake.b").get("/api/v1/witnesses/W-00305/contact-check"));
  const std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"contact.add\""), std::string::npos);
  EXPECT_EQ(log.find("hearing"), std::string::npos) << "the purpose stays encrypted";
}

TEST_F(CollectionApiTest, TheJobMonitorShowsFailuresOfReadableMaterialForAPersonToRetry) {
  api_->start_processing(1);
  const auto intake = session("intake.a");
  ASSERT_EQ(register_witness(intake, "W-00306"), 201);
  auto [up, damaged] = upload(intake, "W-00306", "%PDF-1.4 damaged beyond reading");
  ASSERT_EQ(up, 201);
  auto failed = wait_for_jobs(
      intake, [](const json& j) { return j.size() == 1; }, "?state=failed");
  ASSERT_EQ(failed.size(), 1u) << failed;
  EXPECT_EQ(failed[0]["object"], damaged["id"]);
  EXPECT_FALSE(failed[0]["error"].get<std::string>().empty());
  EXPECT_EQ(failed[0]["retry"], true);
  const std::string retry = "/api/v1/jobs/" + std::to_string(failed[0]["id"].get<int>()) + "/retry";

  // Partner B sees none of it and may not retry it; a reviewer of A sees it, cannot retry.
  const auto other = session("analyst");
  EXPECT_EQ(json::parse(other.get("/api/v1/jobs?state=failed").second)["jobs"].size(), 0u);
  expect_refused_alone(other.send("POST", retry));
  EXPECT_EQ(session("admin").get("/api/v1/jobs").first, 403);
  EXPECT_EQ(intake.get("/api/v1/jobs?state=broken").first, 400);
  EXPECT_EQ(intake.get("/api/v1/jobs?limit=0").first, 400);

  auto [r_status, r_body] = intake.send("POST", retry);
  ASSERT_EQ(r_status, 200) << r_body;
  EXPECT_NE(json::parse(r_body)["state"], "failed");
  EXPECT_EQ(intake.send("POST", "/api/v1/jobs/999999/retry").first, 404);
  const std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"job.retry\""), std::string::npos);

  // Pages of one job: the next page starts below the last job shown.
  ASSERT_EQ(upload(intake, "W-00306", "second statement").first, 201);
  auto [p1_status, p1_body] = intake.get("/api/v1/jobs?limit=1");
  ASSERT_EQ(p1_status, 200);
  json p1 = json::parse(p1_body);
  ASSERT_EQ(p1["jobs"].size(), 1u);
  ASSERT_FALSE(p1["next"].is_null());
  json p2 = json::parse(
      intake.get("/api/v1/jobs?limit=1&before=" + std::to_string(p1["next"].get<int>())).second);
  ASSERT_EQ(p2["jobs"].size(), 1u);
  EXPECT_LT(p2["jobs"][0]["id"].get<int>(), p1["jobs"][0]["id"].get<int>());
}

TEST_F(CollectionApiTest, AnImportIsCheckedWholeAndStoredOnlyWithoutProblems) {
  const auto intake = session("intake.a");
  const std::string dir = tmp_ / "intake";
  std::filesystem::create_directories(dir);
  testing::write_text_file(dir + "/int1.txt", kStatement);
  testing::write_text_file(dir + "/med1.pdf", "%PDF-1.4 fictional medical certificate");
  auto send = [&](const Session& s, const std::string& csv, const std::string& query) {
    testing::write_text_file(dir + "/manifest.csv", csv);
    return curl(
        {"-b", s.jar, "-H", "X-CSRF-Token: " + s.csrf, "-F", "manifest=@" + dir + "/manifest.csv",
         "-F", "files=@" + dir + "/int1.txt;filename=int1.txt", "-F",
         "files=@" + dir + "/med1.pdf;filename=med1.pdf", server_->url("/api/v1/imports" + query)});
  };
  const std::string bad =
      "record,witness,organisation,date,by,place,transcript,file,kind\n"
      "witness,W-00400,Partner Z,,,,,,\n"
      "interview,W-00400,,2026-13-01,,Vilnius,missing.txt,,\n";
  auto [dry_status, dry_body] = send(intake, bad, "?dry_run=true");
  ASSERT_EQ(dry_status, 200) << dry_body;
  json dry = json::parse(dry_body);
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(dry["files"], 2);
  std::vector<std::string> found;
  for (const auto& p : dry["problems"]) {
    found.push_back(p["line"].dump() + ":" + p["column"].dump() + " " +
                    p["message"].get<std::string>());
  }
  auto has = [&](const std::string& prefix) {
    return std::any_of(found.begin(), found.end(),
                       [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("2:3 no organisation")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has("3:4 date must be")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has("3:5 an interview needs by")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has("3:7 no file missing.txt was uploaded")) << ::testing::PrintToString(found);
  auto [bad_status, bad_body] = send(intake, bad, "");
  EXPECT_EQ(bad_status, 422) << bad_body;
  EXPECT_EQ(json::parse(intake.get("/api/v1/witnesses").second)["witnesses"].size(), 0u)
      << "nothing was imported";

  const std::string good =
      "record,witness,organisation,languages,date,by,scopes,key,place,transcript,file,kind,"
      "description,interview\n"
      "witness,W-00401,Partner A,be,,,,,,,,,,\n"
      "consent,W-00401,,,2026-01-10,intake.a,internal-analysis,,,,,,,\n"
      "interview,W-00401,,be,2026-01-10,intake.a,,int-1,Vilnius,int1.txt,,,,\n"
      "document,W-00401,,,2020-08-14,,,,,,med1.pdf,medical,certificate,int-1\n";
  auto [ok_dry, ok_dry_body] = send(intake, good, "?dry_run=1");
  ASSERT_EQ(ok_dry, 200) << ok_dry_body;
  EXPECT_EQ(json::parse(ok_dry_body)["problems"].size(), 0u) << ok_dry_body;
  EXPECT_EQ(json::parse(intake.get("/api/v1/witnesses").second)["witnesses"].size(), 0u)
      << "a dry run stores nothing";
  auto [imp_status, imp_body] = send(intake, good, "");
  ASSERT_EQ(imp_status, 201) << imp_body;
  const json report = json::parse(imp_body)["report"];
  EXPECT_EQ(report["witnesses"], 1);
  EXPECT_EQ(report["consents"], 1);
  EXPECT_EQ(report["interviews"], 1);
  EXPECT_EQ(report["documents"], 1);
  auto docs = json::parse(intake.get("/api/v1/witnesses/W-00401/documents").second)["documents"];
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["sensitivity"], "health") << "medical records are health material";
  // Sent again (as after an interruption): recognised, nothing stored twice.
  auto [again_status, again_body] = send(intake, good, "");
  ASSERT_EQ(again_status, 201) << again_body;
  EXPECT_EQ(json::parse(again_body)["report"]["skipped"], 4);

  // Partner B's intake officer may not add to Partner A's witness; an analyst may not import.
  auto [b_status, b_body] = send(session("intake.b"), good, "?dry_run=true");
  ASSERT_EQ(b_status, 200) << b_body;
  EXPECT_NE(b_body.find("an organisation you may not import into"), std::string::npos) << b_body;
  expect_refused_alone(send(session("analyst.a"), good, "?dry_run=true"));
  EXPECT_EQ(intake.send("POST", "/api/v1/imports", {{"manifest", good}}).first, 400)
      << "JSON is not multipart/form-data";
  const std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"import\""), std::string::npos);
  EXPECT_EQ(log.find("certificate"), std::string::npos);
}

}  // namespace
}  // namespace evhub::api
