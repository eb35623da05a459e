// A writer thread with a bounded queue: callers build Xapian documents (ICU, stems, name keys)
// on their own thread while this one writes them, so building and writing use a core each.
// Internal to search/: Index and SegmentedBuild each own one or more.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <xapian.h>

#include "core/status.h"

namespace evhub::search {

struct PendingDocument {
  std::string id_term;
  Xapian::Document doc;
};

class WriteQueue {
 public:
  // `write` runs on the queue's thread, one document at a time.
  explicit WriteQueue(std::function<Status(PendingDocument&)> write);
  ~WriteQueue();  // writes what is queued, then stops
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Waits while the queue is full. Returns the first failed write since the last drain (the
  // queue is then emptied: a failed index build stops, it does not skip items).
  Status push(PendingDocument p);
  // Waits until everything queued is written; the first failure since the last drain.
  Status drain();
  std::size_t queued();

 private:
  static constexpr std::size_t kDepth = 64;
  void loop();

  std::function<Status(PendingDocument&)> write_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingDocument> queue_;
  bool writing_ = false;
  bool stopping_ = false;
  Status failed_;
  std::thread thread_;
};

}  // namespace evhub::search
