#include "dynload/shared_library.h"

#include <dlfcn.h>

namespace bulwark::dynload::internal {

Status OpenLibrary(const char* soname, const char* purpose, const char* package,
                   const std::vector<SymbolSlot>& symbols) {
  auto fail = [&](const std::string& reason) {
    return Error(ErrorCode::kUnsupported, std::string(soname) + " (needed for " + purpose +
                                              "): " + reason + "; install Debian's " + package);
  };

  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    return fail(reason != nullptr ? reason : "cannot be opened");
  }

  // Resolve everything before storing anything, so that a library missing one
  // function leaves no half-filled table behind.
  std::vector<void*> found;
  found.reserve(symbols.size());
  for (const SymbolSlot& symbol : symbols) {
    void* address = dlsym(handle, symbol.name);
    if (address == nullptr) {
      dlclose(handle);
      return fail(std::string("has no function ") + symbol.name + " (too old a version?)");
    }
    found.push_back(address);
  }
  for (size_t i = 0; i < symbols.size(); ++i) *symbols[i].address = found[i];
  // The handle stays open for the life of the process: the forwarders use it
  // from any thread until exit.
  return Ok();
}

bool IsLoaded(const char* soname) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  dlclose(handle);
  return true;
}

}  // namespace bulwark::dynload::internal
