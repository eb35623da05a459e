#include "core/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/random_name.h"

namespace evhub {

Status errno_status(int err, const std::string& what, const std::string& path) {
  std::string msg = fmt::format("{} {}: {}", what, path, std::strerror(err));
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
    return Status(Code::kNoSpace, msg + " (disk full or file size limit reached)");
  }
  if (err == ENOENT) return Status(Code::kNotFound, msg);
  return Status(Code::kIoError, msg);
}

namespace {

class FdHolder {
 public:
  explicit FdHolder(int fd) : fd_(fd) {}
  ~FdHolder() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdHolder(const FdHolder&) = delete;
  FdHolder& operator=(const FdHolder&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

class LocalWritableFile final : public WritableFile {
 public:
  LocalWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  // An unnamed file: `dir` holds it; `temp_name`, if set, is the fallback visible temp file.
  LocalWritableFile(int fd, std::string dir, std::string temp_name)
      : fd_(fd), path_(std::move(dir)), unnamed_(true), temp_name_(std::move(temp_name)) {}
  ~LocalWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (unnamed_ && !temp_name_.empty()) ::unlink(temp_name_.c_str());
  }

  Status link_as(const std::string& path, bool replace) override {
    if (!unnamed_) return Status(Code::kFailedPrecondition, "file already has a name");
    // Without replace, link straight to the final name: the kernel refuses an existing one.
    const std::string staged = replace ? path + ".evhub-" + random_name() : path;
    if (temp_name_.empty()) {
      std::string proc = "/proc/self/fd/" + std::to_string(fd_);
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, staged.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        if (errno == EEXIST) {
          return Status(Code::kAlreadyExists, path + " exists; choose another name or use --force");
        }
        return errno_status(errno, "naming", path);
      }
    } else {
      // link() refuses an existing name, as linkat() above does; then the temp name goes.
      if (::link(temp_name_.c_str(), staged.c_str()) != 0) {
        if (errno == EEXIST) {
          return Status(Code::kAlreadyExists, path + " exists; choose another name or use --force");
        }
        return errno_status(errno, "naming", path);
      }
      ::unlink(temp_name_.c_str());
    }
    temp_name_.clear();
    unnamed_ = false;
    if (replace && ::rename(staged.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(staged.c_str());
      return errno_status(err, "naming", path);
    }
    return Status::ok();
  }

  Status append(ByteSpan data) override {
    const std::uint8_t* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "writing", path_);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
      written_ += static_cast<std::uint64_t>(n);
    }
    return Status::ok();
  }

  Status sync() override {
    if (::fsync(fd_) != 0) return errno_status(errno, "syncing", path_);
    return Status::ok();
  }

  Status close() override {
    int fd = std::exchange(fd_, -1);
    if (fd >= 0 && ::close(fd) != 0) return errno_status(errno, "closing", path_);
    return Status::ok();
  }

  void start_writeback() override {
    // Asks the kernel to begin writing the new range now, overlapping disk I/O with hashing
    // and encryption; fsync() later only waits for what is still in flight.
    if (written_ > flushed_) {
      ::sync_file_range(fd_, static_cast<off_t>(flushed_), static_cast<off_t>(written_ - flushed_),
                        SYNC_FILE_RANGE_WRITE);
      flushed_ = written_;
    }
  }

 private:
  int fd_;
  std::string path_;
  bool unnamed_ = false;
  std::string temp_name_;
  std::uint64_t written_ = 0;
  std::uint64_t flushed_ = 0;
};

class LocalReadableFile final : public ReadableFile {
 public:
  LocalReadableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~LocalReadableFile() override { ::close(fd_); }

  // Sequential reads are positioned reads from where the last one ended (one loop, one place
  // that handles EINTR and short reads).
  Result<std::size_t> read(std::span<std::uint8_t> buffer) override {
    auto n = read_at(pos_, buffer);
    if (n.is_ok()) pos_ += *n;
    return n;
  }

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) override {
    std::size_t got = 0;
    while (got < buffer.size()) {
      ssize_t n =
          ::pread(fd_, buffer.data() + got, buffer.size() - got, static_cast<off_t>(offset + got));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "reading", path_);
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    return got;
  }

  Result<std::uint64_t> size() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return errno_status(errno, "inspecting", path_);
    return static_cast<std::uint64_t>(st.st_size);
  }

 private:
  int fd_;
  std::string path_;
  std::uint64_t pos_ = 0;
};

class LocalFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> create_new(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno_status(errno, "creating", path);
    return std::unique_ptr<WritableFile>(new LocalWritableFile(fd, path));
  }

  Result<std::unique_ptr<WritableFile>> create_unnamed(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_WRONLY | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd >= 0) return std::unique_ptr<WritableFile>(new LocalWritableFile(fd, dir, ""));
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
      return errno_status(errno, "creating a file in", dir);
    }
    std::string temp = join_path(dir, ".evhub-partial-" + random_name());
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno_status(errno, "creating", temp);
    return std::unique_ptr<WritableFile>(new LocalWritableFile(fd, dir, temp));
  }

  Result<std::unique_ptr<WritableFile>> open_append(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return errno_status(errno, "opening", path);
    return std::unique_ptr<WritableFile>(new LocalWritableFile(fd, path));
  }

  Result<std::unique_ptr<WritableFile>> open_overwrite(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno_status(errno, "opening", path);
    return std::unique_ptr<WritableFile>(new LocalWritableFile(fd, path));
  }

  Result<std::unique_ptr<ReadableFile>> open_read(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_status(errno, "opening", path);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Status(Code::kInvalidArgument, path + " is a directory, not a file");
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<ReadableFile>(new LocalReadableFile(fd, path));
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return errno_status(errno, "renaming", from);
    return Status::ok();
  }

  Status sync_dir(const std::string& dir) override {
    FdHolder fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return errno_status(errno, "opening directory", dir);
    if (::fsync(fd.get()) != 0) return errno_status(errno, "syncing directory", dir);
    return Status::ok();
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return errno_status(errno, "removing", path);
    return Status::ok();
  }

  Status truncate(const std::string& path, std::uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return errno_status(errno, "truncating", path);
    }
    return Status::ok();
  }

  Status make_dir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0700) == 0) return sync_dir(parent_dir(path));
    if (errno != EEXIST) return errno_status(errno, "creating directory", path);
    return Status::ok();
  }

  Status restrict_to_owner(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno_status(errno, "inspecting", path);
    if (::chmod(path.c_str(), S_ISDIR(st.st_mode) ? 0700 : 0600) != 0) {
      return errno_status(errno, "restricting access to", path);
    }
    return Status::ok();
  }

  bool exists(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  Result<std::vector<std::string>> list_dir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return errno_status(errno, "listing", dir);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    return names;
  }
};

}  // namespace

namespace {
class MemoryFile final : public ReadableFile {
 public:
  explicit MemoryFile(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  Result<std::size_t> read(std::span<std::uint8_t> buffer) override {
    auto n = read_at(pos_, buffer);
    if (n.is_ok()) pos_ += *n;
    return n;
  }
  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) override {
    if (offset >= data_->size()) return std::size_t{0};
    std::size_t n = std::min<std::size_t>(buffer.size(), data_->size() - offset);
    std::memcpy(buffer.data(), data_->data() + offset, n);
    return n;
  }
  Result<std::uint64_t> size() override { return data_->size(); }

 private:
  std::shared_ptr<const std::string> data_;
  std::uint64_t pos_ = 0;
};
}  // namespace

std::unique_ptr<ReadableFile> memory_file(std::shared_ptr<const std::string> data) {
  return std::make_unique<MemoryFile>(std::move(data));
}

FileSystem& local_fs() {
  static LocalFileSystem fs;
  return fs;
}

Result<Bytes> read_file(FileSystem& fs, const std::string& path) {
  // Reads straight into the result (sized from the file), so a secret such as a key file
  // leaves no copy in an intermediate buffer.
  EVHUB_ASSIGN_OR_RETURN(auto file, fs.open_read(path));
  EVHUB_ASSIGN_OR_RETURN(std::uint64_t size, file->size());
  Bytes out(size);
  EVHUB_ASSIGN_OR_RETURN(std::size_t n, file->read(out));
  out.resize(n);
  for (;;) {  // the file grew while we read it
    std::uint8_t more[4096];
    EVHUB_ASSIGN_OR_RETURN(std::size_t m, file->read(more));
    if (m == 0) break;
    out.insert(out.end(), more, more + m);
  }
  return out;
}

Result<std::string> read_text_file(FileSystem& fs, const std::string& path) {
  EVHUB_ASSIGN_OR_RETURN(Bytes bytes, read_file(fs, path));
  return std::string(bytes.begin(), bytes.end());
}

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty() || a.back() == '/') return a + b;
  return a + "/" + b;
}

Status write_file_atomic(FileSystem& fs, const std::string& path, ByteSpan data) {
  std::string tmp = path + ".tmp-" + random_name();
  EVHUB_ASSIGN_OR_RETURN(auto file, fs.create_new(tmp));
  Status st = file->append(data);
  if (st.is_ok()) st = file->sync();
  if (st.is_ok()) st = file->close();
  if (st.is_ok()) st = fs.rename(tmp, path);
  if (!st.is_ok()) {
    (void)fs.remove(tmp);
    return st;
  }
  return fs.sync_dir(parent_dir(path));
}

}  // namespace evhub
