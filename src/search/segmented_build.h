// Builds a new index from nothing, fast, beside the one it replaces (what `evhub index rebuild`
// does). Xapian's writer uses one core and slows as its database grows, so items go round-robin
// to several segment databases written in parallel, each started afresh every so many items;
// finish() merges the segments with Xapian's compactor (which also packs the B-trees full) and
// puts the result in place of the old index. Until then the old index is untouched: a rebuild
// that fails or is killed loses nothing. Internal to search/: Index uses it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "search/search.h"
#include "search/write_queue.h"

namespace evhub::search {

class SegmentedBuild {
 public:
  // Takes Xapian's write lock on `dir` (kBusy when another process writes it) and works in
  // `dir`.rebuild/. Every document gets `mark` as its addition mark.
  static Result<std::unique_ptr<SegmentedBuild>> start(const std::string& dir,
                                                       const BuildOptions& options,
                                                       std::int64_t mark);
  ~SegmentedBuild();  // unfinished: the work directory goes, the old index stays

  // An id put twice: the later document wins.
  Status put(PendingDocument p);
  // Removes every document with this term (an id term or a key domain's term); how many.
  Result<std::int64_t> remove_term(const std::string& term);
  Status drain();
  void set_metadata(const std::string& key, const std::string& value) { metadata_[key] = value; }
  std::string metadata(const std::string& key) const;

  // Merges the segments and moves the result to `dir` (the old index goes aside and is removed
  // when this object is destroyed, which also releases the old lock: open the new index's
  // writer first). `mark_base` is written so that the new index's revision mark is `mark`.
  Status finish();

 private:
  struct Writer;
  SegmentedBuild(std::string dir, BuildOptions options, std::int64_t mark);
  Status open_segment(Writer& w);
  Status write(Writer& w, PendingDocument& p);

  std::string dir_;
  std::string work_;
  BuildOptions options_;
  std::string mark_value_;  // sortable_serialise(mark)
  std::int64_t mark_;
  std::unique_ptr<Xapian::WritableDatabase> lock_;  // the old index, held for its lock
  std::vector<std::unique_ptr<Writer>> writers_;
  std::size_t next_ = 0;
  // Hashes of the ids put so far: a repeated id (or a hash collision) deletes the earlier copy.
  std::unordered_set<std::uint64_t> seen_;
  std::map<std::string, std::string> metadata_;
  bool finished_ = false;
};

// A swap cut short (the process killed between its two renames) is completed: the index is
// the merged one if it was complete, else the old one. Called before opening `dir`.
void recover_rebuild(const std::string& dir);

}  // namespace evhub::search
