#include "jobs/job_queue.h"

#include <algorithm>
#include <functional>
#include <mutex>

#include <fmt/format.h>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"

namespace evhub::jobs {

using catalog::Database;
using catalog::Statement;

namespace {

const std::vector<catalog::Migration>& queue_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "processing jobs", R"sql(
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  object_id      TEXT NOT NULL,
  payload        TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  max_attempts   INTEGER NOT NULL,
  progress       INTEGER NOT NULL DEFAULT 0,  -- permille
  error          TEXT NOT NULL DEFAULT '',
  result         TEXT NOT NULL DEFAULT '',
  worker         TEXT NOT NULL DEFAULT '',
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  not_before_ms  INTEGER NOT NULL DEFAULT 0,
  lease_until_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs(state, not_before_ms, id);
CREATE UNIQUE INDEX jobs_one_per_object ON jobs(kind, object_id);
)sql"},
  };
  return kMigrations;
}

constexpr const char* kColumns =
    "id, kind, object_id, payload, state, attempts, max_attempts, progress, error, result, "
    "worker, created_ms, updated_ms, not_before_ms, lease_until_ms";

Job read_job(const Statement& st) {
  Job j;
  j.id = st.integer(0);
  j.kind = st.text(1);
  j.object_id = st.text(2);
  j.payload = st.text(3);
  j.state = st.text(4);
  j.attempts = static_cast<int>(st.integer(5));
  j.max_attempts = static_cast<int>(st.integer(6));
  j.progress = static_cast<double>(st.integer(7)) / 1000.0;
  j.error = st.text(8);
  j.result = st.text(9);
  j.worker = st.text(10);
  j.created_ms = st.integer(11);
  j.updated_ms = st.integer(12);
  j.not_before_ms = st.integer(13);
  j.lease_until_ms = st.integer(14);
  return j;
}

}  // namespace

struct JobQueue::Impl {
  Database db;
  // One connection, shared by a process's worker threads: every call holds this.
  std::mutex mu;

  Result<std::optional<Job>> find(const std::string& where, const std::vector<std::string>& text,
                                  std::int64_t number) {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st, db.prepare(fmt::format("SELECT {} FROM jobs WHERE {}", kColumns, where)));
    int i = 1;
    for (const auto& t : text) st.bind(i++, t);
    if (number >= 0) st.bind(i, number);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<Job>();
    return std::optional<Job>(read_job(st));
  }

  // Runs `sql` (its last two parameters: id, worker) on a job the worker holds.
  Status held_change(const std::string& sql, std::int64_t id, const std::string& worker,
                     const std::function<int(Statement&)>& bind_first) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
    int next = bind_first(st);
    st.bind(next, id).bind(next + 1, worker);
    EVHUB_RETURN_IF_ERROR(st.run());
    if (sqlite3_changes(db.handle()) == 0) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("job {} is no longer held by {} (its lease ran out)", id, worker));
    }
    return Status::ok();
  }
};

JobQueue::JobQueue(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JobQueue::~JobQueue() = default;

Result<std::unique_ptr<JobQueue>> JobQueue::open(const std::string& path) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(path, true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, queue_migrations(), "jobs.db"));
  return std::unique_ptr<JobQueue>(
      new JobQueue(std::unique_ptr<Impl>(new Impl{std::move(db), {}})));
}

Result<Job> JobQueue::enqueue(const std::string& kind, const std::string& object_id,
                              const std::string& payload, int max_attempts, std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("INSERT INTO jobs(kind, object_id, payload, state, max_attempts, "
                        "created_ms, updated_ms) VALUES (?, ?, ?, 'queued', ?, ?, ?) "
                        "ON CONFLICT(kind, object_id) DO NOTHING"));
  st.bind(1, kind).bind(2, object_id).bind(3, payload);
  st.bind(4, std::int64_t{std::max(1, max_attempts)}).bind(5, now_ms).bind(6, now_ms);
  EVHUB_RETURN_IF_ERROR(st.run());
  EVHUB_ASSIGN_OR_RETURN(auto job,
                         impl_->find("kind = ? AND object_id = ?", {kind, object_id}, -1));
  if (!job) return Status(Code::kIntegrity, "a job just queued is not in jobs.db");
  return *job;
}

Result<Job> JobQueue::retry(std::int64_t id, std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, impl_->db.prepare("UPDATE jobs SET state = 'queued', attempts = 0, error = '', "
                                      "not_before_ms = 0, progress = 0, updated_ms = ? "
                                      "WHERE id = ? AND state = 'failed'"));
  st.bind(1, now_ms).bind(2, id);
  EVHUB_RETURN_IF_ERROR(st.run());
  const bool changed = sqlite3_changes(impl_->db.handle()) > 0;
  EVHUB_ASSIGN_OR_RETURN(auto job, impl_->find("id = ?", {}, id));
  if (!job) return Status(Code::kNotFound, fmt::format("there is no job {}", id));
  if (!changed) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("job {} is {}; only failed jobs are retried", id, job->state));
  }
  return *job;
}

Result<std::optional<Job>> JobQueue::claim(const std::vector<std::string>& kinds,
                                           const std::string& worker, std::int64_t lease_ms,
                                           std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  if (kinds.empty()) return std::optional<Job>();
  std::string marks;
  for (std::size_t i = 0; i < kinds.size(); ++i) marks += i ? ",?" : "?";
  // One transaction (BEGIN IMMEDIATE): two workers, in any processes, never claim one job.
  EVHUB_ASSIGN_OR_RETURN(auto tx, catalog::Transaction::begin(impl_->db));
  EVHUB_ASSIGN_OR_RETURN(
      Statement pick,
      impl_->db.prepare(fmt::format(
          "SELECT id FROM jobs WHERE kind IN ({}) AND ((state = 'queued' AND not_before_ms <= ?) "
          "OR (state = 'running' AND lease_until_ms < ?)) ORDER BY id LIMIT 1",
          marks)));
  int i = 1;
  for (const auto& k : kinds) pick.bind(i++, k);
  pick.bind(i, now_ms).bind(i + 1, now_ms);
  EVHUB_ASSIGN_OR_RETURN(bool row, pick.step());
  if (!row) return std::optional<Job>();
  const std::int64_t id = pick.integer(0);
  EVHUB_ASSIGN_OR_RETURN(
      Statement take,
      impl_->db.prepare("UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?, "
                        "lease_until_ms = ?, progress = 0, updated_ms = ? WHERE id = ?"));
  take.bind(1, worker).bind(2, now_ms + lease_ms).bind(3, now_ms).bind(4, id);
  EVHUB_RETURN_IF_ERROR(take.run());
  EVHUB_RETURN_IF_ERROR(tx.commit());
  return impl_->find("id = ?", {}, id);
}

Status JobQueue::progress(std::int64_t id, const std::string& worker, double fraction,
                          std::int64_t lease_ms, std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  const auto permille = static_cast<std::int64_t>(std::clamp(fraction, 0.0, 1.0) * 1000);
  return impl_->held_change(
      "UPDATE jobs SET progress = ?, lease_until_ms = ?, updated_ms = ? "
      "WHERE id = ? AND worker = ? AND state = 'running'",
      id, worker, [&](Statement& st) {
        st.bind(1, permille).bind(2, now_ms + lease_ms).bind(3, now_ms);
        return 4;
      });
}

Status JobQueue::complete(std::int64_t id, const std::string& worker, const std::string& result,
                          std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  return impl_->held_change(
      "UPDATE jobs SET state = 'done', result = ?, error = '', progress = 1000, updated_ms = ?, "
      "lease_until_ms = 0 WHERE id = ? AND worker = ? AND state = 'running'",
      id, worker, [&](Statement& st) {
        st.bind(1, result).bind(2, now_ms);
        return 3;
      });
}

Status JobQueue::fail(std::int64_t id, const std::string& worker, const std::string& error,
                      bool permanent, std::int64_t backoff_ms, std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  return impl_->held_change(
      "UPDATE jobs SET state = CASE WHEN ? = 0 AND attempts < max_attempts THEN 'queued' "
      "ELSE 'failed' END, error = ?, not_before_ms = ?, lease_until_ms = 0, updated_ms = ? "
      "WHERE id = ? AND worker = ? AND state = 'running'",
      id, worker, [&](Statement& st) {
        st.bind(1, std::int64_t{permanent}).bind(2, error).bind(3, now_ms + backoff_ms);
        st.bind(4, now_ms);
        return 5;
      });
}

Result<std::optional<Job>> JobQueue::find(std::int64_t id) {
  std::lock_guard lock(impl_->mu);
  return impl_->find("id = ?", {}, id);
}

Result<std::vector<Job>> JobQueue::list(const std::string& state, int limit,
                                        std::int64_t before_id) {
  std::lock_guard lock(impl_->mu);
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, impl_->db.prepare(fmt::format("SELECT {} FROM jobs WHERE (? = '' OR state = ?) "
                                                  "AND (? <= 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                                                  kColumns)));
  st.bind(1, state)
      .bind(2, state)
      .bind(3, before_id)
      .bind(4, before_id)
      .bind(5, std::int64_t{limit});
  std::vector<Job> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(read_job(st));
  }
  return out;
}

Result<JobCounts> JobQueue::counts() {
  std::lock_guard lock(impl_->mu);
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT state, count(*) FROM jobs GROUP BY state"));
  JobCounts c;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    const std::string s = st.text(0);
    (s == "queued"    ? c.queued
     : s == "running" ? c.running
     : s == "done"    ? c.done
                      : c.failed) = st.integer(1);
  }
  return c;
}

}  // namespace evhub::jobs
