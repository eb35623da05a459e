// evhub jobs …: the processing queue from the command line — list it, add to it, retry a
// failed job, and (--wait) work through it in this process with the hub's own handlers.
#include <iostream>
#include <mutex>

#include <fmt/format.h>

#include "cli/commands.h"
#include "collection/processing.h"
#include "core/clock.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"
#include "jobs/worker_pool.h"
#include "translate/translator.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

json job_json(const jobs::Job& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"object", j.object_id},
          {"state", j.state},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"progress", j.progress},
          {"error", j.error},
          {"result", j.result},
          {"worker", j.worker},
          {"created_ms", j.created_ms},
          {"updated_ms", j.updated_ms}};
}

int list_jobs(const Options& o, jobs::JobQueue& queue) {
  auto all = queue.list(o.job_state, o.limit > 0 ? static_cast<int>(o.limit) : 100);
  if (!all.is_ok()) return report_failure(o, all.status());
  for (const auto& j : *all) {
    if (o.json) {
      std::cout << job_json(j).dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
      continue;
    }
    std::cout << fmt::format("{:>6}  {:<13} {}  {:<8} attempt {}/{}{}\n", j.id, j.kind, j.object_id,
                             j.state, j.attempts, j.max_attempts,
                             j.error.empty() ? "" : "  error: " + j.error);
  }
  return 0;
}

int cmd_jobs(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto queue = jobs::JobQueue::open((*hub)->layout().jobs());
  if (!queue.is_ok()) return report_failure(o, queue.status());
  if (o.wait) {
    std::mutex hub_mutex;
    auto translator = translate::apertium_translator();
    jobs::WorkerOptions options;
    options.threads = o.threads;
    options.name = "evhub-jobs";
    jobs::WorkerPool pool(
        **queue, collection::processing_handlers(**hub, hub_mutex, **queue, *translator), options);
    auto summary = pool.run_until_idle();
    if (!summary.is_ok()) return report_failure(o, summary.status());
    if (!o.json) {
      std::cerr << fmt::format("evhub: {} jobs done, {} attempts failed\n", summary->done,
                               summary->failed);
    }
  }
  return list_jobs(o, **queue);
}

int cmd_jobs_add(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto described = (*hub)->describe(o.id);
  if (!described.is_ok()) return report_failure(o, described.status());
  if (!json::accept(o.payload)) {
    return report_failure(o, Status(Code::kInvalidArgument, "--payload must be JSON"));
  }
  auto queue = jobs::JobQueue::open((*hub)->layout().jobs());
  if (!queue.is_ok()) return report_failure(o, queue.status());
  auto job = (*queue)->enqueue(o.job_kind, o.id, o.payload, 3, now_millis());
  if (!job.is_ok()) return report_failure(o, job.status());
  if (o.json) {
    std::cout << job_json(*job).dump() << "\n";
  } else {
    std::cout << fmt::format("job {} ({} of {}) is {}\n", job->id, job->kind, job->object_id,
                             job->state);
  }
  return 0;
}

int cmd_jobs_retry(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto queue = jobs::JobQueue::open((*hub)->layout().jobs());
  if (!queue.is_ok()) return report_failure(o, queue.status());
  auto job = (*queue)->retry(o.job_id, now_millis());
  if (!job.is_ok()) return report_failure(o, job.status());
  std::cout << (o.json ? job_json(*job).dump() : fmt::format("job {} is queued again", job->id))
            << "\n";
  return 0;
}

}  // namespace

void register_jobs_commands(CLI::App& app, Options& o) {
  auto* jobs = app.add_subcommand("jobs",
                                  "the processing queue: text extraction, OCR, "
                                  "translation (list; --wait to work through it)");
  jobs->fallthrough();
  jobs->add_option("--state", o.job_state, "only queued, running, done or failed jobs");
  jobs->add_option("--limit", o.limit, "at most this many (default 100)");
  jobs->add_flag("--wait", o.wait, "run the due jobs in this process until none is left");
  jobs->add_option("--threads", o.threads, "workers for --wait (default: one per core)");
  auto* add = jobs->add_subcommand("add",
                                   "queue a job, e.g. translate OBJECT --payload "
                                   "'{\"from\":\"be\",\"to\":\"ru\"}'");
  add->add_option("kind", o.job_kind, "extract-text or translate")
      ->required()
      ->check(CLI::IsMember({collection::kExtractTextJob, collection::kTranslateJob}));
  add->add_option("object", o.id, "the object to process")->required();
  add->add_option("--payload", o.payload, "kind-specific JSON (default {})");
  auto* retry = jobs->add_subcommand("retry", "queue a failed job again");
  retry->add_option("id", o.job_id, "the job's number")->required();
}

int run_jobs_command(CLI::App& app, Options& o) {
  auto* jobs = app.get_subcommand("jobs");
  if (jobs->got_subcommand("add")) return cmd_jobs_add(o);
  if (jobs->got_subcommand("retry")) return cmd_jobs_retry(o);
  return cmd_jobs(o);
}

}  // namespace evhub::cli
