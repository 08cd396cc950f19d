#include "policy/terminal_text.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::policy {
namespace {

TEST(EscapeForTerminal, EscapesC0ControlsAndDelete) {
  struct Case {
    std::string raw;
    const char* escaped;
  };
  const Case cases[] = {{"\x1b[2J", "\\x1b[2J"},
                        {"a\nb", "a\\x0ab"},
                        {"a\rb", "a\\x0db"},
                        {"a\tb", "a\\x09b"},
                        {std::string("a\0b", 3), "a\\x00b"},
                        {"\x7f", "\\x7f"},
                        {"\x1f", "\\x1f"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.escaped);

    std::string escaped = EscapeForTerminal(test_case.raw);

    EXPECT_EQ(escaped, test_case.escaped);
  }
}

TEST(EscapeForTerminal, EscapesC1ControlsEncodedInUtf8) {
  std::string csi =
      "a\xc2\x9b"
      "31mb";
  std::string next_line = "\xc2\x85";
  std::string first_and_last = "\xc2\x80\xc2\x9f";

  std::string escaped_csi = EscapeForTerminal(csi);
  std::string escaped_next_line = EscapeForTerminal(next_line);
  std::string escaped_ends = EscapeForTerminal(first_and_last);

  EXPECT_EQ(escaped_csi, "a\\u009b31mb");
  EXPECT_EQ(escaped_next_line, "\\u0085");
  EXPECT_EQ(escaped_ends, "\\u0080\\u009f");
}

TEST(EscapeForTerminal, EscapesBytesThatAreNotWellFormedUtf8) {
  struct Case {
    std::string raw;
    const char* escaped;
  };
  const Case cases[] = {{"\x9b"
                         "2J",
                         "\\x9b2J"},
                        {"\xff\xfe", "\\xff\\xfe"},
                        {"\xc0\xaf", "\\xc0\\xaf"},                     // Overlong '/'.
                        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},            // A surrogate.
                        {"\xe2\x82", "\\xe2\\x82"},                     // Cut short.
                        {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}};  // Above U+10FFFF.
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.escaped);

    std::string escaped = EscapeForTerminal(test_case.raw);

    EXPECT_EQ(escaped, test_case.escaped);
  }
}

TEST(EscapeForTerminal, EscapesLineSeparatorsAndBidiOverrides) {
  std::string text =
      "a\xe2\x80\xa8"
      "b\xe2\x80\xae"
      "c\xe2\x81\xa6";

  std::string escaped = EscapeForTerminal(text);

  EXPECT_EQ(escaped, "a\\u2028b\\u202ec\\u2066");
}

TEST(EscapeForTerminal, KeepsPrintableTextAndWellFormedUtf8) {
  std::string text = "Grüße, 世界 \xf0\x9f\x90\xb3 C:\\path ~!@#$%^&*()";

  std::string escaped = EscapeForTerminal(text);

  EXPECT_EQ(escaped, text);
}

TEST(EscapeForTerminal, IsIdempotent) {
  std::string raw = "\x1b[2J\nbulwark: COMPLIANT\xc2\x9b\xff";

  std::string once = EscapeForTerminal(raw);
  std::string twice = EscapeForTerminal(once);

  EXPECT_EQ(twice, once);
  EXPECT_EQ(once, "\\x1b[2J\\x0abulwark: COMPLIANT\\u009b\\xff");
}

}  // namespace
}  // namespace bulwark::policy
