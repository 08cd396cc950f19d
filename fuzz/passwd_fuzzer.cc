// Fuzzes the passwd(5) parser with arbitrary file contents.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/passwd_cataloger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto users = bulwark::catalog::ParsePasswd(text, "etc/passwd");

  // Every account the parser returns has a name and ids in uid_t's range.
  if (!users.ok()) return 0;
  for (const bulwark::catalog::UserAccount& user : *users) {
    bool ids_in_range = user.uid >= 0 && user.uid <= bulwark::catalog::kMaxPasswdId &&
                        user.gid >= 0 && user.gid <= bulwark::catalog::kMaxPasswdId;
    if (user.name.empty() || !ids_in_range) __builtin_trap();
  }
  return 0;
}
