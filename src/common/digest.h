// Content digests (sha256 only) and an incremental hasher.
#ifndef BULWARK_COMMON_DIGEST_H_
#define BULWARK_COMMON_DIGEST_H_

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark {

// A sha256 digest as used by OCI: "sha256:" + 64 lower-case hex digits.
// Other algorithms (sha512) are refused as unsupported by Parse.
class Digest {
 public:
  Digest() = default;

  // Parses "sha256:<64 hex>". Fails with kInvalidArgument naming the text,
  // or kUnsupported for a well-formed digest of another algorithm.
  static Result<Digest> Parse(std::string_view text);

  // Builds a digest from 32 raw bytes.
  static Digest FromBytes(const unsigned char bytes[32]);

  // Builds a digest from 64 lower-case hex digits; fails like Parse.
  static Result<Digest> FromHex(std::string_view hex);

  // The 64 hex digits; empty for a default-constructed digest.
  const std::string& hex() const { return hex_; }
  // "sha256:<hex>".
  std::string str() const { return "sha256:" + hex_; }
  // "sha256:" plus the first 12 hex digits, for humans.
  std::string Short() const { return "sha256:" + hex_.substr(0, 12); }
  bool empty() const { return hex_.empty(); }

  friend bool operator==(const Digest& a, const Digest& b) { return a.hex_ == b.hex_; }
  friend bool operator!=(const Digest& a, const Digest& b) { return a.hex_ != b.hex_; }
  friend bool operator<(const Digest& a, const Digest& b) { return a.hex_ < b.hex_; }

 private:
  std::string hex_;
};

// Incremental sha256 over OpenSSL's EVP interface. Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Returns the digest of everything fed so far. The hasher must not be used after.
  Digest Finish();

 private:
  EVP_MD_CTX* ctx_;
};

// sha256 of a whole buffer.
Digest Sha256Of(std::string_view data);

}  // namespace bulwark

#endif  // BULWARK_COMMON_DIGEST_H_
