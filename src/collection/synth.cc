#include "collection/synth.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <fmt/format.h>

#include "collection/processing.h"
#include "collection/synth_internal.h"

namespace evhub::collection {

namespace {

using synth::Composed;
using synth::Lang;
using synth::Rng;

namespace fs = std::filesystem;

// Streams of random numbers, one per purpose, so that each part of a witness is drawn alone.
enum Purpose : std::uint64_t { kProfile = 1, kStory, kConsent, kContacts, kInterviews, kDocs };

// A private folder for the files being stored, removed with its contents at the end.
class ScratchDir {
 public:
  static Result<ScratchDir> create(const std::string& under) {
    std::string base = under;
    if (base.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp && *tmp ? tmp : "/tmp";
    }
    std::string pattern = base + "/evhub-synth-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status(Code::kIoError, "cannot create a scratch folder in " + base);
    }
    return ScratchDir(pattern);
  }
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Status write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status(Code::kIoError, "cannot write " + path);
  return Status::ok();
}

Lang pick_language(Rng& rng) {
  const double u = rng.unit();
  return u < 0.35 ? Lang::kBe : u < 0.8 ? Lang::kRu : Lang::kEn;
}

// A file made for a witness, waiting to be stored.
struct Pending {
  std::string path;
  std::string sensitivity;
  Composed composed;
  std::string media;
  std::string kind;  // document kind, or "" for a transcript
  std::string date;
  int interview = -1;  // index of the interview it came with
  std::string id;      // once stored
};

// Everything one witness gets; `number` is the number in their code.
class WitnessMaker {
 public:
  WitnessMaker(const SynthOptions& o, int number, int today)
      : o_(o), number_(number), today_(today), code_(fmt::format("W-{:05}", number)) {}

  Status make(Collection& collection, hub::Hub& hub, jobs::JobQueue& queue,
              const std::string& scratch, SynthReport& report,
              const std::function<void(const GroundTruth&)>& on_text) {
    Rng profile_rng = synth::rng_for(o_.seed, number_, kProfile);
    Rng story_rng = synth::rng_for(o_.seed, number_, kStory);
    const synth::Story story = synth::make_story(story_rng);
    synth::Person person;
    person.female = profile_rng.chance(0.5);
    person.given = profile_rng.below(
        static_cast<int>((person.female ? synth_female_names() : synth_male_names()).size()));
    person.surname = profile_rng.below(static_cast<int>(synth_surnames().size()));
    const Lang lang = pick_language(profile_rng);

    WitnessProfile profile;
    const double g = profile_rng.unit();
    profile.gender = g < 0.03 ? "undisclosed" : person.female ? "female" : "male";
    const int born = profile_rng.between(1955, 2004);
    const int age = std::stoi(synth::iso_date(today_).substr(0, 4)) - born;
    profile.age_band = age < 30 ? "18-29" : age < 45 ? "30-44" : age < 60 ? "45-59" : "60-plus";
    const std::string country = synth::story_country(story);
    profile.country = country.empty() ? "BY" : country;
    profile.languages = {synth::lang_code(lang)};
    if (lang != Lang::kRu && profile_rng.chance(0.7)) profile.languages.push_back("ru");
    if (lang != Lang::kEn && profile_rng.chance(0.3)) profile.languages.push_back("en");
    static const std::vector<std::string> kVulnerable = {
        "health-condition", "disability", "relative-detained", "at-risk-in-country", "displaced"};
    if (profile_rng.chance(0.3)) profile.vulnerabilities.push_back(profile_rng.pick(kVulnerable));
    if (!country.empty() &&
        std::find(profile.vulnerabilities.begin(), profile.vulnerabilities.end(), "displaced") ==
            profile.vulnerabilities.end() &&
        profile_rng.chance(0.5)) {
      profile.vulnerabilities.push_back("displaced");
    }
    profile.do_not_contact = profile_rng.chance(0.03);

    PersonalDetails personal;
    personal.name = person.name(lang);
    personal.contacts = fmt::format("synthetic-{}@example.org", code_);
    personal.date_of_birth =
        fmt::format("{}-{:02}-{:02}", born, profile_rng.between(1, 12), profile_rng.between(1, 28));
    personal.address = "synthetic address, " + (country.empty() ? std::string("BY") : country);
    personal.notes =
        fmt::format("FICTIONAL person made by evhub synth (seed {}); not a real witness.", o_.seed);
    auto registered = collection.register_witness(code_, o_.organisation_id, profile, personal);
    EVHUB_RETURN_IF_ERROR(registered.status());
    ++report.witnesses;

    // Interviews: dates after the events, in order.
    Rng iv_rng = synth::rng_for(o_.seed, number_, kInterviews);
    std::vector<int> iv_days;
    for (int i = 0; i < o_.interviews_per_witness; ++i) {
      iv_days.push_back(
          iv_rng.between(synth::day_number("2022-01-10"), synth::day_number("2024-12-20")));
    }
    std::sort(iv_days.begin(), iv_days.end());
    const int first_contact = iv_days.empty() ? story.arrest_day + 200 : iv_days.front();

    EVHUB_RETURN_IF_ERROR(add_consents(collection, first_contact, report));
    EVHUB_RETURN_IF_ERROR(add_contacts(collection, first_contact, report));

    std::vector<Pending> files;
    static const std::vector<std::string> kPlaces = {"Vilnius", "Warsaw", "Tbilisi", "Berlin",
                                                     "Bialystok"};
    std::vector<Interview> interviews;
    for (std::size_t i = 0; i < iv_days.size(); ++i) {
      Interview iv;
      iv.code = code_;
      iv.on = synth::iso_date(iv_days[i]);
      iv.remote = iv_rng.chance(0.3);
      iv.place = iv.remote ? "" : iv_rng.pick(kPlaces);
      iv.interviewer = fmt::format("staff-{:02}", iv_rng.between(1, 12));
      const Lang iv_lang = iv_rng.chance(0.8) ? lang : pick_language(iv_rng);
      iv.languages = {synth::lang_code(iv_lang)};
      iv.status = "transcribed";
      Pending p;
      p.composed = synth::make_transcript(iv_rng, iv_lang, story, code_, iv.on, iv.interviewer);
      p.path = fmt::format("{}/{}-t{}.txt", scratch, code_, i + 1);
      p.media = "text";
      p.sensitivity = "normal";
      p.interview = static_cast<int>(i);
      EVHUB_RETURN_IF_ERROR(write_file(p.path, p.composed.text() + "\n"));
      files.push_back(std::move(p));
      interviews.push_back(std::move(iv));
    }

    Rng doc_rng = synth::rng_for(o_.seed, number_, kDocs);
    static const std::vector<std::string> kKinds = {"court",   "court",   "official", "official",
                                                    "medical", "medical", "other",    "other",
                                                    "other",   "court"};
    for (int d = 0; d < o_.documents_per_witness; ++d) {
      Pending p;
      p.kind = doc_rng.pick(kKinds);
      const bool scan = doc_rng.chance(o_.scans);
      const Lang d_lang = doc_rng.chance(0.7) ? lang : pick_language(doc_rng);
      p.composed = synth::make_document(doc_rng, d_lang, story, person, p.kind, scan);
      p.date = p.kind == "other" ? "" : p.composed.truth.date;
      p.sensitivity = p.kind == "medical" ? "health" : "normal";
      p.interview = !interviews.empty() && doc_rng.chance(0.3)
                        ? doc_rng.below(static_cast<int>(interviews.size()))
                        : -1;
      std::string bytes = synth::make_pdf(p.composed.title, p.composed.lines, scan);
      p.media = "pdf";
      if (scan) {
        const bool tiff = doc_rng.chance(0.4);
        EVHUB_ASSIGN_OR_RETURN(bytes, synth::make_scan(bytes, doc_rng, tiff));
        p.media = tiff ? "tiff" : "png";
        ++report.scans;
      }
      p.path =
          fmt::format("{}/{}-d{}.{}", scratch, code_, d + 1, p.media == "tiff" ? "tif" : p.media);
      EVHUB_RETURN_IF_ERROR(write_file(p.path, bytes));
      files.push_back(std::move(p));
    }

    // One put (one signed batch) per sensitivity, as an intake officer's upload would be.
    for (const char* sensitivity : {"normal", "health"}) {
      std::vector<Pending*> batch;
      std::vector<std::string> paths;
      for (auto& f : files) {
        if (f.sensitivity != sensitivity) continue;
        batch.push_back(&f);
        paths.push_back(f.path);
      }
      EVHUB_ASSIGN_OR_RETURN(
          auto ids, store_for_processing(hub, queue, paths, code_,
                                         hub::Intake::evidence(o_.organisation_id, sensitivity)));
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i]->id = ids[i];
        report.bytes += fs::file_size(batch[i]->path);
        ++report.objects;
      }
    }

    for (auto& f : files) {
      if (!f.kind.empty()) continue;
      Interview& iv = interviews[static_cast<std::size_t>(f.interview)];
      iv.transcript = f.id;
      EVHUB_ASSIGN_OR_RETURN(iv, collection.record_interview(iv));
      ++report.interviews;
    }
    for (auto& f : files) {
      if (f.kind.empty()) continue;
      WitnessDocument d;
      d.object_id = f.id;
      d.code = code_;
      d.kind = f.kind;
      d.date = f.date;
      d.language = f.composed.truth.language;
      d.description = fmt::format("synthetic {} document ({})", f.kind, f.media);
      if (f.interview >= 0) d.interview_id = interviews[static_cast<std::size_t>(f.interview)].id;
      EVHUB_RETURN_IF_ERROR(collection.add_document(d).status());
      ++report.documents;
    }
    for (auto& f : files) {
      std::error_code ec;
      fs::remove(f.path, ec);
      if (!on_text) continue;
      GroundTruth truth = std::move(f.composed.truth);
      truth.object_id = f.id;
      truth.witness = code_;
      truth.media = f.media;
      on_text(truth);
    }
    return Status::ok();
  }

 private:
  // Varied consent: most valid for a year or two, some expired, due for renewal, renewed with
  // more scopes, or withdrawn.
  Status add_consents(Collection& collection, int given, SynthReport& report) {
    Rng rng = synth::rng_for(o_.seed, number_, kConsent);
    Consent c;
    c.given_on = synth::iso_date(given);
    c.taken_by = fmt::format("staff-{:02}", rng.between(1, 12));
    c.scopes = {"internal-analysis"};
    for (const char* s :
         {"share-un", "share-icc", "share-national-prosecutor", "share-lawyer", "share-ngo"}) {
      if (rng.chance(0.5)) c.scopes.push_back(s);
    }
    if (rng.chance(0.8)) c.scopes.push_back("recontact");
    if (rng.chance(0.15)) c.scopes.push_back("identity-disclosure");
    const double u = rng.unit();
    if (u < 0.10) {  // expired
      c.renew_by = synth::iso_date(std::max(given + 1, today_ - rng.between(1, 300)));
    } else if (u < 0.20) {  // due within 30 days
      c.renew_by = synth::iso_date(today_ + rng.between(1, 30));
    } else if (u < 0.95) {
      c.renew_by = synth::iso_date(today_ + rng.between(60, 720));
    }
    if (rng.chance(0.2)) c.conditions = "no publication of the testimony in the media";
    EVHUB_RETURN_IF_ERROR(collection.add_consent(code_, c).status());
    ++report.consents;
    const double next = rng.unit();
    if (next < 0.05) {
      c.withdrawn_on = synth::iso_date(rng.between(given + 1, today_ - 1));
      c.given_on = c.withdrawn_on;
      c.renew_by.clear();
    } else if (next < 0.15) {
      c.given_on = synth::iso_date(rng.between(given + 1, today_ - 1));
      c.renew_by = synth::iso_date(today_ + rng.between(180, 720));
      if (std::find(c.scopes.begin(), c.scopes.end(), "share-icc") == c.scopes.end()) {
        c.scopes.push_back("share-icc");
      }
    } else {
      return Status::ok();
    }
    EVHUB_RETURN_IF_ERROR(collection.add_consent(code_, c).status());
    ++report.consents;
    return Status::ok();
  }

  // The first meeting, a follow-up or two, sometimes one planned ahead.
  Status add_contacts(Collection& collection, int first, SynthReport& report) {
    Rng rng = synth::rng_for(o_.seed, number_, kContacts);
    std::vector<Contact> contacts;
    contacts.push_back({synth::iso_date(first), fmt::format("staff-{:02}", rng.between(1, 12)),
                        rng.chance(0.7) ? "in-person" : "video", "first interview", false});
    const int follow_ups = rng.between(0, 2);
    for (int i = 0; i < follow_ups; ++i) {
      contacts.push_back(
          {synth::iso_date(rng.between(std::min(first + 30, today_ - 1), today_ - 1)),
           fmt::format("staff-{:02}", rng.between(1, 12)), rng.chance(0.5) ? "messenger" : "phone",
           "follow-up about documents", false});
    }
    if (rng.chance(0.2)) {
      contacts.push_back({synth::iso_date(today_ + rng.between(7, 60)),
                          fmt::format("staff-{:02}", rng.between(1, 12)), "video",
                          "consent renewal", true});
    }
    std::sort(contacts.begin(), contacts.end(),
              [](const Contact& a, const Contact& b) { return a.on < b.on; });
    for (const auto& c : contacts) {
      // Warnings (recent contact, do-not-contact) are what the log is for; they stop nothing.
      EVHUB_RETURN_IF_ERROR(collection.log_contact(code_, c).status());
      ++report.contacts;
    }
    return Status::ok();
  }

  const SynthOptions& o_;
  int number_;
  int today_;
  std::string code_;
};

}  // namespace

Status check_synth_options(const SynthOptions& o) {
  if (o.witnesses < 1 || o.witnesses > 1000000) {
    return Status(Code::kInvalidArgument, "--witnesses must be between 1 and 1000000");
  }
  if (o.interviews_per_witness < 0 || o.interviews_per_witness > 100) {
    return Status(Code::kInvalidArgument, "--interviews-per-witness must be between 0 and 100");
  }
  if (o.documents_per_witness < 0 || o.documents_per_witness > 1000) {
    return Status(Code::kInvalidArgument, "--documents-per-witness must be between 0 and 1000");
  }
  if (!(o.scans >= 0.0 && o.scans <= 1.0)) {
    return Status(Code::kInvalidArgument,
                  "--scans must be a fraction of the documents, between 0 and 1");
  }
  if (!is_date(o.today) || o.today < "2025-01-01") {
    return Status(Code::kInvalidArgument,
                  "--today must be a date (YYYY-MM-DD) in 2025 or later, after the interviews "
                  "synth makes up");
  }
  return Status::ok();
}

nlohmann::json ground_truth_json(const GroundTruth& t) {
  nlohmann::json officials = nlohmann::json::array();
  for (const auto& p : t.officials) {
    officials.push_back({{"id", p.id}, {"name", p.name}, {"rank", p.rank}, {"unit", p.unit}});
  }
  nlohmann::json statements = nlohmann::json::array();
  for (const auto& st : t.statements) {
    statements.push_back({{"begin", st.begin},
                          {"end", st.end},
                          {"theme", st.theme},
                          {"says", st.says},
                          {"date", st.date},
                          {"persons", st.persons}});
  }
  return {{"object_id", t.object_id},
          {"witness", t.witness},
          {"kind", t.kind},
          {"media", t.media},
          {"language", t.language},
          {"facility_id", t.facility_id},
          {"facility", t.facility},
          {"date", t.date},
          {"place_id", t.place_id},
          {"place", t.place},
          {"officials", officials},
          {"persons", t.persons},
          {"acts", t.acts},
          {"text", t.text},
          {"place_name", t.place_name},
          {"facility_name", t.facility_name},
          {"statements", statements}};
}

Result<SynthReport> synthesize(Collection& collection, hub::Hub& hub, jobs::JobQueue& queue,
                               const SynthOptions& options,
                               const std::function<void(const GroundTruth&)>& on_text,
                               const std::function<void(int, int)>& progress) {
  EVHUB_RETURN_IF_ERROR(check_synth_options(options));
  if (options.organisation_id.empty()) {
    return Status(Code::kInvalidArgument, "synth needs the organisation the witnesses belong to");
  }
  // New witnesses are numbered after the highest W- code of a witness or of a key domain (a
  // domain may hold material of an unregistered or erased witness), so synth can be run again
  // to add more and never writes into a code already in use.
  EVHUB_ASSIGN_OR_RETURN(auto existing, collection.witnesses({}));
  EVHUB_ASSIGN_OR_RETURN(auto summary, hub.summary());
  std::vector<std::string> codes;
  for (const auto& w : existing) codes.push_back(w.code);
  for (const auto& d : summary.domains) codes.push_back(d.name);
  int last = 0;
  static const std::regex kSynthCode("W-([0-9]{1,8})");
  for (const auto& code : codes) {
    std::smatch m;
    if (std::regex_match(code, m, kSynthCode)) last = std::max(last, std::stoi(m[1].str()));
  }
  if (last + options.witnesses > 99999999) {
    return Status(Code::kInvalidArgument, "no W- codes left for that many witnesses");
  }
  EVHUB_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create(options.scratch_dir));
  const int today = synth::day_number(options.today);
  SynthReport report;
  for (int i = 0; i < options.witnesses; ++i) {
    WitnessMaker maker(options, last + 1 + i, today);
    Status st = maker.make(collection, hub, queue, scratch.path(), report, on_text);
    if (!st.is_ok()) {
      return st.with_context(fmt::format("synth stopped at witness W-{:05} ({} of {} made)",
                                         last + 1 + i, i, options.witnesses));
    }
    if (progress) progress(i + 1, options.witnesses);
  }
  report.first_code = fmt::format("W-{:05}", last + 1);
  report.last_code = fmt::format("W-{:05}", last + options.witnesses);
  return report;
}

}  // namespace evhub::collection
