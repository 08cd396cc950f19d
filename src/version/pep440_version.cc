#include "version/pep440_version.h"

#include <string>

#include "version/decimal.h"

namespace bulwark::version {
namespace {

using internal::CompareDecimal;
using internal::IsAsciiDigit;
using internal::StripLeadingZeros;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlnum(char c) { return IsAsciiDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'z'); }
bool IsSeparator(char c) { return c == '-' || c == '_' || c == '.'; }

bool IsNumeric(std::string_view text) {
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return !text.empty();
}

Error Invalid(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "PEP 440 version \"" + std::string(text) + "\": " + std::string(reason));
}

// A cursor over the version text. Each Take* consumes what it returns.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  size_t pos() const { return pos_; }
  void Reset(size_t pos) { pos_ = pos; }
  bool AtEnd() const { return pos_ == text_.size(); }
  bool Next(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool NextIsDigitAfter(char c) const {
    return Next(c) && pos_ + 1 < text_.size() && IsAsciiDigit(text_[pos_ + 1]);
  }
  void Skip() { ++pos_; }

  std::string_view TakeDigits() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsAsciiDigit(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::string_view TakeAlnum() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsAlnum(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // One optional '-', '_' or '.'.
  void TakeSeparator() {
    if (pos_ < text_.size() && IsSeparator(text_[pos_])) ++pos_;
  }
  // `word` (lower case) in any case.
  bool TakeWord(std::string_view word) {
    if (text_.size() - pos_ < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (Lower(text_[pos_ + i]) != word[i]) return false;
    }
    pos_ += word.size();
    return true;
  }
  std::string_view Since(size_t start) const { return text_.substr(start, pos_ - start); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The pre-release labels in the order the pattern tries them, so that the
// longer of two spellings with a common start wins ("alpha" before "a").
struct PreLabel {
  std::string_view word;
  Pep440Phase phase;
};
constexpr PreLabel kPreLabels[] = {
    {"alpha", Pep440Phase::kAlpha},       {"a", Pep440Phase::kAlpha},
    {"beta", Pep440Phase::kBeta},         {"b", Pep440Phase::kBeta},
    {"preview", Pep440Phase::kCandidate}, {"pre", Pep440Phase::kCandidate},
    {"c", Pep440Phase::kCandidate},       {"rc", Pep440Phase::kCandidate},
};

// In each optional part, the separator after the label is taken even when no
// number follows ("1.0a." is 1.0a0), as the pattern's greedy "[-_.]?" does;
// taking it never keeps a later part from matching.
void TakePre(Reader& in, Pep440Version& version) {
  size_t start = in.pos();
  in.TakeSeparator();
  for (const PreLabel& label : kPreLabels) {
    if (!in.TakeWord(label.word)) continue;
    version.has_pre = true;
    version.pre_phase = label.phase;
    in.TakeSeparator();
    version.pre_number = in.TakeDigits();
    return;
  }
  in.Reset(start);
}

void TakePost(Reader& in, Pep440Version& version) {
  // "1.0-1" is the short spelling of 1.0.post1.
  if (in.NextIsDigitAfter('-')) {
    in.Skip();
    version.has_post = true;
    version.post_number = in.TakeDigits();
    return;
  }
  size_t start = in.pos();
  in.TakeSeparator();
  for (std::string_view word : {"post", "rev", "r"}) {
    if (!in.TakeWord(word)) continue;
    version.has_post = true;
    in.TakeSeparator();
    version.post_number = in.TakeDigits();
    return;
  }
  in.Reset(start);
}

void TakeDev(Reader& in, Pep440Version& version) {
  size_t start = in.pos();
  in.TakeSeparator();
  if (!in.TakeWord("dev")) {
    in.Reset(start);
    return;
  }
  version.has_dev = true;
  in.TakeSeparator();
  version.dev_number = in.TakeDigits();
}

// "+" then alphanumeric segments separated by single '-', '_' or '.'.
bool TakeLocal(Reader& in, Pep440Version& version) {
  if (!in.Next('+')) return true;
  in.Skip();
  size_t start = in.pos();
  while (true) {
    if (in.TakeAlnum().empty()) return false;
    size_t before = in.pos();
    in.TakeSeparator();
    if (in.pos() == before) break;
  }
  version.local = in.Since(start);
  return true;
}

// Splits off the piece of `text` before the first separator.
std::string_view TakePiece(std::string_view& text, bool (*is_separator)(char)) {
  size_t end = 0;
  while (end < text.size() && !is_separator(text[end])) ++end;
  std::string_view piece = text.substr(0, end);
  text.remove_prefix(end < text.size() ? end + 1 : end);
  return piece;
}

bool IsDot(char c) { return c == '.'; }

// Release numbers compared one by one, a missing one counting as 0.
int CompareRelease(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    int order = CompareDecimal(TakePiece(a, IsDot), TakePiece(b, IsDot));
    if (order != 0) return order;
  }
  return 0;
}

int CompareWordsIgnoringCase(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    char left = Lower(a[i]);
    char right = Lower(b[i]);
    if (left != right) return left < right ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// Local labels: segment by segment, numbers above words, numbers by value,
// words by their lower-case text; when one runs out first it is lower.
int CompareLocal(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? -1 : 1);
  while (!a.empty() && !b.empty()) {
    std::string_view left = TakePiece(a, IsSeparator);
    std::string_view right = TakePiece(b, IsSeparator);
    bool left_numeric = IsNumeric(left);
    bool right_numeric = IsNumeric(right);
    int order = 0;
    if (left_numeric && right_numeric) {
      order = CompareDecimal(left, right);
    } else if (left_numeric != right_numeric) {
      order = left_numeric ? 1 : -1;
    } else {
      order = CompareWordsIgnoringCase(left, right);
    }
    if (order != 0) return order;
  }
  if (a.empty() == b.empty()) return 0;
  return a.empty() ? -1 : 1;
}

// Where a part sorts when it is absent, relative to present values.
enum class Absent { kLowest, kHighest };

// Compares an optional number whose absence sorts as `absent`.
int CompareOptional(bool a_has, std::string_view a, bool b_has, std::string_view b, Absent absent) {
  if (a_has && b_has) return CompareDecimal(a, b);
  if (a_has == b_has) return 0;
  bool a_lower = a_has == (absent == Absent::kHighest);
  return a_lower ? -1 : 1;
}

// The pre-release key: a version with only a dev part sorts before every
// pre-release of its release; one without a pre-release after all of them.
int PreRank(const Pep440Version& v) {
  if (v.has_pre) return static_cast<int>(v.pre_phase);
  if (v.has_dev && !v.has_post) return -1;
  return 3;
}

int ComparePre(const Pep440Version& a, const Pep440Version& b) {
  int a_rank = PreRank(a);
  int b_rank = PreRank(b);
  if (a_rank != b_rank) return a_rank < b_rank ? -1 : 1;
  if (!a.has_pre) return 0;
  return CompareDecimal(a.pre_number, b.pre_number);
}

void AppendNumber(std::string& out, std::string_view digits) {
  std::string_view stripped = StripLeadingZeros(digits);
  if (stripped.empty()) {
    out += '0';
  } else {
    out += stripped;
  }
}

}  // namespace

Result<Pep440Version> ParsePep440(std::string_view text) {
  if (text.size() > kMaxPep440Length) {
    return Error(ErrorCode::kLimitExceeded, "PEP 440 version of " + std::to_string(text.size()) +
                                                " bytes: longer than " +
                                                std::to_string(kMaxPep440Length));
  }
  std::string_view trimmed = text;
  while (!trimmed.empty() && IsSpace(trimmed.front())) trimmed.remove_prefix(1);
  while (!trimmed.empty() && IsSpace(trimmed.back())) trimmed.remove_suffix(1);
  if (trimmed.empty()) return Invalid(text, "version string is empty");

  Reader in(trimmed);
  Pep440Version version;
  in.TakeWord("v");
  size_t start = in.pos();
  std::string_view digits = in.TakeDigits();
  if (!digits.empty() && in.Next('!')) {
    version.epoch = digits;
    in.Skip();
    start = in.pos();
    digits = in.TakeDigits();
  }
  if (digits.empty()) return Invalid(text, "expected a release number such as 1.0");
  while (in.NextIsDigitAfter('.')) {
    in.Skip();
    in.TakeDigits();
  }
  version.release = in.Since(start);

  TakePre(in, version);
  TakePost(in, version);
  TakeDev(in, version);
  if (!TakeLocal(in, version)) return Invalid(text, "empty segment in the local version label");
  if (!in.AtEnd()) return Invalid(text, "unexpected text after the version");
  return version;
}

std::string NormalizePep440(const Pep440Version& version) {
  std::string out;
  if (!StripLeadingZeros(version.epoch).empty()) {
    AppendNumber(out, version.epoch);
    out += '!';
  }
  for (std::string_view release = version.release; !release.empty();) {
    AppendNumber(out, TakePiece(release, IsDot));
    if (!release.empty()) out += '.';
  }
  if (version.has_pre) {
    static constexpr std::string_view kPhaseNames[] = {"a", "b", "rc"};
    out += kPhaseNames[static_cast<int>(version.pre_phase)];
    AppendNumber(out, version.pre_number);
  }
  if (version.has_post) {
    out += ".post";
    AppendNumber(out, version.post_number);
  }
  if (version.has_dev) {
    out += ".dev";
    AppendNumber(out, version.dev_number);
  }
  if (!version.local.empty()) {
    out += '+';
    for (std::string_view local = version.local; !local.empty();) {
      std::string_view segment = TakePiece(local, IsSeparator);
      if (IsNumeric(segment)) {
        AppendNumber(out, segment);
      } else {
        for (char c : segment) out += Lower(c);
      }
      if (!local.empty()) out += '.';
    }
  }
  return out;
}

int ComparePep440(const Pep440Version& a, const Pep440Version& b) {
  if (int order = CompareDecimal(a.epoch, b.epoch); order != 0) return order;
  if (int order = CompareRelease(a.release, b.release); order != 0) return order;
  if (int order = ComparePre(a, b); order != 0) return order;
  int post = CompareOptional(a.has_post, a.post_number, b.has_post, b.post_number, Absent::kLowest);
  if (post != 0) return post;
  int dev = CompareOptional(a.has_dev, a.dev_number, b.has_dev, b.dev_number, Absent::kHighest);
  if (dev != 0) return dev;
  return CompareLocal(a.local, b.local);
}

bool IsValidPep440(std::string_view text) { return ParsePep440(text).ok(); }

}  // namespace bulwark::version
