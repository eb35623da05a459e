// The closed-source collection beyond the register (routes.cc): interviews, the documents
// witnesses handed over, the contact log, human translations beside the machine ones, the
// processing jobs and bulk import. Every route goes through the one gate of routes.cc; each
// witness is then decided by the roles held in its organisation and each object by what the
// caller may read (api/policy.h). Changes are logged with the acting user's id and the
// witness's code, never with personal data or plaintext.
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/multipart.h"
#include "api/policy.h"
#include "api/route_support.h"
#include "collection/import.h"
#include "collection/records_json.h"
#include "core/clock.h"
#include "core/text.h"

namespace evhub::api {

using collection::Interview;
using collection::WitnessDocument;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxFreeText = 10000;        // a description, a purpose
constexpr std::size_t kMaxTranslation = 8u << 20;  // a human translation's text
constexpr const char* kTextMediaType = "text/plain; charset=utf-8";

// An ISO 639-1/-3 code, as the register writes languages.
bool is_language(const std::string& s) {
  return (s.size() == 2 || s.size() == 3) &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_interview_id(const std::string& id) {
  return id.size() == 35 && id.rfind("iv-", 0) == 0 && is_object_id(id.substr(3));
}

json object_json(const hub::ListedObject& o) {
  return {{"id", o.record.id},
          {"sha256", o.record.sha256},
          {"size", o.record.size},
          {"domain", o.domain},
          {"media_type", o.record.media_type},
          {"created_at", o.record.created_at},
          {"sensitivity", o.record.sensitivity}};
}

// What a derived object is, from its provenance: extracted (or OCR) text and image metadata
// are made by machines; a translation says which, and a human one who made it (by user id).
json derived_json(const hub::ListedObject& o, const std::map<std::string, std::string>& usernames) {
  const auto& r = o.record;
  const std::string tool = r.tool.value_or("");
  json p = json::parse(r.tool_parameters.value_or(""), nullptr, false);
  if (!p.is_object()) p = json::object();
  json out = object_json(o);
  out["derived_from"] = r.derived_from.value_or("");
  out["tool"] = tool;
  out["tool_version"] = r.tool_version.value_or("");
  out["by"] = nullptr;
  if (p.contains("to")) {
    out["kind"] = "translation";
    out["language"] = p.value("to", "");
    out["from"] = p.value("from", "");
    out["machine"] = tool != "human" && p.value("machine", true);
    auto who = usernames.find(p.value("user_id", ""));
    if (tool == "human" && who != usernames.end()) out["by"] = who->second;
  } else {
    out["kind"] = r.media_type == "application/json" ? "metadata" : "text";
    out["language"] = p.value("language", "");
    out["from"] = "";
    out["machine"] = true;
  }
  return out;
}

// Everything derived from `source_id` — extracted text, and translations of the source or of
// that text — oldest first, from the listing of the source's domain.
json derived_texts(const std::string& source_id, const std::vector<hub::ListedObject>& domain,
                   const std::map<std::string, std::string>& usernames) {
  std::set<std::string> sources = {source_id};
  json out = json::array();
  // Derivations are at most a few steps deep (text, then its translation): a pass per step.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& o : domain) {
      const auto& from = o.record.derived_from;
      if (!from || !sources.count(*from) || sources.count(o.record.id)) continue;
      sources.insert(o.record.id);
      out.push_back(derived_json(o, usernames));
      grew = true;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["created_at"].get<std::string>() < b["created_at"].get<std::string>();
  });
  return out;
}

json document_json(const WitnessDocument& d, const hub::ListedObject& o) {
  return {{"object_id", d.object_id},
          {"code", d.code},
          {"kind", d.kind},
          {"date", d.date},
          {"language", d.language},
          {"description", d.description},
          {"interview_id", d.interview_id},
          {"sensitivity", o.record.sensitivity},
          {"size", o.record.size},
          {"created_at", o.record.created_at}};
}

json contact_json(const collection::Contact& c) {
  return {{"on", c.on},
          {"by", c.by},
          {"channel", c.channel},
          {"planned", c.planned},
          {"purpose", c.purpose}};
}

// POST /witnesses/{code}/interviews.
Result<Interview> parse_interview(const std::string& body) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(
      json in,
      parse_body(body, R"(send {"on": "YYYY-MM-DD", "interviewer": …, "place": …} as JSON)",
                 {{"on", kText},
                  {"place", kText},
                  {"remote", kFlag},
                  {"interviewer", kText},
                  {"languages", kTextList},
                  {"recordings", kTextList},
                  {"transcript", kText},
                  {"status", kText}}));
  Interview iv;
  iv.on = in.value("on", "");
  iv.place = in.value("place", "");
  iv.remote = in.value("remote", false);
  iv.interviewer = in.value("interviewer", "");
  iv.languages = in.value("languages", std::vector<std::string>{});
  iv.recordings = in.value("recordings", std::vector<std::string>{});
  iv.transcript = in.value("transcript", "");
  iv.status = in.value("status", iv.transcript.empty() ? "recorded" : "transcribed");
  if (iv.place.size() > 200 || iv.interviewer.size() > 200) {
    return Status(Code::kInvalidArgument, "place and interviewer take at most 200 bytes");
  }
  return iv;
}

// PATCH /interviews/{id}: a new status (forward only), a transcript, objects added.
Status apply_interview_change(const std::string& body, Interview& iv) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(
      json in,
      parse_body(body, R"(send {"status": …, "transcript": …, "add_recordings": [ … ]} as JSON)",
                 {{"status", kText},
                  {"transcript", kText},
                  {"add_recordings", kTextList},
                  {"add_translations", kTextList}}));
  iv.status = in.value("status", iv.status);
  iv.transcript = in.value("transcript", iv.transcript);
  // Added, never replaced: two people adding at once must not drop each other's objects.
  for (auto [field, list] : {std::pair{"add_recordings", &iv.recordings},
                             std::pair{"add_translations", &iv.translations}}) {
    for (const auto& id : in.value(field, std::vector<std::string>{})) {
      if (std::find(list->begin(), list->end(), id) == list->end()) list->push_back(id);
    }
  }
  return Status::ok();
}

Result<WitnessDocument> parse_document(const std::string& body, const std::string& code) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(json in, parse_body(body, R"(send {"object_id": …, "kind": …} as JSON)",
                                             {{"object_id", kText},
                                              {"kind", kText},
                                              {"date", kText},
                                              {"language", kText},
                                              {"description", kText},
                                              {"interview_id", kText}}));
  WitnessDocument d{in.value("object_id", ""),   code,
                    in.value("kind", ""),        in.value("date", ""),
                    in.value("language", ""),    in.value("description", ""),
                    in.value("interview_id", "")};
  if (!is_object_id(d.object_id)) {
    return Status(Code::kInvalidArgument, "object_id must be the id of an uploaded object");
  }
  if (!d.language.empty() && !is_language(d.language)) {
    return Status(Code::kInvalidArgument, "language must be a code such as be, ru or en");
  }
  if (d.description.size() > kMaxFreeText) {
    return Status(Code::kInvalidArgument,
                  fmt::format("the description is longer than {} bytes", kMaxFreeText));
  }
  return d;
}

Result<collection::Contact> parse_contact(const std::string& body) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(
      json in, parse_body(body, R"(send {"on": "YYYY-MM-DD", "by": …, "channel": …} as JSON)",
                          {{"on", kText},
                           {"by", kText},
                           {"channel", kText},
                           {"planned", kFlag},
                           {"purpose", kText}}));
  collection::Contact c{in.value("on", ""), in.value("by", ""), in.value("channel", ""),
                        in.value("purpose", ""), in.value("planned", false)};
  if (c.purpose.size() > kMaxFreeText) {
    wipe(c.purpose);
    return Status(Code::kInvalidArgument,
                  fmt::format("the purpose is longer than {} bytes", kMaxFreeText));
  }
  return c;
}

}  // namespace

std::optional<Response> Api::witness_upload(const accounts::Caller& caller,
                                            const std::string& domain,
                                            std::string& organisation_id) {
  if (!collection::check_witness_code(domain).is_ok()) return std::nullopt;
  auto known = witnesses_->witness(domain);
  if (!known.is_ok()) return error_response(500, "internal", "could not read the witness register");
  if (!*known) return std::nullopt;  // not a witness's domain (yet): an ordinary one
  auto r = reachable_witness(caller, domain, witness_writers());
  if (!r.witness) return r.refusal;
  if (r.witness->erased) {
    return error_response(409, "erased", domain + " was erased; nothing can be added");
  }
  organisation_id = r.witness->organisation_id;
  return std::nullopt;
}

Result<Api::JobPage> Api::readable_jobs(const std::vector<catalog::ReadScope>& scopes,
                                        const std::string& state, std::int64_t before_id, int limit,
                                        int scan) {
  constexpr int kBatch = 100;
  JobPage page;
  std::int64_t cursor = before_id;
  for (int looked = 0; looked < scan;) {
    const int want = std::min(kBatch, scan - looked);
    EVHUB_ASSIGN_OR_RETURN(auto batch, jobs_->list(state, want, cursor));
    for (auto& j : batch) {
      ++looked;
      cursor = j.id;
      // The same decision as for reading the object itself: organisation and sensitivity.
      auto object = hub_.describe(j.object_id);
      if (!object.is_ok() ||
          !may_read(scopes, object->organisation_id, object->record.sensitivity)) {
        continue;
      }
      page.jobs.push_back({std::move(j), std::move(object).value()});
      if (static_cast<int>(page.jobs.size()) == limit) {
        page.next = cursor;
        return page;
      }
    }
    if (static_cast<int>(batch.size()) < want) return page;  // the oldest job was reached
  }
  page.next = cursor;
  return page;
}

void Api::add_collection_routes(const AddRoute& route) {
  // Objects named by an interview or a document, as the caller may see them: readable ones
  // (organisation and sensitivity, as for a download), the rest only counted.
  struct Shown {
    std::map<std::string, hub::ListedObject> readable;
    int withheld = 0;
  };
  auto show_objects = [this](const accounts::Caller& caller,
                             const std::vector<std::string>& ids) -> Result<Shown> {
    EVHUB_ASSIGN_OR_RETURN(auto all, organisations());
    const auto scopes = read_scopes(caller.user, all);
    Shown shown;
    for (const auto& id : ids) {
      if (id.empty() || shown.readable.count(id)) continue;
      auto o = hub_.describe(id);
      if (o.is_ok() && !o->erased && may_read(scopes, o->organisation_id, o->record.sensitivity)) {
        shown.readable.emplace(id, std::move(o).value());
      } else {
        ++shown.withheld;
      }
    }
    return shown;
  };
  auto objects_of = [](const Interview& iv) {
    std::vector<std::string> ids = iv.recordings;
    ids.push_back(iv.transcript);
    ids.insert(ids.end(), iv.translations.begin(), iv.translations.end());
    return ids;
  };
  // An interview with only the objects the caller may read, and how many were left out.
  auto interview_view = [](Interview iv, const Shown& shown) {
    auto keep = [&](std::vector<std::string>& ids) {
      std::erase_if(ids, [&](const std::string& id) { return !shown.readable.count(id); });
    };
    keep(iv.recordings);
    keep(iv.translations);
    if (!shown.readable.count(iv.transcript)) iv.transcript.clear();
    json j = collection::interview_json(iv);
    j["code"] = iv.code;
    j["withheld"] = shown.withheld;
    return j;
  };
  auto interview_response = [this, show_objects, objects_of, interview_view](
                                int status, const accounts::Caller& caller, const Interview& iv) {
    auto shown = show_objects(caller, objects_of(iv));
    if (!shown.is_ok()) return error_response(500, "internal", "could not read the catalog");
    return json_response(status, interview_view(iv, *shown));
  };
  // The erased have nothing left to list or add to: their records were crypto-shredded.
  auto erased = [](const collection::Witness& w) {
    return error_response(410, "erased", w.code + " was erased on " + w.erased_at);
  };

  // --- Interviews -----------------------------------------------------------------------------

  route("GET", "/api/v1/witnesses/{code}/interviews", Access{true, witness_readers()},
        [this, show_objects, objects_of, interview_view, erased](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), witness_readers());
          if (!r.witness) return r.refusal;
          if (r.witness->erased) return erased(*r.witness);
          auto all = witnesses_->interviews(r.witness->code);
          if (!all.is_ok()) return status_response(all.status(), "reading the interviews");
          json out = json::array();
          for (const auto& iv : *all) {
            auto shown = show_objects(*c.caller, objects_of(iv));
            if (!shown.is_ok())
              return error_response(500, "internal", "could not read the catalog");
            out.push_back(interview_view(iv, *shown));
          }
          return json_response(200, {{"interviews", out}});
        });

  route("POST", "/api/v1/witnesses/{code}/interviews", Access{true, witness_writers()},
        [this, interview_response](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), witness_writers());
          if (!r.witness) return r.refusal;
          auto iv = parse_interview(c.request.body);
          if (!iv.is_ok()) return error_response(400, "bad_request", iv.status().message());
          iv->code = r.witness->code;
          // The register checks that every object is evidence in this witness's own domain.
          auto recorded = witnesses_->record_interview(*iv);
          if (!recorded.is_ok())
            return status_response(recorded.status(), "recording the interview");
          (void)hub_.audit("interview.record", "",
                           {{"witness", recorded->code},
                            {"interview", recorded->id},
                            {"user_id", c.caller->user.id}});
          return interview_response(201, *c.caller, *recorded);
        });

  // An interview with its recordings, transcript and translations, and for each of them what
  // was derived from it (extracted text, machine and human translations).
  route("GET", "/api/v1/interviews/{id}", Access{true, witness_readers()},
        [this, show_objects, objects_of, interview_view](Context& c) {
          const std::string id = c.request.params.at("id");
          auto iv = is_interview_id(id) ? witnesses_->interview(id)
                                        : Result<std::optional<Interview>>(std::nullopt);
          if (!iv.is_ok()) return error_response(500, "internal", "could not read the register");
          if (!*iv) return error_response(404, "not_found", "no such interview");
          auto r = reachable_witness(*c.caller, (*iv)->code, witness_readers());
          if (!r.witness) return r.refusal;
          auto shown = show_objects(*c.caller, objects_of(**iv));
          auto domain = hub_.list((*iv)->code);
          auto all = organisations();
          if (!shown.is_ok() || !domain.is_ok() || !all.is_ok()) {
            return error_response(500, "internal", "could not read the catalog");
          }
          const auto names = usernames();
          json objects = json::array();
          auto add = [&](const std::string& oid, const char* role) {
            auto it = shown->readable.find(oid);
            if (it == shown->readable.end()) return;
            json o = object_json(it->second);
            o["role"] = role;
            o["texts"] = derived_texts(oid, *domain, names);
            objects.push_back(std::move(o));
          };
          for (const auto& oid : (*iv)->recordings) add(oid, "recording");
          add((*iv)->transcript, "transcript");
          for (const auto& oid : (*iv)->translations) add(oid, "translation");
          const std::string& org = r.witness->organisation_id;
          return json_response(
              200, {{"interview", interview_view(**iv, *shown)},
                    {"objects", objects},
                    {"permissions",
                     {{"update", holds_role_in(c.caller->user, witness_writers(), org, *all)},
                      {"translate", holds_role_in(c.caller->user, translators(), org, *all)}}}});
        });

  route("PATCH", "/api/v1/interviews/{id}", Access{true, witness_writers()},
        [this, interview_response](Context& c) {
          const std::string id = c.request.params.at("id");
          auto iv = is_interview_id(id) ? witnesses_->interview(id)
                                        : Result<std::optional<Interview>>(std::nullopt);
          if (!iv.is_ok()) return error_response(500, "internal", "could not read the register");
          if (!*iv) return error_response(404, "not_found", "no such interview");
          auto r = reachable_witness(*c.caller, (*iv)->code, witness_writers());
          if (!r.witness) return r.refusal;
          Interview next = **iv;
          Status st = apply_interview_change(c.request.body, next);
          if (!st.is_ok()) return error_response(400, "bad_request", st.message());
          auto updated = witnesses_->update_interview(next);
          if (!updated.is_ok()) return status_response(updated.status(), "updating the interview");
          (void)hub_.audit("interview.update", "",
                           {{"witness", updated->code},
                            {"interview", updated->id},
                            {"status", updated->status},
                            {"user_id", c.caller->user.id}});
          return interview_response(200, *c.caller, *updated);
        });

  // --- Documents ------------------------------------------------------------------------------

  route("GET", "/api/v1/witnesses/{code}/documents", Access{true, witness_readers()},
        [this, show_objects, erased](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), witness_readers());
          if (!r.witness) return r.refusal;
          if (r.witness->erased) return erased(*r.witness);
          auto docs = witnesses_->documents(r.witness->code);
          if (!docs.is_ok()) return status_response(docs.status(), "reading the documents");
          std::vector<std::string> ids;
          for (const auto& d : *docs) ids.push_back(d.object_id);
          auto shown = show_objects(*c.caller, ids);
          if (!shown.is_ok()) return error_response(500, "internal", "could not read the catalog");
          json out = json::array();
          for (auto& d : *docs) {
            auto it = shown->readable.find(d.object_id);
            if (it != shown->readable.end()) out.push_back(document_json(d, it->second));
            wipe(d.description);
          }
          Response res = json_response(200, {{"documents", out}, {"withheld", shown->withheld}});
          wipe(out);
          return res;
        });

  route("POST", "/api/v1/witnesses/{code}/documents", Access{true, witness_writers()},
        [this](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), witness_writers());
          if (!r.witness) return r.refusal;
          auto d = parse_document(c.request.body, r.witness->code);
          if (!d.is_ok()) return error_response(400, "bad_request", d.status().message());
          auto readable = readable_object(*c.caller, d->object_id);
          if (!readable.object) {
            wipe(d->description);
            return readable.refusal;
          }
          // A medical record is health material: described as one, an object stored as normal
          // would stay open to every analyst (its category is fixed at intake).
          if (d->kind == "medical" && readable.object->record.sensitivity == "normal") {
            wipe(d->description);
            return error_response(409, "sensitivity",
                                  "a medical document must be uploaded as health material; this "
                                  "file was stored as normal");
          }
          // The register checks that the object is evidence in this witness's own domain.
          auto added = witnesses_->add_document(*d);
          if (!added.is_ok()) {
            wipe(d->description);
            return status_response(added.status(), "describing the document");
          }
          (void)hub_.audit("document.add", d->object_id,
                           {{"witness", d->code}, {"user_id", c.caller->user.id}});
          Response res = json_response(201, document_json(*added, *readable.object));
          wipe(d->description);
          return res;
        });

  // A document with the text extracted from it (or read by OCR) and the translations.
  route("GET", "/api/v1/documents/{id}", Access{true, witness_readers()}, [this](Context& c) {
    const std::string id = c.request.params.at("id");
    auto readable = readable_object(*c.caller, id);
    if (!readable.object) return readable.refusal;
    auto r = reachable_witness(*c.caller, readable.object->domain, witness_readers());
    if (!r.witness) {
      // Evidence of a domain that is no witness's is an object, not a witness's document.
      return r.refusal.status == 404 ? error_response(404, "not_found", "no such document")
                                     : r.refusal;
    }
    auto docs = witnesses_->documents(r.witness->code);
    auto domain = hub_.list(r.witness->code);
    auto all = organisations();
    if (!docs.is_ok() || !domain.is_ok() || !all.is_ok()) {
      return error_response(500, "internal", "could not read the document");
    }
    auto d = std::find_if(docs->begin(), docs->end(),
                          [&](const WitnessDocument& x) { return x.object_id == id; });
    if (d == docs->end()) return error_response(404, "not_found", "no such document");
    json out = {{"document", document_json(*d, *readable.object)},
                {"object", object_json(*readable.object)},
                {"texts", derived_texts(id, *domain, usernames())},
                {"permissions",
                 {{"translate", holds_role_in(c.caller->user, translators(),
                                              r.witness->organisation_id, *all)}}}};
    for (auto& x : *docs) wipe(x.description);
    Response res = json_response(200, out);
    wipe(out["document"]);
    return res;
  });

  // --- The contact log ------------------------------------------------------------------------

  route("GET", "/api/v1/witnesses/{code}/contacts", Access{true, contact_log_keepers()},
        [this, erased](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), contact_log_keepers());
          if (!r.witness) return r.refusal;
          if (r.witness->erased) return erased(*r.witness);
          auto all = witnesses_->contacts(r.witness->code);
          if (!all.is_ok()) return status_response(all.status(), "reading the contact log");
          json out = json::array();
          for (auto& x : *all) {
            out.push_back(contact_json(x));
            wipe(x.purpose);
          }
          Response res = json_response(200, {{"contacts", out}});
          wipe(out);
          return res;
        });

  // Warnings before a contact is planned: marked not to be contacted, contacted recently,
  // consent without re-contact. Asked before, and given again when the contact is recorded.
  route("GET", "/api/v1/witnesses/{code}/contact-check", Access{true, contact_log_keepers()},
        [this](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), contact_log_keepers());
          if (!r.witness) return r.refusal;
          const std::string on = c.request.query("on").empty() ? today() : c.request.query("on");
          if (!collection::is_date(on)) {
            return error_response(400, "bad_request", "on must be a date, YYYY-MM-DD");
          }
          auto warnings = witnesses_->check_contact(r.witness->code, on);
          if (!warnings.is_ok()) return status_response(warnings.status(), "the contact check");
          return json_response(200, {{"on", on}, {"warnings", *warnings}});
        });

  route("POST", "/api/v1/witnesses/{code}/contacts", Access{true, contact_log_keepers()},
        [this](Context& c) {
          auto r = reachable_witness(*c.caller, c.request.params.at("code"), contact_log_keepers());
          if (!r.witness) return r.refusal;
          auto contact = parse_contact(c.request.body);
          if (!contact.is_ok())
            return error_response(400, "bad_request", contact.status().message());
          // Warnings do not stop it: the log must hold every contact, wanted or not.
          auto warnings = witnesses_->log_contact(r.witness->code, *contact);
          if (!warnings.is_ok()) {
            wipe(contact->purpose);
            return status_response(warnings.status(), "recording the contact");
          }
          (void)hub_.audit("contact.add", "",
                           {{"witness", r.witness->code},
                            {"planned", contact->planned},
                            {"warnings", warnings->size()},
                            {"user_id", c.caller->user.id}});
          json out = {{"contact", contact_json(*contact)}, {"warnings", *warnings}};
          wipe(contact->purpose);
          Response res = json_response(201, out);
          wipe(out);
          return res;
        });

  // --- Human translations ---------------------------------------------------------------------

  // A person's translation of material they may read, stored like a machine one: a derived
  // object in the source's key domain (so it goes with the witness on erasure), whose provenance
  // says it was made by a person and by whom (user id in the signed put event).
  route("POST", "/api/v1/objects/{id}/translations", Access{true, translators()},
        [this](Context& c) {
          const std::string id = c.request.params.at("id");
          auto readable = readable_object(*c.caller, id);
          if (!readable.object) return readable.refusal;
          auto all = organisations();
          if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
          if (!holds_role_in(c.caller->user, translators(),
                             readable.object->organisation_id.value_or(""), *all)) {
            return error_response(403, "forbidden", "your roles do not allow this");
          }
          using enum FieldType;
          auto in = parse_body(c.request.body, R"(send {"language": "en", "text": …} as JSON)",
                               {{"language", kText}, {"from", kText}, {"text", kText}});
          if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
          const std::string language = in->value("language", "");
          const std::string from = in->value("from", "");
          std::string text = in->value("text", "");
          if (in->contains("text")) wipe((*in)["text"].get_ref<std::string&>());
          if (!is_language(language) || (!from.empty() && !is_language(from))) {
            wipe(text);
            return error_response(400, "bad_request",
                                  "language (and from) must be codes such as be, ru or en");
          }
          if (text.empty() || text.size() > kMaxTranslation || !is_valid_utf8(text)) {
            wipe(text);
            return error_response(400, "bad_request",
                                  "the text must be UTF-8, not empty and at most 8 MiB");
          }
          hub::Intake provenance;
          provenance.tool = "human";
          provenance.tool_parameters = json{
              {"from", from},
              {"to", language},
              {"machine", false},
              {"user_id",
               c.caller->user.id}}.dump();
          provenance.media_type = kTextMediaType;
          auto stored = hub_.put_derived("the translation", std::move(text), id, provenance);
          if (!stored.is_ok()) return status_response(stored.status(), "storing the translation");
          (void)hub_.audit(
              "translation.add", stored->id,
              {{"derived_from", id}, {"language", language}, {"user_id", c.caller->user.id}});
          auto described = hub_.describe(stored->id);
          if (!described.is_ok())
            return error_response(500, "internal", "stored; could not read it");
          return json_response(201, derived_json(*described, usernames()));
        });

  // --- Processing jobs ------------------------------------------------------------------------

  route("GET", "/api/v1/jobs", Access{true, evidence_readers()}, [this](Context& c) {
    const std::string state = c.request.query("state");
    if (!state.empty() && state != "queued" && state != "running" && state != "done" &&
        state != "failed") {
      return error_response(400, "bad_request", "state must be queued, running, done or failed");
    }
    auto number = [](const std::string& t, long long max) -> std::optional<long long> {
      if (!is_small_number(t, 12)) {
        return std::nullopt;
      }
      const long long n = std::stoll(t);
      return n <= max ? std::optional<long long>(n) : std::nullopt;
    };
    const std::string limit_text = c.request.query("limit"),
                      before_text = c.request.query("before");
    const auto limit = limit_text.empty() ? std::optional<long long>(50) : number(limit_text, 200);
    const auto before =
        before_text.empty() ? std::optional<long long>(0) : number(before_text, 999999999999);
    if (!limit || *limit < 1 || !before) {
      return error_response(400, "bad_request", "limit must be 1 to 200 and before a job id");
    }
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    // Looking through at most 2000 jobs per page keeps a page quick when most jobs are other
    // partners'; `next` then lets the caller look further.
    auto page = readable_jobs(read_scopes(c.caller->user, *all), state, *before,
                              static_cast<int>(*limit), 2000);
    if (!page.is_ok()) return error_response(500, "internal", "could not read the jobs");
    json out = json::array();
    for (const auto& [job, object] : page->jobs) {
      json j = job_json(job);
      j["domain"] = object.domain;
      j["max_attempts"] = job.max_attempts;
      j["created_at"] = format_rfc3339(job.created_ms);
      j["updated_at"] = format_rfc3339(job.updated_ms);
      j["retry"] =
          job.state == "failed" &&
          holds_role_in(c.caller->user, job_retriers(), object.organisation_id.value_or(""), *all);
      out.push_back(std::move(j));
    }
    return json_response(200,
                         {{"jobs", out}, {"next", page->next ? json(page->next) : json(nullptr)}});
  });

  route("POST", "/api/v1/jobs/{id}/retry", Access{true, job_retriers()}, [this](Context& c) {
    const std::string id_text = c.request.params.at("id");
    if (!is_small_number(id_text, 12)) {
      return error_response(404, "not_found", "no such job");
    }
    const std::int64_t id = std::stoll(id_text);
    auto job = jobs_->find(id);
    if (!job.is_ok()) return error_response(500, "internal", "could not read the jobs");
    if (!*job) return error_response(404, "not_found", "no such job");
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    auto object = hub_.describe((*job)->object_id);
    if (!object.is_ok() ||
        !may_read(read_scopes(c.caller->user, *all), object->organisation_id,
                  object->record.sensitivity) ||
        !holds_role_in(c.caller->user, job_retriers(), object->organisation_id.value_or(""),
                       *all)) {
      return error_response(403, "forbidden", "your roles do not allow this");
    }
    auto retried = jobs_->retry(id, options_.clock());
    if (!retried.is_ok()) return status_response(retried.status(), "retrying the job");
    (void)hub_.audit(
        "job.retry", retried->object_id,
        {{"job", retried->id}, {"kind", retried->kind}, {"user_id", c.caller->user.id}});
    return json_response(200, job_json(*retried));
  });

  // --- Bulk import ----------------------------------------------------------------------------

  // A manifest and the files it names in one multipart/form-data body (up to the server's
  // 64 MiB): checked whole — every problem with its line and column — and, unless it is a dry
  // run, imported only if there is none, by collection/import.h as `evhub import` does. The
  // files are held in memory, never written to the server's disk in the clear.
  route("POST", "/api/v1/imports", Access{true, importers()}, [this](Context& c) {
    auto parts = parse_multipart(c.request.header("content-type"), c.request.body);
    if (!parts.is_ok()) return error_response(400, "bad_request", parts.status().message());
    std::optional<std::string> manifest;
    auto files = std::make_shared<collection::UploadedFiles>();
    for (const auto& p : *parts) {
      if (p.name == "manifest" && !manifest) {
        manifest = std::string(p.data);
      } else if (p.name == "files" && p.is_file && !p.filename.empty()) {
        if (!files->emplace(p.filename, std::string(p.data)).second) {
          return error_response(400, "bad_request", "two files are named " + p.filename);
        }
      } else if (!(p.name == "files" && p.filename.empty() && p.data.empty())) {
        return error_response(400, "bad_request",
                              "send a part named manifest and the files as parts named files");
      }
    }
    if (!manifest) {
      return error_response(400, "bad_request", "send the manifest as a part named manifest");
    }
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    // Only the organisations where the caller registers witnesses: the manifest may neither
    // name another nor add to another's witnesses (collection/import.h checks both).
    std::map<std::string, std::string> orgs;
    const auto mine = organisations_where(c.caller->user, importers(), *all);
    for (const auto& o : *all) {
      if (std::find(mine.begin(), mine.end(), o.id) != mine.end()) orgs[o.name] = o.id;
    }
    auto m = collection::check_manifest(*manifest, files, *witnesses_, orgs);
    if (!m.is_ok()) return status_response(m.status(), "checking the manifest");
    json problems = json::array();
    for (const auto& p : m->problems) {
      problems.push_back({{"line", p.line}, {"column", p.column}, {"message", p.message}});
    }
    const std::string dry = c.request.query("dry_run");
    json out = {{"dry_run", dry == "1" || dry == "true"},
                {"rows", m->rows.size()},
                {"files", files->size()},
                {"problems", problems},
                {"report", nullptr}};
    if (out["dry_run"]) return json_response(200, out);
    if (!m->problems.empty()) {
      return error_response(422, "manifest",
                            fmt::format("{} problems in the manifest; nothing was imported (send "
                                        "it with dry_run=true to see them)",
                                        m->problems.size()));
    }
    auto report = collection::import_manifest(*m, *witnesses_, hub_, *jobs_, orgs);
    if (!report.is_ok()) {
      return status_response(
          report.status().with_context("the import stopped; send it again to resume"),
          "the import");
    }
    const json counts = {{"witnesses", report->witnesses},
                         {"consents", report->consents},
                         {"interviews", report->interviews},
                         {"documents", report->documents},
                         {"skipped", report->skipped}};
    json details = counts;
    details["user_id"] = c.caller->user.id;
    (void)hub_.audit("import", "", details);
    out["report"] = counts;
    return json_response(201, out);
  });
}

}  // namespace evhub::api
