// Setting an environment variable for the length of a test.
#ifndef BULWARK_TESTS_TESTING_SCOPED_ENV_H_
#define BULWARK_TESTS_TESTING_SCOPED_ENV_H_

#include <cstdlib>
#include <string>

namespace bulwark::testing {

// Sets an environment variable for the processes the test starts, and
// restores the previous state on destruction.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_, old_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_SCOPED_ENV_H_
