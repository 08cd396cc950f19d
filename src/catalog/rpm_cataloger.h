// Installed rpm packages from the rpm database, in any of its three formats.
#ifndef BULWARK_CATALOG_RPM_CATALOGER_H_
#define BULWARK_CATALOG_RPM_CATALOGER_H_

#include <string_view>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/inventory.h"
#include "catalog/rpm_header.h"
#include "common/result.h"

namespace bulwark::catalog {

// The storage formats of rpm databases, in the order they are preferred
// when an image holds more than one.
enum class RpmDbFormat {
  kSqlite,      // rpmdb.sqlite: Fedora 33+, RHEL 9, Amazon Linux 2023.
  kNdb,         // Packages.db: SUSE.
  kBerkeleyDb,  // Packages: RHEL and CentOS up to 8, Amazon Linux 2.
};

// Packages read from one database, and what was read only in part.
struct RpmPackages {
  std::vector<Package> packages;
  std::vector<CoverageGap> gaps;
};

// Turns header blobs into packages, in blob order, skipping gpg-pubkey (the
// entries `rpm --import` adds for keys). Each package has ecosystem "rpm",
// version "[E:]V-R" (the epoch prefix only when the header has an EPOCH
// tag), epoch ("" when none), architecture, license, db_path = `db_path`,
// source_rpm (SOURCERPM as recorded) and source_name/source_version parsed
// from it: "name-version-release.src.rpm" (or .nosrc.rpm) gives name and
// "V-R", with the binary's epoch prefixed when it has one, as the source rpm
// file name carries none. Without SOURCERPM the package's own name and
// version stand in. A SOURCERPM that does not parse is recorded as a gap
// (path `db_path`, naming the package) and the package stands in as its own
// source.
// Errors: those of ParseRpmHeader, naming `db_path` and the header number.
Result<RpmPackages> PackagesFromRpmHeaders(const std::vector<RpmHeaderBlob>& blobs,
                                           std::string_view db_path);

// Reads one database file of `format` with the matching reader (see
// rpm_sqlite.h, rpm_ndb.h, rpm_bdb.h) and turns its headers into packages.
// `wal` is the SQLite write-ahead log beside the file ("" for none, and
// ignored for the other formats); `path` and `wal_path` name the files.
// Errors: the reader's, or those of PackagesFromRpmHeaders.
Result<RpmPackages> ParseRpmDatabase(RpmDbFormat format, std::string_view bytes,
                                     std::string_view wal, std::string_view path,
                                     std::string_view wal_path);

// Reads the rpm database of an image from var/lib/rpm or usr/lib/sysimage/rpm
// (rpmdb.sqlite with its -wal log, Packages.db, Packages). Names that lead to
// the same file through symlinks (SUSE and Fedora 36+ link var/lib/rpm to
// ../../usr/lib/sysimage/rpm) count once. When several different database
// files exist, one is read: SQLite before ndb before Berkeley DB (the order
// in which rpm adopted them), and var/lib/rpm before usr/lib/sysimage/rpm;
// every other one is recorded as a coverage gap, since which one rpm uses
// depends on its configuration. A database that cannot be read, or a log
// that cannot be read beside it, is a returned error: never zero packages.
class RpmCataloger : public Cataloger {
 public:
  std::string_view name() const override { return "rpm"; }
  int version() const override { return 2; }
  std::vector<layer::PathPattern> WantedPaths() const override;
  Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const override;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_RPM_CATALOGER_H_
