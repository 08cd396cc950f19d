#include "registry/auth_challenge.h"

#include <nlohmann/json.hpp>

#include "registry/json_limits.h"

namespace bulwark::registry {
namespace {

// RFC 9110 section 5.6.2: tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerText(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = Lower(c);
  return lowered;
}

// A cursor over the header text that reports errors with the position.
class ChallengeScanner {
 public:
  explicit ChallengeScanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Advance() { ++pos_; }
  size_t pos() const { return pos_; }
  void Seek(size_t pos) { pos_ = pos; }

  void SkipSpaces() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  std::string_view Token() {
    size_t start = pos_;
    while (!AtEnd() && IsTokenChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // A quoted string after its opening quote has been seen.
  Result<std::string> Quoted() {
    std::string value;
    Advance();
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == '"') return value;
      if (c == '\\') {
        if (AtEnd()) break;
        c = text_[pos_++];
      }
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return Fail("a control character");
      if (c == 0x7f) return Fail("a control character");
      value += c;
    }
    return Fail("an unterminated quoted string");
  }

  Error Fail(std::string_view what) const {
    return Error(ErrorCode::kCorruptInput, "WWW-Authenticate challenge at byte " +
                                               std::to_string(pos_) + ": " + std::string(what));
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Parses "name = value" at the scanner; the name has been read already.
Status ParseParamValue(ChallengeScanner& scanner, const std::string& name, Challenge& challenge) {
  scanner.SkipSpaces();
  if (scanner.Peek() != '=') return scanner.Fail("expected '=' after \"" + name + "\"");
  scanner.Advance();
  scanner.SkipSpaces();
  std::string value;
  if (scanner.Peek() == '"') {
    BULWARK_ASSIGN_OR_RETURN(value, scanner.Quoted());
  } else {
    value = std::string(scanner.Token());
    if (value.empty()) return scanner.Fail("expected a value for \"" + name + "\"");
  }
  if (challenge.params.count(name) != 0) {
    return scanner.Fail("parameter \"" + name + "\" given twice");
  }
  if (challenge.params.size() >= kMaxChallengeParams) {
    return Error(ErrorCode::kLimitExceeded, "WWW-Authenticate challenge: more than " +
                                                std::to_string(kMaxChallengeParams) +
                                                " parameters");
  }
  challenge.params.emplace(name, std::move(value));
  return Ok();
}

// Skips the comma (and any empty list elements) between list items. Returns
// false at the end of the text.
Result<bool> SkipSeparator(ChallengeScanner& scanner) {
  scanner.SkipSpaces();
  if (scanner.AtEnd()) return false;
  if (scanner.Peek() != ',') return scanner.Fail("expected ',' between parameters");
  while (scanner.Peek() == ',' || scanner.Peek() == ' ' || scanner.Peek() == '\t') {
    scanner.Advance();
  }
  return !scanner.AtEnd();
}

// Reads the parameters of one challenge; stops before a token that is not
// followed by '=' (the next challenge's scheme).
Status ParseParams(ChallengeScanner& scanner, Challenge& challenge, bool& more) {
  more = false;
  while (!scanner.AtEnd()) {
    size_t start = scanner.pos();
    std::string name = LowerText(scanner.Token());
    if (name.empty()) return scanner.Fail("expected a parameter name");
    scanner.SkipSpaces();
    if (scanner.Peek() != '=') {
      // A new challenge starts here.
      scanner.Seek(start);
      more = true;
      return Ok();
    }
    BULWARK_TRY(ParseParamValue(scanner, name, challenge));
    BULWARK_ASSIGN_OR_RETURN(bool next, SkipSeparator(scanner));
    if (!next) return Ok();
  }
  return Ok();
}

}  // namespace

std::string Challenge::Param(std::string_view name) const {
  auto found = params.find(std::string(name));
  return found == params.end() ? std::string() : found->second;
}

Result<std::vector<Challenge>> ParseChallenges(std::string_view header) {
  if (header.size() > kMaxChallengeHeader) {
    return Error(ErrorCode::kLimitExceeded, "WWW-Authenticate challenge: longer than " +
                                                std::to_string(kMaxChallengeHeader) + " bytes");
  }
  ChallengeScanner scanner(header);
  std::vector<Challenge> challenges;
  scanner.SkipSpaces();
  if (scanner.AtEnd()) return scanner.Fail("empty");
  while (!scanner.AtEnd()) {
    Challenge challenge;
    challenge.scheme = LowerText(scanner.Token());
    if (challenge.scheme.empty()) return scanner.Fail("expected an authentication scheme");
    if (challenges.size() >= kMaxChallenges) {
      return Error(ErrorCode::kLimitExceeded,
                   "WWW-Authenticate: more than " + std::to_string(kMaxChallenges) + " challenges");
    }
    bool more = false;
    if (scanner.Peek() == ' ' || scanner.Peek() == '\t') {
      scanner.SkipSpaces();
      if (scanner.Peek() == ',') {
        BULWARK_ASSIGN_OR_RETURN(more, SkipSeparator(scanner));
      } else {
        BULWARK_TRY(ParseParams(scanner, challenge, more));
      }
    } else if (!scanner.AtEnd()) {
      if (scanner.Peek() != ',') return scanner.Fail("expected a space after the scheme");
      BULWARK_ASSIGN_OR_RETURN(more, SkipSeparator(scanner));
    }
    challenges.push_back(std::move(challenge));
    if (!more) break;
  }
  if (!scanner.AtEnd()) return scanner.Fail("unexpected text");
  return challenges;
}

Result<std::string> ParseTokenResponse(std::string_view body) {
  if (body.size() > kMaxTokenResponse) {
    return Error(ErrorCode::kLimitExceeded,
                 "token answer: longer than " + std::to_string(kMaxTokenResponse) + " bytes");
  }
  BULWARK_TRY(CheckJsonNesting(body, 16, "token answer"));
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Error(ErrorCode::kCorruptInput, "token answer: not a JSON object");
  }
  const char* field = document.contains("token") ? "token" : "access_token";
  auto found = document.find(field);
  if (found == document.end()) {
    return Error(ErrorCode::kCorruptInput, "token answer: no \"token\" or \"access_token\"");
  }
  if (!found->is_string()) {
    return Error(ErrorCode::kCorruptInput,
                 std::string("token answer: \"") + field + "\" is not a string");
  }
  std::string token = found->get<std::string>();
  if (token.empty() || token.size() > kMaxToken) {
    return Error(ErrorCode::kCorruptInput,
                 "token answer: a token of " + std::to_string(token.size()) +
                     " bytes (expected 1 to " + std::to_string(kMaxToken) + ")");
  }
  for (char c : token) {
    // The token goes into a header line: visible ASCII only.
    if (c <= 0x20 || c >= 0x7f) {
      return Error(ErrorCode::kCorruptInput,
                   "token answer: the token holds a character "
                   "that cannot appear in a header");
    }
  }
  return token;
}

}  // namespace bulwark::registry
