// The job queue on real SQLite files: one live job per object, leases that run out and are
// taken over, retries with backoff, permanent failures, and workers in two "processes" (two
// connections) that never run a job twice.
#include "jobs/job_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "jobs/worker_pool.h"
#include "support/support.h"

namespace evhub::jobs {
namespace {

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto q = JobQueue::open(path());
    ASSERT_TRUE(q.is_ok()) << q.status().to_string();
    queue_ = std::move(q).value();
  }
  std::string path() const { return tmp_ / "jobs.db"; }
  testing::TempDir tmp_;
  std::unique_ptr<JobQueue> queue_;
};

TEST_F(JobQueueTest, EnqueueingTwiceDoesTheWorkOnce) {
  auto a = queue_->enqueue("extract-text", "obj1", "{}", 3, 1000);
  auto b = queue_->enqueue("extract-text", "obj1", "{}", 3, 2000);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(a->state, "queued");
  auto other = queue_->enqueue("ocr", "obj1", "{}", 3, 2000);
  EXPECT_NE(other->id, a->id) << "another kind is another job";
  EXPECT_EQ(queue_->counts()->queued, 2);
}

TEST_F(JobQueueTest, ListsPageNewestFirstByTheLastIdShown) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(queue_->enqueue("work", "o" + std::to_string(i), "{}", 1, 0).is_ok());
  }
  auto first = *queue_->list("", 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].object_id, "o4");
  auto next = *queue_->list("", 2, first[1].id);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].object_id, "o2");
  EXPECT_EQ(next[1].object_id, "o1");
  EXPECT_EQ(queue_->list("", 10, next[1].id)->size(), 1u);
  EXPECT_TRUE(queue_->list("failed", 10, next[1].id)->empty());
}

TEST_F(JobQueueTest, AnExpiredLeaseIsTakenOverAndTheOldHolderCannotReport) {
  ASSERT_TRUE(queue_->enqueue("ocr", "obj1", "{}", 3, 0).is_ok());
  auto first = queue_->claim({"ocr"}, "w1", 1000, 10);
  ASSERT_TRUE(first.is_ok() && *first);
  EXPECT_EQ((*first)->state, "running");
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_FALSE(*queue_->claim({"ocr"}, "w2", 1000, 500)) << "still leased";
  auto second = queue_->claim({"ocr"}, "w2", 1000, 1011);  // w1 died: its lease ran out
  ASSERT_TRUE(second.is_ok() && *second);
  EXPECT_EQ((*second)->worker, "w2");
  EXPECT_EQ((*second)->attempts, 2);
  EXPECT_EQ(queue_->complete((*first)->id, "w1", "{}", 1100).code(), Code::kFailedPrecondition);
  EXPECT_TRUE(queue_->progress((*first)->id, "w2", 0.5, 1000, 1200).is_ok());
  EXPECT_TRUE(queue_->complete((*first)->id, "w2", R"({"text":"t1"})", 1300).is_ok());
  auto done = *queue_->find((*first)->id);
  EXPECT_EQ(done->state, "done");
  EXPECT_EQ(done->result, R"({"text":"t1"})");
  EXPECT_FALSE(*queue_->claim({"ocr"}, "w3", 1000, 99999)) << "done jobs are not claimed";
}

TEST_F(JobQueueTest, FailuresAreRetriedWithBackoffThenStayFailedUntilAPersonRetries) {
  ASSERT_TRUE(queue_->enqueue("translate", "obj1", "{}", 2, 0).is_ok());
  auto j = *queue_->claim({"translate"}, "w", 1000, 0);
  ASSERT_TRUE(queue_->fail(j->id, "w", "apertium timed out", false, 5000, 10).is_ok());
  EXPECT_EQ((*queue_->find(j->id))->state, "queued");
  EXPECT_FALSE(*queue_->claim({"translate"}, "w", 1000, 4000)) << "waits out its backoff";
  j = *queue_->claim({"translate"}, "w", 1000, 5011);
  ASSERT_TRUE(j);
  ASSERT_TRUE(queue_->fail(j->id, "w", "apertium timed out again", false, 5000, 5020).is_ok());
  auto failed = *queue_->find(j->id);
  EXPECT_EQ(failed->state, "failed") << "no attempts left";
  EXPECT_EQ(failed->error, "apertium timed out again");
  EXPECT_EQ(queue_->counts()->failed, 1);
  auto again = queue_->retry(j->id, 6000);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->state, "queued");
  EXPECT_EQ(again->attempts, 0);
  EXPECT_EQ(queue_->retry(j->id, 6000).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(queue_->retry(12345, 6000).status().code(), Code::kNotFound);
}

TEST_F(JobQueueTest, APermanentFailureIsNotRetried) {
  ASSERT_TRUE(queue_->enqueue("extract-text", "obj1", "{}", 5, 0).is_ok());
  auto j = *queue_->claim({"extract-text"}, "w", 1000, 0);
  ASSERT_TRUE(queue_->fail(j->id, "w", "not a PDF", true, 0, 1).is_ok());
  EXPECT_EQ((*queue_->find(j->id))->state, "failed");
}

TEST_F(JobQueueTest, WorkersInTwoProcessesRunEveryJobExactlyOnce) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(queue_->enqueue("work", "obj" + std::to_string(i), "{}", 3, 0).is_ok());
  }
  std::mutex mu;
  std::map<std::string, int> runs;
  std::atomic<int> flaky{0};
  Handler handler = [&](const Job& job, const ReportProgress& progress) -> Result<std::string> {
    progress(0.5);
    {
      std::lock_guard lock(mu);
      ++runs[job.object_id];
    }
    // Every tenth job fails once, to exercise retries under concurrency.
    if (job.object_id.back() == '7' && job.attempts == 1) {
      ++flaky;
      return Status(Code::kIoError, "transient");
    }
    return std::string(R"({"ok":true})");
  };
  // A second connection stands for a second process.
  auto other = JobQueue::open(path());
  ASSERT_TRUE(other.is_ok());
  WorkerOptions options;
  options.threads = 2;
  options.backoff_ms = 0;
  WorkerPool a(*queue_, {{"work", handler}}, options);
  options.name = "other";
  WorkerPool b(**other, {{"work", handler}}, options);
  Result<RunSummary> ra = RunSummary{}, rb = RunSummary{};
  std::thread ta([&] { ra = a.run_until_idle(); });
  std::thread tb([&] { rb = b.run_until_idle(); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra.is_ok()) << ra.status().to_string();
  ASSERT_TRUE(rb.is_ok()) << rb.status().to_string();
  // Retried jobs may be left for a later run if both pools went idle first.
  auto rest = a.run_until_idle();
  ASSERT_TRUE(rest.is_ok());
  EXPECT_EQ(ra->done + rb->done + rest->done, kJobs);
  EXPECT_EQ(queue_->counts()->done, kJobs);
  for (const auto& [object, n] : runs) {
    EXPECT_EQ(n, object.back() == '7' ? 2 : 1) << object;
  }
  EXPECT_EQ(flaky.load(), 12);
}

TEST_F(JobQueueTest, AHandlerThatThrowsFailsItsJobNotTheWorker) {
  ASSERT_TRUE(queue_->enqueue("bad", "obj1", "{}", 1, 0).is_ok());
  ASSERT_TRUE(queue_->enqueue("bad", "obj2", "{}", 1, 0).is_ok());
  WorkerOptions options;
  options.threads = 1;
  WorkerPool pool(*queue_,
                  {{"bad",
                    [](const Job& job, const ReportProgress&) -> Result<std::string> {
                      if (job.object_id == "obj1") throw std::runtime_error("bug");
                      return std::string("{}");
                    }}},
                  options);
  auto r = pool.run_until_idle();
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->done, 1);
  auto jobs = *queue_->list("failed", 10);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_NE(jobs[0].error.find("internal error: bug"), std::string::npos);
}

TEST_F(JobQueueTest, AStartedPoolPicksUpNewJobsAndStopsCleanly) {
  WorkerOptions options;
  options.threads = 2;
  options.idle_poll_ms = 50;
  std::atomic<int> ran{0};
  WorkerPool pool(*queue_,
                  {{"work",
                    [&](const Job&, const ReportProgress&) -> Result<std::string> {
                      ++ran;
                      return std::string("{}");
                    }}},
                  options);
  pool.start();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(queue_->enqueue("work", "o" + std::to_string(i), "{}", 1, 0).is_ok());
  }
  for (int waited = 0; ran < 5 && waited < 20000; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pool.stop();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(queue_->counts()->done, 5);
}

}  // namespace
}  // namespace evhub::jobs
