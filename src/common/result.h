// Result<T>: a value or an Error. Fallible library code returns it.
#ifndef BULWARK_COMMON_RESULT_H_
#define BULWARK_COMMON_RESULT_H_

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "common/error.h"

namespace bulwark {

// Holds either a T or an Error. Accessing the value of a failed result (or
// the error of a successful one) is a programming error and asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return Get(); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::move(Get()); }
  T& operator*() & { return Get(); }
  const T& operator*() const& { return std::get<0>(data_); }
  T* operator->() { return &Get(); }
  const T* operator->() const { return &std::get<0>(data_); }

  const Error& error() const& { return std::get<1>(data_); }
  Error&& error() && { return std::move(std::get<1>(data_)); }

 private:
  T& Get() { return std::get<0>(data_); }
  std::variant<T, Error> data_;
};

// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace bulwark

#define BULWARK_CONCAT_INNER_(a, b) a##b
#define BULWARK_CONCAT_(a, b) BULWARK_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Result); returns its error from the enclosing function on failure.
#define BULWARK_TRY(expr)                                      \
  do {                                                         \
    auto bulwark_try_result_ = (expr);                         \
    if (!bulwark_try_result_.ok()) {                           \
      return std::move(bulwark_try_result_).error();           \
    }                                                          \
  } while (0)

// Declares `lhs` from the value of `expr` (a Result), or returns its error.
#define BULWARK_ASSIGN_OR_RETURN(lhs, expr) \
  BULWARK_ASSIGN_OR_RETURN_IMPL_(BULWARK_CONCAT_(bulwark_result_, __LINE__), lhs, expr)
#define BULWARK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).error();        \
  lhs = std::move(tmp).value()

#endif  // BULWARK_COMMON_RESULT_H_
