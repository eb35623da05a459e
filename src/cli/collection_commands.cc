// evhub witness … and evhub consent …: the witness register and informed consent for scripts
// and intake officers at the command line (the web pages come with the collection issue).
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/terminal.h"
#include "collection/collection.h"
#include "collection/import.h"
#include "collection/processing.h"
#include "collection/records_json.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "disclosure/holders.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"

namespace evhub::cli {

using collection::Collection;
using collection::Consent;
using collection::consent_json;
using collection::interview_json;
using collection::Witness;
using nlohmann::json;

namespace {

struct Opened {
  std::unique_ptr<hub::Hub> hub;
  std::unique_ptr<Collection> collection;
};

Result<Opened> open_collection(const Options& o) {
  EVHUB_ASSIGN_OR_RETURN(auto hub, open_hub(o));
  EVHUB_ASSIGN_OR_RETURN(auto c, Collection::open(*hub));
  return Opened{std::move(hub), std::move(c)};
}

// The registered witness `code` (kNotFound if there is none).
Result<Witness> existing_witness(Opened& x, const std::string& code) {
  EVHUB_ASSIGN_OR_RETURN(auto w, x.collection->witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code + " (evhub witness list)");
  return std::move(*w);
}

// --org as a filter: that organisation's id, or every organisation.
Result<std::vector<std::string>> organisation_filter(Opened& x, const Options& o) {
  if (o.organisation.empty()) return std::vector<std::string>();
  EVHUB_ASSIGN_OR_RETURN(std::string id, organisation_id(*x.hub, o.organisation));
  return std::vector<std::string>{id};
}

// The CLI shows a witness with its organisation id, versions and newest consent.
json shown_witness(const Witness& w) {
  json j = collection::witness_json(w);
  j["organisation_id"] = w.organisation_id;
  if (w.erased) return j;
  j["profile_version"] = w.profile_version;
  j["registered_by"] = w.registered_by;
  j["consent"] = w.consent ? consent_json(*w.consent, false) : json(nullptr);
  return j;
}

void print_witness(const Witness& w) {
  if (w.erased) {
    std::cout << fmt::format("{}  ERASED on {} by {} ({}); {} objects crypto-shredded\n", w.code,
                             w.erased_at, w.erased_by, w.erasure_reason, w.erased_objects);
    return;
  }
  std::string langs;
  for (const auto& l : w.profile.languages) langs += (langs.empty() ? "" : ",") + l;
  std::cout << fmt::format("{}  {}  {}  {}  {}  consent: {}{}\n", w.code, w.profile.gender,
                           w.profile.age_band, w.profile.country.empty() ? "-" : w.profile.country,
                           langs.empty() ? "-" : langs,
                           w.consent ? fmt::format("v{}", w.consent->version) : "none",
                           w.profile.do_not_contact ? "  DO NOT CONTACT" : "");
}

Result<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().size() > 65536) return Status(Code::kInvalidArgument, path + " is too large");
  return s.str();
}

Result<collection::PersonalDetails> personal_from_file(const std::string& path) {
  EVHUB_ASSIGN_OR_RETURN(std::string text, read_small_file(path));
  json j = json::parse(text, nullptr, false);
  crypto::wipe(text.data(), text.size());
  if (j.is_discarded() || !j.is_object()) {
    return Status(Code::kInvalidArgument,
                  path +
                      " must be a JSON object with name, contacts, date_of_birth, address, "
                      "notes");
  }
  auto field = [&](const char* k) { return j.value(k, std::string()); };
  return collection::PersonalDetails{field("name"), field("contacts"), field("date_of_birth"),
                                     field("address"), field("notes")};
}

collection::WitnessProfile profile_of(const Options& o) {
  collection::WitnessProfile p;
  p.gender = o.gender;
  p.age_band = o.age_band;
  p.country = o.country;
  p.languages = o.languages;
  p.vulnerabilities = o.vulnerabilities;
  p.do_not_contact = o.do_not_contact;
  return p;
}

int cmd_witness_add(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto org = organisation_id(*x->hub, o.organisation);
  if (!org.is_ok()) return report_failure(o, org.status());
  std::optional<collection::PersonalDetails> personal;
  if (!o.personal_file.empty()) {
    auto p = personal_from_file(o.personal_file);
    if (!p.is_ok()) return report_failure(o, p.status());
    personal = std::move(*p);
  }
  auto w = x->collection->register_witness(o.code, *org, profile_of(o), personal);
  if (!w.is_ok()) return report_failure(o, w.status());
  if (o.json) {
    std::cout << shown_witness(*w).dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
  } else {
    std::cout << "registered witness " << w->code << " in " << o.organisation
              << (personal ? " (personal details sealed in the witness's key domain)" : "") << "\n";
  }
  return 0;
}

int cmd_witness_list(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto orgs = organisation_filter(*x, o);
  if (!orgs.is_ok()) return report_failure(o, orgs.status());
  auto all = x->collection->witnesses(*orgs);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& w : *all) {
    if (o.json) {
      std::cout << shown_witness(w).dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
    } else {
      print_witness(w);
    }
  }
  return 0;
}

int cmd_witness_show(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto w = existing_witness(*x, o.code);
  if (!w.is_ok()) return report_failure(o, w.status());
  json out = shown_witness(*w);
  if (o.show_personal) {
    auto p = x->collection->personal_details(o.code);
    if (!p.is_ok()) return report_failure(o, p.status());
    // Every view of who a witness is goes into the custody log (by code, never the content).
    Status logged = x->hub->audit("witness.personal.view", "", {{"witness", o.code}});
    if (!logged.is_ok()) return report_failure(o, logged);
    out["personal"] = {{"name", p->name},
                       {"contacts", p->contacts},
                       {"date_of_birth", p->date_of_birth},
                       {"address", p->address},
                       {"notes", p->notes}};
  }
  if (o.json) {
    std::cout << out.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
    return 0;
  }
  print_witness(*w);
  if (out.contains("personal")) {
    for (const auto& [k, v] : out["personal"].items()) {
      std::cout << "  " << k << ": " << v.get<std::string>() << "\n";
    }
  }
  return 0;
}

int cmd_witness_erase(const Options& o) {
  if (!o.yes) {
    return report_failure(
        o, Status(Code::kInvalidArgument,
                  "erasing " + o.code + " destroys their key for good; add --yes to confirm"));
  }
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto r = x->collection->erase(o.code, o.reason.empty() ? "erased on request" : o.reason);
  if (!r.is_ok()) return report_failure(o, r.status());
  if (o.json) {
    std::cout << json{{"ok", true}, {"code", o.code}, {"objects", r->objects}}.dump() << "\n";
  } else {
    std::cout << fmt::format(
        "erased witness {}: {} objects can no longer be decrypted; the register keeps a "
        "tombstone\n",
        o.code, r->objects);
  }
  return 0;
}

// The requests whose recipients hold the witness's material (disclosure/holders.h).
Result<std::vector<disclosure::Holder>> withdrawal_holders(hub::Hub& hub,
                                                           const std::string& witness) {
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  return disclosure::holders_of(*packages, *requests, witness);
}

int cmd_consent_add(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  Consent c;
  c.given_on = o.given_on;
  c.taken_by = o.taken_by;
  c.scopes = o.scopes;
  c.conditions = o.conditions;
  c.renew_by = o.renew_by;
  c.withdrawn_on = o.withdrawn_on;
  if (!o.form_file.empty()) {
    auto w = existing_witness(*x, o.code);
    if (!w.is_ok()) return report_failure(o, w.status());
    // The signed form names the witness: it is a record in their domain, not evidence.
    Status st = x->hub->put(
        {o.form_file}, o.code, [&](const hub::StoredObject& s) { c.form_object = s.id; },
        hub::Intake::record_of(w->organisation_id, "consent-form"));
    if (!st.is_ok()) return report_failure(o, st);
  }
  auto added = x->collection->add_consent(o.code, c);
  if (!added.is_ok()) return report_failure(o, added.status());
  // A withdrawal names the recipients who already hold the witness's material.
  std::vector<disclosure::Holder> notify;
  if (!added->withdrawn_on.empty()) {
    auto holders = withdrawal_holders(*x->hub, o.code);
    if (!holders.is_ok()) return report_failure(o, holders.status());
    notify = std::move(*holders);
  }
  if (o.json) {
    json out = consent_json(*added, false);
    if (!added->withdrawn_on.empty()) {
      out["notify"] = json::array();
      for (const auto& h : notify) {
        out["notify"].push_back({{"request", h.request_id},
                                 {"kind", h.requester_kind},
                                 {"body", h.body},
                                 {"reference", h.reference}});
      }
    }
    std::cout << out.dump() << "\n";
  } else {
    std::cout << fmt::format("recorded consent v{} of {}\n", added->version, o.code);
    if (!notify.empty())
      std::cout << "consent withdrawn: notify the recipients who hold the witness's material:\n";
    for (const auto& h : notify) {
      std::cout << fmt::format("  {}  {} ({}){}\n", h.request_id, h.body, h.requester_kind,
                               h.reference.empty() ? "" : ", their reference " + h.reference);
    }
  }
  return 0;
}

int cmd_consent_list(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto all = x->collection->consents(o.code);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& c : *all) {
    if (o.json) {
      std::cout << consent_json(c, true).dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
      continue;
    }
    std::string scopes;
    for (const auto& s : c.scopes) scopes += (scopes.empty() ? "" : ",") + s;
    std::cout << fmt::format("v{}  given {} by {}  scopes {}{}{}\n", c.version, c.given_on,
                             c.taken_by, scopes.empty() ? "-" : scopes,
                             c.renew_by.empty() ? "" : "  renew by " + c.renew_by,
                             c.withdrawn_on.empty() ? "" : "  WITHDRAWN " + c.withdrawn_on);
    if (!c.conditions.empty()) std::cout << "    conditions: " << c.conditions << "\n";
  }
  return 0;
}

Result<std::pair<collection::Purpose, collection::Recipient>> purpose_of(const Options& o) {
  auto purpose = collection::parse_purpose(o.purpose);
  if (!purpose) {
    return Status(Code::kInvalidArgument,
                  "purpose must be internal-analysis, sharing, recontact or identity-disclosure");
  }
  auto recipient = collection::parse_recipient(o.recipient);
  if (!recipient) {
    return Status(Code::kInvalidArgument,
                  "recipient must be un, icc, national-prosecutor, lawyer, ngo or osce");
  }
  return std::pair{*purpose, *recipient};
}

int cmd_consent_check(const Options& o) {
  auto p = purpose_of(o);
  if (!p.is_ok()) return report_failure(o, p.status());
  if (!o.today.empty() && !collection::is_date(o.today)) {
    return report_failure(o, Status(Code::kInvalidArgument, "--today must be YYYY-MM-DD"));
  }
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto d = x->collection->allows(o.code, p->first, p->second, o.today);
  if (!d.is_ok()) return report_failure(o, d.status());
  if (o.json) {
    std::cout << json{{"allowed", d->allowed}, {"reason", d->reason}}.dump() << "\n";
  } else {
    std::cout << (d->allowed ? "allowed: " : "refused: ") << d->reason << "\n";
  }
  return d->allowed ? 0 : exit_code_for(Code::kFailedPrecondition);
}

int cmd_consent_gaps(const Options& o) {
  auto p = purpose_of(o);
  if (!p.is_ok()) return report_failure(o, p.status());
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto orgs = organisation_filter(*x, o);
  if (!orgs.is_ok()) return report_failure(o, orgs.status());
  auto gaps = x->collection->consent_gaps(*orgs, p->first, p->second, o.today, o.within_days);
  if (!gaps.is_ok()) return report_failure(o, gaps.status());
  for (const auto& g : *gaps) {
    if (o.json) {
      std::cout << json{{"code", g.code}, {"problem", g.problem}, {"reason", g.reason}}.dump()
                << "\n";
    } else {
      std::cout << fmt::format("{}  {:<10}  {}\n", g.code, g.problem, g.reason);
    }
  }
  return 0;
}

void print_warnings(const Options& o, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "evhub: warning: " << w << "\n";
  if (o.json)
    std::cout << json{{"warnings", warnings}}.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
}

int cmd_contact_add(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  collection::Contact c{o.given_on, o.taken_by, o.channel, o.conditions, o.planned};
  auto warnings = x->collection->log_contact(o.code, c);
  if (!warnings.is_ok()) return report_failure(o, warnings.status());
  print_warnings(o, *warnings);
  if (!o.json) {
    std::cout << fmt::format("{} contact with {} on {} recorded\n", o.planned ? "planned" : "the",
                             o.code, o.given_on);
  }
  return 0;
}

int cmd_contact_check(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto warnings = x->collection->check_contact(o.code, o.given_on);
  if (!warnings.is_ok()) return report_failure(o, warnings.status());
  print_warnings(o, *warnings);
  if (!o.json && warnings->empty()) std::cout << "no warnings for contacting " << o.code << "\n";
  return warnings->empty() ? 0 : exit_code_for(Code::kFailedPrecondition);
}

int cmd_contact_list(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto all = x->collection->contacts(o.code);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& c : *all) {
    if (o.json) {
      std::cout << json{{"on", c.on},
                        {"by", c.by},
                        {"channel", c.channel},
                        {"planned", c.planned},
                        {"purpose", c.purpose}}
                       .dump(-1, ' ', false, kReplaceBadUtf8)
                << "\n";
    } else {
      std::cout << fmt::format("{}  {:<20} {:<19} {}{}\n", c.on, c.by, c.channel,
                               c.planned ? "(planned) " : "", c.purpose);
    }
  }
  return 0;
}

// Stores files as evidence in the witness's domain (queued for processing) and returns their ids.
Result<std::vector<std::string>> store_files(Opened& x, const Witness& w,
                                             const std::vector<std::string>& files,
                                             const std::string& sensitivity) {
  if (files.empty()) return std::vector<std::string>();
  EVHUB_ASSIGN_OR_RETURN(auto queue, jobs::JobQueue::open(x.hub->layout().jobs()));
  return collection::store_for_processing(*x.hub, *queue, files, w.code,
                                          hub::Intake::evidence(w.organisation_id, sensitivity));
}

int cmd_interview_add(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto w = existing_witness(*x, o.code);
  if (!w.is_ok()) return report_failure(o, w.status());
  collection::Interview iv;
  iv.code = o.code;
  iv.on = o.given_on;
  iv.place = o.place;
  iv.remote = o.remote;
  iv.interviewer = o.taken_by;
  iv.languages = o.languages;
  auto recordings = store_files(*x, *w, o.files, o.sensitivity);
  if (!recordings.is_ok()) return report_failure(o, recordings.status());
  iv.recordings = *recordings;
  if (!o.transcript_file.empty()) {
    auto t = store_files(*x, *w, {o.transcript_file}, o.sensitivity);
    if (!t.is_ok()) return report_failure(o, t.status());
    iv.transcript = t->front();
    iv.status = "transcribed";
  }
  auto recorded = x->collection->record_interview(iv);
  if (!recorded.is_ok()) return report_failure(o, recorded.status());
  std::cout << (o.json ? interview_json(*recorded).dump()
                       : "recorded interview " + recorded->id + " of " + o.code)
            << "\n";
  return 0;
}

int cmd_interview_update(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto w = existing_witness(*x, o.code);
  if (!w.is_ok()) return report_failure(o, w.status());
  auto all = x->collection->interviews(o.code);
  if (!all.is_ok()) return report_failure(o, all.status());
  auto it = std::find_if(all->begin(), all->end(),
                         [&](const collection::Interview& i) { return i.id == o.id; });
  if (it == all->end()) {
    return report_failure(o, Status(Code::kNotFound, "no interview " + o.id + " of " + o.code));
  }
  collection::Interview iv = *it;
  if (!o.interview_status.empty()) iv.status = o.interview_status;
  if (!o.transcript_file.empty()) {
    auto t = store_files(*x, *w, {o.transcript_file}, o.sensitivity);
    if (!t.is_ok()) return report_failure(o, t.status());
    iv.transcript = t->front();
  }
  auto translations = store_files(*x, *w, o.files, o.sensitivity);
  if (!translations.is_ok()) return report_failure(o, translations.status());
  iv.translations.insert(iv.translations.end(), translations->begin(), translations->end());
  auto updated = x->collection->update_interview(iv);
  if (!updated.is_ok()) return report_failure(o, updated.status());
  std::cout << (o.json ? interview_json(*updated).dump()
                       : "interview " + updated->id + " is " + updated->status)
            << "\n";
  return 0;
}

int cmd_interview_list(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto all = x->collection->interviews(o.code);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& iv : *all) {
    std::cout << (o.json ? interview_json(iv).dump(-1, ' ', false, kReplaceBadUtf8)
                         : fmt::format("{}  {}  {:<12} {:<20} {} recording(s){}", iv.id, iv.on,
                                       iv.status, iv.remote ? "(remote)" : iv.place,
                                       iv.recordings.size(),
                                       iv.transcript.empty() ? "" : ", transcript"))
              << "\n";
  }
  return 0;
}

int cmd_document_add(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto w = existing_witness(*x, o.code);
  if (!w.is_ok()) return report_failure(o, w.status());
  // Medical records are health material unless said otherwise.
  const std::string sensitivity =
      o.sensitivity == "normal" && o.document_kind == "medical" ? "health" : o.sensitivity;
  auto ids = store_files(*x, *w, o.files, sensitivity);
  if (!ids.is_ok()) return report_failure(o, ids.status());
  for (const auto& id : *ids) {
    collection::WitnessDocument d{id,         o.code,       o.document_kind, o.given_on,
                                  o.language, o.conditions, o.interview_id};
    auto added = x->collection->add_document(d);
    if (!added.is_ok()) return report_failure(o, added.status());
    std::cout
        << (o.json ? json{{"object_id", id}, {"kind", d.kind}, {"sensitivity", sensitivity}}.dump()
                   : fmt::format("{}  {} document of {} ({})", id, d.kind, o.code, sensitivity))
        << "\n";
  }
  return 0;
}

int cmd_document_list(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto all = x->collection->documents(o.code);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& d : *all) {
    std::cout << (o.json ? json{{"object_id", d.object_id},
                                {"kind", d.kind},
                                {"date", d.date},
                                {"language", d.language},
                                {"description", d.description},
                                {"interview_id", d.interview_id}}
                               .dump(-1, ' ', false, kReplaceBadUtf8)
                         : fmt::format("{}  {:<8} {:<10} {:<3} {}", d.object_id, d.kind,
                                       d.date.empty() ? "-" : d.date,
                                       d.language.empty() ? "-" : d.language, d.description))
              << "\n";
  }
  return 0;
}

int cmd_import(const Options& o) {
  auto x = open_collection(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto accounts = accounts::Accounts::open(x->hub->layout().accounts());
  if (!accounts.is_ok()) return report_failure(o, accounts.status());
  auto orgs = (*accounts)->organisations();
  if (!orgs.is_ok()) return report_failure(o, orgs.status());
  std::map<std::string, std::string> by_name;
  for (const auto& org : *orgs) by_name[org.name] = org.id;
  auto manifest = collection::read_manifest(o.manifest, *x->collection, by_name);
  if (!manifest.is_ok()) return report_failure(o, manifest.status());
  if (!manifest->problems.empty()) {
    // Every problem, as compilers print them, so an editor can jump to each.
    for (const auto& p : manifest->problems) {
      std::cerr << fmt::format("{}:{}:{}: {}\n", o.manifest, p.line, p.column, p.message);
    }
    return report_failure(o, Status(Code::kInvalidArgument,
                                    fmt::format("{} problems in the manifest; nothing was imported",
                                                manifest->problems.size())));
  }
  if (o.dry_run) {
    std::cout << fmt::format("{} rows checked; no problems\n", manifest->rows.size());
    return 0;
  }
  auto queue = jobs::JobQueue::open(x->hub->layout().jobs());
  if (!queue.is_ok()) return report_failure(o, queue.status());
  Progress progress(!o.json && stderr_is_terminal(), manifest->rows.size(), "imported");
  auto report = collection::import_manifest(*manifest, *x->collection, *x->hub, **queue, by_name,
                                            [&](int, int) { progress.advance(0); });
  progress.clear();
  if (!report.is_ok()) {
    return report_failure(o, report.status().with_context(
                                 "the import stopped; run it again to resume where it stopped"));
  }
  const json out = {{"witnesses", report->witnesses},
                    {"consents", report->consents},
                    {"interviews", report->interviews},
                    {"documents", report->documents},
                    {"skipped", report->skipped}};
  if (o.json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << fmt::format(
        "imported {} witnesses, {} consents, {} interviews, {} documents; {} rows were already "
        "in the hub\n",
        report->witnesses, report->consents, report->interviews, report->documents,
        report->skipped);
  }
  return 0;
}

}  // namespace

void register_collection_commands(CLI::App& app, Options& o) {
  auto* witness = app.add_subcommand("witness", "the witness register (pseudonymous codes)");
  witness->require_subcommand(1);
  witness->fallthrough();
  auto* add = witness->add_subcommand("add", "register a witness under a pseudonymous code");
  add->add_option("code", o.code, "the witness's code, e.g. W-00123 (never a name)")->required();
  add->add_option("--org", o.organisation, "the partner organisation in whose care they are")
      ->required();
  add->add_option("--gender", o.gender, "female, male, non-binary or undisclosed (default)");
  add->add_option("--age-band", o.age_band,
                  "under-18, 18-29, 30-44, 45-59, 60-plus or unknown (default)");
  add->add_option("--country", o.country, "country of residence, ISO 3166 (BY, LT, PL…)");
  add->add_option("--language", o.languages, "a language they speak (be, ru, en…); repeatable");
  add->add_option("--vulnerability", o.vulnerabilities,
                  "minor, health-condition, disability, sgbv-survivor, relative-detained, "
                  "at-risk-in-country or displaced; repeatable");
  add->add_flag("--do-not-contact", o.do_not_contact, "the witness must not be contacted");
  add->add_option("--personal-file", o.personal_file,
                  "JSON file with name, contacts, date_of_birth, address, notes: sealed in the "
                  "witness's key domain, never in the register or the log");
  auto* list = witness->add_subcommand("list", "list witnesses (and tombstones of erased ones)");
  list->add_option("--org", o.organisation, "only this organisation's");
  auto* show = witness->add_subcommand("show", "a witness's profile and newest consent");
  show->add_option("code", o.code, "the witness's code")->required();
  show->add_flag("--personal", o.show_personal,
                 "also decrypt their personal details (the view is logged)");
  auto* erase =
      witness->add_subcommand("erase", "crypto-shred everything of a witness, leaving a tombstone");
  erase->add_option("code", o.code, "the witness's code")->required();
  erase->add_flag("--yes", o.yes, "confirm: this cannot be undone");
  erase->add_option("--reason", o.reason, "why (kept in the tombstone and the log)");

  auto* contact = app.add_subcommand(
      "contact", "the contact log: every contact with a witness, so none is contacted too often");
  contact->require_subcommand(1);
  contact->fallthrough();
  auto* tadd = contact->add_subcommand("add", "record a contact made or planned (and warn)");
  tadd->add_option("code", o.code, "the witness's code")->required();
  tadd->add_option("--on", o.given_on, "YYYY-MM-DD")->required();
  tadd->add_option("--by", o.taken_by, "who made or will make it")->required();
  tadd->add_option("--channel", o.channel,
                   "in-person, phone, video, messenger, email or through-third-party")
      ->required();
  tadd->add_option("--purpose", o.conditions, "why (kept encrypted)");
  tadd->add_flag("--planned", o.planned, "a contact still to be made");
  auto* tcheck = contact->add_subcommand(
      "check", "warnings before contacting a witness; exit 0 if none, 11 if any");
  tcheck->add_option("code", o.code, "the witness's code")->required();
  tcheck->add_option("--on", o.given_on, "the planned date (default: today)");
  auto* tlist = contact->add_subcommand("list", "every contact with a witness");
  tlist->add_option("code", o.code, "the witness's code")->required();

  auto* interview = app.add_subcommand("interview", "interviews with witnesses");
  interview->require_subcommand(1);
  interview->fallthrough();
  auto* iadd = interview->add_subcommand("add", "record an interview and store its recordings");
  iadd->add_option("code", o.code, "the witness's code")->required();
  iadd->add_option("--on", o.given_on, "YYYY-MM-DD")->required();
  iadd->add_option("--interviewer", o.taken_by, "who interviewed")->required();
  iadd->add_option("--place", o.place, "where (or --remote)");
  iadd->add_flag("--remote", o.remote, "held remotely");
  iadd->add_option("--language", o.languages, "a language spoken (be, ru, en…); repeatable");
  iadd->add_option("--recording", o.files, "a recording to store; repeatable");
  iadd->add_option("--transcript", o.transcript_file, "the transcript to store");
  iadd->add_option("--sensitivity", o.sensitivity, "normal, health or sexual-violence")
      ->check(CLI::IsMember({"normal", "health", "sexual-violence"}));
  auto* iup = interview->add_subcommand("update", "move an interview on, add its files");
  iup->add_option("code", o.code, "the witness's code")->required();
  iup->add_option("id", o.id, "the interview (iv-…)")->required();
  iup->add_option("--status", o.interview_status,
                  "recorded, transcribed, translated, coded or summarised (forward only)");
  iup->add_option("--transcript", o.transcript_file, "the transcript to store");
  iup->add_option("--translation", o.files, "a translation to store; repeatable");
  iup->add_option("--sensitivity", o.sensitivity, "of the stored files")
      ->check(CLI::IsMember({"normal", "health", "sexual-violence"}));
  auto* ilist = interview->add_subcommand("list", "a witness's interviews");
  ilist->add_option("code", o.code, "the witness's code")->required();

  auto* document = app.add_subcommand("document", "documents witnesses handed over");
  document->require_subcommand(1);
  document->fallthrough();
  auto* dadd = document->add_subcommand("add", "store and describe documents of a witness");
  dadd->add_option("code", o.code, "the witness's code")->required();
  dadd->add_option("files", o.files, "the files")->required();
  dadd->add_option("--kind", o.document_kind,
                   "medical, court, official, photo, video, audio or other")
      ->required();
  dadd->add_option("--date", o.given_on, "the document's date, YYYY-MM-DD");
  dadd->add_option("--language", o.language, "its language (be, ru, en…)");
  dadd->add_option("--description", o.conditions, "what it is (kept encrypted)");
  dadd->add_option("--interview", o.interview_id, "the interview it came with (iv-…)");
  dadd->add_option("--sensitivity", o.sensitivity,
                   "normal, health or sexual-violence (medical records: health)")
      ->check(CLI::IsMember({"normal", "health", "sexual-violence"}));
  auto* dlist = document->add_subcommand("list", "a witness's documents");
  dlist->add_option("code", o.code, "the witness's code")->required();

  auto* import = app.add_subcommand("import", "bulk import");
  import->require_subcommand(1);
  import->fallthrough();
  auto* closed = import->add_subcommand(
      "closed-source",
      "witnesses, consent, interviews and documents from a CSV manifest and a folder of files "
      "(see src/collection/import.h); all checked first, imported all or nothing, resumable");
  closed->add_option("manifest", o.manifest, "the manifest (CSV); files are beside it")->required();
  closed->add_flag("--dry-run", o.dry_run, "check the manifest only");

  auto* consent = app.add_subcommand("consent", "witnesses' informed consent");
  consent->require_subcommand(1);
  consent->fallthrough();
  auto* cadd = consent->add_subcommand("add", "record a new consent version");
  cadd->add_option("code", o.code, "the witness's code")->required();
  cadd->add_option("--given-on", o.given_on, "YYYY-MM-DD")->required();
  cadd->add_option("--taken-by", o.taken_by, "who took it")->required();
  cadd->add_option("--scope", o.scopes,
                   "internal-analysis, share-un, share-icc, share-national-prosecutor, "
                   "share-lawyer, share-ngo, share-osce, recontact, identity-disclosure; "
                   "repeatable");
  cadd->add_option("--conditions", o.conditions, "conditions in the witness's words (encrypted)");
  cadd->add_option("--renew-by", o.renew_by, "YYYY-MM-DD");
  cadd->add_option("--withdrawn-on", o.withdrawn_on, "YYYY-MM-DD: a withdrawal");
  cadd->add_option("--form", o.form_file, "the signed form (stored encrypted with the record)");
  auto* clist = consent->add_subcommand("list", "every consent version of a witness");
  clist->add_option("code", o.code, "the witness's code")->required();
  auto* check = consent->add_subcommand(
      "check", "does consent allow PURPOSE? exit 0 if so, 11 (with the reason) if not");
  check->add_option("code", o.code, "the witness's code")->required();
  check
      ->add_option("purpose", o.purpose,
                   "internal-analysis, sharing, recontact or identity-disclosure")
      ->required();
  check->add_option("--recipient", o.recipient,
                    "un, icc, national-prosecutor, lawyer, ngo or osce");
  check->add_option("--today", o.today, "decide as of this date (default: today, UTC)");
  auto* gaps = consent->add_subcommand(
      "gaps", "witnesses whose consent is missing, withdrawn, expired, too narrow or expiring");
  gaps->add_option("purpose", o.purpose, "as for check")->required();
  gaps->add_option("--recipient", o.recipient, "as for check");
  gaps->add_option("--org", o.organisation, "only this organisation's witnesses");
  gaps->add_option("--within", o.within_days, "days ahead to warn of renewals (default 30)");
  gaps->add_option("--today", o.today, "as of this date (default: today, UTC)");
}

int run_collection_command(CLI::App& app, Options& o) {
  if (auto* w = app.get_subcommand("witness"); w->parsed()) {
    if (w->got_subcommand("add")) return cmd_witness_add(o);
    if (w->got_subcommand("list")) return cmd_witness_list(o);
    if (w->got_subcommand("show")) return cmd_witness_show(o);
    return cmd_witness_erase(o);
  }
  if (app.get_subcommand("import")->parsed()) return cmd_import(o);
  if (auto* i = app.get_subcommand("interview"); i->parsed()) {
    if (i->got_subcommand("add")) return cmd_interview_add(o);
    if (i->got_subcommand("update")) return cmd_interview_update(o);
    return cmd_interview_list(o);
  }
  if (auto* d = app.get_subcommand("document"); d->parsed()) {
    if (d->got_subcommand("add")) return cmd_document_add(o);
    return cmd_document_list(o);
  }
  if (auto* t = app.get_subcommand("contact"); t->parsed()) {
    if (t->got_subcommand("add")) return cmd_contact_add(o);
    if (t->got_subcommand("check")) return cmd_contact_check(o);
    return cmd_contact_list(o);
  }
  auto* c = app.get_subcommand("consent");
  if (c->got_subcommand("add")) return cmd_consent_add(o);
  if (c->got_subcommand("list")) return cmd_consent_list(o);
  if (c->got_subcommand("check")) return cmd_consent_check(o);
  return cmd_consent_gaps(o);
}

}  // namespace evhub::cli
