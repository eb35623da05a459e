#include "disclosure/bagit_verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/status.h"
#include "disclosure/bagit_text.h"
#include "disclosure/checksums.h"

namespace evhub::disclosure {

namespace {

namespace fs = std::filesystem;

// Tag files are read whole; a bigger one is not a tag file this verifier will read.
constexpr std::uint64_t kMaxTagFileSize = 256u << 20;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_payload_path(std::string_view path) {
  return starts_with(path, "data/");
}

bool same_hex(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_hex(std::string_view s, std::size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

std::string display_name(std::string_view algorithm) {
  if (algorithm == "sha256") return "SHA-256";
  if (algorithm == "sha512") return "SHA-512";
  return std::string(algorithm);
}

std::string named(std::string_view path) {
  return "\"" + printable(path) + "\"";
}

class BagVerifier {
 public:
  BagVerifier(const std::string& dir, const BagCheckOptions& options)
      : dir_(dir), options_(options) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  }

  VerificationReport run() {
    if (!take_inventory()) return std::move(report_);
    check_declaration();
    check_bag_info();
    check_manifests(true);
    check_manifests(false);
    if (files_.count("fetch.txt") != 0) {
      fail(
          "fetch.txt asks for files to be downloaded from elsewhere; a package must be complete "
          "as delivered");
    }
    return std::move(report_);
  }

 private:
  void fail(std::string text) {
    ++failures_;
    report_.fail(std::move(text));
  }
  // A failure in hub form, a note otherwise.
  void fail_if_hub_form(std::string text) {
    if (options_.hub_form) {
      fail(std::move(text));
    } else {
      report_.note(std::move(text));
    }
  }

  bool take_inventory();
  void add_entry(const fs::directory_entry& entry, std::error_code& ec);
  std::optional<std::string> read_tag_file(const std::string& name);
  const Result<Checksums>& checksums(const std::string& path);
  void check_declaration();
  void check_bag_info();
  void check_oxum(const std::vector<bagit::Field>& fields);
  void check_manifests(bool payload);
  void check_manifest(const std::string& name, const std::string& algorithm, bool payload);
  bool check_line(const std::string& name, const std::string& algorithm, bool payload,
                  std::size_t number, std::string_view line, std::set<std::string>& listed);
  void check_complete(const std::string& name, bool payload, const std::set<std::string>& listed);
  bool may_be_unlisted(const std::string& path) const;

  std::string dir_;
  const BagCheckOptions& options_;
  VerificationReport report_;
  int failures_ = 0;
  std::map<std::string, std::uint64_t> files_;  // every regular file (relative path) and size
  std::map<std::string, Result<Checksums>> sums_;
};

bool BagVerifier::take_inventory() {
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) {
    fail("there is no bag at " + named(dir_) + ": it is not a directory");
    return false;
  }
  fs::recursive_directory_iterator it(dir_, ec), end;
  for (; !ec && it != end; it.increment(ec)) add_entry(*it, ec);
  if (ec) fail("the bag's files could not all be read: " + ec.message());
  if (!fs::is_directory(fs::symlink_status(dir_ + "/data", ec))) {
    fail("data/ is missing: the bag has no payload directory");
  }
  return true;
}

void BagVerifier::add_entry(const fs::directory_entry& entry, std::error_code& ec) {
  const std::string path = entry.path().lexically_relative(dir_).generic_string();
  const fs::file_status st = entry.symlink_status(ec);
  if (ec) return;
  if (fs::is_symlink(st)) {
    fail(named(path) + " is a symbolic link; a bag holds only files and directories");
  } else if (fs::is_regular_file(st)) {
    files_[path] = entry.file_size(ec);
  } else if (!fs::is_directory(st)) {
    fail(named(path) + " is a device, pipe or socket; a bag holds only files and directories");
  }
}

std::optional<std::string> BagVerifier::read_tag_file(const std::string& name) {
  const auto found = files_.find(name);
  if (found == files_.end()) return std::nullopt;
  if (found->second > kMaxTagFileSize) {
    fail(named(name) + " is too large to be a tag file");
    return std::nullopt;
  }
  std::ifstream in(dir_ + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    fail(named(name) + " could not be read");
    return std::nullopt;
  }
  return text.str();
}

const Result<Checksums>& BagVerifier::checksums(const std::string& path) {
  auto found = sums_.find(path);
  if (found == sums_.end()) found = sums_.try_emplace(path, checksum_file(dir_ + "/" + path)).first;
  return found->second;
}

void BagVerifier::check_declaration() {
  const auto text = read_tag_file("bagit.txt");
  if (!text) {
    fail("bagit.txt is missing: this is not a complete BagIt bag (was the package cut short?)");
    return;
  }
  const auto parsed = bagit::parse_fields(*text);
  const auto& f = parsed.fields;
  const bool valid = parsed.problems.empty() && f.size() == 2 && f[0].label == "BagIt-Version" &&
                     (f[0].value == "1.0" || f[0].value == "0.97") &&
                     f[1].label == "Tag-File-Character-Encoding" && f[1].value == "UTF-8";
  if (!valid || (options_.hub_form && *text != bagit::kDeclaration)) {
    fail(
        "bagit.txt is invalid: it must say \"BagIt-Version: 1.0\" and "
        "\"Tag-File-Character-Encoding: UTF-8\", in that order");
    return;
  }
  report_.pass("bagit.txt declares a BagIt " + f[0].value + " bag with UTF-8 tag files");
}

void BagVerifier::check_bag_info() {
  const auto text = read_tag_file("bag-info.txt");
  if (!text) {
    fail_if_hub_form("bag-info.txt is missing, so the bag's size (Payload-Oxum) is not checked");
    return;
  }
  const auto parsed = bagit::parse_fields(*text);
  for (const auto& problem : parsed.problems) fail("bag-info.txt: " + problem);
  if (options_.hub_form) {
    for (const char* label :
         {"Source-Organization", "External-Identifier", "Bagging-Date", "Payload-Oxum"}) {
      const bool found = std::any_of(parsed.fields.begin(), parsed.fields.end(),
                                     [&](const auto& field) { return field.label == label; });
      if (!found) fail(fmt::format("bag-info.txt has no {} field", label));
    }
  }
  check_oxum(parsed.fields);
}

void BagVerifier::check_oxum(const std::vector<bagit::Field>& fields) {
  std::vector<std::string> values;
  for (const auto& f : fields) {
    if (f.label == "Payload-Oxum") values.push_back(f.value);
  }
  if (values.empty()) {
    if (!options_.hub_form) report_.note("bag-info.txt has no Payload-Oxum to check");
    return;
  }
  const auto claimed = values.size() == 1 ? bagit::parse_payload_oxum(values[0]) : std::nullopt;
  if (!claimed) {
    fail("bag-info.txt: Payload-Oxum must appear once, as OCTETS.FILES (e.g. 52341.7)");
    return;
  }
  bagit::PayloadOxum actual;
  for (const auto& [path, size] : files_) {
    if (is_payload_path(path)) actual = {actual.octets + size, actual.files + 1};
  }
  if (*claimed != actual) {
    fail(
        fmt::format("Payload-Oxum in bag-info.txt says {} bytes in {} files, but data/ holds {} "
                    "bytes in {} files: files were added, removed, cut short or extended",
                    claimed->octets, claimed->files, actual.octets, actual.files));
    return;
  }
  report_.pass(fmt::format("Payload-Oxum matches: data/ holds {} bytes in {} files", actual.octets,
                           actual.files));
}

void BagVerifier::check_manifests(bool payload) {
  const std::string prefix = payload ? "manifest-" : "tagmanifest-";
  std::map<std::string, std::string> manifests;  // file name -> algorithm
  for (const auto& [path, size] : files_) {
    if (auto algorithm = bagit::manifest_algorithm(path, prefix)) manifests[path] = *algorithm;
  }
  for (const char* algorithm : bagit::kAlgorithms) {
    const std::string name = prefix + algorithm + ".txt";
    if (options_.hub_form && manifests.count(name) == 0) fail(name + " is missing");
  }
  if (payload && manifests.empty() && !options_.hub_form) {
    fail(
        "the bag has no payload manifest (manifest-sha256.txt or manifest-sha512.txt): "
        "nothing says what data/ should hold");
  }
  for (const auto& [name, algorithm] : manifests) {
    if (bagit::hex_length(algorithm) == 0) {
      fail_if_hub_form(named(name) + " is not checked: this verifier knows SHA-256 and SHA-512");
      continue;
    }
    check_manifest(name, algorithm, payload);
  }
}

void BagVerifier::check_manifest(const std::string& name, const std::string& algorithm,
                                 bool payload) {
  const int failures_before = failures_;
  const auto text = read_tag_file(name);
  if (!text) return;
  if (options_.hub_form &&
      (text->find('\r') != std::string::npos || (!text->empty() && text->back() != '\n'))) {
    fail(name + " does not end every line with a single line feed (LF)");
  }
  std::set<std::string> listed;
  const auto lines = bagit::split_lines(*text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    check_line(name, algorithm, payload, i + 1, lines[i], listed);
  }
  check_complete(name, payload, listed);
  if (failures_ == failures_before) {
    report_.pass(fmt::format("{}: all {} files it lists are present and match their {} checksums",
                             name, listed.size(), display_name(algorithm)));
  }
}

bool BagVerifier::check_line(const std::string& name, const std::string& algorithm, bool payload,
                             std::size_t number, std::string_view line,
                             std::set<std::string>& listed) {
  const std::size_t length = bagit::hex_length(algorithm);
  const auto entry = bagit::parse_manifest_line(line);
  if (!entry || !is_hex(entry->checksum, length) ||
      (options_.hub_form && !bagit::is_canonical_manifest_line(line, length))) {
    fail(
        fmt::format("{} line {} is malformed: it should be a {}-digit checksum, two spaces and "
                    "a file's path",
                    name, number, length));
    return false;
  }
  const std::string& path = entry->path;
  if (auto problem = bagit::path_problem(path, bagit::NameRule::kRfc)) {
    fail(
        fmt::format("{} line {} names an unsafe path {}: {}", name, number, named(path), *problem));
    return false;
  }
  if (payload != is_payload_path(path)) {
    fail(fmt::format("{} lists {}, but a {} manifest lists only files {} data/", name, named(path),
                     payload ? "payload" : "tag", payload ? "in" : "outside"));
    return false;
  }
  if (!listed.insert(path).second) {
    fail(fmt::format("{} is listed twice in {}", named(path), name));
    return false;
  }
  if (files_.count(path) == 0) {
    fail(fmt::format("{} is listed in {} but missing from the bag", named(path), name));
    return false;
  }
  const auto& sums = checksums(path);
  if (!sums.is_ok()) {
    fail(fmt::format("{} could not be read: {}", named(path), sums.status().message()));
    return false;
  }
  const std::string& actual = algorithm == "sha256" ? sums->sha256 : sums->sha512;
  if (!same_hex(entry->checksum, actual)) {
    fail(
        fmt::format("{} does not match its {} checksum in {}: the file was changed or damaged "
                    "after the bag was made",
                    named(path), display_name(algorithm), name));
    return false;
  }
  return true;
}

bool BagVerifier::may_be_unlisted(const std::string& path) const {
  return bagit::manifest_algorithm(path, "tagmanifest-").has_value() ||
         std::find(options_.unlisted_tag_files.begin(), options_.unlisted_tag_files.end(), path) !=
             options_.unlisted_tag_files.end();
}

void BagVerifier::check_complete(const std::string& name, bool payload,
                                 const std::set<std::string>& listed) {
  for (const auto& [path, size] : files_) {
    if (payload != is_payload_path(path) || listed.count(path) != 0) continue;
    if (payload) {
      fail(fmt::format("{} is in data/ but not listed in {}: it was added after the bag was made",
                       named(path), name));
    } else if (!may_be_unlisted(path)) {
      fail_if_hub_form(fmt::format("{} is not listed in {}, so nothing shows whether it changed",
                                   named(path), name));
    }
  }
}

}  // namespace

VerificationReport verify_bag(const std::string& dir, const BagCheckOptions& options) {
  return BagVerifier(dir, options).run();
}

}  // namespace evhub::disclosure
