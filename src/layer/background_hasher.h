// Hashing on a helper thread, shared by the raw and the uncompressed streams.
#ifndef BULWARK_LAYER_BACKGROUND_HASHER_H_
#define BULWARK_LAYER_BACKGROUND_HASHER_H_

#include <condition_variable>
#include <mutex>
#include <string_view>
#include <thread>

#include "common/digest.h"

namespace bulwark::layer::internal {

// Hashes chunks on a helper thread, one chunk behind the caller, so that
// hashing the uncompressed stream overlaps with inflating the next chunk
// (sha256 costs about as much as inflate). A submitted chunk must stay valid
// until the Submit after next, which the decoders' rings of buffers guarantee.
class BackgroundHasher {
 public:
  BackgroundHasher() : worker_([this] { Run(); }) {}
  ~BackgroundHasher() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    work_ready_.notify_one();
    worker_.join();
  }

  // Waits until the previous chunk is hashed, then queues `chunk`.
  void Submit(std::string_view chunk) {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return !has_chunk_; });
    chunk_ = chunk;
    has_chunk_ = true;
    lock.unlock();
    work_ready_.notify_one();
  }

  // Waits for the last chunk, then returns the digest of all of them.
  Digest Finish() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return !has_chunk_; });
    return hasher_.Finish();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      work_ready_.wait(lock, [this] { return has_chunk_ || stop_; });
      if (stop_) return;
      std::string_view chunk = chunk_;
      lock.unlock();
      hasher_.Update(chunk);
      lock.lock();
      has_chunk_ = false;
      idle_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable idle_;
  std::string_view chunk_;
  bool has_chunk_ = false;
  bool stop_ = false;
  Sha256 hasher_;       // Used by the worker while has_chunk_, else by Finish.
  std::thread worker_;  // Last: starts once the members above exist.
};

}  // namespace bulwark::layer::internal

#endif  // BULWARK_LAYER_BACKGROUND_HASHER_H_
