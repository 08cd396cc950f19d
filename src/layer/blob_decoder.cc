#include "layer/blob_decoder.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

namespace bulwark::layer::internal {
namespace {

constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
constexpr unsigned char kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};
// A zstd skippable frame starts with 0x184D2A5? little-endian; libzstd skips
// such frames (RFC 8878 section 3.1.2), so a blob may start with one.
constexpr unsigned char kZstdSkippableTail[] = {0x2a, 0x4d, 0x18};
// bzip2: "BZh", the block size '1'..'9', then the magic of the first block
// (the digits of pi) or of the end of stream (of sqrt(pi)). The six bytes
// after the level keep a tar whose first name starts with "BZh" a tar.
constexpr unsigned char kBzip2BlockMagic[] = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
constexpr unsigned char kBzip2EndMagic[] = {0x17, 0x72, 0x45, 0x38, 0x50, 0x90};
constexpr unsigned char kXzMagic[] = {0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00};

bool StartsWith(std::string_view head, const unsigned char* magic, size_t size) {
  if (head.size() < size) return false;
  for (size_t i = 0; i < size; ++i) {
    if (static_cast<unsigned char>(head[i]) != magic[i]) return false;
  }
  return true;
}

// Plain tar: the raw chunks are the uncompressed stream.
class PlainDecoder : public BlobDecoder {
 public:
  explicit PlainDecoder(RawInput& input) : input_(input) {}
  Result<std::string_view> Next() override { return input_.Next(); }

 private:
  RawInput& input_;
};

std::string IsalErrorText(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "compression method is not deflate";
    case ISAL_INCORRECT_CHECKSUM:
      return "checksum mismatch";
    case ISAL_NEED_DICT:
      return "preset dictionary required";
    default:
      return "decoder error " + std::to_string(code);
  }
}

// How many chunks the decoding thread may run ahead of the reader, and the
// buffers that needs: besides those queued and the one being filled, the
// reader's current chunk and the one before it (still being hashed) must stay
// valid. One more is kept spare.
constexpr size_t kChunksAhead = 3;
constexpr size_t kThreadedBuffers = kChunksAhead + 4;

// A decoder's output: kThreadedBuffers buffers of kStreamBufferSize, filled in
// turn, so that a chunk handed out stays valid while the next
// kThreadedBuffers - 1 are filled.
class OutputRing {
 public:
  OutputRing()
      : data_(std::make_unique_for_overwrite<char[]>(kThreadedBuffers * kStreamBufferSize)) {}

  // The buffer to fill next, kStreamBufferSize bytes.
  char* next() { return data_.get() + next_ * kStreamBufferSize; }

  // The first `size` bytes of next(), handed out; the buffer after it is next.
  std::string_view Take(size_t size) {
    std::string_view chunk(next(), size);
    next_ = (next_ + 1) % kThreadedBuffers;
    return chunk;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t next_ = 0;
};

// gzip through isa-l. A blob may hold several gzip members back to back (RFC
// 1952 section 2.2); their outputs are concatenated. Bytes after the last
// member that do not start another member are refused, as Go's reader (used
// by the container runtimes) refuses them.
class GzipDecoder : public BlobDecoder {
 public:
  explicit GzipDecoder(RawInput& input) : input_(input), state_(std::make_unique<inflate_state>()) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;
    state_->avail_in = 0;
  }

  Result<std::string_view> Next() override {
    while (true) {
      if (state_->avail_in == 0 && !input_.at_end()) {
        BULWARK_ASSIGN_OR_RETURN(std::string_view chunk, input_.Next());
        state_->next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(chunk.data()));
        state_->avail_in = static_cast<uint32_t>(chunk.size());
        continue;
      }

      if (state_->block_state == ISAL_BLOCK_FINISH) {
        if (state_->avail_in == 0) return std::string_view();  // Input is at its end.
        // Another member follows.
        isal_inflate_reset(state_.get());
        state_->crc_flag = ISAL_GZIP;
        ++member_;
      }

      state_->next_out = reinterpret_cast<uint8_t*>(output_.next());
      state_->avail_out = static_cast<uint32_t>(kStreamBufferSize);
      int status = isal_inflate(state_.get());
      if (status < 0 || status == ISAL_NEED_DICT) {
        return Error(ErrorCode::kCorruptInput, "gzip stream: member " + std::to_string(member_) +
                                                   ": " + IsalErrorText(status));
      }
      size_t produced = kStreamBufferSize - state_->avail_out;
      if (produced > 0) return output_.Take(produced);
      if (state_->avail_in == 0 && input_.at_end() && state_->block_state != ISAL_BLOCK_FINISH) {
        return Error(ErrorCode::kCorruptInput, "gzip stream: member " + std::to_string(member_) +
                                                   ": truncated (ends inside the member)");
      }
    }
  }

 private:
  RawInput& input_;
  std::unique_ptr<inflate_state> state_;
  OutputRing output_;
  int member_ = 1;
};

// zstd through the streaming API. Several frames (and skippable frames) in a
// row are decoded as one stream by libzstd itself.
class ZstdDecoder : public BlobDecoder {
 public:
  explicit ZstdDecoder(RawInput& input) : input_(input), context_(ZSTD_createDCtx()) {}
  ~ZstdDecoder() override { ZSTD_freeDCtx(context_); }

  Result<std::string_view> Next() override {
    if (context_ == nullptr) return Error(ErrorCode::kInternal, "zstd stream: no decoder context");
    while (true) {
      if (in_.pos == in_.size && !input_.at_end()) {
        BULWARK_ASSIGN_OR_RETURN(std::string_view chunk, input_.Next());
        in_ = ZSTD_inBuffer{chunk.data(), chunk.size(), 0};
        continue;
      }
      bool input_done = in_.pos == in_.size && input_.at_end();
      if (input_done && frame_remaining_ == 0) return std::string_view();

      ZSTD_outBuffer out{output_.next(), kStreamBufferSize, 0};
      size_t status = ZSTD_decompressStream(context_, &out, &in_);
      if (ZSTD_isError(status)) return ZstdError(status);
      frame_remaining_ = status;
      if (out.pos > 0) return output_.Take(out.pos);
      if (input_done) {
        return Error(ErrorCode::kCorruptInput, "zstd stream: truncated (ends inside a frame)");
      }
    }
  }

 private:
  static Error ZstdError(size_t status) {
    std::string message = std::string("zstd stream: ") + ZSTD_getErrorName(status);
    if (ZSTD_getErrorCode(status) == ZSTD_error_frameParameter_windowTooLarge) {
      // LIMITATION(#2): frames whose window exceeds libzstd's default limit
      // (128 MiB, e.g. written with --long=31) are refused to bound memory;
      // the user sees a limit_exceeded error for the layer.
      return Error(ErrorCode::kLimitExceeded, message + " (window above 128 MiB)");
    }
    return Error(ErrorCode::kCorruptInput, message);
  }

  RawInput& input_;
  ZSTD_DCtx* context_;
  OutputRing output_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  size_t frame_remaining_ = 1;  // Nonzero: a frame is started or expected.
};

// Runs another decoder on a helper thread, up to kChunksAhead chunks ahead of
// the reader, so that inflating (the largest cost of a cold scan) overlaps
// with walking the tar on the reader's thread. The inner decoder, and the raw
// input it reads, are used only by that thread once it has started; when no
// thread can be started they are used inline instead.
class ThreadedDecoder : public BlobDecoder {
 public:
  // `inner` must keep its kThreadedBuffers most recent chunks valid (an
  // OutputRing does).
  explicit ThreadedDecoder(std::unique_ptr<BlobDecoder> inner) : inner_(std::move(inner)) {
    try {
      worker_ = std::thread([this] { Run(); });
    } catch (const std::system_error&) {
      // No thread to spare: decode on the reader's thread.
    }
  }

  ~ThreadedDecoder() override {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    space_.notify_one();
    worker_.join();
  }

  Result<std::string_view> Next() override {
    if (!worker_.joinable()) return inner_->Next();
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return !queue_.empty() || finished_; });
    if (queue_.empty()) {
      // Asked again after the end or an error: say the same again.
      if (failure_) return *failure_;
      return std::string_view();
    }
    Result<std::string_view> chunk = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    space_.notify_one();
    return chunk;
  }

 private:
  void Run() {
    while (true) {
      Result<std::string_view> chunk = DecodeOne();
      bool last = !chunk.ok() || chunk->empty();
      std::unique_lock<std::mutex> lock(mutex_);
      space_.wait(lock, [this] { return stop_ || queue_.size() < kChunksAhead; });
      if (stop_) return;
      if (!chunk.ok()) failure_ = chunk.error();
      queue_.push_back(std::move(chunk));
      finished_ = last;
      lock.unlock();
      ready_.notify_one();
      if (last) return;
    }
  }

  // An exception leaving this thread would end the process; on the reader's
  // thread it reached main()'s last catch. It becomes the stream's error.
  Result<std::string_view> DecodeOne() {
    try {
      return inner_->Next();
    } catch (const std::exception& thrown) {
      return Error(ErrorCode::kInternal, std::string("decompressing thread: ") + thrown.what());
    }
  }

  std::unique_ptr<BlobDecoder> inner_;
  std::mutex mutex_;
  std::condition_variable ready_;  // A chunk was queued, or the decoder finished.
  std::condition_variable space_;  // A chunk was taken, or the reader stopped.
  std::deque<Result<std::string_view>> queue_;
  std::optional<Error> failure_;
  bool finished_ = false;
  bool stop_ = false;
  std::thread worker_;  // Last: starts once the members above exist.
};

}  // namespace

RawInput::RawInput(ByteStream& blob)
    : blob_(blob), buffer_(std::make_unique_for_overwrite<char[]>(2 * kStreamBufferSize)) {
  // Hashing the raw bytes on a helper thread takes sha256 off the path that
  // reads, inflates and walks the tar.
  try {
    background_ = std::make_unique<BackgroundHasher>();
  } catch (const std::system_error&) {
    // No thread to spare: hash on this thread instead.
  }
}

Digest RawInput::FinishDigest() { return background_ ? background_->Finish() : hasher_.Finish(); }

Result<size_t> RawInput::Fill(size_t offset) {
  char* half = buffer_.get() + (flip_ ? kStreamBufferSize : 0);
  BULWARK_ASSIGN_OR_RETURN(size_t got, blob_.Read(half + offset, kStreamBufferSize - offset));
  if (got > kStreamBufferSize - offset) {
    return Error(ErrorCode::kInternal, "layer blob: stream returned more bytes than asked");
  }
  if (got == 0) at_end_ = true;
  // A half is refilled two Fills after it was submitted; Submit waits for the
  // previous chunk, so its bytes are hashed by then.
  if (background_) {
    background_->Submit(std::string_view(half + offset, got));
  } else {
    hasher_.Update(half + offset, got);
  }
  size_ += got;
  return got;
}

Status RawInput::Start() {
  size_t filled = 0;
  while (filled < kMagicBytes && !at_end_) {
    BULWARK_ASSIGN_OR_RETURN(size_t got, Fill(filled));
    filled += got;
  }
  pending_ = std::string_view(buffer_.get(), filled);
  flip_ = true;
  return Ok();
}

Result<std::string_view> RawInput::Next() {
  if (!pending_.empty()) {
    std::string_view chunk = pending_;
    pending_ = {};
    return chunk;
  }
  if (at_end_) return std::string_view();
  BULWARK_ASSIGN_OR_RETURN(size_t got, Fill(0));
  std::string_view chunk(buffer_.get() + (flip_ ? kStreamBufferSize : 0), got);
  flip_ = !flip_;
  return chunk;
}

Compression DetectCompression(std::string_view head) {
  if (StartsWith(head, kGzipMagic, sizeof kGzipMagic)) return Compression::kGzip;
  if (StartsWith(head, kZstdMagic, sizeof kZstdMagic)) return Compression::kZstd;
  bool skippable = !head.empty() && (static_cast<unsigned char>(head[0]) & 0xf0) == 0x50 &&
                   StartsWith(head.substr(1), kZstdSkippableTail, sizeof kZstdSkippableTail);
  if (skippable) return Compression::kZstd;
  return Compression::kNone;
}

std::string_view UnsupportedCompression(std::string_view head) {
  if (StartsWith(head, kXzMagic, sizeof kXzMagic)) return "xz";
  bool bzip2 = head.size() >= 10 && head.starts_with("BZh") && head[3] >= '1' && head[3] <= '9' &&
               (StartsWith(head.substr(4), kBzip2BlockMagic, sizeof kBzip2BlockMagic) ||
                StartsWith(head.substr(4), kBzip2EndMagic, sizeof kBzip2EndMagic));
  if (bzip2) return "bzip2";
  return {};
}

std::unique_ptr<BlobDecoder> MakeBlobDecoder(Compression compression, RawInput& input) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<ThreadedDecoder>(std::make_unique<GzipDecoder>(input));
    case Compression::kZstd:
      return std::make_unique<ThreadedDecoder>(std::make_unique<ZstdDecoder>(input));
    case Compression::kNone:
      break;
  }
  // A plain blob needs no decoding; its reads and its one hash stay inline.
  return std::make_unique<PlainDecoder>(input);
}

}  // namespace bulwark::layer::internal
