#include "search/write_queue.h"

#include <utility>

namespace evhub::search {

WriteQueue::WriteQueue(std::function<Status(PendingDocument&)> write) : write_(std::move(write)) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status WriteQueue::push(PendingDocument p) {
  std::unique_lock lock(mu_);
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  cv_.wait(lock, [&] { return queue_.size() < kDepth || !failed_.is_ok(); });
  if (!failed_.is_ok()) return std::exchange(failed_, Status::ok());
  queue_.push_back(std::move(p));
  cv_.notify_all();
  return Status::ok();
}

Status WriteQueue::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !writing_; });
  return std::exchange(failed_, Status::ok());
}

std::size_t WriteQueue::queued() {
  std::lock_guard lock(mu_);
  return queue_.size() + (writing_ ? 1 : 0);
}

void WriteQueue::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    PendingDocument p = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    Status st = write_(p);
    lock.lock();
    writing_ = false;
    if (!st.is_ok()) {
      if (failed_.is_ok()) failed_ = std::move(st);
      queue_.clear();
    }
    cv_.notify_all();
  }
}

}  // namespace evhub::search
