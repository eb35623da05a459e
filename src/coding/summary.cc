// Witness summaries: names, the record's JSON, the document model the renderings share, the
// text rendering and the line diff of two versions.
#include "coding/summary.h"

#include <fmt/format.h>

#include <dtl/dtl.hpp>

#include <algorithm>
#include <sstream>

#include "catalog/catalog.h"
#include "coding/summary_internal.h"

namespace evhub::coding {

using nlohmann::json;

namespace {

constexpr const char* kStatusNames[] = {"draft", "in-review", "changes-requested", "approved"};

json reference_json(const SummaryReference& r) {
  json j = {{"kind", target_kind_name(r.kind)},
            {"object_id", r.object_id},
            {"object_sha256", r.object_sha256}};
  if (!r.annotation_id.empty()) j["annotation_id"] = r.annotation_id;
  if (r.kind == TargetKind::kRegion) {
    j["page"] = r.page;
  } else {
    j["begin"] = r.begin;
    j["end"] = r.end;
  }
  if (r.kind == TargetKind::kText) j["passage"] = r.passage;
  return j;
}

SummaryReference reference_from(const json& j) {
  SummaryReference r;
  const std::string kind = j.value("kind", "text");
  r.kind = kind == "region" ? TargetKind::kRegion
           : kind == "time" ? TargetKind::kTime
                            : TargetKind::kText;
  r.annotation_id = j.value("annotation_id", "");
  r.object_id = j.value("object_id", "");
  r.object_sha256 = j.value("object_sha256", "");
  r.begin = j.value("begin", std::int64_t{0});
  r.end = j.value("end", std::int64_t{0});
  r.page = j.value("page", 0);
  r.passage = j.value("passage", "");
  return r;
}

json text_json(const SummaryText& t) {
  json refs = json::array();
  for (const auto& r : t.references) refs.push_back(reference_json(r));
  return {{"text", t.text}, {"references", refs}};
}

SummaryText text_from(const json& j) {
  SummaryText t;
  if (!j.is_object()) return t;
  t.text = j.value("text", "");
  if (j.contains("references") && j["references"].is_array()) {
    for (const auto& r : j["references"]) {
      if (r.is_object()) t.references.push_back(reference_from(r));
    }
  }
  return t;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

std::string person(const RenderOptions& options, const std::string& id) {
  auto it = options.people.find(id);
  return it == options.people.end() ? id : it->second + " (" + id + ")";
}

std::string or_none(const std::string& s) {
  return s.empty() ? "—" : s;
}

// hh:mm:ss.mmm of a recording.
std::string clock_time(std::int64_t ms) {
  if (ms < 0) ms = 0;
  return fmt::format("{:02}:{:02}:{:02}.{:03}", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
                     ms % 1000);
}

void add(std::vector<internal::Block>& blocks, internal::BlockKind kind, std::string label,
         std::string text) {
  internal::Block b;
  b.kind = kind;
  b.label = std::move(label);
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void add_text(std::vector<internal::Block>& blocks, const SummaryText& t,
              const RenderOptions& options) {
  using internal::BlockKind;
  if (t.text.empty()) {
    add(blocks, BlockKind::kEmpty, "", "(none)");
  } else {
    add(blocks, BlockKind::kParagraph, "", internal::display_text(t.text));
  }
  if (t.references.empty()) return;
  add(blocks, BlockKind::kReferencesHeading, "", "References");
  for (std::size_t i = 0; i < t.references.size(); ++i) {
    const SummaryReference& r = t.references[i];
    std::string where = "Object " + r.object_id + "\nSHA-256 " + or_none(r.object_sha256) + "\n";
    switch (r.kind) {
      case TargetKind::kText:
        where += fmt::format("code points [{}, {})", r.begin, r.end);
        break;
      case TargetKind::kRegion:
        where += fmt::format("page {}", r.page);
        break;
      case TargetKind::kTime:
        where += "recording " + clock_time(r.begin) + " – " + clock_time(r.end);
        break;
    }
    if (options.include_comments && !r.annotation_id.empty()) {
      where += ", annotation " + r.annotation_id;
    }
    add(blocks, BlockKind::kReference, fmt::format("[{}]", i + 1), std::move(where));
    if (r.kind == TargetKind::kText) {
      add(blocks, BlockKind::kQuote, "", "“" + internal::display_text(r.passage) + "”");
    }
  }
}

}  // namespace

const char* summary_status_name(SummaryStatus status) {
  return kStatusNames[static_cast<int>(status)];
}

std::optional<SummaryStatus> parse_summary_status(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kStatusNames[i]) return static_cast<SummaryStatus>(i);
  }
  return std::nullopt;
}

const char* export_format_name(ExportFormat format) {
  return format == ExportFormat::kDocx ? "docx" : "pdf";
}

std::optional<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "pdf") return ExportFormat::kPdf;
  if (name == "docx") return ExportFormat::kDocx;
  return std::nullopt;
}

json summary_to_json(const WitnessSummary& s) {
  json incidents = json::array();
  for (const auto& i : s.incidents) {
    incidents.push_back({{"incident_id", i.incident_id},
                         {"title", i.title},
                         {"date", i.date},
                         {"saw", text_json(i.saw)},
                         {"suffered", text_json(i.suffered)}});
  }
  json documents = json::array();
  for (const auto& d : s.documents) {
    documents.push_back(
        {{"object_id", d.object_id}, {"title", d.title}, {"object_sha256", d.object_sha256}});
  }
  json comments = json::array();
  for (const auto& c : s.comments) {
    comments.push_back({{"by", c.by}, {"at", c.at}, {"section", c.section}, {"text", c.text}});
  }
  const SummaryConsent& c = s.consent;
  return {{"format", "evhub-witness-summary"},
          {"format_version", 1},
          {"id", s.id},
          {"version", s.version},
          {"witness_code", s.witness_code},
          {"domain", s.domain},
          {"organisation_id", s.organisation_id},
          {"status", summary_status_name(s.status)},
          {"sensitivity", s.sensitivity},
          {"author", s.author},
          {"created_at", s.created_at},
          {"editors", s.editors},
          {"changed_by", s.changed_by},
          {"change", s.change},
          {"changed_at", s.changed_at},
          {"reviewer", s.reviewer},
          {"reviewed_at", s.reviewed_at},
          {"approved_at", s.approved_at},
          {"profile",
           {{"gender", s.profile.gender},
            {"age_band", s.profile.age_band},
            {"country", s.profile.country},
            {"languages", s.profile.languages}}},
          {"consent",
           {{"as_of", c.as_of},
            {"state", c.state},
            {"version", c.version},
            {"scopes", c.scopes},
            {"given_on", c.given_on},
            {"renew_by", c.renew_by},
            {"withdrawn_on", c.withdrawn_on}}},
          {"incidents", incidents},
          {"perpetrators", text_json(s.perpetrators)},
          {"injuries", text_json(s.injuries)},
          {"documents", documents},
          {"comments", comments}};
}

WitnessSummary summary_from_json(const json& j) {
  WitnessSummary s;
  auto strings = [&](const json& o, const char* key) {
    std::vector<std::string> out;
    if (o.contains(key) && o[key].is_array()) {
      for (const auto& v : o[key]) {
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
    }
    return out;
  };
  s.id = j.value("id", "");
  s.version = j.value("version", 0);
  s.witness_code = j.value("witness_code", "");
  s.domain = j.value("domain", "");
  s.organisation_id = j.value("organisation_id", "");
  s.status = parse_summary_status(j.value("status", "draft")).value_or(SummaryStatus::kDraft);
  s.sensitivity = j.value("sensitivity", "normal");
  s.author = j.value("author", "");
  s.created_at = j.value("created_at", "");
  s.editors = strings(j, "editors");
  s.changed_by = j.value("changed_by", "");
  s.change = j.value("change", "");
  s.changed_at = j.value("changed_at", "");
  s.reviewer = j.value("reviewer", "");
  s.reviewed_at = j.value("reviewed_at", "");
  s.approved_at = j.value("approved_at", "");
  const json p = j.value("profile", json::object());
  s.profile.gender = p.value("gender", "");
  s.profile.age_band = p.value("age_band", "");
  s.profile.country = p.value("country", "");
  s.profile.languages = strings(p, "languages");
  const json c = j.value("consent", json::object());
  s.consent.as_of = c.value("as_of", "");
  s.consent.state = c.value("state", "");
  s.consent.version = c.value("version", 0);
  s.consent.scopes = strings(c, "scopes");
  s.consent.given_on = c.value("given_on", "");
  s.consent.renew_by = c.value("renew_by", "");
  s.consent.withdrawn_on = c.value("withdrawn_on", "");
  if (j.contains("incidents") && j["incidents"].is_array()) {
    for (const auto& i : j["incidents"]) {
      if (!i.is_object()) continue;
      SummaryIncident incident;
      incident.incident_id = i.value("incident_id", "");
      incident.title = i.value("title", "");
      incident.date = i.value("date", "");
      incident.saw = text_from(i.value("saw", json::object()));
      incident.suffered = text_from(i.value("suffered", json::object()));
      s.incidents.push_back(std::move(incident));
    }
  }
  s.perpetrators = text_from(j.value("perpetrators", json::object()));
  s.injuries = text_from(j.value("injuries", json::object()));
  if (j.contains("documents") && j["documents"].is_array()) {
    for (const auto& d : j["documents"]) {
      if (!d.is_object()) continue;
      SummaryDocument doc;
      doc.object_id = d.value("object_id", "");
      doc.title = d.value("title", "");
      doc.object_sha256 = d.value("object_sha256", "");
      s.documents.push_back(std::move(doc));
    }
  }
  if (j.contains("comments") && j["comments"].is_array()) {
    for (const auto& x : j["comments"]) {
      if (!x.is_object()) continue;
      ReviewComment rc;
      rc.by = x.value("by", "");
      rc.at = x.value("at", "");
      rc.section = x.value("section", "");
      rc.text = x.value("text", "");
      s.comments.push_back(std::move(rc));
    }
  }
  return s;
}

namespace internal {

std::string display_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\f') {
      out += '\n';
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out += ' ';
    } else if (text.substr(i, 2) == "\xEF\xBF" && i + 2 < text.size() &&
               (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";  // U+FFFE and U+FFFF are not characters (nor allowed in XML)
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string page_of(int page, int pages) {
  return fmt::format("Page {} of {}", page, pages);
}

std::vector<Block> summary_blocks(const WitnessSummary& s, const RenderOptions& options) {
  std::vector<Block> blocks;
  add(blocks, BlockKind::kTitle, "", "Witness summary " + s.witness_code);
  if (options.draft_watermark) {
    add(blocks, BlockKind::kWatermarkNote, "",
        std::string(kDraftWord) + " — not approved; not to be relied on as a finished summary");
  }
  add(blocks, BlockKind::kField, "Summary", s.id);
  add(blocks, BlockKind::kField, "Witness", s.witness_code);
  add(blocks, BlockKind::kField, "Organisation", s.organisation_id);
  add(blocks, BlockKind::kField, "Status", summary_status_name(s.status));
  if (options.include_version) add(blocks, BlockKind::kField, "Version", std::to_string(s.version));
  add(blocks, BlockKind::kField, "Author", person(options, s.author));
  std::vector<std::string> editors;
  for (const auto& e : s.editors) editors.push_back(person(options, e));
  add(blocks, BlockKind::kField, "Edited by", or_none(joined(editors, ", ")));
  add(blocks, BlockKind::kField, "Reviewer",
      s.reviewer.empty() ? "—" : person(options, s.reviewer));
  add(blocks, BlockKind::kField, "Approved", or_none(s.approved_at));
  if (options.include_version) {
    add(blocks, BlockKind::kField, "This version",
        fmt::format("{} by {} at {}", s.change, person(options, s.changed_by), s.changed_at));
  }
  if (!options.exported_at.empty()) {
    add(blocks, BlockKind::kField, "Exported",
        options.exported_at +
            (options.exported_by.empty() ? "" : " by " + person(options, options.exported_by)));
  }
  add(blocks, BlockKind::kField, "Sensitivity", s.sensitivity);

  add(blocks, BlockKind::kHeading, "1.", "Witness profile");
  add(blocks, BlockKind::kField, "Code", s.witness_code);
  add(blocks, BlockKind::kField, "Gender", or_none(s.profile.gender));
  add(blocks, BlockKind::kField, "Age band", or_none(s.profile.age_band));
  add(blocks, BlockKind::kField, "Country of residence", or_none(s.profile.country));
  add(blocks, BlockKind::kField, "Languages", or_none(joined(s.profile.languages, ", ")));

  add(blocks, BlockKind::kHeading, "2.", "Consent");
  add(blocks, BlockKind::kField, "As of", or_none(s.consent.as_of));
  add(blocks, BlockKind::kField, "State", or_none(s.consent.state));
  if (s.consent.version > 0) {
    add(blocks, BlockKind::kField, "Consent version", std::to_string(s.consent.version));
    add(blocks, BlockKind::kField, "Scopes", or_none(joined(s.consent.scopes, ", ")));
    add(blocks, BlockKind::kField, "Given on", or_none(s.consent.given_on));
    add(blocks, BlockKind::kField, "Renew by", or_none(s.consent.renew_by));
    add(blocks, BlockKind::kField, "Withdrawn on", or_none(s.consent.withdrawn_on));
  }

  add(blocks, BlockKind::kHeading, "3.", "Incidents");
  if (s.incidents.empty()) add(blocks, BlockKind::kEmpty, "", "(none)");
  for (std::size_t i = 0; i < s.incidents.size(); ++i) {
    const SummaryIncident& incident = s.incidents[i];
    add(blocks, BlockKind::kSubheading, fmt::format("3.{}", i + 1),
        display_text(incident.title.empty() ? "Incident" : incident.title));
    add(blocks, BlockKind::kField, "Date", or_none(display_text(incident.date)));
    if (!incident.incident_id.empty()) {
      add(blocks, BlockKind::kField, "Incident", incident.incident_id);
    }
    add(blocks, BlockKind::kLabel, "", "What the witness saw");
    add_text(blocks, incident.saw, options);
    add(blocks, BlockKind::kLabel, "", "What the witness suffered");
    add_text(blocks, incident.suffered, options);
  }

  add(blocks, BlockKind::kHeading, "4.", "Perpetrators");
  add_text(blocks, s.perpetrators, options);
  add(blocks, BlockKind::kHeading, "5.", "Injuries");
  add_text(blocks, s.injuries, options);

  add(blocks, BlockKind::kHeading, "6.", "Documents");
  if (s.documents.empty()) add(blocks, BlockKind::kEmpty, "", "(none)");
  for (std::size_t i = 0; i < s.documents.size(); ++i) {
    const SummaryDocument& d = s.documents[i];
    add(blocks, BlockKind::kReference, fmt::format("[D{}]", i + 1),
        display_text(d.title) + "\nObject " + d.object_id + "\nSHA-256 " +
            or_none(d.object_sha256));
  }

  if (options.include_comments) {
    add(blocks, BlockKind::kHeading, "7.", "Review comments");
    if (s.comments.empty()) add(blocks, BlockKind::kEmpty, "", "(none)");
    for (const auto& c : s.comments) {
      add(blocks, BlockKind::kField,
          person(options, c.by) + ", " + c.at + (c.section.empty() ? "" : " (" + c.section + ")"),
          display_text(c.text));
    }
  }

  add(blocks, BlockKind::kNote, "",
      "About the references. Each reference names an object of the hub by its id and the "
      "SHA-256 of its content as received (check a copy with sha256sum). A span \"code points "
      "[b, e)\" counts Unicode code points of the object's UTF-8 text from 0: it starts at b and "
      "ends before e; the quoted passage is exactly the text there. Pages count from 1; "
      "recording times are hours:minutes:seconds.milliseconds from the start.");
  return blocks;
}

}  // namespace internal

std::string render_summary_text(const WitnessSummary& summary, const RenderOptions& options) {
  using internal::BlockKind;
  std::string out;
  for (const internal::Block& b : internal::summary_blocks(summary, options)) {
    switch (b.kind) {
      case BlockKind::kTitle:
        out += b.text + "\n";
        break;
      case BlockKind::kHeading:
      case BlockKind::kSubheading:
        out += "\n" + b.label + " " + b.text + "\n";
        break;
      case BlockKind::kLabel:
      case BlockKind::kReferencesHeading:
        out += b.text + ":\n";
        break;
      case BlockKind::kField:
        out += b.label + ": " + b.text + "\n";
        break;
      case BlockKind::kReference: {
        // One line a reference, so that a changed span or passage shows as one changed line.
        std::string where = b.text;
        std::replace(where.begin(), where.end(), '\n', ' ');
        out += b.label + " " + where + "\n";
        break;
      }
      case BlockKind::kQuote: {
        std::istringstream lines(b.text);
        std::string line;
        while (std::getline(lines, line)) out += "    " + line + "\n";
        break;
      }
      case BlockKind::kNote:
        out += "\n" + b.text + "\n";
        break;
      case BlockKind::kWatermarkNote:
      case BlockKind::kParagraph:
      case BlockKind::kEmpty:
        out += b.text + "\n";
        break;
    }
  }
  return out;
}

std::string line_diff(const std::string& before, const std::string& after) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
  };
  const std::vector<std::string> a = lines(before);
  const std::vector<std::string> b = lines(after);
  dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
  diff.compose();
  diff.composeUnifiedHunks();
  std::ostringstream out;
  diff.printUnifiedFormat(out);
  return out.str();
}

}  // namespace evhub::coding
