// evhub package verify PATH: what a recipient's stock tools check (age, tar, minisign,
// sha256sum, sha512sum, Payload-Oxum), run on a package in one go, with a report that says
// what passed and what failed. It needs no hub: a recipient who runs evhub can use it too.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/fs.h"
#include "disclosure/package_verify.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

struct PackageArgs {
  std::string action;  // verify
  std::string path;
  std::string identity;
  std::string trusted_key;
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

}  // namespace

int cmd_package_verify(const Options& o) {
  const PackageArgs& a = args();
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

void register_disclosure_commands(CLI::App& app, Options&) {
  PackageArgs& a = args();
  auto* package = app.add_subcommand("package", "disclosure packages: verify one as a recipient");
  package->add_option("action", a.action, "verify")->required()->check(CLI::IsMember({"verify"}));
  package->add_option("path", a.path, "the package: a .tar.age, a .tar or an unpacked bag")
      ->required();
  package->add_option("--identity", a.identity, "the age identity that decrypts it (key.txt)");
  package->add_option("--trusted-key", a.trusted_key,
                      "the hub's minisign public key as given to you by another channel");
}

}  // namespace evhub::cli
