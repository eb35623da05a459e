// evhub request add|list|show and evhub package build|redact|submit|approve|export|history|
// verify: a legal officer answers a request for assistance from the command line (the web
// pages do the same through the API). `package verify PATH` runs what a recipient's stock
// tools check (age, tar, minisign, sha256sum, sha512sum, Payload-Oxum) in one go; it needs no
// hub, so a recipient who runs evhub can use it too.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "coding/framework_store.h"
#include "collection/collection.h"
#include "core/clock.h"
#include "core/fs.h"
#include "disclosure/package_builder.h"
#include "disclosure/package_export.h"
#include "disclosure/package_verify.h"
#include "disclosure/packages.h"
#include "disclosure/redact_item.h"
#include "disclosure/requests.h"
#include "disclosure/source_spec.h"
#include "hub/hub.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

struct PackageArgs {
  std::string action;  // request: add | list | show; package: build | redact | ... | verify
  std::string path;    // package verify: the package; other package actions: the package id
  std::string identity;
  std::string trusted_key;
  // request add / show
  std::string request;  // request show, package build: the request's id
  std::string kind;
  std::string body;
  std::string reference;
  std::string received;
  std::string deadline;
  std::string legal_basis;
  std::string contact;
  std::vector<std::string> covers;
  // request move / correspond
  std::string status;     // move: where it goes
  std::string file;       // correspond: the letter
  std::string direction;  // correspond: in or out
  std::string on;         // correspond: the letter's date
  std::string label;      // correspond: what it is
  // package build / redact / export / history
  std::vector<std::string> items;    // OBJECT or OBJECT:FOLDER
  std::vector<std::string> sources;  // KIND:VALUE (disclosure/source_spec.h)
  std::string object;
  std::vector<std::string> boxes;  // PAGE,X,Y,W,H
  bool all_texts = false;          // redact: every text not redacted yet, in one version
  bool all = false;                // review: every redaction not reviewed yet, in one version
  std::vector<std::string> recipients;
  std::string out_dir = ".";
  std::string witness;
  std::string prefix = "EVH";
};
PackageArgs& args() {
  static PackageArgs a;
  return a;
}

const char* verdict_name(disclosure::Verdict v) {
  switch (v) {
    case disclosure::Verdict::kPassed:
      return "passed";
    case disclosure::Verdict::kFailed:
      return "failed";
    case disclosure::Verdict::kNote:
      break;
  }
  return "note";
}

// Runs `work` on the unlocked hub; a failure is reported as every command reports it.
int with_hub(const Options& o, const std::function<Status(hub::Hub&)>& work) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  const Status st = work(**hub);
  return st.is_ok() ? 0 : report_failure(o, st);
}

void print(const Options& o, const json& j, const std::string& text) {
  if (o.json) {
    std::cout << j.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
  } else {
    std::cout << text;
  }
}

std::string today() {
  return now_rfc3339().substr(0, 10);
}

Status request_add(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  EVHUB_ASSIGN_OR_RETURN(auto org, organisation_id(hub, o.organisation));
  EVHUB_ASSIGN_OR_RETURN(auto frameworks, coding::FrameworkStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto framework, frameworks->current());
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  disclosure::Request r;
  r.organisation_id = org;
  r.requester = {a.kind, a.body, a.contact};
  r.received_on = a.received.empty() ? today() : a.received;
  r.reference = a.reference;
  r.legal_basis = a.legal_basis;
  r.deadline = a.deadline;
  r.scope.restricted = a.covers;
  r.updated_by = hub.actor();
  EVHUB_ASSIGN_OR_RETURN(auto added, requests->add(r, framework));
  print(o, {{"id", added.id}, {"version", added.version}, {"status", added.status}},
        fmt::format("request {} registered ({})\n", added.id, added.status));
  return Status::ok();
}

Status request_list(const Options& o, hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto listed, requests->list({}, {}));
  json out = json::array();
  std::string text;
  for (const auto& r : listed) {
    out.push_back({{"id", r.id},
                   {"requester_kind", r.requester_kind},
                   {"body", r.body},
                   {"reference", r.reference},
                   {"received_on", r.received_on},
                   {"deadline", r.deadline},
                   {"status", r.status}});
    text +=
        fmt::format("{}  {:<13} {:<28} {}  deadline {}  ({})\n", r.id, r.status, r.requester_kind,
                    r.body, r.deadline.empty() ? "-" : r.deadline, r.reference);
  }
  print(o, {{"requests", out}}, text.empty() ? "no requests\n" : text);
  return Status::ok();
}

Status request_show(const Options& o, hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto found, requests->get(args().request));
  if (!found) return Status(Code::kNotFound, "there is no request " + args().request);
  const auto& r = *found;
  print(o,
        {{"id", r.id},
         {"version", r.version},
         {"status", r.status},
         {"requester", {{"kind", r.requester.kind}, {"body", r.requester.body}}},
         {"reference", r.reference},
         {"legal_basis", r.legal_basis},
         {"received_on", r.received_on},
         {"deadline", r.deadline},
         {"covers", r.scope.restricted}},
        fmt::format("{} (version {}, {})\nrequester: {} ({})\nreference: {}\nlegal basis: {}\n"
                    "received: {}  deadline: {}\ncovers: {}\n",
                    r.id, r.version, r.status, r.requester.body, r.requester.kind, r.reference,
                    r.legal_basis, r.received_on, r.deadline.empty() ? "-" : r.deadline,
                    r.scope.restricted.empty()
                        ? "no restricted category"
                        : fmt::format("{}", fmt::join(r.scope.restricted, ", "))));
  return Status::ok();
}

// The newest version of a request (kNotFound when there is none).
Result<disclosure::Request> newest_request(disclosure::RequestRegister& requests,
                                           const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(auto found, requests.get(id));
  if (!found) return Status(Code::kNotFound, "there is no request " + id);
  return std::move(*found);
}

// A step of the request's status, from its newest version (the register refuses a step its
// path does not allow, with the steps that are).
Status request_move(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  if (a.status.empty()) return Status(Code::kInvalidArgument, "--status: where the request goes");
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto r, newest_request(*requests, a.request));
  EVHUB_ASSIGN_OR_RETURN(r, requests->move(r.id, r.version, a.status, hub.actor()));
  print(o, {{"id", r.id}, {"version", r.version}, {"status", r.status}},
        fmt::format("request {} is {} (version {})\n", r.id, r.status, r.version));
  return Status::ok();
}

// A letter exchanged with the requester, stored in the request's key domain and listed in a
// new version of the request.
Status request_correspond(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  if (a.file.empty()) return Status(Code::kInvalidArgument, "--file: the letter to add");
  EVHUB_ASSIGN_OR_RETURN(auto file, local_fs().open_read(a.file));
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto r, newest_request(*requests, a.request));
  disclosure::Correspondence letter;
  letter.direction = a.direction;
  letter.on = a.on.empty() ? today() : a.on;
  letter.label = a.label;
  EVHUB_ASSIGN_OR_RETURN(
      r, requests->add_correspondence(r.id, r.version, std::move(letter), *file, hub.actor()));
  const auto& added = r.correspondence.back();
  print(o,
        {{"id", r.id},
         {"version", r.version},
         {"object", added.object_id},
         {"direction", added.direction},
         {"on", added.on}},
        fmt::format("{} added to request {} as {} (version {})\n", a.file, r.id, added.object_id,
                    r.version));
  return Status::ok();
}

// The newest version of a package (kNotFound when there is none).
Result<disclosure::Package> newest_package(disclosure::PackageStore& packages,
                                           const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(auto found, packages.get(id));
  if (!found) return Status(Code::kNotFound, "there is no package " + id);
  return std::move(*found);
}

// The candidates of --from sources, as the operator (every sensitivity, the request's
// organisation only: a package answers for one organisation). Saved searches belong to users of
// the API and are not offered here.
Result<std::vector<disclosure::ItemSpec>> items_from_sources(hub::Hub& hub,
                                                             collection::Collection& witnesses,
                                                             const disclosure::Request& request,
                                                             const std::vector<std::string>& from,
                                                             std::string& report) {
  std::vector<disclosure::ItemSpec> specs;
  if (from.empty()) return specs;
  const std::vector<std::string> all(std::begin(catalog::kSensitivities),
                                     std::end(catalog::kSensitivities));
  disclosure::PackageSources sources(hub, witnesses, {{request.organisation_id, all}});
  EVHUB_ASSIGN_OR_RETURN(auto frameworks, coding::FrameworkStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto framework, frameworks->current());
  EVHUB_ASSIGN_OR_RETURN(auto annotations, coding::AnnotationStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto incidents, coding::IncidentStore::open(hub, *annotations));
  EVHUB_ASSIGN_OR_RETURN(auto summaries,
                         coding::SummaryStore::open(hub, witnesses, *annotations, framework));
  auto index = search::Index::open_readonly({hub.layout().index()});
  disclosure::SourceStores stores;
  stores.incidents = incidents.get();
  stores.summaries = summaries.get();
  stores.annotations = annotations.get();
  stores.framework = &framework;
  stores.index = index.is_ok() ? index->get() : nullptr;
  stores.scopes = {{request.organisation_id, all, true}};
  std::vector<disclosure::ItemSource> items;
  for (const auto& text : from) {
    EVHUB_ASSIGN_OR_RETURN(auto spec, disclosure::parse_source(text));
    EVHUB_ASSIGN_OR_RETURN(auto got, disclosure::expand_source(sources, spec, stores));
    report += fmt::format("  from {}: {} items", text, got.items.size());
    if (got.withheld) report += fmt::format(", {} of another organisation left out", got.withheld);
    if (got.erased) report += fmt::format(", {} erased with their witness", got.erased);
    report += "\n";
    disclosure::append_unique(items, got.items);
  }
  for (auto& i : items) specs.push_back({i.object_id, i.folder, i.description});
  return specs;
}

Status package_build(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto request, requests->get(a.request));
  if (!request) return Status(Code::kNotFound, "there is no request " + a.request);
  EVHUB_ASSIGN_OR_RETURN(auto witnesses, collection::Collection::open(hub));
  std::string sourced;
  EVHUB_ASSIGN_OR_RETURN(auto specs,
                         items_from_sources(hub, *witnesses, *request, a.sources, sourced));
  for (const auto& spec : a.items) {
    const auto colon = spec.find(':');
    disclosure::ItemSpec item;
    item.object_id = spec.substr(0, colon);
    if (colon != std::string::npos) item.folder = spec.substr(colon + 1);
    const bool listed = std::any_of(specs.begin(), specs.end(),
                                    [&](const auto& s) { return s.object_id == item.object_id; });
    if (!listed) specs.push_back(std::move(item));
  }
  if (specs.empty()) {
    return Status(Code::kInvalidArgument, "name the items: --item OBJECT or --from SOURCE");
  }
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto built, disclosure::build_package(hub, *witnesses, *packages, *request,
                                                               specs, today(), hub.actor()));
  json listed = json::array();
  std::string text;
  for (const auto& c : built.gated.candidates) {
    listed.push_back({{"object", c.item.object_id},
                      {"witness", c.item.witness},
                      {"allowed", c.item.gate.allowed},
                      {"reason", c.decision.reason},
                      {"warnings", c.warnings}});
    text += fmt::format("  {} {}: {}\n", c.item.gate.allowed ? "ok     " : "BLOCKED",
                        c.item.object_id, c.decision.reason);
    if (std::find(c.warnings.begin(), c.warnings.end(), "gps") != c.warnings.end()) {
      text += fmt::format(
          "    warning: {} says where it was taken (GPS in its metadata): redact "
          "it (package redact --box) to drop its metadata, or send it knowingly\n",
          c.item.object_id);
    }
  }
  const auto& renew = built.gated.renew;
  if (!renew.empty()) text += fmt::format("consent to renew: {}\n", fmt::join(renew, ", "));
  const auto& made = built.package;
  print(o, {{"id", made.id}, {"version", made.version}, {"items", listed}, {"renew", renew}},
        fmt::format("package {} for {}:\n", made.id, request->id) + sourced + text);
  return Status::ok();
}

// PAGE,X,Y,WIDTH,HEIGHT (fractions of the page) as a box.
Result<disclosure::RedactionBox> parse_box(const std::string& text) {
  disclosure::RedactionBox b;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d,%lf,%lf,%lf,%lf%c", &b.page, &b.x, &b.y, &b.width, &b.height,
                  &tail) != 5) {
    return Status(
        Code::kInvalidArgument,
        "--box PAGE,X,Y,WIDTH,HEIGHT (fractions of the page, from its top left): " + text);
  }
  return b;
}

// Every text of the package not redacted yet, in one version: what a legal officer does before
// reading them one by one.
Status package_redact_all_texts(const Options& o, hub::Hub& hub, disclosure::PackageStore& packages,
                                const disclosure::Package& p) {
  EVHUB_ASSIGN_OR_RETURN(auto witnesses, collection::Collection::open(hub));
  EVHUB_ASSIGN_OR_RETURN(
      auto done, disclosure::redact_package_items(hub, *witnesses, packages, p, {}, hub.actor()));
  json redacted = json::array();
  std::string text = done.object_ids.empty()
                         ? fmt::format("{} has no text left to redact\n", p.id)
                         : fmt::format(
                               "{} texts redacted (package {} version {}); read each "
                               "(evhub get OBJECT) and then confirm the reviews "
                               "(evhub package review {} --all, or --object ITEM):\n",
                               done.object_ids.size(), p.id, done.package.version, p.id);
  for (std::size_t i = 0; i < done.object_ids.size(); ++i) {
    const auto& r = done.redacted[i];
    redacted.push_back({{"item", done.object_ids[i]},
                        {"object", r.object_id},
                        {"sha256", r.sha256},
                        {"removals", r.log.size()}});
    text += fmt::format("  {} as {}: {} removals\n", done.object_ids[i], r.object_id, r.log.size());
  }
  print(o, {{"id", done.package.id}, {"version", done.package.version}, {"redacted", redacted}},
        text);
  return Status::ok();
}

Status package_redact(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  if (a.all_texts == !a.object.empty()) {
    return Status(Code::kInvalidArgument, "give --object OBJECT, or --all-texts (not both)");
  }
  if (a.all_texts && !a.boxes.empty()) {
    return Status(Code::kInvalidArgument,
                  "--box marks one image or PDF: give it with --object, not --all-texts");
  }
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto p, newest_package(*packages, a.path));
  if (a.all_texts) return package_redact_all_texts(o, hub, *packages, p);
  std::vector<disclosure::RedactionBox> boxes;
  for (const auto& text : a.boxes) {
    EVHUB_ASSIGN_OR_RETURN(auto box, parse_box(text));
    boxes.push_back(box);
  }
  EVHUB_ASSIGN_OR_RETURN(auto witnesses, collection::Collection::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto done, disclosure::redact_package_item(hub, *witnesses, *packages, p,
                                                                    a.object, boxes, hub.actor()));
  const auto& redacted = done.redacted;
  json log = json::array();
  std::string text = fmt::format(
      "{} redacted as {}; read it (evhub get {}) and then confirm "
      "the review (evhub package review {} --object {}):\n",
      a.object, redacted.object_id, redacted.object_id, p.id, a.object);
  for (const auto& e : redacted.log) {
    log.push_back({{"kind", e.kind}, {"page", e.page}, {"begin", e.begin}, {"end", e.end}});
    text += e.page ? fmt::format("  {} on page {}\n", e.kind, e.page)
                   : fmt::format("  {} at {}..{}\n", e.kind, e.begin, e.end);
  }
  print(o, {{"object", redacted.object_id}, {"sha256", redacted.sha256}, {"log", log}}, text);
  return Status::ok();
}

Status package_review(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  if (a.all == !a.object.empty()) {
    return Status(Code::kInvalidArgument, "give --object OBJECT, or --all (not both)");
  }
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto p, newest_package(*packages, a.path));
  if (a.all) {
    std::size_t pending = 0;
    for (const auto& item : p.items) {
      if (!item.delivered_object_id.empty() && item.redaction_reviewed_by.empty()) ++pending;
    }
    EVHUB_ASSIGN_OR_RETURN(p, disclosure::review_redactions(*packages, p, {}, hub.actor()));
    print(o, {{"id", p.id}, {"version", p.version}, {"reviewed", pending}},
          pending == 0 ? fmt::format("{} has no redaction left to review\n", p.id)
                       : fmt::format("{} redactions of {} are reviewed by {}\n", pending, p.id,
                                     hub.actor()));
    return Status::ok();
  }
  EVHUB_ASSIGN_OR_RETURN(p, disclosure::review_redaction(*packages, p, a.object, hub.actor()));
  print(o, {{"id", p.id}, {"version", p.version}},
        fmt::format("the redaction of {} is reviewed by {}\n", a.object, hub.actor()));
  return Status::ok();
}

// submit, approve: one step of the workflow on the newest version.
Status package_step(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto p, newest_package(*packages, a.path));
  EVHUB_ASSIGN_OR_RETURN(p, a.action == "submit" ? packages->submit(p.id, p.version, hub.actor())
                                                 : packages->approve(p.id, p.version, hub.actor()));
  print(o, {{"id", p.id}, {"version", p.version}, {"state", p.state}},
        fmt::format("package {} is {}\n", p.id, p.state));
  return Status::ok();
}

Status package_export(const Options& o, hub::Hub& hub) {
  const PackageArgs& a = args();
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto p, newest_package(*packages, a.path));
  EVHUB_ASSIGN_OR_RETURN(auto requests, disclosure::RequestRegister::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto request, requests->get(p.request_id));
  if (!request) return Status(Code::kNotFound, "the package's request is gone");
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  EVHUB_ASSIGN_OR_RETURN(auto orgs, accounts->organisations());
  disclosure::ExportOptions options;
  options.out_dir = a.out_dir;
  options.age_recipients = a.recipients;
  options.request_reference = request->reference.empty() ? request->id : request->reference;
  options.prefix = a.prefix;
  for (const auto& org : orgs) {
    if (org.id == p.organisation_id) options.source_organization = org.name;
  }
  EVHUB_ASSIGN_OR_RETURN(auto witnesses, collection::Collection::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto exported,
                         disclosure::export_package(hub, *packages, *witnesses, *request, p.id,
                                                    p.version, hub.actor(), options));
  print(o,
        {{"path", exported.path},
         {"bag", exported.bag_name},
         {"files", exported.files},
         {"payload_oxum", exported.payload_oxum},
         {"export_event", exported.export_event}},
        fmt::format("{} written: {} files ({} bytes.files), export logged as event {}\n",
                    exported.path, exported.files, exported.payload_oxum, exported.export_event));
  return Status::ok();
}

Status package_history(const Options& o, hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(auto packages, disclosure::PackageStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto gone, packages->disclosures_of(args().witness));
  json out = json::array();
  std::string text;
  for (const auto& d : gone) {
    out.push_back({{"package", d.package_id},
                   {"request", d.request_id},
                   {"object", d.object_id},
                   {"consent_version", d.consent_version},
                   {"exported_at", d.exported_at}});
    text += fmt::format("{}  {}  {}  {} (consent v{})\n", d.exported_at, d.request_id, d.package_id,
                        d.object_id, d.consent_version);
  }
  print(o, {{"witness", args().witness}, {"disclosures", out}},
        text.empty() ? args().witness + "'s material has not been disclosed\n" : text);
  return Status::ok();
}

}  // namespace

int run_disclosure_command(CLI::App& app, const Options& o) {
  const std::string& action = args().action;
  if (app.got_subcommand("request")) {
    if (action == "add") return with_hub(o, [&](hub::Hub& h) { return request_add(o, h); });
    if (action == "list") return with_hub(o, [&](hub::Hub& h) { return request_list(o, h); });
    if (action == "move") return with_hub(o, [&](hub::Hub& h) { return request_move(o, h); });
    if (action == "correspond") {
      return with_hub(o, [&](hub::Hub& h) { return request_correspond(o, h); });
    }
    return with_hub(o, [&](hub::Hub& h) { return request_show(o, h); });
  }
  if (action == "verify") return cmd_package_verify(o);
  const std::map<std::string, Status (*)(const Options&, hub::Hub&)> steps = {
      {"build", package_build},    {"redact", package_redact}, {"review", package_review},
      {"submit", package_step},    {"approve", package_step},  {"export", package_export},
      {"history", package_history}};
  const auto step = steps.at(action);
  return with_hub(o, [&](hub::Hub& h) { return step(o, h); });
}

int cmd_package_verify(const Options& o) {
  const PackageArgs& a = args();
  if (a.path.empty()) {
    return report_failure(o, Status(Code::kInvalidArgument, "name the package to verify"));
  }
  disclosure::PackageVerifyOptions options;
  if (!a.identity.empty()) options.age_identity_file = a.identity;
  if (!a.trusted_key.empty()) {
    std::ifstream in(a.trusted_key);
    if (!in) return report_failure(o, Status(Code::kNotFound, "cannot read " + a.trusted_key));
    options.trusted_public_key = std::string((std::istreambuf_iterator<char>(in)), {});
  }
  auto report = disclosure::verify_package(a.path, options);
  if (!report.is_ok()) return report_failure(o, report.status());
  if (o.json) {
    json lines = json::array();
    for (const auto& l : report->lines()) {
      lines.push_back({{"verdict", verdict_name(l.verdict)}, {"text", l.text}});
    }
    std::cout << json{{"ok", report->ok()}, {"lines", lines}}.dump(-1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    std::cout << report->to_text()
              << (report->ok() ? "the package is intact\n"
                               : "the package FAILED its checks: do not use it; tell the sender\n");
  }
  return report->ok() ? 0 : exit_code_for(Code::kIntegrity);
}

void register_disclosure_commands(CLI::App& app, Options& o) {
  PackageArgs& a = args();
  auto* request =
      app.add_subcommand("request", "requests for assistance: add, list, show, move, correspond");
  request->add_option("action", a.action, "add, list, show, move or correspond")
      ->required()
      ->check(CLI::IsMember({"add", "list", "show", "move", "correspond"}));
  request->add_option("id", a.request, "show, move, correspond: the request (RQ-2026-0007)");
  request->add_option("--status", a.status,
                      "move: scoping, collecting, legal-review, approved, delivered or closed");
  request->add_option("--file", a.file, "correspond: the letter, e-mail or note to add");
  request->add_option("--direction", a.direction, "correspond: in (from the requester) or out")
      ->check(CLI::IsMember({"in", "out"}));
  request->add_option("--on", a.on, "correspond: the letter's date, YYYY-MM-DD (default: today)");
  request->add_option("--label", a.label,
                      "correspond: what it is (\"letter of request\", \"extension granted\")");
  request->add_option("--org", o.organisation, "add: the organisation answering it");
  request->add_option("--kind", a.kind,
                      "add: national-prosecution-service, icc-otp, un-mechanism, "
                      "osce-mechanism, lawyer or ngo");
  request->add_option("--body", a.body, "add: the State or body asking");
  request->add_option("--reference", a.reference, "add: the requester's reference");
  request->add_option("--received", a.received, "add: YYYY-MM-DD (default: today)");
  request->add_option("--deadline", a.deadline, "add: YYYY-MM-DD");
  request->add_option("--legal-basis", a.legal_basis, "add: treaty, statute or mandate");
  request->add_option("--contact", a.contact, "add: who handles it (kept encrypted)");
  request->add_option("--covers", a.covers,
                      "add: a restricted category the scope covers (health, sexual-violence); "
                      "repeatable");

  auto* package = app.add_subcommand(
      "package",
      "disclosure packages: build, redact, review, submit, approve, export, history, verify");
  package
      ->add_option("action", a.action,
                   "build, redact, review, submit, approve, export, history or verify")
      ->required()
      ->check(CLI::IsMember(
          {"build", "redact", "review", "submit", "approve", "export", "history", "verify"}));
  package->add_option("id", a.path,
                      "the package (pk-...); verify: the package file or unpacked bag");
  package->add_option("--request", a.request, "build: the request it answers");
  package->add_option("--item", a.items,
                      "build: an object to include, OBJECT or OBJECT:FOLDER; repeatable");
  package->add_option("--from", a.sources,
                      "build: the items of a source: incident:ID, witness:CODE, summary:ID "
                      "(summary+refs:ID with the objects it quotes), code:CODE or search:QUERY; "
                      "repeatable");
  package->add_option("--object", a.object, "redact, review: the item's object");
  package->add_flag("--all-texts", a.all_texts,
                    "redact: every text the package delivers whole, in one version");
  package->add_flag("--all", a.all, "review: every redaction not reviewed yet, in one version");
  package->add_option("--box", a.boxes,
                      "redact: PAGE,X,Y,WIDTH,HEIGHT to black out (fractions of the page); "
                      "repeatable");
  package->add_option("--recipient", a.recipients,
                      "export: the recipient's age public key (age1...); repeatable");
  package->add_option("--out-dir", a.out_dir, "export: where the .tar.age goes (default: .)");
  package->add_option("--prefix", a.prefix, "export: of production numbers (default: EVH)");
  package->add_option("--witness", a.witness, "history: where this witness's material went");
  package->add_option("--identity", a.identity, "verify: the age identity that decrypts it");
  package->add_option("--trusted-key", a.trusted_key,
                      "verify: the hub's minisign public key as given to you by another channel");
}

}  // namespace evhub::cli
