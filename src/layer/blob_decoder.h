// Streaming decompression of layer blobs with hashing of the raw bytes.
// Internal to layer/.
#ifndef BULWARK_LAYER_BLOB_DECODER_H_
#define BULWARK_LAYER_BLOB_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/byte_stream.h"
#include "common/digest.h"
#include "common/result.h"
#include "layer/background_hasher.h"
#include "layer/layer_contents.h"

namespace bulwark::layer::internal {

// Size of the raw and the decompressed buffers.
inline constexpr size_t kStreamBufferSize = size_t{1} << 20;
// Bytes the first chunk holds, unless the blob is shorter: enough for every
// magic number DetectCompression and UnsupportedCompression look at.
inline constexpr size_t kMagicBytes = 10;

// Reads a blob in chunks, hashing and counting every raw byte as it passes.
// The first chunk holds at least kMagicBytes unless the blob is shorter, so
// the compression magic can be seen before anything is consumed.
class RawInput {
 public:
  explicit RawInput(ByteStream& blob);

  // Reads the first chunk. Must be called once, before Peek and Next.
  Status Start();
  // The bytes of the first chunk that Next has not returned yet.
  std::string_view Peek() const { return pending_; }
  // The next chunk; empty at the end. Like BlobDecoder::Next, the two most
  // recent chunks stay valid.
  Result<std::string_view> Next();
  // True once the blob has reported its end.
  bool at_end() const { return at_end_ && pending_.empty(); }

  uint64_t size() const { return size_; }
  // The digest of every byte read. The input must not be used after.
  Digest FinishDigest();

 private:
  Result<size_t> Fill(size_t offset);

  ByteStream& blob_;
  std::unique_ptr<char[]> buffer_;  // Two halves, used in turn.
  bool flip_ = false;
  std::string_view pending_;
  bool at_end_ = false;
  uint64_t size_ = 0;
  Sha256 hasher_;
  std::unique_ptr<BackgroundHasher> background_;  // Null when no thread could start.
};

// Produces the uncompressed stream of a blob, chunk by chunk.
class BlobDecoder {
 public:
  virtual ~BlobDecoder() = default;
  // The next chunk of uncompressed bytes; empty at the end of the stream.
  // The two most recent chunks stay valid (decoders alternate between two
  // buffers, so a chunk can be hashed on another thread while the next one
  // is produced). kCorruptInput ("gzip stream: ...") when the compressed data
  // is malformed or truncated.
  virtual Result<std::string_view> Next() = 0;
};

// Detects the compression from the magic bytes at the front of `input`
// (Start must have run). A zstd blob may start with a skippable frame.
Compression DetectCompression(std::string_view head);

// "bzip2" or "xz" when `head` starts with their magic; empty otherwise. Such
// blobs are refused: image layers are gzip, zstd or plain tar (OCI image
// spec, layer media types).
std::string_view UnsupportedCompression(std::string_view head);

// A decoder for `compression` reading from `input`, which must outlive it.
// A gzip or zstd blob is decoded on a helper thread, a few chunks ahead of
// the caller; from its construction on, `input` (and the blob it reads) is
// used by that thread until the decoder has reported the end or an error, or
// is destroyed. The caller may then read `input`'s size and digest.
std::unique_ptr<BlobDecoder> MakeBlobDecoder(Compression compression, RawInput& input);

}  // namespace bulwark::layer::internal

#endif  // BULWARK_LAYER_BLOB_DECODER_H_
