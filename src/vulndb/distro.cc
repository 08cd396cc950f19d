#include "vulndb/distro.h"

#include <string>
#include <vector>

namespace bulwark::vulndb {
namespace {

// Debian's codenames and release numbers, as distro-info-data lists them.
// Releases before 7 were numbered "major.minor", and that number is their key.
struct DebianRelease {
  std::string_view codename;
  std::string_view number;
};
constexpr DebianRelease kDebianReleases[] = {
    {"buzz", "1.1"},    {"rex", "1.2"},     {"bo", "1.3"},    {"hamm", "2.0"},  {"slink", "2.1"},
    {"potato", "2.2"},  {"woody", "3.0"},   {"sarge", "3.1"}, {"etch", "4.0"},  {"lenny", "5.0"},
    {"squeeze", "6.0"}, {"wheezy", "7"},    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
    {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
};

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool IsNumber(std::string_view text) {
  if (text.empty() || text.size() > 8) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "20.04", "3.20", "15.5".
bool IsMajorMinor(std::string_view text) {
  size_t dot = text.find('.');
  return dot != std::string_view::npos && IsNumber(text.substr(0, dot)) &&
         IsNumber(text.substr(dot + 1));
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool IsKnownDebianNumber(std::string_view number) {
  for (const DebianRelease& release : kDebianReleases) {
    if (release.number == number) return true;
  }
  return false;
}

std::string DebianKeyForRelease(std::string_view release) {
  if (IsNumber(release) || IsKnownDebianNumber(release)) return "debian:" + std::string(release);
  std::string number = DebianReleaseForCodename(release);
  return number.empty() ? "" : "debian:" + number;
}

std::string DebianKeyForOs(std::string_view version_id, std::string_view codename) {
  if (!version_id.empty()) {
    return IsNumber(version_id) || IsKnownDebianNumber(version_id)
               ? "debian:" + std::string(version_id)
               : "";
  }
  // Testing and sid have no VERSION_ID; testing names its coming release.
  std::string number = DebianReleaseForCodename(Lower(codename));
  return "debian:" + (number.empty() ? std::string("sid") : number);
}

// "3.20.3" -> "alpine:3.20"; a pre-release such as "3.21_alpha20240807"
// (what edge images carry) -> "alpine:edge".
std::string AlpineKeyForOs(std::string_view version_id) {
  std::vector<std::string_view> parts = Split(version_id, '.');
  if (parts.size() < 2 || parts.size() > 3 || !IsNumber(parts[0])) return "";
  std::string_view last = parts.back();
  size_t underscore = last.find('_');
  if (underscore != std::string_view::npos) {
    if (!IsNumber(last.substr(0, underscore)) || underscore + 1 == last.size()) return "";
    return "alpine:edge";
  }
  for (std::string_view part : parts) {
    if (!IsNumber(part)) return "";
  }
  return "alpine:" + std::string(parts[0]) + "." + std::string(parts[1]);
}

// "9.4" or "9" -> "9".
std::string MajorOf(std::string_view version_id) {
  std::string_view major = version_id.substr(0, version_id.find('.'));
  if (!IsNumber(major)) return "";
  if (major.size() < version_id.size() && !IsNumber(version_id.substr(major.size() + 1))) {
    return "";
  }
  return std::string(major);
}

// "Ubuntu:22.04:LTS", "Ubuntu:25.10", "Ubuntu:Pro:18.04:LTS". Other Pro
// streams ("Ubuntu:Pro:FIPS-updates:22.04:LTS") are not keyed.
std::string UbuntuKey(std::string_view rest) {
  std::vector<std::string_view> parts = Split(rest, ':');
  bool pro = parts.front() == "Pro";
  if (pro) parts.erase(parts.begin());
  if (parts.empty() || !IsMajorMinor(parts[0])) return "";
  if (parts.size() > 2 || (parts.size() == 2 && parts[1] != "LTS")) return "";
  return (pro ? "ubuntu-pro:" : "ubuntu:") + std::string(parts[0]);
}

// "Red Hat:enterprise_linux:9::appstream" -> "rhel:9". The extended update
// streams of one minor release ("Red Hat:rhel_aus:8.6::appstream", also
// rhel_eus, rhel_e4s, rhel_tus) are keyed by stream and minor release
// ("rhel-aus:8.6"), which no image matches by default: their fixes reach only
// systems subscribed to that stream. Other Red Hat products are not keyed.
// LIMITATION(#4): os-release does not say which stream a RHEL system follows,
// so an image on an extended stream is keyed rhel:N and matched against the
// main stream's records only; its stream's own fixes stay under rhel-aus:N.M.
std::string RedHatKey(std::string_view rest) {
  std::vector<std::string_view> parts = Split(rest, ':');
  if (parts.size() < 2) return "";
  std::string_view product = parts[0];
  std::string_view release = parts[1];
  if (product == "enterprise_linux") return IsNumber(release) ? "rhel:" + std::string(release) : "";
  for (std::string_view stream : {"rhel_eus", "rhel_aus", "rhel_e4s", "rhel_tus"}) {
    if (product == stream && IsMajorMinor(release)) {
      return "rhel-" + std::string(stream.substr(5)) + ":" + std::string(release);
    }
  }
  return "";
}

// "SUSE:Linux Enterprise Server 15 SP5" -> "sles:15.5"; the modules SLES 15
// is assembled from ("Linux Enterprise Module for Basesystem 15 SP5") key
// the same release. "-LTSS" products carry fixes for subscribers of long-term
// support only and are keyed apart ("sles-ltss:15.5").
// LIMITATION(#4): other SUSE products (Desktop, SAP, Micro, HPC) and openSUSE
// Tumbleweed are not keyed, so their records are skipped; and no SUSE record
// with affected packages was at hand to check these names against.
std::string SuseKey(std::string_view product) {
  bool ltss = product.ends_with("-LTSS");
  if (ltss) product.remove_suffix(5);
  std::vector<std::string_view> words = Split(product, ' ');
  if (words.size() < 4) return "";

  std::string release;
  size_t version_words = 1;
  std::string_view last = words.back();
  if (last.starts_with("SP") && IsNumber(last.substr(2)) && IsNumber(words[words.size() - 2])) {
    release = std::string(words[words.size() - 2]) + "." + std::string(last.substr(2));
    version_words = 2;
  } else if (IsNumber(last)) {
    release = std::string(last);
  } else {
    return "";
  }

  std::string name;
  for (size_t i = 0; i + version_words < words.size(); ++i) {
    name += (i == 0 ? "" : " ") + std::string(words[i]);
  }
  bool server = name == "Linux Enterprise Server";
  bool module = name.starts_with("Linux Enterprise Module for ");
  if (!server && !module) return "";
  return (ltss ? "sles-ltss:" : "sles:") + release;
}

}  // namespace

std::string DebianReleaseForCodename(std::string_view codename) {
  if (codename == "sid") return "sid";
  for (const DebianRelease& release : kDebianReleases) {
    if (release.codename == codename) return std::string(release.number);
  }
  return "";
}

std::string DistroKeyForOs(const catalog::OsInfo& os) {
  if (!os.found) return "";
  const std::string id = Lower(os.id);
  const std::string_view version = os.version_id;

  if (id == "debian") return DebianKeyForOs(version, os.version_codename);
  if (id == "ubuntu") return IsMajorMinor(version) ? "ubuntu:" + std::string(version) : "";
  if (id == "alpine") return AlpineKeyForOs(version);
  if (id == "rhel" || id == "rocky" || id == "almalinux") {
    std::string major = MajorOf(version);
    return major.empty() ? "" : id + ":" + major;
  }
  if (id == "sles" && (IsNumber(version) || IsMajorMinor(version))) {
    return "sles:" + std::string(version);
  }
  if (id == "opensuse-leap" && IsMajorMinor(version)) {
    return "opensuse-leap:" + std::string(version);
  }
  return "";
}

std::string DistroKeyForOsvEcosystem(std::string_view ecosystem) {
  size_t colon = ecosystem.find(':');
  if (colon == std::string_view::npos) return "";
  std::string_view name = ecosystem.substr(0, colon);
  std::string_view rest = ecosystem.substr(colon + 1);

  if (name == "Debian") return DebianKeyForRelease(rest);
  if (name == "Ubuntu") return UbuntuKey(rest);
  if (name == "Alpine") {
    if (rest == "edge") return "alpine:edge";
    return rest.starts_with("v") && IsMajorMinor(rest.substr(1))
               ? "alpine:" + std::string(rest.substr(1))
               : "";
  }
  if (name == "AlmaLinux") return IsNumber(rest) ? "almalinux:" + std::string(rest) : "";
  if (name == "Rocky Linux") return IsNumber(rest) ? "rocky:" + std::string(rest) : "";
  if (name == "Red Hat") return RedHatKey(rest);
  if (name == "SUSE") return SuseKey(rest);
  if (name == "openSUSE" && rest.starts_with("Leap ") && IsMajorMinor(rest.substr(5))) {
    return "opensuse-leap:" + std::string(rest.substr(5));
  }
  return "";
}

}  // namespace bulwark::vulndb
