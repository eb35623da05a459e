#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "core/random_name.h"
#include "vault/object_store.h"

namespace evhub::vault {

namespace {

bool valid_id(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

class DirectoryPending final : public PendingObject {
 public:
  DirectoryPending(FileSystem& fs, std::unique_ptr<WritableFile> file, std::string tmp,
                   std::string final_path)
      : fs_(fs), file_(std::move(file)), tmp_(std::move(tmp)), final_(std::move(final_path)) {}
  ~DirectoryPending() override {
    if (!committed_) {
      file_.reset();
      (void)fs_.remove(tmp_);
    }
  }
  WritableFile& file() override { return *file_; }
  Status finish() override {
    if (finished_) return Status::ok();
    EVHUB_RETURN_IF_ERROR(file_->sync());
    EVHUB_RETURN_IF_ERROR(file_->close());
    finished_ = true;
    return Status::ok();
  }
  Status commit() override {
    EVHUB_RETURN_IF_ERROR(finish());
    std::string dir = parent_dir(final_);
    EVHUB_RETURN_IF_ERROR(fs_.make_dir(dir));
    EVHUB_RETURN_IF_ERROR(fs_.rename(tmp_, final_));
    committed_ = true;
    return fs_.sync_dir(dir);
  }

 private:
  FileSystem& fs_;
  std::unique_ptr<WritableFile> file_;
  std::string tmp_;
  std::string final_;
  bool finished_ = false;
  bool committed_ = false;
};

class DirectoryStore final : public ObjectStore {
 public:
  DirectoryStore(FileSystem& fs, std::string root) : fs_(fs), root_(std::move(root)) {}

  Result<std::unique_ptr<PendingObject>> create(const std::string& id) override {
    if (!valid_id(id)) return Status(Code::kInvalidArgument, "malformed object id " + id);
    EVHUB_RETURN_IF_ERROR(fs_.make_dir(root_));
    EVHUB_RETURN_IF_ERROR(fs_.make_dir(tmp_dir()));
    // The writer's pid in the name lets garbage collection tell a live writer from a dead one.
    std::string tmp = join_path(tmp_dir(), std::to_string(::getpid()) + "-" + random_name());
    EVHUB_ASSIGN_OR_RETURN(auto file, fs_.create_new(tmp));
    return std::unique_ptr<PendingObject>(
        new DirectoryPending(fs_, std::move(file), tmp, path_of(id)));
  }

  Result<std::unique_ptr<ReadableFile>> open(const std::string& id) override {
    if (!valid_id(id)) return Status(Code::kNotFound, "no object " + id);
    return fs_.open_read(path_of(id));
  }

  bool contains(const std::string& id) override { return valid_id(id) && fs_.exists(path_of(id)); }

  Result<std::vector<std::string>> list() override {
    EVHUB_ASSIGN_OR_RETURN(auto buckets, fs_.list_dir(root_));
    std::vector<std::string> ids;
    for (const std::string& b : buckets) {
      if (b.size() != 2) continue;
      EVHUB_ASSIGN_OR_RETURN(auto names, fs_.list_dir(join_path(root_, b)));
      for (std::string& n : names) {
        if (valid_id(n) && n.compare(0, 2, b) == 0) ids.push_back(std::move(n));
      }
    }
    return ids;
  }

  Status quarantine(const std::string& id) override {
    if (!valid_id(id)) return Status(Code::kNotFound, "no object " + id);
    std::string dir = join_path(root_, "unrecorded");
    EVHUB_RETURN_IF_ERROR(fs_.make_dir(dir));
    EVHUB_RETURN_IF_ERROR(fs_.rename(path_of(id), join_path(dir, id)));
    EVHUB_RETURN_IF_ERROR(fs_.sync_dir(dir));
    return fs_.sync_dir(parent_dir(path_of(id)));
  }

  Status collect_garbage() override {
    if (!fs_.exists(tmp_dir())) return Status::ok();
    EVHUB_ASSIGN_OR_RETURN(auto names, fs_.list_dir(tmp_dir()));
    for (const std::string& n : names) {
      long pid = std::strtol(n.c_str(), nullptr, 10);
      bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
      if (!alive) EVHUB_RETURN_IF_ERROR(fs_.remove(join_path(tmp_dir(), n)));
    }
    return Status::ok();
  }

 private:
  std::string tmp_dir() const { return join_path(root_, "tmp"); }
  std::string path_of(const std::string& id) const {
    return join_path(join_path(root_, id.substr(0, 2)), id);
  }
  FileSystem& fs_;
  std::string root_;
};

}  // namespace

std::unique_ptr<ObjectStore> make_directory_store(FileSystem& fs, const std::string& root) {
  return std::make_unique<DirectoryStore>(fs, root);
}

}  // namespace evhub::vault
