// Installed Debian packages from the dpkg database.
#ifndef BULWARK_CATALOG_DPKG_CATALOGER_H_
#define BULWARK_CATALOG_DPKG_CATALOGER_H_

#include <string_view>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/inventory.h"
#include "common/result.h"

namespace bulwark::catalog {

// Parses a dpkg status file (or one file of a distroless status.d directory)
// read from `path`: stanzas of "Field: value" lines separated by blank lines,
// with continuation lines starting with a space or tab.
//
// A stanza is listed when its files are on disk: the third word of Status is
// installed, unpacked, half-configured, half-installed, triggers-awaited or
// triggers-pending, or Status is absent (distroless status.d stanzas carry
// none); half-installed counts because some of its files may be on disk. It
// is left out for not-installed and config-files. "Source: name
// (version)" fills source_name/source_version; without Source, or without
// the version, the package's own name/version stand in. The same package for
// two architectures gives two packages. Package and Source names are folded
// to lower case, as dpkg folds them. Packages come in file order, with
// ecosystem "deb" and db_path = `path`.
//
// Errors: kCorruptInput naming `path` and the line (a listed stanza without
// Package or Version, an unknown Status word, a malformed line or Source, a
// control byte in the value of a field read (see CheckNoControlBytes), or
// a file mixing vcpkg stanzas with others: the line of the first stanza
// unlike the first one); kLimitExceeded for a file over 64 MiB or a line over
// 1 MiB; kUnsupported when the file is a vcpkg status file, which shares the
// format but not the meaning: every stanza carries a vcpkg triplet such as
// Architecture: x64-windows, or Type: Port.
Result<std::vector<Package>> ParseDpkgStatus(std::string_view text, std::string_view path);

// Reads var/lib/dpkg/status and every file in var/lib/dpkg/status.d except
// *.md5sums. A vcpkg status file or an entry of status.d that is not a
// readable file is recorded as a coverage gap; a parse error, or a database
// file the image cannot supply (a hard link to a missing file), is returned.
class DpkgCataloger : public Cataloger {
 public:
  std::string_view name() const override { return "dpkg"; }
  int version() const override { return 4; }
  std::vector<layer::PathPattern> WantedPaths() const override;
  Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const override;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_DPKG_CATALOGER_H_
