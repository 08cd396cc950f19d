// Fuzzes version ordering: the input is split at its first newline into two
// versions, which are compared under both ecosystems, and the rest of the
// version API is exercised on the same bytes. Trips on broken invariants
// (a comparison that is not antisymmetric or not reflexive).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "version/apk_version.h"
#include "version/dpkg_version.h"
#include "version/version.h"

namespace {

using bulwark::version::Ecosystem;

void CheckAntisymmetric(Ecosystem ecosystem, std::string_view a, std::string_view b) {
  auto forward = bulwark::version::Compare(ecosystem, a, b);
  auto backward = bulwark::version::Compare(ecosystem, b, a);
  if (forward.ok() != backward.ok()) __builtin_trap();
  if (forward.ok() && *forward != -*backward) __builtin_trap();
  if (!forward.ok()) return;
  auto self = bulwark::version::Compare(ecosystem, a, a);
  if (!self.ok() || *self != 0) __builtin_trap();
}

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view a = input.substr(0, newline);
  std::string_view b = newline == std::string_view::npos ? "" : input.substr(newline + 1);

  for (Ecosystem ecosystem : {Ecosystem::kDeb, Ecosystem::kApk}) {
    CheckAntisymmetric(ecosystem, a, b);
    (void)bulwark::version::IsValid(ecosystem, a);
  }

  for (bool fuzzy : {false, true}) {
    int forward = bulwark::version::CompareApkVersionsExactly(a, b, fuzzy);
    if (!fuzzy &&
        Sign(forward) != -Sign(bulwark::version::CompareApkVersionsExactly(b, a, false))) {
      __builtin_trap();
    }
  }

  auto constraint = bulwark::version::ParseConstraint(b);
  if (constraint.ok()) {
    (void)bulwark::version::Satisfies(Ecosystem::kDeb, a, *constraint);
    (void)bulwark::version::Satisfies(Ecosystem::kApk, a, *constraint);
  }
  return 0;
}
