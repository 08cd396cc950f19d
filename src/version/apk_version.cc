#include "version/apk_version.h"

#include <string>

namespace bulwark::version {
namespace {

// Token kinds in the order the grammar allows them; a token may only follow
// kinds that come before it (with the exceptions handled in NextToken).
// The order also decides comparisons between different kinds: when two
// versions agree up to a point, the one whose next token is *later* in this
// list is the older one (1.0 < 1.0.1 because kEnd comes after kDigit).
enum class Kind {
  kInitialDigit,
  kDigit,
  kLetter,
  kSuffix,
  kSuffixNumber,
  kCommitHash,
  kRevision,
  kEnd,
  kInvalid,
};

// Suffix ranks; kNoSuffix is the pivot between pre-releases and post-releases.
constexpr int kNoSuffix = 4;

struct Token {
  Kind kind = Kind::kInvalid;
  std::string_view text;  // Digits, letter, suffix name or hash.
  int suffix_rank = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// Returns the rank of a suffix name, or -1 when it is not one.
int SuffixRank(std::string_view name) {
  static constexpr std::string_view kNames[] = {"alpha", "beta", "pre", "rc", "",
                                                "cvs",   "svn",  "git", "hg", "p"};
  if (name.empty()) return -1;
  for (int rank = 0; rank < static_cast<int>(std::size(kNames)); ++rank) {
    if (kNames[rank] == name) return rank;
  }
  return -1;
}

// Takes the longest prefix of `rest` whose characters satisfy `pred`.
template <typename Pred>
std::string_view TakeWhile(std::string_view& rest, Pred pred) {
  size_t n = 0;
  while (n < rest.size() && pred(rest[n])) ++n;
  std::string_view taken = rest.substr(0, n);
  rest.remove_prefix(n);
  return taken;
}

Token DigitsToken(std::string_view& rest, Kind kind) {
  Token token{kind, TakeWhile(rest, IsDigit), 0};
  if (token.text.empty()) token.kind = Kind::kInvalid;
  return token;
}

Token FirstToken(std::string_view& rest) { return DigitsToken(rest, Kind::kInitialDigit); }

// Reads the token after one of kind `previous`. `legacy` lets digits follow
// a letter, as apk-tools 2 did.
Token NextToken(std::string_view& rest, Kind previous, bool legacy) {
  const Token invalid{Kind::kInvalid, {}, 0};
  if (rest.empty()) return Token{Kind::kEnd, {}, 0};

  char c = rest[0];
  if (IsLower(c)) {
    if (previous > Kind::kDigit) return invalid;
    Token token{Kind::kLetter, rest.substr(0, 1), 0};
    rest.remove_prefix(1);
    return token;
  }
  if (c == '.' || IsDigit(c)) {
    if (c == '.') {
      if (previous > Kind::kDigit) return invalid;
      rest.remove_prefix(1);
    }
    if (previous == Kind::kInitialDigit || previous == Kind::kDigit) {
      return DigitsToken(rest, Kind::kDigit);
    }
    if (previous == Kind::kSuffix) return DigitsToken(rest, Kind::kSuffixNumber);
    if (previous == Kind::kLetter && legacy) return DigitsToken(rest, Kind::kDigit);
    return invalid;
  }
  if (c == '_') {
    if (previous > Kind::kSuffixNumber) return invalid;
    rest.remove_prefix(1);
    Token token{Kind::kSuffix, TakeWhile(rest, IsLower), 0};
    token.suffix_rank = SuffixRank(token.text);
    if (token.suffix_rank < 0) return invalid;
    return token;
  }
  if (c == '~') {
    if (previous >= Kind::kCommitHash) return invalid;
    rest.remove_prefix(1);
    Token token{Kind::kCommitHash, TakeWhile(rest, IsHex), 0};
    if (token.text.empty()) return invalid;
    return token;
  }
  if (c == '-') {
    if (previous >= Kind::kRevision || rest.size() < 2 || rest[1] != 'r') return invalid;
    rest.remove_prefix(2);
    return DigitsToken(rest, Kind::kRevision);
  }
  return invalid;
}

// Byte-wise order where a proper prefix sorts first.
int CompareBytes(std::string_view a, std::string_view b) {
  int r = a.compare(b);
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

// Compares two digit strings as numbers of any length. apk-tools reads them
// into 64-bit integers; the two agree for every number below 2^64.
int CompareNumbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return CompareBytes(a, b);
}

// Compares two tokens of the same kind.
int CompareTokens(const Token& a, const Token& b) {
  switch (a.kind) {
    case Kind::kDigit:
      // A component with a leading zero reads like a decimal fraction, so
      // apk compares such components as strings: 1.02 < 1.1, 8.2.0 < 8.2.001.
      if (a.text[0] == '0' || b.text[0] == '0') return CompareBytes(a.text, b.text);
      return CompareNumbers(a.text, b.text);
    case Kind::kInitialDigit:
    case Kind::kSuffixNumber:
    case Kind::kRevision:
      return CompareNumbers(a.text, b.text);
    case Kind::kLetter:
      return CompareBytes(a.text, b.text);
    case Kind::kSuffix:
      return a.suffix_rank - b.suffix_rank;
    default:
      return CompareBytes(a.text, b.text);
  }
}

bool Tokenizes(std::string_view version, bool legacy) {
  if (version.size() > kMaxApkVersionLength) return false;
  Token token = FirstToken(version);
  while (token.kind < Kind::kEnd) token = NextToken(version, token.kind, legacy);
  return token.kind == Kind::kEnd;
}

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

int CompareTokenStreams(std::string_view a, std::string_view b, bool fuzzy, bool legacy) {
  Token ta = FirstToken(a);
  Token tb = FirstToken(b);
  while (ta.kind == tb.kind && ta.kind < Kind::kEnd) {
    int r = CompareTokens(ta, tb);
    if (r != 0) return Sign(r);
    ta = NextToken(a, ta.kind, legacy);
    tb = NextToken(b, tb.kind, legacy);
  }

  // Equal so far. Both ended (or both broke off) means equal; with fuzzy
  // matching, `b` running out first means `a` lies inside `b`'s range.
  if (ta.kind == tb.kind) return 0;
  if (fuzzy && tb.kind == Kind::kEnd) return 0;

  // Otherwise the one that goes on is newer, unless it goes on with a
  // pre-release suffix (1.0_rc1 < 1.0) or with a kind later in the grammar.
  if (ta.kind == Kind::kSuffix && ta.suffix_rank < kNoSuffix) return -1;
  if (tb.kind == Kind::kSuffix && tb.suffix_rank < kNoSuffix) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

// Operator bits, as apk combines them.
constexpr int kLess = 1;
constexpr int kEqual = 2;
constexpr int kGreater = 4;

}  // namespace

bool IsValidApkVersion(std::string_view version) { return Tokenizes(version, false); }

bool IsComparableApkVersion(std::string_view version) { return Tokenizes(version, true); }

int CompareApkVersions(std::string_view a, std::string_view b) {
  return CompareTokenStreams(a, b, false, true);
}

int CompareApkVersionsExactly(std::string_view a, std::string_view b, bool fuzzy) {
  return CompareTokenStreams(a, b, fuzzy, false);
}

Result<bool> ApkVersionMatches(std::string_view a, std::string_view op, std::string_view b) {
  const std::string original(op);
  bool negate = !op.empty() && op[0] == '!';
  if (negate) op.remove_prefix(1);

  int mask = 0;
  bool fuzzy = false;
  for (char c : op) {
    if (c == '<') {
      mask |= kLess;
    } else if (c == '>') {
      mask |= kGreater;
    } else if (c == '=') {
      mask |= kEqual;
    } else if (c == '~') {
      mask |= kEqual;
      fuzzy = true;
    } else {
      mask = 0;
      break;
    }
  }
  if (mask == 0 || mask == (kLess | kGreater) || mask == (kLess | kGreater | kEqual)) {
    return Error(ErrorCode::kInvalidArgument, "apk version operator \"" + original + "\"");
  }

  int order = CompareApkVersionsExactly(a, b, fuzzy);
  int result = order < 0 ? kLess : (order > 0 ? kGreater : kEqual);
  bool matches = (result & mask) != 0;
  return negate ? !matches : matches;
}

}  // namespace bulwark::version
