// Python package versions: PEP 440 (https://peps.python.org/pep-0440/),
// read, normalised and ordered as the packaging library does.
//
// A version is [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]. The accepted
// spellings are wider than that (PEP 440, "Normalization"): any case, an
// optional leading 'v', separators '-', '_' or '.' around the pre, post and
// dev parts, "alpha", "beta", "c", "pre" and "preview" for a, b and rc, "r"
// and "rev" for post, "1.0-1" for 1.0.post1, an implicit 0 after a label,
// leading zeros in numbers, '-' and '_' between local segments, and
// surrounding whitespace.
#ifndef BULWARK_VERSION_PEP440_VERSION_H_
#define BULWARK_VERSION_PEP440_VERSION_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::version {

// Longest version string ParsePep440 accepts (kLimitExceeded beyond).
inline constexpr size_t kMaxPep440Length = 4096;

// The pre-release phases, in their order.
enum class Pep440Phase { kAlpha, kBeta, kCandidate };

// A parsed version. The views point into the text given to ParsePep440,
// which must outlive them. Numbers are ASCII digits as written (leading
// zeros included); "" stands for an implicit 0.
struct Pep440Version {
  std::string_view epoch;    // "" when absent.
  std::string_view release;  // Digits separated by '.', as written: "1.01.0".
  bool has_pre = false;
  Pep440Phase pre_phase = Pep440Phase::kAlpha;
  std::string_view pre_number;
  bool has_post = false;
  std::string_view post_number;
  bool has_dev = false;
  std::string_view dev_number;
  // The local label after '+', as written (any case, '-', '_' or '.' between
  // segments); "" when there is none.
  std::string_view local;
};

// Parses `text` as packaging's version pattern does (see above). Only ASCII
// is accepted: digits, letters and whitespace outside ASCII are refused.
// Errors: kInvalidArgument naming the text and what is wrong; kLimitExceeded
// beyond kMaxPep440Length bytes. Thread-safe; no allocation unless it fails.
Result<Pep440Version> ParsePep440(std::string_view text);

// The normalised spelling: "1!2.0rc1.post3.dev4+ubuntu.1". A zero epoch is
// left out; numbers lose their leading zeros; local segments are lower-case
// and joined by '.'.
std::string NormalizePep440(const Pep440Version& version);

// Orders two versions: epoch; release, missing trailing parts counting as 0
// (1.0 == 1.0.0); then a < b < rc < (no pre-release), where a version with
// only a dev part sorts before all its pre-releases (1.0.dev0 < 1.0a0); then
// no post < post releases; then dev releases < none; then no local label <
// local labels, compared segment by segment with numbers above words and
// more segments higher. Returns -1, 0 or 1. Thread-safe; does not allocate.
int ComparePep440(const Pep440Version& a, const Pep440Version& b);

// True when ParsePep440 accepts `text`.
bool IsValidPep440(std::string_view text);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_PEP440_VERSION_H_
