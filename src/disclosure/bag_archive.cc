#include "disclosure/bag_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/fs.h"
#include "core/random_name.h"
#include "crypto/crypto.h"
#include "disclosure/bagit_text.h"
#include "disclosure/checksums.h"
#include "disclosure/verification_report.h"

namespace evhub::disclosure {

namespace {

namespace fs = std::filesystem;

// Closes before freeing, also after a failure: libarchive 3.6 leaks its output buffer when an
// archive whose write failed (age gone, disk full) is freed without being closed first.
struct WriteArchiveDeleter {
  void operator()(archive* a) const {
    archive_write_close(a);
    archive_write_free(a);
  }
};
struct ReadArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

// Owns a file descriptor.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// Plaintext evidence passes through this buffer; it is wiped afterwards.
struct WipedBuffer {
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(kReadChunk);
  ~WipedBuffer() { crypto::wipe(bytes.data(), bytes.size()); }
};

// libarchive converts names between the locale's character set and the UTF-8 of pax headers;
// in the C locale it cannot convert a Cyrillic name at all (it even crashes on one given as
// UTF-8 only). So archives are read and written with this thread's LC_CTYPE set to C.UTF-8,
// whatever the process's locale is, and names travel as UTF-8 bytes unchanged.
class Utf8Names {
 public:
  Utf8Names() : locale_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr))) {
    if (locale_ != nullptr) previous_ = ::uselocale(locale_);
  }
  ~Utf8Names() {
    if (locale_ == nullptr) return;
    ::uselocale(previous_);
    ::freelocale(locale_);
  }
  Utf8Names(const Utf8Names&) = delete;
  Utf8Names& operator=(const Utf8Names&) = delete;
  Status status() const {
    if (locale_ != nullptr) return Status::ok();
    return Status(Code::kFailedPrecondition, "the C.UTF-8 locale is missing (glibc provides it)");
  }

 private:
  locale_t locale_;
  locale_t previous_ = LC_GLOBAL_LOCALE;
};

struct BagEntry {
  std::string path;  // relative to the bag directory
  bool directory = false;
  std::uint64_t size = 0;
};

std::string error_text(archive* a) {
  const char* message = archive_error_string(a);
  return message != nullptr ? message : "unknown error";
}

Status archive_status(archive* a, const std::string& what) {
  return Status(Code::kIoError, what + ": " + error_text(a));
}

Status damaged(archive* a) {
  return Status(Code::kIntegrity, "the archive is damaged or not a tar file: " + error_text(a));
}

// Every directory and file under `root`, sorted so that the order never depends on the disk.
Status collect(const std::string& root, const std::string& rel, std::vector<BagEntry>& out) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(join_path(root, rel), ec), end; !ec && it != end;
       it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Status(Code::kIoError, "listing " + join_path(root, rel) + ": " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string path = rel.empty() ? name : rel + "/" + name;
    const fs::file_status st = fs::symlink_status(join_path(root, path), ec);
    if (fs::is_directory(st)) {
      out.push_back({path, true, 0});
      EVHUB_RETURN_IF_ERROR(collect(root, path, out));
    } else if (fs::is_regular_file(st)) {
      out.push_back({path, false, fs::file_size(join_path(root, path), ec)});
    } else {
      return Status(Code::kInvalidArgument,
                    "the bag holds " + printable(path) + ", which is not a file or a directory");
    }
    if (ec) return Status(Code::kIoError, "inspecting " + path + ": " + ec.message());
  }
  return Status::ok();
}

EntryPtr tar_header(const std::string& name, const BagEntry& e, std::int64_t mtime) {
  EntryPtr entry(archive_entry_new());
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), e.directory ? AE_IFDIR : AE_IFREG);
  archive_entry_set_perm(entry.get(), e.directory ? 0755 : 0644);
  archive_entry_set_size(entry.get(), e.directory ? 0 : static_cast<la_int64_t>(e.size));
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  archive_entry_set_mtime(entry.get(), mtime, 0);
  return entry;
}

Status copy_into(archive* a, const std::string& path, std::uint64_t size, WipedBuffer& buffer) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.fd < 0) return errno_status(errno, "opening", path);
  std::uint64_t copied = 0;
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer.bytes.data(), buffer.bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status(errno, "reading", path);
    if (n == 0) break;
    copied += static_cast<std::uint64_t>(n);
    if (copied > size) break;
    if (archive_write_data(a, buffer.bytes.data(), static_cast<std::size_t>(n)) != n) {
      return archive_status(a, "writing " + path + " into the archive");
    }
  }
  if (copied != size) {
    return Status(Code::kFailedPrecondition, path + " changed size while it was archived");
  }
  return Status::ok();
}

// Writes exactly `size` bytes from `source` as the entry's data.
Status copy_from(archive* a, const ByteSource& source, const std::string& path, std::uint64_t size,
                 WipedBuffer& buffer) {
  std::uint64_t copied = 0;
  for (;;) {
    auto n = source(buffer.bytes);
    if (!n.is_ok()) return n.status().with_context("reading " + path + " into the archive");
    if (*n == 0) break;
    copied += *n;
    if (copied > size) break;
    if (archive_write_data(a, buffer.bytes.data(), *n) != static_cast<la_ssize_t>(*n)) {
      return archive_status(a, "writing " + path + " into the archive");
    }
  }
  if (copied != size) {
    return Status(Code::kIntegrity,
                  fmt::format("{} gave {} bytes where {} were hashed", path, copied, size));
  }
  return Status::ok();
}

Status write_entries(archive* a, const std::string& bag_dir, const std::string& top,
                     std::int64_t mtime, const PayloadSource& payload) {
  std::vector<BagEntry> entries = {{"", true, 0}};
  EVHUB_RETURN_IF_ERROR(collect(bag_dir, "", entries));
  WipedBuffer buffer;  // one for every file: a package has thousands
  for (const auto& e : entries) {
    const std::string name = e.path.empty() ? top : top + "/" + e.path;
    const EntryPtr header = tar_header(name, e, mtime);
    if (archive_write_header(a, header.get()) < ARCHIVE_WARN) {
      return archive_status(a, "writing the header of " + name);
    }
    if (e.directory) continue;
    if (payload && e.path.rfind("data/", 0) == 0) {
      EVHUB_ASSIGN_OR_RETURN(ByteSource source, payload(e.path));
      EVHUB_RETURN_IF_ERROR(copy_from(a, source, e.path, e.size, buffer));
    } else {
      EVHUB_RETURN_IF_ERROR(copy_into(a, join_path(bag_dir, e.path), e.size, buffer));
    }
  }
  return Status::ok();
}

Status write_tar(int fd, const std::string& bag_dir, const std::string& top, std::int64_t mtime,
                 const PayloadSource& payload) {
  const Utf8Names utf8;
  EVHUB_RETURN_IF_ERROR(utf8.status());
  std::unique_ptr<archive, WriteArchiveDeleter> a(archive_write_new());
  // The last block is not padded, to a file or a pipe alike, so the bytes never depend on
  // whether the archive is encrypted on its way out.
  // Written in blocks of kReadChunk rather than libarchive's 10 KiB: a fifth of the system
  // calls and wake-ups of age on the other end of a pipe. The bytes are the same (only the last
  // block could differ, and it is not padded).
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_add_filter_none(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(a.get(), static_cast<int>(kReadChunk)) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
    return archive_status(a.get(), "starting the archive");
  }
  EVHUB_RETURN_IF_ERROR(write_entries(a.get(), bag_dir, top, mtime, payload));
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return archive_status(a.get(), "finishing the archive");
  }
  return Status::ok();
}

// Gives the complete file at `temp` the name `out_path`, never replacing a file there.
Status publish(int fd, const std::string& temp, const std::string& out_path) {
  if (::fsync(fd) != 0) return errno_status(errno, "syncing", temp);
  if (::link(temp.c_str(), out_path.c_str()) != 0) return errno_status(errno, "naming", out_path);
  ::unlink(temp.c_str());
  return local_fs().sync_dir(parent_dir(out_path));
}

Status write_archive_file(int fd, const std::string& bag_dir, const std::string& top,
                          const ArchiveOptions& options, std::int64_t mtime,
                          const PayloadSource& payload) {
  if (options.age_recipients.empty()) return write_tar(fd, bag_dir, top, mtime, payload);
  EVHUB_ASSIGN_OR_RETURN(auto age, AgeProcess::encrypt(options.age_recipients, fd, options.age));
  // A larger pipe lets tar and age each work on a block while the other does (best effort: the
  // kernel may refuse beyond /proc/sys/fs/pipe-max-size).
  (void)::fcntl(age->pipe_fd(), F_SETPIPE_SZ, static_cast<int>(kReadChunk));
  const Status tar = write_tar(age->pipe_fd(), bag_dir, top, mtime, payload);
  const Status encrypted = age->finish();
  // When age refuses (a malformed recipient), the tar fails too, with a broken pipe: age's
  // message is the one that explains.
  return encrypted.is_ok() ? tar : encrypted;
}

// Why an archive entry is refused, or "" if it may be unpacked.
std::string entry_problem(archive_entry* entry, const std::string& path) {
  const auto type = archive_entry_filetype(entry);
  if (archive_entry_hardlink(entry) != nullptr || type == AE_IFLNK) {
    return "it is a link; a package holds only files and directories";
  }
  if (type != AE_IFREG && type != AE_IFDIR) {
    return "it is a device, pipe or socket; a package holds only files and directories";
  }
  if (auto problem = bagit::path_problem(path, bagit::NameRule::kRfc)) return *problem;
  return "";
}

// The entry's path as written (UTF-8 from a pax header where there is one), without a
// leading "./" or a directory's trailing '/'.
std::string entry_path(archive_entry* entry) {
  const char* utf8 = archive_entry_pathname_utf8(entry);
  const char* raw = utf8 != nullptr ? utf8 : archive_entry_pathname(entry);
  std::string path = raw != nullptr ? raw : "";
  while (path.substr(0, 2) == "./") path.erase(0, 2);
  if (archive_entry_filetype(entry) == AE_IFDIR) {
    while (!path.empty() && path.back() == '/') path.pop_back();
  }
  return path;
}

// Unpacks the entries of one archive into `root_`, refusing what may not be unpacked.
class Unpacker {
 public:
  Unpacker(std::string root, Unpacked& unpacked) : root_(std::move(root)), unpacked_(unpacked) {}
  // Whether the last failure was a refusal rather than a damaged stream or the disk.
  bool refused() const { return refused_; }
  Status run(int fd);

 private:
  Status refuse(const std::string& path, const std::string& why) {
    refused_ = true;
    return Status(Code::kIntegrity,
                  fmt::format("the archive's entry \"{}\" was refused: {}", printable(path), why));
  }
  Status make_dirs(const std::string& rel);
  Status extract_file(archive* a, const std::string& rel);

  std::string root_;
  Unpacked& unpacked_;
  bool refused_ = false;
};

// Makes the directory `rel` under the root and those above it (owner-only). Nothing unpacked
// can be a link, so no component can lead outside the root.
Status Unpacker::make_dirs(const std::string& rel) {
  for (std::size_t slash = 0; slash != std::string::npos;) {
    slash = rel.find('/', slash + 1);
    const std::string dir = join_path(root_, rel.substr(0, slash));
    if (::mkdir(dir.c_str(), 0700) == 0) continue;
    struct stat st {};
    if (errno != EEXIST || ::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return refuse(rel, "a file and a directory have the same name");
    }
  }
  return Status::ok();
}

Status Unpacker::extract_file(archive* a, const std::string& rel) {
  const std::size_t slash = rel.rfind('/');
  if (slash != std::string::npos) EVHUB_RETURN_IF_ERROR(make_dirs(rel.substr(0, slash)));
  const std::string path = join_path(root_, rel);
  Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (out.fd < 0 && errno == EEXIST) return refuse(rel, "the archive holds this path twice");
  if (out.fd < 0) return errno_status(errno, "creating", path);
  WipedBuffer buffer;
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buffer.bytes.data(), buffer.bytes.size());
    if (n < 0) return damaged(a);
    if (n == 0) break;
    if (::write(out.fd, buffer.bytes.data(), static_cast<std::size_t>(n)) != n) {
      return errno_status(errno, "writing", path);
    }
    unpacked_.bytes += static_cast<std::uint64_t>(n);
  }
  ++unpacked_.files;
  return Status::ok();
}

Status Unpacker::run(int fd) {
  const Utf8Names utf8;
  EVHUB_RETURN_IF_ERROR(utf8.status());
  std::unique_ptr<archive, ReadArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK) return damaged(a.get());
  for (;;) {
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) return Status::ok();
    if (r < ARCHIVE_WARN) return damaged(a.get());
    const std::string path = entry_path(entry);
    if (path.empty() && archive_entry_filetype(entry) == AE_IFDIR) continue;  // "./"
    const std::string problem = entry_problem(entry, path);
    if (!problem.empty()) return refuse(path, problem);
    EVHUB_RETURN_IF_ERROR(archive_entry_filetype(entry) == AE_IFDIR ? make_dirs(path)
                                                                    : extract_file(a.get(), path));
  }
}

}  // namespace

Status write_bag_archive(const std::string& bag_dir, const std::string& out_path,
                         const ArchiveOptions& options) {
  return write_bag_archive(bag_dir, out_path, options, PayloadSource{});
}

Status write_bag_archive(const std::string& bag_dir, const std::string& out_path,
                         const ArchiveOptions& options, const PayloadSource& payload) {
  std::string dir = bag_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::string name = fs::path(dir).filename().string();
  if (auto problem = bagit::path_problem(name, bagit::NameRule::kStockTools)) {
    return Status(Code::kInvalidArgument,
                  "the bag's directory name cannot head an archive: " + *problem);
  }
  if (local_fs().exists(out_path)) {
    return Status(Code::kAlreadyExists, out_path + " already exists");
  }
  const std::int64_t mtime = options.mtime != 0
                                 ? options.mtime
                                 : std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
  const std::string temp = out_path + ".partial-" + random_name();
  Fd out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (out.fd < 0) return errno_status(errno, "creating", temp);
  Status st = write_archive_file(out.fd, dir, name, options, mtime, payload);
  if (st.is_ok()) st = publish(out.fd, temp, out_path);
  ::unlink(temp.c_str());
  return st;
}

bool is_age_encrypted(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(34, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.rfind("age-encryption.org/v1\n", 0) == 0 ||
         head.rfind("-----BEGIN AGE ENCRYPTED FILE-----", 0) == 0;
}

Result<Unpacked> unpack_archive(const std::string& archive_path, const std::string& into_dir,
                                const UnpackOptions& options) {
  Unpacked unpacked;
  unpacked.was_encrypted = is_age_encrypted(archive_path);
  if (unpacked.was_encrypted && !options.age_identity_file) {
    return Status(Code::kUnauthenticated,
                  archive_path +
                      " is encrypted with age: give the identity file (age key) it "
                      "was encrypted to");
  }
  std::unique_ptr<AgeProcess> age;
  std::unique_ptr<Fd> plain;
  int fd = -1;
  if (unpacked.was_encrypted) {
    EVHUB_ASSIGN_OR_RETURN(
        age, AgeProcess::decrypt(*options.age_identity_file, archive_path, options.age));
    fd = age->pipe_fd();
  } else {
    plain = std::make_unique<Fd>(::open(archive_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (plain->fd < 0) return errno_status(errno, "opening", archive_path);
    fd = plain->fd;
  }
  Unpacker unpacker(into_dir, unpacked);
  const Status st = unpacker.run(fd);
  if (age) {
    // Stopping early closes the pipe and age fails with it: then the refusal is the reason.
    const Status decrypted = age->finish();
    if (!decrypted.is_ok() && !unpacker.refused()) return decrypted;
  }
  if (!st.is_ok()) return st;
  return unpacked;
}

}  // namespace evhub::disclosure
