// Registry secrets sealed at rest with the server key (issue #5): libsodium's
// crypto_secretbox (XSalsa20-Poly1305) with a random nonce per value. The key
// is 32 random bytes in a file; replicas sharing one database must share it.
#ifndef BULWARK_SERVER_SECRET_BOX_H_
#define BULWARK_SERVER_SECRET_BOX_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::server {

// Holds the key in memory locked against swapping (sodium_malloc); the key
// never leaves it. Thread-safe: Seal and Open keep no state.
// LIMITATION(#5): there is no key rotation, and a stored registry credential
// is a user name and password only (no identity token, no credential
// helper); a new key makes the stored secrets unreadable (kCorruptInput
// naming the key file) until each registry is added again.
class SecretBox {
 public:
  // Reads the key from `path`, or, when no file is there, makes a new random
  // key and writes it there with mode 0600 (the directory is created). A file
  // that is not exactly 32 bytes, or that others may read or write, is
  // refused. Errors: kIo naming the path, kInvalidArgument for a bad file.
  // libsodium must be initialised (sodium_init) first.
  static Result<SecretBox> LoadOrCreate(const std::string& path);

  SecretBox(SecretBox&& other) noexcept;
  SecretBox& operator=(SecretBox&& other) noexcept;
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;
  ~SecretBox();

  // Base64 (no padding variant, URL-safe) of a fresh nonce and the sealed
  // `secret`; "" for an empty secret.
  std::string Seal(std::string_view secret) const;

  // The secret from Seal's text; "" for "". kCorruptInput when the text is
  // not what Seal wrote with this key (another server's key, say); the
  // message names neither the key nor the secret.
  Result<std::string> Open(std::string_view sealed) const;

  const std::string& path() const { return path_; }

 private:
  SecretBox(unsigned char* key, std::string path) : key_(key), path_(std::move(path)) {}
  unsigned char* key_ = nullptr;  // crypto_secretbox_KEYBYTES, from sodium_malloc.
  std::string path_;
};

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_SECRET_BOX_H_
