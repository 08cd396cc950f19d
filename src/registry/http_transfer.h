// One HTTP request over libcurl whose body is pulled as a ByteStream: the
// transfer runs only while the reader asks for bytes, through a small buffer,
// so a blob of any size never sits in memory or on disk. Internal to registry/.
#ifndef BULWARK_REGISTRY_HTTP_TRANSFER_H_
#define BULWARK_REGISTRY_HTTP_TRANSFER_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "common/result.h"

namespace bulwark::registry {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // Whole lines, "Accept: ...".
  std::string post_body;             // Sent as a form POST when not empty.
};

struct TlsSettings {
  std::string ca_file;  // PEM bundle to trust instead of the system's; "" = system.
  bool verify = true;   // false skips certificate and host name checks.
};

// Limits on what a peer may send before the body.
inline constexpr size_t kMaxHeaderBytes = 64 * 1024;
inline constexpr size_t kMaxHeaderLines = 200;

// A started request. Redirects are not followed: a 3xx answer is returned like
// any other, so that the caller decides where credentials go. Not thread-safe.
class HttpTransfer : public ByteStream {
 public:
  // Sends `request` and waits until the status line and headers of the answer
  // have arrived. Errors: kNetwork naming the URL and the transfer error (the
  // CURLcode goes to `curl_code` when given), kLimitExceeded for oversized
  // headers.
  static Result<std::unique_ptr<HttpTransfer>> Start(const HttpRequest& request,
                                                     const TlsSettings& tls,
                                                     int* curl_code = nullptr);

  ~HttpTransfer() override;
  HttpTransfer(const HttpTransfer&) = delete;
  HttpTransfer& operator=(const HttpTransfer&) = delete;

  long status() const { return status_; }
  // The last value of the header `name` (any case), or "".
  std::string Header(std::string_view name) const;
  const std::string& url() const { return url_; }

  // Reads the body. kNetwork when the transfer breaks off.
  Result<size_t> Read(void* buffer, size_t size) override;

 private:
  HttpTransfer() = default;
  Status Drive();
  Error Failure() const;
  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  static size_t OnBody(char* data, size_t size, size_t count, void* self);

  void* easy_ = nullptr;   // CURL*.
  void* multi_ = nullptr;  // CURLM*.
  void* header_list_ = nullptr;
  std::string url_;
  std::string post_body_;
  std::string error_text_;
  long status_ = 0;
  bool headers_done_ = false;
  bool finished_ = false;
  bool paused_ = false;
  bool header_overflow_ = false;
  int curl_code_ = 0;
  size_t header_bytes_ = 0;
  size_t header_lines_ = 0;
  std::map<std::string, std::string> headers_;  // Lower-case names.
  std::string buffer_;
  size_t buffer_pos_ = 0;
};

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_HTTP_TRANSFER_H_
