// Workers that take jobs from the queue and run the handler registered for each kind. The
// embedded hub runs a pool inside `evhub serve`; `evhub jobs run` drains the queue from the
// command line. A handler's kInvalidArgument means the input itself is wrong (a corrupt file):
// the job fails at once; any other failure is retried with exponential backoff.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_queue.h"

namespace evhub::jobs {

using ReportProgress = std::function<void(double fraction)>;
// Does the job's work; returns its result (JSON text) for the queue.
using Handler = std::function<Result<std::string>(const Job& job, const ReportProgress& progress)>;

struct WorkerOptions {
  int threads = 0;              // 0: one per core
  std::string name = "worker";  // made unique per thread and process
  std::int64_t lease_ms = 5 * 60 * 1000;
  std::int64_t backoff_ms = 2000;       // doubled per attempt
  std::function<std::int64_t()> clock;  // milliseconds; default: the real clock
  std::int64_t idle_poll_ms = 500;      // how often a started pool looks for new jobs
  // Called by a started pool's worker that found nothing due, before it waits: a place to
  // queue work that follows from changes made elsewhere (the search index's catch-up).
  std::function<void()> on_idle;
};

struct RunSummary {
  int done = 0;
  int failed = 0;  // attempts that failed (some will be retried)
};

class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, std::map<std::string, Handler> handlers, WorkerOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs due jobs on `threads` threads until none is due (jobs waiting out a backoff are left),
  // then returns. kIoError and the like only if the queue itself cannot be read.
  Result<RunSummary> run_until_idle();
  // Runs in the background until stop(): a job in progress is finished first.
  void start();
  void stop();

 private:
  // One claim-run-report cycle; false when nothing was due.
  Result<bool> run_one(const std::string& worker, RunSummary& summary);
  std::vector<std::string> kinds() const;
  std::int64_t now() const;

  JobQueue& queue_;
  std::map<std::string, Handler> handlers_;
  WorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace evhub::jobs
