// Distribution release keys: the one spelling that images and feeds meet on.
//
// A key is "<distribution>:<release>", lower case: "debian:12", "debian:sid",
// "ubuntu:20.04", "alpine:3.20", "alpine:edge", "rhel:9", "rocky:9",
// "almalinux:9", "sles:15.5", "opensuse-leap:15.5". Releases are what the
// distribution's security data is published per: Debian and the Enterprise
// Linux rebuilds by major version, Ubuntu by release, Alpine by major.minor,
// SUSE by service pack.
#ifndef BULWARK_VULNDB_DISTRO_H_
#define BULWARK_VULNDB_DISTRO_H_

#include <string>
#include <string_view>

#include "catalog/inventory.h"

namespace bulwark::vulndb {

// The key for an image's os-release; "" when the OS was not found or is not a
// distribution Bulwark has advisory feeds for. Debian without VERSION_ID
// (testing, sid) is keyed by its codename mapped to a number where one is
// assigned, else "debian:sid". Alpine's VERSION_ID "3.20.3" gives "3.20"; a
// pre-release ("3.21_alpha20240807") gives "edge". Thread-safe.
std::string DistroKeyForOs(const catalog::OsInfo& os);

// The key for an OSV ecosystem string: "Debian:12", "Ubuntu:22.04:LTS",
// "Ubuntu:Pro:18.04:LTS" (keyed "ubuntu-pro:18.04", which no image matches
// by default), "Alpine:v3.20", "AlmaLinux:9", "Rocky Linux:9",
// "Red Hat:enterprise_linux:9::appstream", "SUSE:Linux Enterprise Server 15 SP5",
// "openSUSE:Leap 15.5". "" for an ecosystem that is not a distribution release
// Bulwark knows (PyPI, npm, "Debian" without a release).
std::string DistroKeyForOsvEcosystem(std::string_view ecosystem);

// Debian's release number for a codename ("bookworm" -> "12"); "sid" for sid
// and for codenames without a number yet; "" for an unknown codename.
std::string DebianReleaseForCodename(std::string_view codename);

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_DISTRO_H_
