// The libcurl functions Bulwark calls, forwarded to libcurl.so.4 opened on
// first use (see dynload.h for why). Each forwarder fails as libcurl itself
// would when the library cannot be opened; RequireCurl() says why.
//
// A function added to the list below must also be added to Table and to
// Resolve(); a call to a libcurl function missing here fails to link, since
// the binary does not link libcurl.
#define CURL_DISABLE_TYPECHECK  // curl_easy_setopt is defined here, not wrapped
#include <curl/curl.h>

#include <cstdarg>

#include "dynload/dynload.h"
#include "dynload/shared_library.h"

namespace bulwark::dynload {
namespace {

constexpr const char* kSoname = "libcurl.so.4";

struct Table {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_free) free = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_easy_pause) easy_pause = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;
};

Status Resolve(Table& t) {
  using internal::Slot;
  BULWARK_TRY(internal::OpenLibrary(kSoname, "registry sources, feed downloads and --server",
                                    "libcurl4",
                                    {Slot("curl_global_init", t.global_init),
                                     Slot("curl_free", t.free),
                                     Slot("curl_easy_init", t.easy_init),
                                     Slot("curl_easy_setopt", t.easy_setopt),
                                     Slot("curl_easy_perform", t.easy_perform),
                                     Slot("curl_easy_getinfo", t.easy_getinfo),
                                     Slot("curl_easy_cleanup", t.easy_cleanup),
                                     Slot("curl_easy_strerror", t.easy_strerror),
                                     Slot("curl_easy_pause", t.easy_pause),
                                     Slot("curl_slist_append", t.slist_append),
                                     Slot("curl_slist_free_all", t.slist_free_all),
                                     Slot("curl_url", t.url),
                                     Slot("curl_url_set", t.url_set),
                                     Slot("curl_url_get", t.url_get),
                                     Slot("curl_url_cleanup", t.url_cleanup),
                                     Slot("curl_multi_init", t.multi_init),
                                     Slot("curl_multi_add_handle", t.multi_add_handle),
                                     Slot("curl_multi_remove_handle", t.multi_remove_handle),
                                     Slot("curl_multi_perform", t.multi_perform),
                                     Slot("curl_multi_poll", t.multi_poll),
                                     Slot("curl_multi_info_read", t.multi_info_read),
                                     Slot("curl_multi_cleanup", t.multi_cleanup),
                                     Slot("curl_multi_strerror", t.multi_strerror)}));

  // libcurl's global state is set up once, here, before any thread uses it.
  CURLcode code = t.global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    return Error(ErrorCode::kUnsupported,
                 std::string(kSoname) + ": global initialisation: " + t.easy_strerror(code));
  }
  return Ok();
}

const internal::LoadedTable<Table>& Load() { return internal::LoadOnce<Table>(Resolve); }

// The table when libcurl is open, else null.
const Table* Api() {
  const auto& loaded = Load();
  return loaded.status.ok() ? &loaded.table : nullptr;
}

}  // namespace

Status RequireCurl() { return Load().status; }

bool CurlIsLoaded() { return internal::IsLoaded(kSoname); }

}  // namespace bulwark::dynload

using bulwark::dynload::Api;

extern "C" {

CURLcode curl_global_init(long flags) {
  const auto* api = Api();
  return api ? api->global_init(flags) : CURLE_FAILED_INIT;
}

void curl_free(void* pointer) {
  if (const auto* api = Api()) api->free(pointer);
}

CURL* curl_easy_init(void) {
  const auto* api = Api();
  return api ? api->easy_init() : nullptr;
}

// curl.h fixes these two signatures: an enum is the last named parameter
// before the "...", which clang's -Wvarargs flags because the enum's promoted
// type (int) is not the enum itself. libcurl's own definitions do the same;
// on the ABIs Debian builds for, the enum is passed as the int it promotes
// to, so va_start finds the arguments where the caller put them.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wvarargs"
#endif

// libcurl reads exactly one argument after the option, whose type the
// option's number range gives (CURLOPTTYPE_*): long, a pointer (object or
// function), curl_off_t, or a struct curl_blob pointer.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  const auto* api = Api();
  if (api == nullptr) return CURLE_FAILED_INIT;
  va_list arguments;
  va_start(arguments, option);
  CURLcode code;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    code = api->easy_setopt(handle, option, va_arg(arguments, long));
  } else if (option < CURLOPTTYPE_OFF_T) {
    code = api->easy_setopt(handle, option, va_arg(arguments, void*));
  } else if (option < CURLOPTTYPE_BLOB) {
    code = api->easy_setopt(handle, option, va_arg(arguments, curl_off_t));
  } else {
    code = api->easy_setopt(handle, option, va_arg(arguments, void*));
  }
  va_end(arguments);
  return code;
}

CURLcode curl_easy_perform(CURL* handle) {
  const auto* api = Api();
  return api ? api->easy_perform(handle) : CURLE_FAILED_INIT;
}

// Every CURLINFO_* takes one pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  const auto* api = Api();
  if (api == nullptr) return CURLE_FAILED_INIT;
  va_list arguments;
  va_start(arguments, info);
  CURLcode code = api->easy_getinfo(handle, info, va_arg(arguments, void*));
  va_end(arguments);
  return code;
}

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

void curl_easy_cleanup(CURL* handle) {
  if (const auto* api = Api()) api->easy_cleanup(handle);
}

const char* curl_easy_strerror(CURLcode code) {
  const auto* api = Api();
  return api ? api->easy_strerror(code) : "libcurl could not be loaded";
}

CURLcode curl_easy_pause(CURL* handle, int bitmask) {
  const auto* api = Api();
  return api ? api->easy_pause(handle, bitmask) : CURLE_FAILED_INIT;
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  const auto* api = Api();
  return api ? api->slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
  if (const auto* api = Api()) api->slist_free_all(list);
}

CURLU* curl_url(void) {
  const auto* api = Api();
  return api ? api->url() : nullptr;
}

CURLUcode curl_url_set(CURLU* url, CURLUPart part, const char* content, unsigned int flags) {
  const auto* api = Api();
  return api ? api->url_set(url, part, content, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_get(CURLU* url, CURLUPart part, char** content, unsigned int flags) {
  const auto* api = Api();
  return api ? api->url_get(url, part, content, flags) : CURLUE_OUT_OF_MEMORY;
}

void curl_url_cleanup(CURLU* url) {
  if (const auto* api = Api()) api->url_cleanup(url);
}

CURLM* curl_multi_init(void) {
  const auto* api = Api();
  return api ? api->multi_init() : nullptr;
}

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* easy) {
  const auto* api = Api();
  return api ? api->multi_add_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* easy) {
  const auto* api = Api();
  return api ? api->multi_remove_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_perform(CURLM* multi, int* running) {
  const auto* api = Api();
  return api ? api->multi_perform(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_poll(CURLM* multi, curl_waitfd extra[], unsigned int extra_count,
                          int timeout_ms, int* ready) {
  const auto* api = Api();
  return api ? api->multi_poll(multi, extra, extra_count, timeout_ms, ready) : CURLM_INTERNAL_ERROR;
}

CURLMsg* curl_multi_info_read(CURLM* multi, int* left) {
  const auto* api = Api();
  return api ? api->multi_info_read(multi, left) : nullptr;
}

CURLMcode curl_multi_cleanup(CURLM* multi) {
  const auto* api = Api();
  return api ? api->multi_cleanup(multi) : CURLM_INTERNAL_ERROR;
}

const char* curl_multi_strerror(CURLMcode code) {
  const auto* api = Api();
  return api ? api->multi_strerror(code) : "libcurl could not be loaded";
}

}  // extern "C"
