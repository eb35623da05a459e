#include "search/segmented_build.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <system_error>
#include <thread>

#include "search/terms.h"
#include "search/xapian_status.h"

namespace evhub::search {

namespace fs = std::filesystem;

namespace {

std::string work_dir(const std::string& dir) {
  return dir + ".rebuild";
}
std::string old_dir(const std::string& dir) {
  return dir + ".old";
}
// The merged index gets this name only once it is complete: the swap may then finish it.
std::string done_dir(const std::string& dir) {
  return work_dir(dir) + "/done";
}

std::uint64_t id_hash(const std::string& id_term) {
  return std::hash<std::string>{}(id_term);
}

}  // namespace

struct SegmentedBuild::Writer {
  int number = 0;
  std::vector<std::unique_ptr<Xapian::WritableDatabase>> segments;  // the last one is written
  std::vector<std::string> paths;
  std::int64_t in_segment = 0;
  std::unique_ptr<WriteQueue> queue;  // declared last: its thread stops before the rest goes
};

void recover_rebuild(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    if (fs::exists(done_dir(dir), ec)) {
      fs::rename(done_dir(dir), dir, ec);
    } else if (fs::exists(old_dir(dir), ec)) {
      fs::rename(old_dir(dir), dir, ec);
    }
  }
  if (fs::exists(dir, ec) && fs::exists(old_dir(dir), ec)) fs::remove_all(old_dir(dir), ec);
}

SegmentedBuild::SegmentedBuild(std::string dir, BuildOptions options, std::int64_t mark)
    : dir_(std::move(dir)),
      work_(work_dir(dir_)),
      options_(options),
      mark_value_(Xapian::sortable_serialise(static_cast<double>(mark))),
      mark_(mark) {}

Result<std::unique_ptr<SegmentedBuild>> SegmentedBuild::start(const std::string& dir,
                                                              const BuildOptions& options,
                                                              std::int64_t mark) {
  BuildOptions o = options;
  if (o.writers <= 0) {
    o.writers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 4U));
  }
  if (o.segment_items <= 0) {
    return Status(Code::kInvalidArgument, "a rebuild's segments need at least one item each");
  }
  std::unique_ptr<SegmentedBuild> b(new SegmentedBuild(dir, o, mark));
  try {
    // The lock first: a second rebuild, or a server writing the index, stops here before it
    // touches the work directory.
    b->lock_ = std::make_unique<Xapian::WritableDatabase>(dir, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot rebuild the search index in " + dir, e);
  }
  std::error_code ec;
  fs::remove_all(b->work_, ec);  // what a killed rebuild left
  if (!fs::create_directories(b->work_, ec) && ec) {
    return Status(Code::kIoError, "cannot make " + b->work_ + ": " + ec.message());
  }
  for (int i = 0; i < o.writers; ++i) {
    auto w = std::make_unique<Writer>();
    w->number = i;
    EVHUB_RETURN_IF_ERROR(b->open_segment(*w));
    Writer* raw = w.get();
    SegmentedBuild* self = b.get();
    w->queue = std::make_unique<WriteQueue>(
        [self, raw](PendingDocument& p) { return self->write(*raw, p); });
    b->writers_.push_back(std::move(w));
  }
  return b;
}

SegmentedBuild::~SegmentedBuild() {
  for (auto& w : writers_) w->queue.reset();  // stop the threads before their databases go
  writers_.clear();
  lock_.reset();
  std::error_code ec;
  fs::remove_all(work_, ec);
  if (finished_) fs::remove_all(old_dir(dir_), ec);
}

Status SegmentedBuild::open_segment(Writer& w) {
  if (!w.segments.empty()) {
    try {
      w.segments.back()->commit();
    } catch (const Xapian::Error& e) {
      return xapian_error("cannot write a segment of the rebuilt index", e);
    }
  }
  const std::string path = fmt::format("{}/segment-{}-{}", work_, w.number, w.paths.size());
  try {
    w.segments.push_back(
        std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OVERWRITE));
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot make a segment of the rebuilt index in " + path, e);
  }
  w.paths.push_back(path);
  w.in_segment = 0;
  return Status::ok();
}

// On the writer's thread, which alone touches its segments while items are queued.
Status SegmentedBuild::write(Writer& w, PendingDocument& p) {
  if (w.in_segment >= options_.segment_items) EVHUB_RETURN_IF_ERROR(open_segment(w));
  try {
    w.segments.back()->add_document(p.doc);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot index " + p.id_term.substr(1), e);
  }
  ++w.in_segment;
  return Status::ok();
}

Status SegmentedBuild::put(PendingDocument p) {
  if (!seen_.insert(id_hash(p.id_term)).second) {
    EVHUB_RETURN_IF_ERROR(remove_term(p.id_term).status());
  }
  p.doc.add_value(terms::kAddedSlot, mark_value_);
  Writer& w = *writers_[next_];
  next_ = (next_ + 1) % writers_.size();
  return w.queue->push(std::move(p));
}

Status SegmentedBuild::drain() {
  Status first;
  for (auto& w : writers_) {
    Status st = w->queue->drain();
    if (first.is_ok() && !st.is_ok()) first = std::move(st);
  }
  return first;
}

Result<std::int64_t> SegmentedBuild::remove_term(const std::string& term) {
  EVHUB_RETURN_IF_ERROR(drain());
  std::int64_t removed = 0;
  try {
    for (auto& w : writers_) {
      for (auto& s : w->segments) {
        removed += static_cast<std::int64_t>(s->get_termfreq(term));
        s->delete_document(term);
      }
    }
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot remove items from the rebuilt index", e);
  }
  return removed;
}

std::string SegmentedBuild::metadata(const std::string& key) const {
  auto it = metadata_.find(key);
  return it == metadata_.end() ? "" : it->second;
}

Status SegmentedBuild::finish() {
  EVHUB_RETURN_IF_ERROR(drain());
  std::vector<std::string> paths;
  try {
    for (auto& [key, value] : metadata_) writers_[0]->segments[0]->set_metadata(key, value);
    for (auto& w : writers_) {
      for (auto& s : w->segments) s->commit();
      w->queue.reset();
      w->segments.clear();  // closed: the compactor reads them
    }
    // Round by round (each writer's first segment, then each one's second, ...): the merged
    // index numbers its documents about in the order they were put, as one writer would.
    for (std::size_t round = 0;; ++round) {
      bool any = false;
      for (auto& w : writers_) {
        if (round >= w->paths.size()) continue;
        paths.push_back(w->paths[round]);
        any = true;
      }
      if (!any) break;
    }
    const std::string merged = work_ + "/merged";
    Xapian::Database all;
    for (const auto& p : paths) all.add_database(Xapian::Database(p));
    all.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
    // Marks go on from `mark`: the merged index's next commit makes its revision mark that.
    Xapian::WritableDatabase out(merged, Xapian::DB_OPEN);
    const auto revision = static_cast<std::int64_t>(out.get_revision());
    out.set_metadata(terms::kMarkBaseKey, std::to_string(mark_ - (revision + 1)));
    out.commit();
    out.close();
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot merge the rebuilt index", e);
  }
  std::error_code ec;
  fs::rename(work_ + "/merged", done_dir(dir_), ec);
  if (!ec) {
    fs::remove_all(old_dir(dir_), ec);
    ec.clear();
    if (fs::exists(dir_)) fs::rename(dir_, old_dir(dir_), ec);
  }
  if (!ec) fs::rename(done_dir(dir_), dir_, ec);
  // A reader opening the index between the two renames finishes the swap itself.
  if (ec && fs::exists(dir_) && !fs::exists(done_dir(dir_))) ec.clear();
  if (ec) {
    recover_rebuild(dir_);
    return Status(Code::kIoError,
                  "cannot put the rebuilt index in place of " + dir_ + ": " + ec.message());
  }
  finished_ = true;
  return Status::ok();
}

}  // namespace evhub::search
