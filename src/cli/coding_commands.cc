// evhub framework show|export|import, evhub annotations export and evhub agreement: the coding
// framework, the codings and inter-coder agreement from the command line. The operator holds
// the passphrase and acts on the whole hub; what leaves it as plaintext (an annotations export
// with its passages) is written to the custody log first.
#include <filesystem>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "coding/annotations.h"
#include "coding/coded_agreement.h"
#include "coding/framework_store.h"
#include "coding/summary.h"
#include "collection/collection.h"
#include "core/fs.h"
#include "crypto/crypto.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

struct CodingArgs {
  std::string action;  // framework: show | export | import
  std::string format;  // json or csv; import: told by the file's extension when not given
  std::string file;
  std::string out;
  std::string object;
  std::string code;
  std::string coders;  // agreement: usernames, comma-separated
  std::string summary_id;
  int version = 0;     // summary export: 0 for the newest
  bool draft = false;  // summary export: a version not approved, marked DRAFT
  bool dry_run = false;
};
CodingArgs& args() {
  static CodingArgs a;
  return a;
}

// Writes `text` to --out (refusing to overwrite unless --force), or to standard output.
Status write_out(const Options& o, const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return Status::ok();
  }
  if (!o.force && local_fs().exists(path)) {
    return Status(Code::kAlreadyExists, path + " exists; use --force to replace it");
  }
  return write_file_atomic(local_fs(), path, as_bytes(text));
}

// User ids to usernames (ids stay as they are when the account is unknown).
std::map<std::string, std::string> usernames(hub::Hub& hub) {
  std::map<std::string, std::string> names;
  auto accounts = accounts::Accounts::open(hub.layout().accounts());
  if (!accounts.is_ok()) return names;
  auto users = (*accounts)->users();
  if (users.is_ok()) {
    for (const auto& u : *users) names[u.id] = u.username;
  }
  return names;
}

void print_tree(const coding::Framework& f) {
  std::cout << fmt::format("coding framework, version {}, {} codes\n", f.version(),
                           f.codes().size());
  for (const auto& code : f.codes()) {
    const std::size_t depth = f.path(code.id).size();
    std::cout << fmt::format("{:{}}{}  {}{}{}\n", "", 2 * (depth - 1), code.id, code.label.en,
                             code.restricted ? "  [restricted]" : "",
                             code.retired ? "  [retired]" : "");
  }
}

int cmd_framework(const Options& o) {
  const CodingArgs& a = args();
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto store = coding::FrameworkStore::open(**hub);
  if (!store.is_ok()) return report_failure(o, store.status());
  auto now = (*store)->current();
  if (!now.is_ok()) return report_failure(o, now.status());
  if (a.action == "show") {
    if (o.json) {
      std::cout << coding::framework_to_json(*now) << "\n";
    } else {
      print_tree(*now);
    }
    return 0;
  }
  if (a.action == "export") {
    const std::string text =
        a.format == "csv" ? coding::framework_to_csv(*now) : coding::framework_to_json(*now);
    Status st = write_out(o, a.out, text);
    return st.is_ok() ? 0 : report_failure(o, st);
  }
  // import: a whole framework (JSON), or a CSV of edits to the current one.
  std::error_code size_error;
  if (std::filesystem::file_size(a.file, size_error) > coding::kMaxFileBytes && !size_error) {
    return report_failure(o, Status(Code::kInvalidArgument, a.file + " is larger than 32 MiB"));
  }
  auto content = read_text_file(local_fs(), a.file);
  if (!content.is_ok()) return report_failure(o, content.status());
  const bool csv = a.format == "csv" || (a.format.empty() && a.file.ends_with(".csv"));
  auto next = csv ? coding::apply_csv(*now, *content) : coding::framework_from_json(*content);
  if (!next.is_ok()) return report_failure(o, next.status());
  const coding::FrameworkDiff changes = coding::diff(*now, *next);
  const json diff = {
      {"added", changes.added},     {"relabelled", changes.relabelled},
      {"moved", changes.moved},     {"restriction_changed", changes.restriction_changed},
      {"retired", changes.retired}, {"reinstated", changes.reinstated},
      {"removed", changes.removed}, {"rewritten", changes.rewritten}};
  Status acceptable = coding::check_successor(*now, *next);
  if (!acceptable.is_ok() || a.dry_run) {
    if (o.json) {
      std::cout << json{{"diff", diff},
                        {"acceptable", acceptable.is_ok()},
                        {"stored", false},
                        {"version", next->version()}}
                       .dump()
                << "\n";
    } else {
      for (const auto& [kind, ids] : diff.items()) {
        for (const auto& id : ids) std::cout << kind << " " << id.get<std::string>() << "\n";
      }
    }
    return acceptable.is_ok() ? 0 : report_failure(o, acceptable);
  }
  auto stored = (*store)->replace(*next, now->version(), (*hub)->actor());
  if (!stored.is_ok()) return report_failure(o, stored.status());
  if (o.json) {
    std::cout << json{{"diff", diff}, {"stored", true}, {"version", stored->version()}}.dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "coding framework version {} stored ({} added, {} relabelled, {} "
        "moved, {} retired)\n",
        stored->version(), changes.added.size(), changes.relabelled.size(), changes.moved.size(),
        changes.retired.size());
  }
  return 0;
}

json annotation_json(const coding::Annotation& x, const std::map<std::string, std::string>& names) {
  json codes = json::array();
  for (const auto& c : x.codes) codes.push_back({{"id", c.id}, {"revision", c.revision}});
  auto coder = names.find(x.coder);
  const coding::Facets& f = x.facets;
  return {{"id", x.id},
          {"version", x.version},
          {"witness", x.domain},
          {"object_id", x.target.object_id},
          {"object_sha256", x.target.object_sha256},
          {"kind", coding::target_kind_name(x.target.kind)},
          {"begin", x.target.begin},
          {"end", x.target.end},
          {"page", x.target.page},
          {"region", {x.target.x, x.target.y, x.target.width, x.target.height}},
          {"codes", codes},
          {"date", {{"from", f.date.from}, {"to", f.date.to}, {"precision", f.date.precision}}},
          {"place", f.place},
          {"facility", f.facility},
          {"persons", f.persons},
          {"units", f.units},
          {"victims", f.victims},
          {"perpetrators", f.perpetrators},
          {"memo", x.memo},
          {"coder", coder == names.end() ? x.coder : coder->second},
          {"coded_at", x.coded_at},
          {"passage", x.passage}};
}

int cmd_annotations_export(const Options& o) {
  const CodingArgs& a = args();
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto store = coding::AnnotationStore::open(**hub);
  if (!store.is_ok()) return report_failure(o, store.status());
  std::vector<coding::Annotation> chosen;
  if (!a.object.empty()) {
    auto on = (*store)->on_object(a.object);
    if (!on.is_ok()) return report_failure(o, on.status());
    chosen = std::move(*on);
  } else {
    auto where = (*store)->with_codes(
        a.code.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.code}, {});
    if (!where.is_ok()) return report_failure(o, where.status());
    std::string last;
    for (const auto& p : *where) {
      if (p.annotation_id == last) continue;
      last = p.annotation_id;
      auto one = (*store)->get(p.annotation_id);
      if (!one.is_ok()) return report_failure(o, one.status());
      if (*one) chosen.push_back(std::move(**one));
    }
  }
  // The passages are the witnesses' words: their export is in the log before it is written.
  std::vector<std::string> ids;
  for (const auto& x : chosen) ids.push_back(x.id);
  Status logged = (*hub)->audit("annotations.export", "",
                                {{"annotations", ids}, {"to", a.out.empty() ? "-" : "file"}});
  if (!logged.is_ok()) return report_failure(o, logged);
  const auto names = usernames(**hub);
  json list = json::array();
  for (const auto& x : chosen) list.push_back(annotation_json(x, names));
  std::string text =
      json{{"format", "evhub-annotations"}, {"format_version", 1}, {"annotations", std::move(list)}}
          .dump(2, ' ', false, kReplaceBadUtf8) +
      "\n";
  Status st = write_out(o, a.out, text);
  crypto::wipe(text.data(), text.size());
  if (!st.is_ok()) return report_failure(o, st);
  if (!a.out.empty() && a.out != "-" && !o.json) {
    std::cerr << fmt::format("{} annotations written to {}\n", chosen.size(), a.out);
  }
  return 0;
}

std::string number(const std::optional<double>& v) {
  return v ? fmt::format("{:.3f}", *v) : "—";
}

int cmd_agreement(const Options& o) {
  const CodingArgs& a = args();
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  const auto names = usernames(**hub);
  std::map<std::string, std::string> id_of;
  for (const auto& [id, name] : names) id_of[name] = id;
  coding::AgreementScope scope;
  for (std::size_t from = 0; !a.coders.empty() && from <= a.coders.size();) {
    const std::size_t comma = std::min(a.coders.find(',', from), a.coders.size());
    const std::string name = a.coders.substr(from, comma - from);
    auto id = id_of.find(name);
    scope.coders.push_back(id == id_of.end() ? name : id->second);
    from = comma + 1;
  }
  auto store = coding::AnnotationStore::open(**hub);
  if (!store.is_ok()) return report_failure(o, store.status());
  auto report = coding::agreement_in_hub(**hub, **store, scope);
  if (!report.is_ok()) return report_failure(o, report.status());
  auto name_of = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? id : it->second;
  };
  auto value = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  if (o.json) {
    json codes = json::array();
    for (const auto& c : report->codes) {
      json pairs = json::array();
      for (const auto& p : c.pairs) {
        pairs.push_back({{"coder_a", name_of(p.coder_a)},
                         {"coder_b", name_of(p.coder_b)},
                         {"kappa", value(p.kappa.value)},
                         {"overlap", value(p.overlap.jaccard)}});
      }
      codes.push_back({{"code", c.code},
                       {"mean_kappa", value(c.mean_kappa)},
                       {"alpha", value(c.alpha.value)},
                       {"pairs", pairs},
                       {"disagreements", c.disagreements.size()}});
    }
    json coders = json::array();
    for (const auto& c : report->coders) coders.push_back(name_of(c));
    std::cout << json{{"coders", coders},
                      {"units", report->units},
                      {"pairable_units", report->pairable_units},
                      {"overall_alpha", value(report->overall_alpha.value)},
                      {"codes", codes}}
                     .dump()
              << "\n";
    return 0;
  }
  std::string coders;
  for (const auto& c : report->coders) coders += (coders.empty() ? "" : ", ") + name_of(c);
  std::cout << fmt::format("{} coders ({}); {} sentences, {} coded by two or more\n",
                           report->coders.size(), coders, report->units, report->pairable_units);
  std::cout << fmt::format("overall alpha {}\n\n{:<40} {:>7} {:>7} {:>14}\n",
                           number(report->overall_alpha.value), "code", "kappa", "alpha",
                           "disagreements");
  for (const auto& c : report->codes) {
    std::cout << fmt::format("{:<40} {:>7} {:>7} {:>14}\n", c.code, number(c.mean_kappa),
                             number(c.alpha.value), c.disagreements.size());
  }
  return 0;
}

// Renders a summary version, stores the export in the hub (derived from the version, logged)
// and writes it to --out.
int cmd_summary_export(const Options& o) {
  const CodingArgs& a = args();
  auto format = coding::parse_export_format(a.format.empty() ? "pdf" : a.format);
  if (!format) return report_failure(o, Status(Code::kInvalidArgument, "--format pdf or docx"));
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto witnesses = collection::Collection::open(**hub);
  auto annotations = coding::AnnotationStore::open(**hub);
  auto frameworks = coding::FrameworkStore::open(**hub);
  if (!witnesses.is_ok()) return report_failure(o, witnesses.status());
  if (!annotations.is_ok()) return report_failure(o, annotations.status());
  if (!frameworks.is_ok()) return report_failure(o, frameworks.status());
  auto framework = (*frameworks)->current();
  if (!framework.is_ok()) return report_failure(o, framework.status());
  auto store = coding::SummaryStore::open(**hub, **witnesses, **annotations, *framework);
  if (!store.is_ok()) return report_failure(o, store.status());
  auto summary = (*store)->get(a.summary_id);
  if (!summary.is_ok()) return report_failure(o, summary.status());
  if (!*summary) return report_failure(o, Status(Code::kNotFound, "no summary " + a.summary_id));
  coding::ExportOptions options;
  options.draft_watermark = a.draft;
  options.people = usernames(**hub);
  const int version = a.version > 0 ? a.version : (*summary)->version;
  auto exported =
      (*store)->export_summary(a.summary_id, version, *format, (*hub)->actor(), options);
  if (!exported.is_ok()) return report_failure(o, exported.status());
  const std::string out = a.out.empty() ? fmt::format("{}-v{}.{}", a.summary_id, version,
                                                      coding::export_format_name(*format))
                                        : a.out;
  Status written = (*hub)->get(exported->object_id, out, o.force);
  if (!written.is_ok()) return report_failure(o, written);
  if (o.json) {
    std::cout << json{{"object_id", exported->object_id},
                      {"sha256", exported->sha256},
                      {"version", version},
                      {"out", out}}
                     .dump()
              << "\n";
  } else {
    std::cout << fmt::format("summary {} version {} exported to {} (object {})\n", a.summary_id,
                             version, out, exported->object_id);
  }
  return 0;
}

}  // namespace

void register_coding_commands(CLI::App& app, Options&) {
  CodingArgs& a = args();
  auto* framework = app.add_subcommand("framework", "the coding framework: show, export, import");
  framework->add_option("action", a.action, "show, export or import")
      ->required()
      ->check(CLI::IsMember({"show", "export", "import"}));
  framework->add_option("file", a.file, "import: the JSON or CSV file");
  framework
      ->add_option("--format", a.format,
                   "json or csv (export: json by default; import: by the file's extension)")
      ->check(CLI::IsMember({"json", "csv"}));
  framework->add_option("--out", a.out, "export: write to this file (default: standard output)");
  framework->add_flag("--dry-run", a.dry_run, "import: show what would change, store nothing");
  auto* annotations = app.add_subcommand("annotations", "codings: export them as JSON");
  annotations->add_option("action", a.action, "export")
      ->required()
      ->check(CLI::IsMember({"export"}));
  annotations->add_option("--object", a.object, "only the annotations on this object");
  annotations->add_option("--code", a.code, "only the annotations with this code");
  annotations->add_option("--out", a.out, "write to this file (default: standard output)");
  auto* agreement = app.add_subcommand(
      "agreement", "inter-coder agreement (kappa, alpha) over texts two or more coders coded");
  agreement->add_option("--coders", a.coders, "only these coders: usernames, comma-separated");
  auto* summary = app.add_subcommand("summary", "witness summaries: export one to PDF or DOCX");
  summary->add_option("action", a.action, "export")->required()->check(CLI::IsMember({"export"}));
  summary->add_option("id", a.summary_id, "the summary (ws-…)")->required();
  summary->add_option("--format", a.format, "pdf (default) or docx")
      ->check(CLI::IsMember({"pdf", "docx"}));
  summary->add_option("--version", a.version, "this version (default: the newest)");
  summary->add_option("--out", a.out, "the file to write (default: ID-vN.FORMAT)");
  summary->add_flag("--draft", a.draft, "a version not approved, marked DRAFT on every page");
}

int run_coding_command(CLI::App& app, const Options& o) {
  if (app.got_subcommand("framework")) {
    if (args().action == "import" && args().file.empty()) {
      return report_failure(o, Status(Code::kInvalidArgument, "name the file to import"));
    }
    return cmd_framework(o);
  }
  if (app.got_subcommand("annotations")) return cmd_annotations_export(o);
  if (app.got_subcommand("summary")) return cmd_summary_export(o);
  return cmd_agreement(o);
}

}  // namespace evhub::cli
