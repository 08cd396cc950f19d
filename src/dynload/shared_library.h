// Opening a shared library at run time and resolving its functions. Used only
// by this module's forwarders (curl_api.cc, libpq_api.cc).
#ifndef BULWARK_DYNLOAD_SHARED_LIBRARY_H_
#define BULWARK_DYNLOAD_SHARED_LIBRARY_H_

#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"

namespace bulwark::dynload::internal {

// One function to resolve: its exported name and where its address goes.
struct SymbolSlot {
  const char* name;
  void** address;
};

// Opens `soname` with dlopen (RTLD_NOW | RTLD_LOCAL) and stores the address of
// each symbol into its slot. Fails with kUnsupported when the library cannot
// be opened or lacks a symbol, naming the library, what it is for
// (`purpose`), the loader's reason and the Debian `package` to install; the
// slots are then left untouched and the library is closed again.
Status OpenLibrary(const char* soname, const char* purpose, const char* package,
                   const std::vector<SymbolSlot>& symbols);

// Whether `soname` is already mapped into the process (dlopen RTLD_NOLOAD).
bool IsLoaded(const char* soname);

// Stores a resolved address into a typed function pointer. Converting between
// object and function pointers is what dlsym requires (POSIX).
template <typename Function>
SymbolSlot Slot(const char* name, Function*& pointer) {
  return SymbolSlot{name, reinterpret_cast<void**>(&pointer)};
}

// A library's table of functions and the outcome of filling it.
template <typename Table>
struct LoadedTable {
  Table table;
  Status status;
};

// Fills the one Table of this type with `resolve` on the first call, from
// whichever thread comes first, and returns it with the outcome on every call.
template <typename Table>
const LoadedTable<Table>& LoadOnce(Status (*resolve)(Table&)) {
  static LoadedTable<Table> loaded;
  static std::once_flag once;
  std::call_once(once, [&] { loaded.status = resolve(loaded.table); });
  return loaded;
}

}  // namespace bulwark::dynload::internal

#endif  // BULWARK_DYNLOAD_SHARED_LIBRARY_H_
