#include "disclosure/package_verify.h"

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include <filesystem>

#include "core/fs.h"
#include "disclosure/bag_archive.h"
#include "disclosure/bagit_verify.h"
#include "disclosure/package_signature.h"

namespace evhub::disclosure {

namespace {

namespace fs = std::filesystem;

// A private directory for unpacking, removed with everything in it.
class ScratchDir {
 public:
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  Status create(const std::string& work_dir) {
    std::string base = work_dir;
    if (base.empty()) base = std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp";
    std::string pattern = join_path(base, "evhub-verify-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      return errno_status(errno, "creating a directory in", base);
    }
    path_ = pattern;
    return Status::ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The bag in an unpacked archive: at its top, or the one directory it holds.
std::optional<std::string> find_bag(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(join_path(dir, "bagit.txt"), ec)) return dir;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec || entries.size() != 1 || !entries[0].is_directory()) return std::nullopt;
  return entries[0].path().string();
}

Result<std::string> unpack(const std::string& path, const PackageVerifyOptions& options,
                           const ScratchDir& scratch, VerificationReport& report) {
  UnpackOptions unpack_options;
  unpack_options.age_identity_file = options.age_identity_file;
  unpack_options.age = options.age;
  EVHUB_ASSIGN_OR_RETURN(const Unpacked unpacked,
                         unpack_archive(path, scratch.path(), unpack_options));
  if (unpacked.was_encrypted) {
    report.pass("age decrypted the package with the identity " +
                printable(*options.age_identity_file));
  }
  report.pass(fmt::format("the archive unpacked safely: {} files, {} bytes", unpacked.files,
                          unpacked.bytes));
  const auto bag = find_bag(scratch.path());
  if (!bag) {
    return Status(Code::kIntegrity,
                  "the archive does not hold one bag (a directory with "
                  "bagit.txt at its top)");
  }
  return *bag;
}

void summarise(VerificationReport& report) {
  const std::size_t problems = report.problems().size();
  if (problems == 0) {
    report.pass("the package is intact: every file is as it was when the key in hub.pub signed it");
  } else {
    report.fail(fmt::format("the package is NOT intact: {} problem{} above", problems,
                            problems == 1 ? "" : "s"));
  }
}

}  // namespace

Result<VerificationReport> verify_package(const std::string& path,
                                          const PackageVerifyOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status(Code::kNotFound, "there is no package at " + path);
  VerificationReport report;
  ScratchDir scratch;
  std::string bag_dir = path;
  if (!fs::is_directory(path, ec)) {
    EVHUB_RETURN_IF_ERROR(scratch.create(options.work_dir));
    EVHUB_ASSIGN_OR_RETURN(bag_dir, unpack(path, options, scratch, report));
  }
  check_bag_signature(bag_dir, options.trusted_public_key, report);
  BagCheckOptions bag_options;
  bag_options.hub_form = true;
  bag_options.unlisted_tag_files = {kSignatureFile};
  report.append(verify_bag(bag_dir, bag_options));
  summarise(report);
  return report;
}

}  // namespace evhub::disclosure
