// A bounded pool of threads for the heavy analyses (siting, scenarios, coverage, gaps and
// service areas), apart from the threads that read and answer requests, so /health and cheap
// reads stay responsive under any mix. A full queue refuses at once (the caller answers 503
// with Retry-After) instead of letting work pile up.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lifecircle::server {

class JobPool {
 public:
  // `threads` workers run at a lower CPU priority than the request threads; at most
  // `queue_limit` jobs wait beyond those running.
  JobPool(std::string name, int threads, std::size_t queue_limit);
  ~JobPool();  // stop()
  JobPool(const JobPool&) = delete;
  JobPool& operator=(const JobPool&) = delete;

  // False when the queue is full or the pool is stopping; the job is not run then.
  bool try_submit(std::function<void()> job);
  // Drops the jobs still queued and waits for the running ones. Idempotent.
  void stop();

  std::size_t queued() const;
  std::size_t running() const;

 private:
  void work();

  std::string name_;
  std::size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lifecircle::server
