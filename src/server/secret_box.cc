#include "server/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace bulwark::server {
namespace {

constexpr size_t kKeyBytes = crypto_secretbox_KEYBYTES;
constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

Error KeyError(const std::string& path, const std::string& what) {
  return Error(ErrorCode::kIo, "server key " + path + ": " + what);
}

// Writes a new key with O_EXCL, so two servers starting at once on one data
// directory cannot both write one: the second reads the first's.
Status WriteNewKey(const std::string& path, const unsigned char* key) {
  std::error_code error;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) return KeyError(path, "creating " + parent.string() + ": " + error.message());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyError(path, std::strerror(errno));
  ssize_t written = ::write(fd, key, kKeyBytes);
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(kKeyBytes) || !synced) {
    ::unlink(path.c_str());
    return KeyError(path, "writing the new key failed");
  }
  return Ok();
}

Status ReadKey(const std::string& path, unsigned char* key) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return KeyError(path, std::strerror(errno));
  struct stat info;
  bool stated = ::fstat(fd, &info) == 0;
  ssize_t got = stated ? ::read(fd, key, kKeyBytes) : -1;
  char extra;
  ssize_t more = got == static_cast<ssize_t>(kKeyBytes) ? ::read(fd, &extra, 1) : 0;
  ::close(fd);
  if (!stated || !S_ISREG(info.st_mode)) return KeyError(path, "not a regular file");
  if ((info.st_mode & 077) != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "server key " + path + ": readable or writable by others; chmod 600 it");
  }
  if (got != static_cast<ssize_t>(kKeyBytes) || more != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "server key " + path + ": not " + std::to_string(kKeyBytes) + " bytes");
  }
  return Ok();
}

}  // namespace

Result<SecretBox> SecretBox::LoadOrCreate(const std::string& path) {
  auto* key = static_cast<unsigned char*>(sodium_malloc(kKeyBytes));
  if (key == nullptr) return Error(ErrorCode::kInternal, "server key: out of locked memory");
  SecretBox box(key, path);

  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    randombytes_buf(key, kKeyBytes);
    Status written = WriteNewKey(path, key);
    if (written.ok()) return box;
    if (!std::filesystem::exists(path, error)) return written.error();
    // Another process wrote it first: read that one.
  }
  BULWARK_TRY(ReadKey(path, key));
  return box;
}

SecretBox::SecretBox(SecretBox&& other) noexcept
    : key_(std::exchange(other.key_, nullptr)), path_(std::move(other.path_)) {}

SecretBox& SecretBox::operator=(SecretBox&& other) noexcept {
  if (this != &other) {
    sodium_free(key_);
    key_ = std::exchange(other.key_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

SecretBox::~SecretBox() { sodium_free(key_); }

std::string SecretBox::Seal(std::string_view secret) const {
  if (secret.empty()) return "";
  std::vector<unsigned char> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                    secret.size());
  unsigned char* nonce = sealed.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nonce,
                        key_);
  std::string text(sodium_base64_ENCODED_LEN(sealed.size(), kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), sealed.data(), sealed.size(), kBase64Variant);
  text.resize(std::strlen(text.c_str()));
  return text;
}

Result<std::string> SecretBox::Open(std::string_view sealed_text) const {
  if (sealed_text.empty()) return std::string();
  const Error unreadable(ErrorCode::kCorruptInput,
                         "a stored registry secret does not open with the server key " + path_ +
                             " (was it sealed with another key? replicas must share the key "
                             "file); add the registry again with its password");
  std::vector<unsigned char> sealed(sealed_text.size());
  size_t length = 0;
  if (sodium_base642bin(sealed.data(), sealed.size(), sealed_text.data(), sealed_text.size(),
                        nullptr, &length, nullptr, kBase64Variant) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return unreadable;
  }
  const unsigned char* nonce = sealed.data();
  size_t cipher_length = length - crypto_secretbox_NONCEBYTES;
  std::string secret(cipher_length - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(secret.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, cipher_length, nonce,
                                 key_) != 0) {
    return unreadable;
  }
  return secret;
}

}  // namespace bulwark::server
