// What catalogers find in an image: the OS, the installed packages and the
// user accounts.
#ifndef BULWARK_CATALOG_INVENTORY_H_
#define BULWARK_CATALOG_INVENTORY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::catalog {

// Fields of os-release(5). `found` is false when neither /etc/os-release nor
// /usr/lib/os-release exists.
struct OsInfo {
  bool found = false;
  std::string source_path;  // Which file was read.
  std::string id;           // "debian", "alpine", "ubuntu".
  std::string id_like;
  std::string version_id;  // "12", "3.20.3".
  std::string version_codename;
  std::string pretty_name;
};

// One installed package. `ecosystem` names the version ordering ("deb", "apk").
struct Package {
  std::string ecosystem;
  std::string name;
  std::string version;
  std::string architecture;
  std::string source_name;     // dpkg Source: or the package itself; apk origin.
  std::string source_version;  // dpkg Source: (version), else the package version.
  std::string db_path;         // The database file it was read from.
  std::string license;         // apk L:; empty when unknown.
  // rpm only: the package's epoch ("" when it has none), and the source rpm
  // file name as the header records it ("openssl-3.0.7-27.el9.src.rpm").
  std::string epoch;
  std::string source_rpm;
  // The layer that introduced this package at this version (0 = bottom), set
  // by the scanner; -1 when unknown. Not part of what catalogers produce.
  int layer_index = -1;

  friend bool operator==(const Package&, const Package&) = default;
};

// One account of /etc/passwd, as passwd(5) lists it.
struct UserAccount {
  std::string name;
  int64_t uid = 0;
  int64_t gid = 0;

  friend bool operator==(const UserAccount&, const UserAccount&) = default;
};

// Something a cataloger could not read: shown in reports, never dropped.
struct CoverageGap {
  std::string path;
  std::string reason;
};

struct Inventory {
  OsInfo os;
  std::vector<Package> packages;  // Sorted by ecosystem, name, architecture, version.
  std::vector<CoverageGap> gaps;
  // The accounts of /etc/passwd in file order (the order name lookups use).
  std::vector<UserAccount> users;
  // False when the image has no /etc/passwd, so `users` says nothing.
  bool passwd_found = false;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_INVENTORY_H_
