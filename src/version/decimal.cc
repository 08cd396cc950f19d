#include "version/decimal.h"

namespace bulwark::version::internal {

std::string_view StripLeadingZeros(std::string_view digits) {
  size_t zeros = 0;
  while (zeros < digits.size() && digits[zeros] == '0') ++zeros;
  return digits.substr(zeros);
}

int CompareDecimal(std::string_view a, std::string_view b) {
  a = StripLeadingZeros(a);
  b = StripLeadingZeros(b);
  // Without leading zeros, the longer number is the larger one.
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int order = a.compare(b);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace bulwark::version::internal
