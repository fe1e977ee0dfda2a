#pragma once
// A bounded, closable multi-producer queue between pipeline threads. A full
// queue blocks its producers (backpressure); close() wakes everyone, lets
// consumers drain what is left, and makes further pushes fail.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace pktmask {

template <typename T>
class MessageQueue {
 public:
  explicit MessageQueue(size_t capacity) : capacity_(capacity) {}

  bool push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item arrives; nullopt once closed and drained.
  std::optional<T> pop() { return pop_until(std::nullopt); }

  std::optional<T> pop_for(std::chrono::milliseconds wait) {
    return pop_until(std::chrono::steady_clock::now() + wait);
  }

  std::optional<T> try_pop() { return pop_until(std::chrono::steady_clock::now()); }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool closed_and_empty() const {
    std::lock_guard lock(mutex_);
    return closed_ && items_.empty();
  }

 private:
  // No deadline waits for good (time_point::max() would overflow inside the wait).
  std::optional<T> pop_until(std::optional<std::chrono::steady_clock::time_point> deadline) {
    std::unique_lock lock(mutex_);
    auto ready = [&] { return closed_ || !items_.empty(); };
    if (deadline)
      not_empty_.wait_until(lock, *deadline, ready);
    else
      not_empty_.wait(lock, ready);
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace pktmask
