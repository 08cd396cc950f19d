#include "cli/server_client.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "dynload/dynload.h"

namespace bulwark::cli {
namespace {

// Replies are verdicts and reports, a few megabytes at most.
constexpr size_t kMaxReplyBytes = 256u << 20;

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxReplyBytes) return 0;
  body->append(data, size * count);
  return size * count;
}

ErrorCode CodeFromName(const std::string& name) {
  for (ErrorCode code :
       {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kCorruptInput,
        ErrorCode::kUnsupported, ErrorCode::kLimitExceeded, ErrorCode::kIo, ErrorCode::kNetwork,
        ErrorCode::kAuthentication, ErrorCode::kInternal}) {
    if (ErrorCodeName(code) == name) return code;
  }
  return ErrorCode::kInternal;
}

// The server's error for a non-2xx reply.
Error ReplyError(const std::string& url, long status, const std::string& body) {
  nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  std::string code_name = "internal";
  std::string message = "HTTP status " + std::to_string(status);
  if (document.is_object() && document.contains("error") && document["error"].is_object()) {
    code_name = document["error"].value("code", code_name);
    message = document["error"].value("message", message);
  }
  ErrorCode code = CodeFromName(code_name);
  if (status == 401 || status == 403) code = ErrorCode::kAuthentication;
  // Messages that name a flag or a file read as the CLI's own; others name the server.
  if (code == ErrorCode::kInvalidArgument) return Error(code, message);
  return Error(code, "server " + url + ": " + message);
}

}  // namespace

void AddServerOptions(CLI::App* command, ServerFlags* flags) {
  command->add_option("--server", flags->url, "Act through this Bulwark server (https://HOST:PORT)")
      ->envname("BULWARK_SERVER");
  command->add_option("--user", flags->user, "Server user (HTTP Basic), with --password");
  command->add_option("--password", flags->password, "Server password (or $BULWARK_PASSWORD)")
      ->envname("BULWARK_PASSWORD");
  command->add_option("--token", flags->token, "Server API token (or $BULWARK_TOKEN)")
      ->envname("BULWARK_TOKEN");
  command->add_option("--ca-file", flags->ca_file, "CA certificate (PEM) that signed the server's TLS certificate");
  command->add_flag("--no-verify", flags->no_verify,
                    "Do not verify the server's TLS certificate (says so on stderr)");
}

std::string QueryEscape(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PathEscape(const std::string& value) {
  std::string out;
  for (char c : value) out += c == '/' || c == ':' ? std::string(1, c) : QueryEscape({c});
  return out;
}

Error NamedNothing(const Error& error) {
  if (error.code() != ErrorCode::kNotFound) return error;
  return Error(ErrorCode::kInvalidArgument, error.message());
}

// Builds and runs one curl transfer. Kept in one function: each option is a
// line, and splitting them would scatter the handle's setup.
Result<ServerReply> CallServer(const ServerFlags& flags, const std::string& method,
                               const std::string& path_and_query, const std::string& body,
                               const std::string& content_type) {
  std::string base = flags.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.rfind("https://", 0) != 0 && base.rfind("http://", 0) != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "--server " + flags.url + ": use https://HOST:PORT (or http:// on loopback)");
  }
  bool basic = !flags.user.empty();
  if (!basic && flags.token.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "--server needs credentials: --user U --password P, or --token T "
                 "($BULWARK_TOKEN)");
  }
  if (basic && flags.password.empty()) {
    return Error(ErrorCode::kInvalidArgument, "--user needs --password (or $BULWARK_PASSWORD)");
  }
  if (flags.no_verify) {
    static std::once_flag warned;
    std::call_once(warned, [] {
      std::fprintf(stderr,
                   "bulwark: warning: --no-verify: the server's TLS certificate is not "
                   "verified; anyone on the path can read and answer this scan\n");
    });
  }
  BULWARK_TRY(dynload::RequireCurl());

  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kInternal, "libcurl: cannot make a handle");
  std::string url = base + path_and_query;
  ServerReply reply;
  char error_text[CURL_ERROR_SIZE] = "";
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  std::string bearer = "Authorization: Bearer " + flags.token;
  if (!basic) headers = curl_slist_append(headers, bearer.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, curl_slist_free_all);
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  if (basic) {
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(handle, CURLOPT_USERNAME, flags.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, flags.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, 600L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  if (!flags.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, flags.ca_file.c_str());
  if (flags.no_verify) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  CURLcode rc = curl_easy_perform(handle);
  if (rc != CURLE_OK) {
    std::string detail = *error_text ? error_text : curl_easy_strerror(rc);
    return Error(ErrorCode::kNetwork, "server " + base + ": " + detail);
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
  if (reply.status < 200 || reply.status > 299) {
    return ReplyError(base, reply.status, reply.body);
  }
  return reply;
}

}  // namespace bulwark::cli
