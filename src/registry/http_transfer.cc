#include "registry/http_transfer.h"

#include <curl/curl.h>

#include <cstring>

#include "common/build_info.h"
#include "dynload/dynload.h"

namespace bulwark::registry {
namespace {

// The body buffer: the transfer pauses once this much is waiting to be read.
constexpr size_t kBufferBytes = 256 * 1024;
constexpr long kConnectTimeoutSeconds = 30;
constexpr long kStallSeconds = 60;  // Abandon a transfer slower than 1 KiB/s for this long.

std::string Lower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return lowered;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

size_t HttpTransfer::OnHeader(char* data, size_t size, size_t count, void* self_ptr) {
  auto* self = static_cast<HttpTransfer*>(self_ptr);
  size_t bytes = size * count;
  self->header_bytes_ += bytes;
  if (self->header_bytes_ > kMaxHeaderBytes || ++self->header_lines_ > kMaxHeaderLines) {
    self->header_overflow_ = true;
    return 0;  // Aborts the transfer.
  }
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    // A new answer (after a 100 Continue): forget the previous one's headers.
    self->headers_.clear();
    size_t space = line.find(' ');
    self->status_ = space == std::string_view::npos ? 0 : std::atol(line.data() + space + 1);
    return bytes;
  }
  if (Trim(line).empty()) {
    if (self->status_ >= 200) self->headers_done_ = true;
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    self->headers_[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
  }
  return bytes;
}

size_t HttpTransfer::OnBody(char* data, size_t size, size_t count, void* self_ptr) {
  auto* self = static_cast<HttpTransfer*>(self_ptr);
  size_t bytes = size * count;
  self->headers_done_ = true;
  // curl delivers a refused chunk again after the pause: take all or nothing.
  if (self->buffer_.size() - self->buffer_pos_ >= kBufferBytes) {
    self->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  if (self->buffer_pos_ > 0) {
    self->buffer_.erase(0, self->buffer_pos_);
    self->buffer_pos_ = 0;
  }
  self->buffer_.append(data, bytes);
  return bytes;
}

Result<std::unique_ptr<HttpTransfer>> HttpTransfer::Start(const HttpRequest& request,
                                                          const TlsSettings& tls, int* curl_code) {
  BULWARK_TRY(dynload::RequireCurl());
  std::unique_ptr<HttpTransfer> transfer(new HttpTransfer());
  transfer->url_ = request.url;
  transfer->post_body_ = request.post_body;
  transfer->error_text_.assign(CURL_ERROR_SIZE, '\0');
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  transfer->easy_ = easy;
  transfer->multi_ = multi;
  if (easy == nullptr || multi == nullptr) {
    return Error(ErrorCode::kInternal, "curl initialisation failed");
  }

  static const std::string agent = std::string("bulwark/") + BULWARK_VERSION;
  curl_easy_setopt(easy, CURLOPT_URL, transfer->url_.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_text_.data());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &HttpTransfer::OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpTransfer::OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  if (!tls.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!transfer->post_body_.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->post_body_.c_str());
  }
  curl_slist* list = nullptr;
  for (const std::string& header : request.headers) list = curl_slist_append(list, header.c_str());
  transfer->header_list_ = list;
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
  curl_multi_add_handle(multi, easy);

  while (!transfer->headers_done_ && !transfer->finished_) BULWARK_TRY(transfer->Drive());
  if (curl_code != nullptr) *curl_code = transfer->curl_code_;
  if (transfer->finished_ && transfer->curl_code_ != CURLE_OK) return transfer->Failure();
  if (!transfer->headers_done_) {
    return Error(ErrorCode::kNetwork, transfer->url_ + ": the answer ended before its headers");
  }
  return transfer;
}

HttpTransfer::~HttpTransfer() {
  auto* easy = static_cast<CURL*>(easy_);
  auto* multi = static_cast<CURLM*>(multi_);
  if (multi != nullptr && easy != nullptr) curl_multi_remove_handle(multi, easy);
  if (easy != nullptr) curl_easy_cleanup(easy);
  if (multi != nullptr) curl_multi_cleanup(multi);
  curl_slist_free_all(static_cast<curl_slist*>(header_list_));
}

std::string HttpTransfer::Header(std::string_view name) const {
  auto found = headers_.find(Lower(name));
  return found == headers_.end() ? std::string() : found->second;
}

Error HttpTransfer::Failure() const {
  if (header_overflow_) {
    return Error(ErrorCode::kLimitExceeded, url_ + ": answer headers longer than " +
                                                std::to_string(kMaxHeaderBytes) + " bytes or " +
                                                std::to_string(kMaxHeaderLines) + " lines");
  }
  std::string detail = error_text_.c_str();
  if (detail.empty()) detail = curl_easy_strerror(static_cast<CURLcode>(curl_code_));
  return Error(ErrorCode::kNetwork, url_ + ": " + detail);
}

// Runs the transfer one step: resumes it when the reader has emptied the
// buffer, lets curl move bytes, and waits for the socket when nothing moved.
Status HttpTransfer::Drive() {
  auto* easy = static_cast<CURL*>(easy_);
  auto* multi = static_cast<CURLM*>(multi_);
  if (paused_ && buffer_.size() - buffer_pos_ < kBufferBytes) {
    paused_ = false;
    curl_easy_pause(easy, CURLPAUSE_CONT);  // May deliver the held chunk right away.
  }
  int running = 0;
  CURLMcode code = curl_multi_perform(multi, &running);
  if (code != CURLM_OK) {
    return Error(ErrorCode::kNetwork, url_ + ": " + curl_multi_strerror(code));
  }
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    finished_ = true;
    curl_code_ = message->data.result;
  }
  if (finished_ || paused_ || buffer_.size() > buffer_pos_) return Ok();
  curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  return Ok();
}

Result<size_t> HttpTransfer::Read(void* buffer, size_t size) {
  while (buffer_.size() == buffer_pos_ && !finished_) BULWARK_TRY(Drive());
  size_t available = buffer_.size() - buffer_pos_;
  if (available == 0) {
    if (curl_code_ != CURLE_OK) return Failure();
    return static_cast<size_t>(0);
  }
  size_t count = available < size ? available : size;
  std::memcpy(buffer, buffer_.data() + buffer_pos_, count);
  buffer_pos_ += count;
  return count;
}

}  // namespace bulwark::registry
