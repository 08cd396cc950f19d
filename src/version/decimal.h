// Decimal digit strings, shared by the orderings of this module.
#ifndef BULWARK_VERSION_DECIMAL_H_
#define BULWARK_VERSION_DECIMAL_H_

#include <string_view>

namespace bulwark::version::internal {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// `digits` without its leading zeros; "" for zero (and for "").
std::string_view StripLeadingZeros(std::string_view digits);

// Orders two strings of ASCII digits as non-negative integers of any length;
// leading zeros do not count and "" reads as 0. Returns -1, 0 or 1.
// Thread-safe; does not allocate.
int CompareDecimal(std::string_view a, std::string_view b);

}  // namespace bulwark::version::internal

#endif  // BULWARK_VERSION_DECIMAL_H_
