// Fuzzes version ordering. The first byte picks the ecosystem ('d' deb, 'a'
// apk, 'r' rpm, 's' semver, 'p' pep440; any other byte by its value modulo
// 5); the rest is split at newlines into up to three versions a, b and c.
// Trips on a broken invariant: a comparison that is not antisymmetric, not
// reflexive or not transitive, a strictly valid version that Compare refuses,
// or an ecosystem's own parts disagreeing (PEP 440 normal forms that do not
// read back, a strict semver parse that the loose one reads differently).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "version/apk_version.h"
#include "version/pep440_version.h"
#include "version/rpm_version.h"
#include "version/semver_version.h"
#include "version/version.h"

namespace {

namespace version = bulwark::version;
using version::Ecosystem;

Ecosystem PickEcosystem(uint8_t byte) {
  switch (byte) {
    case 'd':
      return Ecosystem::kDeb;
    case 'a':
      return Ecosystem::kApk;
    case 'r':
      return Ecosystem::kRpm;
    case 's':
      return Ecosystem::kSemver;
    case 'p':
      return Ecosystem::kPep440;
    default:
      break;
  }
  constexpr Ecosystem kAll[] = {Ecosystem::kDeb, Ecosystem::kApk, Ecosystem::kRpm,
                                Ecosystem::kSemver, Ecosystem::kPep440};
  return kAll[byte % 5];
}

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

void CheckAntisymmetric(Ecosystem ecosystem, std::string_view a, std::string_view b) {
  auto forward = version::Compare(ecosystem, a, b);
  auto backward = version::Compare(ecosystem, b, a);
  if (forward.ok() != backward.ok()) __builtin_trap();
  if (forward.ok() && *forward != -*backward) __builtin_trap();
  if (!forward.ok()) return;
  auto self = version::Compare(ecosystem, a, a);
  if (!self.ok() || *self != 0) __builtin_trap();
}

// a <= b and b <= c must give a <= c (and a < c when either step is strict).
void CheckTransitive(Ecosystem ecosystem, std::string_view a, std::string_view b,
                     std::string_view c) {
  auto ab = version::Compare(ecosystem, a, b);
  auto bc = version::Compare(ecosystem, b, c);
  auto ac = version::Compare(ecosystem, a, c);
  if (!ab.ok() || !bc.ok() || !ac.ok()) return;
  if (*ab <= 0 && *bc <= 0 && *ac > 0) __builtin_trap();
  if (*ab <= 0 && *bc <= 0 && (*ab < 0 || *bc < 0) && *ac == 0) __builtin_trap();
  if (*ab >= 0 && *bc >= 0 && *ac < 0) __builtin_trap();
}

// A version the strict grammar accepts must be one Compare orders.
void CheckValidIsComparable(Ecosystem ecosystem, std::string_view a) {
  if (!version::IsValid(ecosystem, a)) return;
  auto self = version::Compare(ecosystem, a, a);
  if (!self.ok() || *self != 0) __builtin_trap();
}

void CheckPep440(std::string_view a) {
  auto parsed = version::ParsePep440(a);
  if (!parsed.ok()) return;
  std::string normal = version::NormalizePep440(*parsed);
  auto reparsed = version::ParsePep440(normal);
  if (!reparsed.ok()) __builtin_trap();
  if (version::NormalizePep440(*reparsed) != normal) __builtin_trap();
  if (version::ComparePep440(*parsed, *reparsed) != 0) __builtin_trap();
}

void CheckSemver(std::string_view a) {
  auto strict = version::ParseSemver(a, version::SemverMode::kStrict);
  if (!strict.ok()) return;
  auto loose = version::ParseSemver(a, version::SemverMode::kLoose);
  if (!loose.ok()) __builtin_trap();
  if (loose->major != strict->major || loose->minor != strict->minor ||
      loose->patch != strict->patch || loose->prerelease != strict->prerelease ||
      loose->build != strict->build) {
    __builtin_trap();
  }
}

// The rpm segment rule is total over any bytes, so it is checked on the raw
// strings, which Compare may refuse.
void CheckRpmSegments(std::string_view a, std::string_view b) {
  int forward = version::CompareRpmSegments(a, b);
  if (forward != -version::CompareRpmSegments(b, a)) __builtin_trap();
  if (version::CompareRpmSegments(a, a) != 0) __builtin_trap();
}

void CheckApkExactly(std::string_view a, std::string_view b) {
  for (bool fuzzy : {false, true}) {
    int forward = version::CompareApkVersionsExactly(a, b, fuzzy);
    if (!fuzzy && Sign(forward) != -Sign(version::CompareApkVersionsExactly(b, a, false))) {
      __builtin_trap();
    }
  }
}

// Splits off the text before the next newline.
std::string_view TakeLine(std::string_view& rest) {
  size_t newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Ecosystem ecosystem = PickEcosystem(data[0]);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view a = TakeLine(rest);
  std::string_view b = TakeLine(rest);
  std::string_view c = rest;

  CheckAntisymmetric(ecosystem, a, b);
  CheckTransitive(ecosystem, a, b, c);
  CheckValidIsComparable(ecosystem, a);
  if (ecosystem == Ecosystem::kPep440) CheckPep440(a);
  if (ecosystem == Ecosystem::kSemver) CheckSemver(a);
  if (ecosystem == Ecosystem::kRpm) CheckRpmSegments(a, b);
  if (ecosystem == Ecosystem::kApk) CheckApkExactly(a, b);

  auto constraint = version::ParseConstraint(b);
  if (constraint.ok()) (void)version::Satisfies(ecosystem, a, *constraint);
  return 0;
}
