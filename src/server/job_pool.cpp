#include "job_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>

namespace lifecircle::server {

JobPool::JobPool(std::string name, int threads, std::size_t queue_limit)
    : name_(std::move(name)), queue_limit_(queue_limit) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { work(); });
}

JobPool::~JobPool() { stop(); }

bool JobPool::try_submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A job waits only if every worker is busy; the limit counts the waiting ones.
    const std::size_t idle = threads_.size() - std::min(threads_.size(), running_);
    if (stopping_ || queue_.size() >= queue_limit_ + idle) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void JobPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::size_t JobPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::size_t JobPool::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

void JobPool::work() {
  // Nice 10 for this thread only (Linux applies nice values per thread), so a request thread
  // answering /health wins the CPU from a solver on a busy machine.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s job: %s\n", name_.c_str(), e.what());
    } catch (...) {
      std::fprintf(stderr, "error: %s job: unknown exception\n", name_.c_str());
    }
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
  }
}

}  // namespace lifecircle::server
