#include "common/digest.h"

#include <openssl/evp.h>

namespace bulwark {
namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<Digest> Digest::FromHex(std::string_view hex) {
  if (hex.size() != 64 || !IsLowerHex(hex)) {
    return Error(ErrorCode::kInvalidArgument,
                 "digest \"" + std::string(hex.substr(0, 80)) +
                     "\": expected 64 lower-case hex digits");
  }
  Digest digest;
  digest.hex_ = std::string(hex);
  return digest;
}

Result<Digest> Digest::Parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "digest \"" + std::string(text.substr(0, 80)) + "\": no algorithm prefix");
  }
  std::string_view algorithm = text.substr(0, colon);
  if (algorithm != "sha256") {
    return Error(ErrorCode::kUnsupported, "digest \"" + std::string(text.substr(0, 80)) +
                                              "\": only sha256 digests are supported");
  }
  auto digest = FromHex(text.substr(colon + 1));
  if (!digest.ok()) {
    return Error(ErrorCode::kInvalidArgument,
                 "digest \"" + std::string(text.substr(0, 80)) + "\": expected sha256:<64 hex>");
  }
  return digest;
}

Digest Digest::FromBytes(const unsigned char bytes[32]) {
  static const char kHex[] = "0123456789abcdef";
  Digest digest;
  digest.hex_.resize(64);
  for (int i = 0; i < 32; ++i) {
    digest.hex_[2 * i] = kHex[bytes[i] >> 4];
    digest.hex_[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return digest;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(const void* data, size_t size) { EVP_DigestUpdate(ctx_, data, size); }

Digest Sha256::Finish() {
  unsigned char bytes[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx_, bytes, &length);
  return Digest::FromBytes(bytes);
}

Digest Sha256Of(std::string_view data) {
  Sha256 hasher;
  hasher.Update(data);
  return hasher.Finish();
}

}  // namespace bulwark
