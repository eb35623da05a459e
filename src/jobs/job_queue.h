// Processing jobs (text extraction, OCR, translation, metadata…): a durable queue in jobs.db
// beside the catalog, shared by every process that works on the hub. A worker claims a job
// under a lease; a worker that dies leaves the lease to run out and the job is claimed again.
// A failed attempt is retried with backoff until max_attempts, then stays failed with its
// error for people to see. Jobs are idempotent: one live job per (kind, object).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;       // e.g. "extract-text"
  std::string object_id;  // what it works on
  std::string payload;    // kind-specific JSON
  std::string state;      // queued | running | done | failed
  int attempts = 0;
  int max_attempts = 3;
  double progress = 0;  // 0..1 while running
  std::string error;    // the last failure, for people
  std::string result;   // kind-specific JSON, e.g. the derived object's id
  std::string worker;   // who holds or held it
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t not_before_ms = 0;   // retry backoff
  std::int64_t lease_until_ms = 0;  // while running
};

struct JobCounts {
  std::int64_t queued = 0, running = 0, done = 0, failed = 0;
};

class JobQueue {
 public:
  // Opens (creating) the queue at `path`.
  static Result<std::unique_ptr<JobQueue>> open(const std::string& path);
  ~JobQueue();

  // Queues `kind` for `object_id` unless a job of that kind for that object is queued, running
  // or done already (then returns that one): enqueueing twice never does the work twice.
  Result<Job> enqueue(const std::string& kind, const std::string& object_id,
                      const std::string& payload, int max_attempts, std::int64_t now_ms);
  // Puts a failed job back in the queue with fresh attempts (a person decided to retry).
  Result<Job> retry(std::int64_t id, std::int64_t now_ms);
  // The oldest job of `kinds` that is due: queued and past its backoff, or running with an
  // expired lease. It becomes running under `worker` until now + lease_ms; attempts counts it.
  Result<std::optional<Job>> claim(const std::vector<std::string>& kinds, const std::string& worker,
                                   std::int64_t lease_ms, std::int64_t now_ms);
  // Only the lease holder may report on a job: a worker whose lease ran out and was taken
  // over gets kFailedPrecondition and must drop its result.
  Status progress(std::int64_t id, const std::string& worker, double fraction,
                  std::int64_t lease_ms, std::int64_t now_ms);
  Status complete(std::int64_t id, const std::string& worker, const std::string& result,
                  std::int64_t now_ms);
  // Retries after `backoff_ms` while attempts remain, unless the failure is `permanent` (the
  // input itself is wrong: trying again cannot help); otherwise the job stays failed.
  Status fail(std::int64_t id, const std::string& worker, const std::string& error, bool permanent,
              std::int64_t backoff_ms, std::int64_t now_ms);

  Result<std::optional<Job>> find(std::int64_t id);
  // Newest first; `state` empty for all. `before_id` > 0: only jobs older than that one (the
  // next page of a list that pages by the last id it showed).
  Result<std::vector<Job>> list(const std::string& state, int limit, std::int64_t before_id = 0);
  Result<JobCounts> counts();

 private:
  struct Impl;
  explicit JobQueue(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::jobs
