// The CLI's documented exit codes (docs/exit-codes.md, DESIGN.md).
#ifndef BULWARK_CLI_EXIT_CODES_H_
#define BULWARK_CLI_EXIT_CODES_H_

#include "common/error.h"

namespace bulwark::cli {

constexpr int kExitCompliant = 0;      // Compliant, or non-compliant under audit-only policies.
constexpr int kExitUsage = 2;          // Bad flags, invalid policy, base image not registered.
constexpr int kExitScanFailed = 3;     // Unreadable or unverifiable image, store or server error.
constexpr int kExitNonCompliant = 4;   // Non-compliant under at least one enforcing policy.

// Usage-type errors (kInvalidArgument) exit 2; everything else that stops a
// command exits 3, so a failure is never mistaken for a pass.
inline int ExitCodeFor(const Error& error) {
  return error.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitScanFailed;
}

}  // namespace bulwark::cli

#endif  // BULWARK_CLI_EXIT_CODES_H_
