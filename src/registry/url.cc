#include "registry/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <cstdlib>
#include <memory>

#include "dynload/dynload.h"

namespace bulwark::registry {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string Part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string text(value);
  curl_free(value);
  return text;
}

Error BadUrl(std::string_view url) {
  return Error(ErrorCode::kInvalidArgument, "\"" + std::string(url) + "\": not an http(s) URL");
}

}  // namespace

std::string UrlOrigin::str() const {
  std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + shown_host + ":" + std::to_string(port);
}

Result<UrlOrigin> OriginOf(std::string_view url) {
  BULWARK_TRY(dynload::RequireCurl());
  UrlHandle handle(curl_url());
  std::string text(url);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return BadUrl(url);
  }
  UrlOrigin origin;
  origin.scheme = Part(handle.get(), CURLUPART_SCHEME);
  origin.host = Part(handle.get(), CURLUPART_HOST);
  if (origin.scheme != "http" && origin.scheme != "https") return BadUrl(url);
  if (origin.host.empty()) return BadUrl(url);
  for (char& c : origin.host) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (origin.host.front() == '[' && origin.host.back() == ']') {
    origin.host = origin.host.substr(1, origin.host.size() - 2);
  }
  origin.port = std::atoi(Part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).c_str());
  return origin;
}

Result<std::string> ResolveUrl(std::string_view base, std::string_view location) {
  BULWARK_TRY(dynload::RequireCurl());
  UrlHandle handle(curl_url());
  std::string base_text(base);
  std::string location_text(location);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, base_text.c_str(), 0) != CURLUE_OK ||
      curl_url_set(handle.get(), CURLUPART_URL, location_text.c_str(), 0) != CURLUE_OK) {
    return BadUrl(location);
  }
  std::string resolved = Part(handle.get(), CURLUPART_URL);
  if (resolved.empty()) return BadUrl(location);
  return resolved;
}

std::string EscapeQueryValue(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += c;
    } else {
      auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr address{};
  std::string text(host);
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

}  // namespace bulwark::registry
