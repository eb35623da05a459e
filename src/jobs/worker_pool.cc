#include "jobs/worker_pool.h"

#include <chrono>
#include <mutex>

#include <fmt/format.h>
#include <unistd.h>

#include "core/clock.h"

namespace evhub::jobs {

WorkerPool::WorkerPool(JobQueue& queue, std::map<std::string, Handler> handlers,
                       WorkerOptions options)
    : queue_(queue), handlers_(std::move(handlers)), options_(std::move(options)) {
  if (options_.threads <= 0) {
    options_.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (!options_.clock) options_.clock = [] { return now_millis(); };
}

WorkerPool::~WorkerPool() {
  stop();
}

std::vector<std::string> WorkerPool::kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, handler] : handlers_) out.push_back(kind);
  return out;
}

std::int64_t WorkerPool::now() const {
  return options_.clock();
}

Result<bool> WorkerPool::run_one(const std::string& worker, RunSummary& summary) {
  EVHUB_ASSIGN_OR_RETURN(auto job, queue_.claim(kinds(), worker, options_.lease_ms, now()));
  if (!job) return false;
  const ReportProgress progress = [&](double fraction) {
    // A lost lease surfaces when the result is reported; progress is best effort.
    (void)queue_.progress(job->id, worker, fraction, options_.lease_ms, now());
  };
  Result<std::string> result = Status(Code::kInvalidArgument, "no handler for " + job->kind);
  try {
    result = handlers_.at(job->kind)(*job, progress);
  } catch (const std::exception& e) {
    // A handler bug must not take the worker (or the server) down; it is the job's error.
    result = Status(Code::kIoError, std::string("internal error: ") + e.what());
  }
  if (result.is_ok()) {
    Status st = queue_.complete(job->id, worker, *result, now());
    if (st.is_ok()) ++summary.done;
    return true;  // a lost lease: the new holder reports
  }
  const bool permanent = result.status().code() == Code::kInvalidArgument;
  const std::int64_t backoff = options_.backoff_ms << std::min(job->attempts - 1, 10);
  (void)queue_.fail(job->id, worker, result.status().message(), permanent, backoff, now());
  ++summary.failed;
  return true;
}

Result<RunSummary> WorkerPool::run_until_idle() {
  std::mutex mu;
  RunSummary total;
  Status first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < options_.threads; ++t) {
    threads.emplace_back([&, t] {
      const std::string worker = fmt::format("{}-{}-{}", options_.name, getpid(), t);
      RunSummary mine;
      for (;;) {
        auto ran = run_one(worker, mine);
        if (!ran.is_ok()) {
          std::lock_guard lock(mu);
          if (first_error.is_ok()) first_error = ran.status();
          break;
        }
        if (!*ran) break;
      }
      std::lock_guard lock(mu);
      total.done += mine.done;
      total.failed += mine.failed;
    });
  }
  for (auto& th : threads) th.join();
  if (!first_error.is_ok()) return first_error;
  return total;
}

void WorkerPool::start() {
  stopping_ = false;
  for (int t = 0; t < options_.threads; ++t) {
    threads_.emplace_back([this, t] {
      const std::string worker = fmt::format("{}-{}-{}", options_.name, getpid(), t);
      RunSummary ignored;
      while (!stopping_) {
        auto ran = run_one(worker, ignored);
        if (ran.is_ok() && *ran) continue;
        // Nothing due (or the queue was busy): look again shortly, waking early on stop().
        if (options_.on_idle) options_.on_idle();
        for (std::int64_t waited = 0; waited < options_.idle_poll_ms && !stopping_; waited += 50) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
}

void WorkerPool::stop() {
  stopping_ = true;
  for (auto& th : threads_) {
    if (th.joinable()) th.join();
  }
  threads_.clear();
}

}  // namespace evhub::jobs
