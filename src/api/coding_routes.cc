// Coding (docs/openapi.yaml: /coding/...): the hub's coding framework, which administrators
// change; the coding workspace of an object (its text and the annotations on it); annotations
// added, changed and removed by coders; retrieval of the passages a code was applied to; and
// inter-coder agreement. An annotation is shown only to a caller who may read its object and
// every restricted code on it (a passage coded as sexual violence is as restricted as material
// of that category). Annotations are logged by id with the acting user, never with their words.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/policy.h"
#include "api/route_support.h"
#include "coding/annotations.h"
#include "coding/coded_agreement.h"
#include "coding/framework_store.h"
#include "core/text.h"
#include "extract/extract.h"

namespace evhub::api {

using coding::Annotation;
using coding::Framework;
using nlohmann::json;

namespace {

// PDF pages are shown at the resolution of a screen page: regions are kept in fractions of the
// page, and a sharper rendering would only be slower to make and send.
constexpr int kShownPageDpi = 110;
// PDFs above this are not rendered in the workspace (their text is coded instead).
constexpr std::int64_t kMaxShownPdfBytes = 256 << 20;

// Whether `bytes` are text to code as text: UTF-8 without NUL bytes, and not a PDF (a PDF
// written by hand or by an old tool can be all ASCII).
bool is_text(const std::string& bytes) {
  const auto* first = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return std::string_view(
             extract::media_type_of({first, std::min<std::size_t>(bytes.size(), 1024)}))
             .starts_with("text/plain") &&
         is_valid_utf8(bytes) && bytes.find('\0') == std::string::npos;
}

// The bytes of the PDF `id` (of `size` bytes); kInvalidArgument when it is not a PDF.
Result<std::string> read_pdf(hub::Hub& hub, const std::string& id, std::int64_t size) {
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(id));
  EVHUB_ASSIGN_OR_RETURN(std::string head, reader->read_prefix(1024));
  const auto* first = reinterpret_cast<const std::uint8_t*>(head.data());
  if (std::string_view(extract::media_type_of({first, head.size()})) != "application/pdf") {
    return Status(Code::kInvalidArgument, "the object is not a PDF; only PDF pages are rendered");
  }
  if (size > kMaxShownPdfBytes) {
    return Status(Code::kInvalidArgument,
                  "the PDF is too large to show its pages here; code its extracted text instead");
  }
  EVHUB_ASSIGN_OR_RETURN(reader, hub.open_object(id));
  return reader->read_prefix(static_cast<std::size_t>(size));
}

constexpr int kPassagePage = 500;      // passages in a page of retrieval, unless asked
constexpr int kMaxPassagePage = 5000;  // at most

// A page's `next`: where its last passage stands, as "object~position~annotation". Object ids
// are 32 hex digits and annotation ids "an-" and hex, so "~" never occurs in them.
std::string passage_cursor_text(const coding::PassageCursor& c) {
  return fmt::format("{}~{}~{}", c.object_id, c.begin, c.annotation_id);
}

std::optional<coding::PassageCursor> passage_cursor_from(const std::string& text) {
  const auto first = text.find('~');
  const auto second = first == std::string::npos ? first : text.find('~', first + 1);
  if (second == std::string::npos) return std::nullopt;
  coding::PassageCursor c;
  c.object_id = text.substr(0, first);
  const std::string begin = text.substr(first + 1, second - first - 1);
  c.annotation_id = text.substr(second + 1);
  if (!is_object_id(c.object_id) || !is_small_number(begin, 12) || c.annotation_id.empty() ||
      c.annotation_id.find('~') != std::string::npos) {
    return std::nullopt;
  }
  c.begin = std::stoll(begin);
  return c;
}

// Where a reader may list passages of `code` (and the codes under it): in each organisation
// where they read codings, the object sensitivities they may read there, the codes asked for
// that they are cleared for, and every code they are not (which hides a passage carrying it).
std::vector<coding::PassageScope> passage_scopes(const Framework& framework,
                                                 const std::string& code,
                                                 const std::vector<std::string>& organisations,
                                                 const std::vector<catalog::ReadScope>& reads) {
  std::vector<std::string> asked = {code};
  for (std::size_t i = 0; i < asked.size(); ++i) {
    for (const auto* child : framework.children(asked[i])) asked.push_back(child->id);
  }
  std::vector<coding::PassageScope> out;
  for (const auto& read : reads) {
    if (std::find(organisations.begin(), organisations.end(), read.organisation_id) ==
        organisations.end()) {
      continue;
    }
    coding::PassageScope scope{read.organisation_id, read.sensitivities, {}, {}};
    auto cleared = [&](const std::string& id) {
      const std::string s = coding::sensitivity_of_code(framework, id);
      return std::find(read.sensitivities.begin(), read.sensitivities.end(), s) !=
             read.sensitivities.end();
    };
    for (const auto& id : asked) {
      if (cleared(id)) scope.code_ids.push_back(id);
    }
    for (const auto& c : framework.codes()) {
      if (!cleared(c.id)) scope.hidden_code_ids.push_back(c.id);
    }
    out.push_back(std::move(scope));
  }
  return out;
}

json texts_json(const coding::Texts& t) {
  return {{"en", t.en}, {"be", t.be}, {"ru", t.ru}};
}

// A code as applied: its words at the revision the coder saw, and the current revision, so
// that the workspace can say "label changed since coded".
json code_ref_json(const Framework& framework, const coding::CodeRef& ref) {
  json out = {{"id", ref.id}, {"revision", ref.revision}};
  auto then = framework.code_at(ref.id, ref.revision);
  out["label"] = then.is_ok() ? texts_json(then->label) : json{{"en", ref.id}};
  const coding::FrameworkCode* now = framework.find(ref.id);
  out["current_revision"] = now ? json(now->revision) : json(nullptr);
  out["restricted"] = now && now->restricted;
  return out;
}

json annotation_json(const Annotation& a, const Framework& framework,
                     const std::map<std::string, std::string>& usernames) {
  json codes = json::array();
  for (const auto& c : a.codes) codes.push_back(code_ref_json(framework, c));
  auto coder = usernames.find(a.coder);
  json out = coding::target_json(a.target);  // object_id, object_sha256, kind and position
  out.update({{"id", a.id},
              {"version", a.version},
              {"codes", std::move(codes)},
              {"facets", coding::facets_json(a.facets)},
              {"memo", a.memo},
              {"coder", coder == usernames.end() ? a.coder : coder->second},
              {"coded_at", a.coded_at},
              {"removed", a.removed},
              {"passage", a.passage}});
  return out;
}

// An annotation from a request body (POST, or PUT with its version). Codes are ids: a code the
// annotation already carries (`kept`, on a change) keeps the revision its coder saw, even if the
// code has been relabelled or retired since — editing a facet must not silently re-label the
// coding; a code newly applied is applied at its current revision, and must not be retired.
Result<Annotation> parse_annotation(const std::string& body, const Framework& framework,
                                    bool with_version,
                                    const std::vector<coding::CodeRef>& kept = {}) {
  using enum FieldType;
  std::map<std::string, FieldType> fields = {
      {"object_id", kText}, {"kind", kText},      {"begin", kInteger}, {"end", kInteger},
      {"page", kInteger},   {"x", kNumber},       {"y", kNumber},      {"width", kNumber},
      {"height", kNumber},  {"codes", kTextList}, {"facets", kObject}, {"memo", kText}};
  if (with_version) fields["version"] = kInteger;
  EVHUB_ASSIGN_OR_RETURN(
      json in, parse_body(body,
                          R"(send {"object_id": …, "kind": "text", "begin": 0, "end": 10, )"
                          R"("codes": ["physical.baton-blows"], "facets": {…}} as JSON)",
                          fields));
  Annotation a;
  a.version = in.value("version", 0);
  a.target.object_id = in.value("object_id", "");
  const std::string kind = in.value("kind", "text");
  if (kind == "text") {
    a.target.kind = coding::TargetKind::kText;
  } else if (kind == "region") {
    a.target.kind = coding::TargetKind::kRegion;
  } else if (kind == "time") {
    a.target.kind = coding::TargetKind::kTime;
  } else {
    return Status(Code::kInvalidArgument, "kind must be text, region or time");
  }
  a.target.begin = in.value("begin", std::int64_t{0});
  a.target.end = in.value("end", std::int64_t{0});
  a.target.page = in.value("page", 0);
  a.target.x = in.value("x", 0.0);
  a.target.y = in.value("y", 0.0);
  a.target.width = in.value("width", 0.0);
  a.target.height = in.value("height", 0.0);
  for (const auto& id : in.value("codes", std::vector<std::string>{})) {
    auto before = std::find_if(kept.begin(), kept.end(),
                               [&](const coding::CodeRef& c) { return c.id == id; });
    if (before != kept.end()) {
      a.codes.push_back(*before);
      continue;
    }
    const coding::FrameworkCode* code = framework.find(id);
    if (!code)
      return Status(Code::kInvalidArgument, "there is no code \"" + id.substr(0, 100) + "\"");
    if (code->retired) {
      return Status(Code::kInvalidArgument, "code " + id + " is retired; choose its successor");
    }
    a.codes.push_back({id, code->revision});
  }
  const json facets = in.value("facets", json::object());
  EVHUB_RETURN_IF_ERROR(check_fields(facets, {{"date", kObject},
                                              {"place", kText},
                                              {"facility", kText},
                                              {"persons", kTextList},
                                              {"units", kTextList},
                                              {"victims", kText},
                                              {"perpetrators", kText}}));
  const json date = facets.value("date", json::object());
  EVHUB_RETURN_IF_ERROR(check_fields(date, {{"from", kText}, {"to", kText}, {"precision", kText}}));
  a.facets.date.from = date.value("from", "");
  a.facets.date.to = date.value("to", "");
  a.facets.date.precision = date.value("precision", "day");
  a.facets.place = facets.value("place", "");
  a.facets.facility = facets.value("facility", "");
  a.facets.persons = facets.value("persons", std::vector<std::string>{});
  a.facets.units = facets.value("units", std::vector<std::string>{});
  a.facets.victims = facets.value("victims", "");
  a.facets.perpetrators = facets.value("perpetrators", "");
  a.memo = in.value("memo", "");
  return a;
}

json diff_json(const coding::FrameworkDiff& d) {
  return {{"added", d.added},     {"relabelled", d.relabelled},
          {"moved", d.moved},     {"restriction_changed", d.restriction_changed},
          {"retired", d.retired}, {"reinstated", d.reinstated},
          {"removed", d.removed}, {"rewritten", d.rewritten}};
}

// A code from the framework editor: {"id", "parent", "label": {en, be, ru}, "definition": {…},
// "restricted", "retired", "revision"}.
Result<coding::FrameworkCode> parse_code(const json& in) {
  using enum FieldType;
  EVHUB_RETURN_IF_ERROR(check_fields(in, {{"id", kText},
                                          {"parent", kText},
                                          {"label", kObject},
                                          {"definition", kObject},
                                          {"restricted", kFlag},
                                          {"retired", kFlag},
                                          {"revision", kInteger}}));
  coding::FrameworkCode code;
  code.id = in.value("id", "");
  code.parent = in.value("parent", "");
  for (auto [field, texts] : {std::pair{"label", &code.label}, {"definition", &code.definition}}) {
    const json t = in.value(field, json::object());
    EVHUB_RETURN_IF_ERROR(check_fields(t, {{"en", kText}, {"be", kText}, {"ru", kText}}));
    texts->en = t.value("en", "");
    texts->be = t.value("be", "");
    texts->ru = t.value("ru", "");
  }
  code.restricted = in.value("restricted", false);
  code.retired = in.value("retired", false);
  code.revision = in.value("revision", 1);
  return code;
}

}  // namespace

std::string annotation_sensitivity(const Framework& framework,
                                   const std::string& object_sensitivity,
                                   const std::vector<coding::CodeRef>& codes) {
  std::string s = object_sensitivity;
  for (const auto& c : codes) {
    s = catalog::stricter_sensitivity(s, coding::sensitivity_of_code(framework, c.id));
  }
  return s;
}

Result<coding::AnnotationStore*> Api::annotation_store() {
  if (!annotations_) {
    EVHUB_ASSIGN_OR_RETURN(annotations_, coding::AnnotationStore::open(hub_));
  }
  return annotations_.get();
}

Result<coding::FrameworkStore*> Api::framework_store() {
  if (!frameworks_) {
    EVHUB_ASSIGN_OR_RETURN(frameworks_, coding::FrameworkStore::open(hub_));
  }
  return frameworks_.get();
}

Response Api::framework_response(int status, const Framework& framework, json extra) {
  json out = {{"framework", json::parse(coding::framework_to_json(framework))}};
  auto store = framework_store();
  if (store.is_ok()) {
    auto versions = (*store)->versions();
    if (versions.is_ok() && !versions->empty()) {
      const auto names = usernames();
      auto by = names.find(versions->front().stored_by);
      out["stored_by"] = by == names.end() ? versions->front().stored_by : by->second;
      out["stored_at"] = versions->front().stored_at;
    } else {
      out["stored_by"] = nullptr;
      out["stored_at"] = nullptr;
    }
  }
  out.update(extra);
  return json_response(status, out);
}

// Stores `next` for the caller, from version `based_on`, and answers with the framework.
Response Api::store_framework(const accounts::Caller& caller, const Framework& next, int based_on) {
  auto store = framework_store();
  if (!store.is_ok()) return status_response(store.status(), "opening the coding framework");
  auto before = (*store)->current();
  if (!before.is_ok()) return status_response(before.status(), "reading the coding framework");
  const coding::FrameworkDiff changes = coding::diff(*before, next);
  auto stored = (*store)->replace(next, based_on, caller.user.id);
  if (!stored.is_ok()) return status_response(stored.status(), "storing the coding framework");
  if (stored->version() != before->version()) {
    (void)hub_.audit("framework.change", "",
                     {{"user_id", caller.user.id}, {"version", stored->version()}});
  }
  return framework_response(200, *stored, {{"diff", diff_json(changes)}});
}

// The annotation `id` if the caller may see it: its object readable and every restricted code
// on it within the caller's scopes. 404 for an unknown id, 403 otherwise.
Api::VisibleAnnotation Api::visible_annotation(const accounts::Caller& caller,
                                               const std::string& id,
                                               const std::vector<accounts::Role>& roles) {
  VisibleAnnotation out;
  auto store = annotation_store();
  auto frameworks = framework_store();
  if (!store.is_ok() || !frameworks.is_ok()) {
    out.refusal = error_response(500, "internal", "the coding view cannot be opened");
    return out;
  }
  auto a = (*store)->get(id);
  if (!a.is_ok()) {
    out.refusal = status_response(a.status(), "reading the annotation");
    return out;
  }
  if (!*a) {
    out.refusal = error_response(404, "not_found", "no such annotation");
    return out;
  }
  auto framework = (*frameworks)->current();
  auto all = organisations();
  auto object = hub_.describe((*a)->target.object_id);
  if (!framework.is_ok() || !all.is_ok() || !object.is_ok()) {
    out.refusal = error_response(500, "internal", "the annotation cannot be checked");
    return out;
  }
  const std::string sensitivity =
      annotation_sensitivity(*framework, object->record.sensitivity, (*a)->codes);
  if (!holds_role_in(caller.user, roles, (*a)->organisation_id, *all) ||
      !may_read(read_scopes(caller.user, *all), object->organisation_id, sensitivity)) {
    out.refusal = error_response(403, "forbidden", "your roles do not allow this");
    return out;
  }
  out.annotation = std::move(**a);
  out.framework = std::move(*framework);
  return out;
}

void Api::add_coding_routes(const AddRoute& route) {
  const Access any_signed_in{true, {}};

  route("GET", "/api/v1/coding/framework", any_signed_in, [this](Context&) {
    auto store = framework_store();
    if (!store.is_ok()) return status_response(store.status(), "opening the coding framework");
    auto f = (*store)->current();
    if (!f.is_ok()) return status_response(f.status(), "reading the coding framework");
    return framework_response(200, *f, json::object());
  });

  route("GET", "/api/v1/coding/framework/export", any_signed_in, [this](Context& c) {
    const std::string format = c.request.query("format");
    if (format != "json" && format != "csv") {
      return error_response(400, "bad_request", "format must be json or csv");
    }
    auto store = framework_store();
    if (!store.is_ok()) return status_response(store.status(), "opening the coding framework");
    auto f = (*store)->current();
    if (!f.is_ok()) return status_response(f.status(), "reading the coding framework");
    Response r;
    r.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/json";
    r.body = format == "csv" ? coding::framework_to_csv(*f) : coding::framework_to_json(*f);
    r.headers["Content-Disposition"] =
        fmt::format("attachment; filename=\"coding-framework-v{}.{}\"", f->version(), format);
    return r;
  });

  // A whole framework (JSON) or a CSV of edits, from version `based_on`; with "dry_run" the
  // changes are only shown, for the administrator to review before importing.
  route("PUT", "/api/v1/coding/framework", Access{true, framework_editors()}, [this](Context& c) {
    using enum FieldType;
    auto in = parse_body(
        c.request.body, R"(send {"based_on": N, "format": "json" or "csv", "content": "…"})",
        {{"based_on", kInteger}, {"format", kText}, {"content", kText}, {"dry_run", kFlag}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("based_on")) {
      return error_response(400, "bad_request", "based_on: the version you started from");
    }
    const std::string format = in->value("format", "");
    const std::string content = in->value("content", "");
    if (content.size() > coding::kMaxFileBytes) {
      return error_response(413, "too_large", "a framework file is at most 32 MiB");
    }
    auto store = framework_store();
    if (!store.is_ok()) return status_response(store.status(), "opening the coding framework");
    auto now = (*store)->current();
    if (!now.is_ok()) return status_response(now.status(), "reading the coding framework");
    Result<Framework> next = format == "json" ? coding::framework_from_json(content)
                             : format == "csv"
                                 ? coding::apply_csv(*now, content)
                                 : Status(Code::kInvalidArgument, "format must be json or csv");
    if (!next.is_ok()) return error_response(400, "bad_request", next.status().message());
    if (in->value("dry_run", false)) {
      Status ok = coding::check_successor(*now, *next);
      return json_response(200, {{"diff", diff_json(coding::diff(*now, *next))},
                                 {"version", next->version()},
                                 {"acceptable", ok.is_ok()},
                                 {"problem", ok.is_ok() ? "" : ok.message()}});
    }
    return store_framework(*c.caller, *next, in->value("based_on", 0));
  });

  // One code added (POST) or changed (PUT: its words, parent, restriction or retirement), from
  // the framework editor.
  auto edit_code = [this](Context& c, const std::string& id) {
    using enum FieldType;
    auto in = parse_body(c.request.body, R"(send {"based_on": N, "code": {…}})",
                         {{"based_on", kInteger}, {"code", kObject}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    auto code = parse_code(in->value("code", json::object()));
    if (!code.is_ok()) return error_response(400, "bad_request", code.status().message());
    auto store = framework_store();
    if (!store.is_ok()) return status_response(store.status(), "opening the coding framework");
    auto next = (*store)->current();
    if (!next.is_ok()) return status_response(next.status(), "reading the coding framework");
    const int based_on = in->value("based_on", 0);
    Status edited;
    if (id.empty()) {
      edited = next->add(*code);
    } else {
      code->id = id;
      edited = next->edit(id, *code);
    }
    if (!edited.is_ok()) return status_response(edited, "changing the code");
    return store_framework(*c.caller, *next, based_on);
  };
  route("POST", "/api/v1/coding/framework/codes", Access{true, framework_editors()},
        [edit_code](Context& c) { return edit_code(c, ""); });
  route("PUT", "/api/v1/coding/framework/codes/{id}", Access{true, framework_editors()},
        [edit_code](Context& c) { return edit_code(c, c.request.params.at("id")); });

  // The coding workspace of an object: its text (when it is text) and the annotations on it
  // that the caller may see. Reading the text is logged like any read of evidence.
  // An object the caller may read and code-read in its organisation; the refusal otherwise.
  auto codable = [this](const accounts::Caller& caller, const std::string& id) -> Readable {
    auto readable = readable_object(caller, id);
    if (!readable.object) return readable;
    auto all = organisations();
    if (!all.is_ok()) return {{}, error_response(500, "internal", "could not read organisations")};
    if (!holds_role_in(caller.user, coding_readers(), readable.object->organisation_id.value_or(""),
                       *all)) {
      return {{}, error_response(403, "forbidden", "your roles do not allow this")};
    }
    return readable;
  };
  route("GET", "/api/v1/coding/objects/{id}", Access{true, coding_readers()},
        [this, codable](Context& c) {
          const std::string id = c.request.params.at("id");
          auto readable = codable(*c.caller, id);
          if (!readable.object) return readable.refusal;
          const hub::ListedObject& object = *readable.object;
          auto all = organisations();
          if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
          const std::string org = object.organisation_id.value_or("");
          auto store = annotation_store();
          auto frameworks = framework_store();
          if (!store.is_ok()) return status_response(store.status(), "opening the coding view");
          if (!frameworks.is_ok())
            return status_response(frameworks.status(), "opening the framework");
          auto framework = (*frameworks)->current();
          auto on = (*store)->on_object(id);
          if (!framework.is_ok())
            return status_response(framework.status(), "reading the framework");
          if (!on.is_ok()) return status_response(on.status(), "reading the annotations");
          if (!hub_.audit("get", id, {{"via", "coding"}, {"user_id", c.caller->user.id}}).is_ok()) {
            return error_response(503, "unavailable", "the read could not be recorded; try again");
          }
          json text = nullptr;
          std::int64_t length = 0;
          // Text is what can be coded as text: UTF-8 without NUL bytes that is not another
          // format by its magic number (uploads carry no media type that says so; a PDF is
          // coded by page region, on its pages rendered by the route below, a recording by time).
          json pages = nullptr;
          if (object.record.size <= coding::kMaxCodedTextBytes) {
            auto reader = hub_.open_object(id);
            auto bytes = reader.is_ok() ? (*reader)->read_prefix(coding::kMaxCodedTextBytes)
                                        : Result<std::string>(reader.status());
            if (bytes.is_ok() && is_text(*bytes)) {
              for (unsigned char ch : *bytes) length += (ch & 0xC0) != 0x80;
              text = std::move(*bytes);
            }
          }
          if (text.is_null()) {
            auto pdf = read_pdf(hub_, id, object.record.size);
            if (pdf.is_ok()) {
              auto count = extract::pdf_page_count(
                  {reinterpret_cast<const std::uint8_t*>(pdf->data()), pdf->size()});
              if (count.is_ok()) pages = *count;
              wipe(*pdf);
            }
          }
          const auto scopes = read_scopes(c.caller->user, *all);
          const auto names = usernames();
          json annotations = json::array();
          std::size_t withheld = 0;
          for (const auto& a : *on) {
            if (!may_read(scopes, object.organisation_id,
                          annotation_sensitivity(*framework, object.record.sensitivity, a.codes))) {
              ++withheld;
              continue;
            }
            annotations.push_back(annotation_json(a, *framework, names));
          }
          json out = {{"object",
                       {{"id", id},
                        {"sha256", object.record.sha256},
                        {"media_type", object.record.media_type},
                        {"size", object.record.size},
                        {"sensitivity", object.record.sensitivity},
                        {"witness", object.domain}}},
                      {"text", std::move(text)},
                      {"length", length},
                      {"pages", std::move(pages)},
                      {"annotations", std::move(annotations)},
                      {"withheld", withheld},
                      {"framework_version", framework->version()},
                      {"may_code", holds_role_in(c.caller->user, coders(), org, *all)}};
          Response r = json_response(200, out);
          wipe(out);  // the witness's words
          return r;
        });

  // A page of a PDF as PNG, to draw regions on. Reading it is logged like any read of evidence.
  route("GET", "/api/v1/coding/objects/{id}/pages/{page}", Access{true, coding_readers()},
        [this, codable](Context& c) {
          const std::string id = c.request.params.at("id");
          auto readable = codable(*c.caller, id);
          if (!readable.object) return readable.refusal;
          const std::string& asked = c.request.params.at("page");
          auto page = is_small_number(asked, 6) ? number_in(asked, 0, 100000) : std::nullopt;
          if (!page || *page < 1) {
            return error_response(400, "bad_request", "the page is a number from 1");
          }
          auto pdf = read_pdf(hub_, id, readable.object->record.size);
          if (!pdf.is_ok()) return status_response(pdf.status(), "reading the PDF");
          if (!hub_.audit("get", id,
                          {{"via", "coding-page"},
                           {"page", std::to_string(*page)},
                           {"user_id", c.caller->user.id}})
                   .is_ok()) {
            return error_response(503, "unavailable", "the read could not be recorded; try again");
          }
          auto rendered = extract::render_pdf_page(
              {reinterpret_cast<const std::uint8_t*>(pdf->data()), pdf->size()}, *page,
              kShownPageDpi);
          wipe(*pdf);
          if (!rendered.is_ok()) return status_response(rendered.status(), "rendering the page");
          Response r;
          r.content_type = "image/png";
          r.body = std::move(rendered->png);
          return r;
        });

  route("POST", "/api/v1/coding/annotations", Access{true, coders()}, [this](Context& c) {
    auto frameworks = framework_store();
    auto store = annotation_store();
    if (!frameworks.is_ok() || !store.is_ok()) {
      return error_response(500, "internal", "the coding view cannot be opened");
    }
    auto framework = (*frameworks)->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    auto a = parse_annotation(c.request.body, *framework, false);
    if (!a.is_ok()) return error_response(400, "bad_request", a.status().message());
    auto readable = readable_object(*c.caller, a->target.object_id);
    if (!readable.object) return readable.refusal;
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const std::string org = readable.object->organisation_id.value_or("");
    if (!holds_role_in(c.caller->user, coders(), org, *all) ||
        !may_read(
            read_scopes(c.caller->user, *all), readable.object->organisation_id,
            annotation_sensitivity(*framework, readable.object->record.sensitivity, a->codes))) {
      return error_response(403, "forbidden", "your roles do not allow this");
    }
    a->domain = readable.object->domain;
    a->organisation_id = org;
    a->coder = c.caller->user.id;
    auto stored = (*store)->add(std::move(*a));
    if (!stored.is_ok()) return status_response(stored.status(), "storing the annotation");
    (void)hub_.audit("annotation.add", stored->id,
                     {{"user_id", c.caller->user.id}, {"object", stored->target.object_id}});
    json out = annotation_json(*stored, *framework, usernames());
    Response r = json_response(201, out);
    wipe(out);
    return r;
  });

  // Coders change and remove their own annotations; leads anyone's in their organisation.
  auto may_change = [this](const accounts::Caller& caller, const Annotation& a) {
    if (a.coder == caller.user.id) return true;
    auto all = organisations();
    return all.is_ok() &&
           holds_role_in(caller.user, {accounts::Role::kLead}, a.organisation_id, *all);
  };

  route("PUT", "/api/v1/coding/annotations/{id}", Access{true, coders()},
        [this, may_change](Context& c) {
          auto visible = visible_annotation(*c.caller, c.request.params.at("id"), coders());
          if (!visible.annotation) return visible.refusal;
          if (!may_change(*c.caller, *visible.annotation)) {
            return error_response(403, "forbidden", "only its coder or a lead changes a coding");
          }
          auto a =
              parse_annotation(c.request.body, *visible.framework, true, visible.annotation->codes);
          if (!a.is_ok()) return error_response(400, "bad_request", a.status().message());
          auto object = hub_.describe(visible.annotation->target.object_id);
          auto all = organisations();
          if (!object.is_ok() || !all.is_ok()) {
            return error_response(500, "internal", "the annotation cannot be checked");
          }
          if (!may_read(read_scopes(c.caller->user, *all), object->organisation_id,
                        annotation_sensitivity(*visible.framework, object->record.sensitivity,
                                               a->codes))) {
            return error_response(403, "forbidden", "your roles do not allow this");
          }
          a->id = visible.annotation->id;
          a->domain = visible.annotation->domain;
          a->organisation_id = visible.annotation->organisation_id;
          a->coder = visible.annotation->coder;
          if (a->target.object_id.empty())
            a->target.object_id = visible.annotation->target.object_id;
          auto stored = (*annotation_store())->update(std::move(*a));
          if (!stored.is_ok()) return status_response(stored.status(), "storing the annotation");
          (void)hub_.audit("annotation.change", stored->id,
                           {{"user_id", c.caller->user.id}, {"version", stored->version}});
          json out = annotation_json(*stored, *visible.framework, usernames());
          Response r = json_response(200, out);
          wipe(out);
          return r;
        });

  route("DELETE", "/api/v1/coding/annotations/{id}", Access{true, coders()},
        [this, may_change](Context& c) {
          auto visible = visible_annotation(*c.caller, c.request.params.at("id"), coders());
          if (!visible.annotation) return visible.refusal;
          if (!may_change(*c.caller, *visible.annotation)) {
            return error_response(403, "forbidden", "only its coder or a lead removes a coding");
          }
          const std::string version = c.request.query("version");
          if (!is_small_number(version, 9)) {
            return error_response(400, "bad_request", "?version=N: the version you saw");
          }
          auto removed =
              (*annotation_store())
                  ->remove(visible.annotation->id, std::stoi(version), c.caller->user.id);
          if (!removed.is_ok()) return status_response(removed.status(), "removing the annotation");
          (void)hub_.audit("annotation.remove", removed->id, {{"user_id", c.caller->user.id}});
          Response r;
          r.status = 204;
          return r;
        });

  route("GET", "/api/v1/coding/annotations/{id}/history", Access{true, coding_readers()},
        [this](Context& c) {
          auto visible = visible_annotation(*c.caller, c.request.params.at("id"), coding_readers());
          if (!visible.annotation) return visible.refusal;
          auto versions = (*annotation_store())->history(visible.annotation->id);
          if (!versions.is_ok()) return status_response(versions.status(), "reading the history");
          const auto names = usernames();
          json list = json::array();
          for (const auto& v : *versions)
            list.push_back(annotation_json(v, *visible.framework, names));
          json out = {{"versions", std::move(list)}};
          Response r = json_response(200, out);
          wipe(out);
          return r;
        });

  // Where a code (and every code under it) was applied, in the caller's organisations, from the
  // coding view alone: no passage is decrypted, so none is logged as read. A page at a time,
  // in order of object and position, with the count of all; `next` is the cursor to go on.
  route("GET", "/api/v1/coding/passages", Access{true, coding_readers()}, [this](Context& c) {
    const auto limit = number_in(c.request.query("limit"), kPassagePage, kMaxPassagePage);
    if (!limit || *limit < 1) {
      return error_response(400, "bad_request",
                            fmt::format("limit must be a number from 1 to {}", kMaxPassagePage));
    }
    std::optional<coding::PassageCursor> after;
    if (const std::string text = c.request.query("after"); !text.empty()) {
      after = passage_cursor_from(text);
      if (!after) return error_response(400, "bad_request", "after must be a `next` of a page");
    }
    auto frameworks = framework_store();
    auto store = annotation_store();
    if (!frameworks.is_ok() || !store.is_ok()) {
      return error_response(500, "internal", "the coding view cannot be opened");
    }
    auto framework = (*frameworks)->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    const std::string code = c.request.query("code");
    if (!framework->find(code)) return error_response(404, "not_found", "no such code");
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto scopes = passage_scopes(*framework, code,
                                       organisations_where(c.caller->user, coding_readers(), *all),
                                       read_scopes(c.caller->user, *all));
    auto page = (*store)->passages(scopes, after, *limit);
    if (!page.is_ok()) return status_response(page.status(), "reading the coding view");
    const auto names = usernames();
    json list = json::array();
    for (const auto& p : page->passages) {
      auto coder = names.find(p.coder);
      list.push_back({{"annotation_id", p.annotation_id},
                      {"object_id", p.object_id},
                      {"witness", p.domain},
                      {"kind", coding::target_kind_name(p.kind)},
                      {"begin", p.begin},
                      {"end", p.end},
                      {"code", p.code_id},
                      {"revision", p.code_revision},
                      {"date", p.incident_from},
                      {"place", p.place},
                      {"facility", p.facility},
                      {"coder", coder == names.end() ? p.coder : coder->second}});
    }
    return json_response(
        200, {{"passages", std::move(list)},
              {"total", page->total},
              {"next", page->next ? json(passage_cursor_text(*page->next)) : json(nullptr)}});
  });

  // Inter-coder agreement over the texts of the caller's organisations that two or more coders
  // annotated; ?coders=a,b (usernames) narrows it to those coders.
  route("GET", "/api/v1/coding/agreement", Access{true, coding_readers()}, [this](Context& c) {
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    coding::AgreementScope scope;
    scope.organisation_ids = organisations_where(c.caller->user, coding_readers(), *all);
    const auto names = usernames();
    std::map<std::string, std::string> id_of;
    for (const auto& [id, name] : names) id_of[name] = id;
    const std::string coders_text = c.request.query("coders");
    for (std::size_t from = 0; !coders_text.empty() && from <= coders_text.size();) {
      const std::size_t comma = std::min(coders_text.find(',', from), coders_text.size());
      const std::string name = coders_text.substr(from, comma - from);
      auto id = id_of.find(name);
      if (id == id_of.end())
        return error_response(400, "bad_request", "no coder " + name.substr(0, 60));
      scope.coders.push_back(id->second);
      from = comma + 1;
    }
    auto store = annotation_store();
    if (!store.is_ok()) return status_response(store.status(), "opening the coding view");
    auto report = coding::agreement_in_hub(hub_, **store, scope);
    if (!report.is_ok()) return status_response(report.status(), "measuring agreement");
    auto name_of = [&](const std::string& id) {
      auto it = names.find(id);
      return it == names.end() ? id : it->second;
    };
    auto value = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json codes = json::array();
    for (const auto& code : report->codes) {
      json pairs = json::array();
      for (const auto& p : code.pairs) {
        pairs.push_back({{"coder_a", name_of(p.coder_a)},
                         {"coder_b", name_of(p.coder_b)},
                         {"kappa", value(p.kappa.value)},
                         {"kappa_undefined", p.kappa.undefined_reason},
                         {"observed", p.kappa.observed},
                         {"chance", p.kappa.chance},
                         {"table",
                          {{"both", p.kappa.table.both},
                           {"only_a", p.kappa.table.only_a},
                           {"only_b", p.kappa.table.only_b},
                           {"neither", p.kappa.table.neither}}},
                         {"overlap", value(p.overlap.jaccard)}});
      }
      json disagreements = json::array();
      for (const auto& d : code.disagreements) {
        json applied = json::array(), not_applied = json::array();
        for (const auto& x : d.applied) applied.push_back(name_of(x));
        for (const auto& x : d.not_applied) not_applied.push_back(name_of(x));
        disagreements.push_back({{"object_id", d.text_id},
                                 {"unit", d.unit_index},
                                 {"begin", d.begin},
                                 {"end", d.end},
                                 {"applied", std::move(applied)},
                                 {"not_applied", std::move(not_applied)}});
      }
      codes.push_back({{"code", code.code},
                       {"pairs", std::move(pairs)},
                       {"mean_kappa", value(code.mean_kappa)},
                       {"alpha", value(code.alpha.value)},
                       {"alpha_undefined", code.alpha.undefined_reason},
                       {"disagreements", std::move(disagreements)}});
    }
    json coders = json::array();
    for (const auto& x : report->coders) coders.push_back(name_of(x));
    return json_response(200, {{"coders", std::move(coders)},
                               {"units", report->units},
                               {"pairable_units", report->pairable_units},
                               {"overall_alpha", value(report->overall_alpha.value)},
                               {"codes", std::move(codes)}});
  });
}

}  // namespace evhub::api
