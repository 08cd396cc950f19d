// Error values shared by every module.
#ifndef BULWARK_COMMON_ERROR_H_
#define BULWARK_COMMON_ERROR_H_

#include <string>
#include <string_view>

namespace bulwark {

// The short, documented set of failure kinds. The CLI maps them to exit codes
// (see docs/exit-codes.md); the server will map them to HTTP statuses.
enum class ErrorCode {
  kInvalidArgument,  // The caller's input (flag, policy, reference) is wrong.
  kNotFound,         // A named thing (file, image, tag, blob) does not exist.
  kCorruptInput,     // Bytes do not match their format or their digest.
  kUnsupported,      // Well-formed input that Bulwark does not handle yet.
  kLimitExceeded,    // A size or count limit was hit (bombs, huge files).
  kIo,               // The operating system refused a read or write.
  kNetwork,          // A remote peer could not be reached or answered badly.
  kAuthentication,   // Credentials were missing or refused.
  kInternal,         // A bug or a broken invariant in Bulwark itself.
};

// Returns the stable snake_case name of `code` ("corrupt_input").
std::string_view ErrorCodeName(ErrorCode code);

// A failure: a code plus a message that reads as a chain of nouns, outermost
// first, e.g. "layer sha256:3f2a: var/lib/dpkg/status line 812: no Version field".
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with "context: ".
  Error Wrap(std::string_view context) const {
    return Error(code_, std::string(context) + ": " + message_);
  }

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace bulwark

#endif  // BULWARK_COMMON_ERROR_H_
