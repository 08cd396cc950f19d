#include "report/xml_escape.h"

#include <gtest/gtest.h>

namespace bulwark::report::internal {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";

TEST(XmlEscape, EscapesMarkupInTextAndAttributes) {
  std::string text = "a<b>&\"c\"'d'";

  std::string as_text = EscapeXmlText(text);
  std::string as_attribute = EscapeXmlAttribute(text);

  EXPECT_EQ(as_text, "a&lt;b&gt;&amp;\"c\"'d'");
  EXPECT_EQ(as_attribute, "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
}

TEST(XmlEscape, KeepsLineBreaksInTextButEncodesThemInAttributes) {
  std::string text = "one\ttwo\nthree\rfour";

  std::string as_text = EscapeXmlText(text);
  std::string as_attribute = EscapeXmlAttribute(text);

  EXPECT_EQ(as_text, "one\ttwo\nthree&#13;four");
  EXPECT_EQ(as_attribute, "one&#9;two&#10;three&#13;four");
}

TEST(XmlEscape, ReplacesEveryCharacterXml10Forbids) {
  struct Case {
    const char* label;
    std::string input;
  };
  const Case cases[] = {{"NUL", std::string("\0", 1)}, {"ESC", "\x1b"},
                        {"vertical tab", "\x0b"},      {"form feed", "\x0c"},
                        {"unit separator", "\x1f"},    {"U+FFFE", "\xEF\xBF\xBE"},
                        {"U+FFFF", "\xEF\xBF\xBF"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);

    std::string escaped = EscapeXmlText("a" + test_case.input + "b");

    EXPECT_EQ(escaped, std::string("a") + kReplacement + "b");
  }
}

TEST(XmlEscape, ReplacesBytesThatAreNotWellFormedUtf8) {
  struct Case {
    const char* label;
    std::string input;
    size_t replacements;
  };
  const Case cases[] = {
      {"lone continuation byte", "\x80", 1},          {"overlong slash", "\xC0\xAF", 2},
      {"UTF-8 encoded surrogate", "\xED\xA0\x80", 3}, {"past U+10FFFF", "\xF4\x90\x80\x80", 4},
      {"truncated sequence", "\xE2\x82", 2},          {"byte FF", "\xFF", 1}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);

    std::string escaped = EscapeXmlText(test_case.input);

    std::string expected;
    for (size_t i = 0; i < test_case.replacements; ++i) expected += kReplacement;
    EXPECT_EQ(escaped, expected);
  }
}

TEST(XmlEscape, KeepsWellFormedMultibyteCharacters) {
  std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6 \xC2\x85";

  std::string escaped = EscapeXmlAttribute(text);

  EXPECT_EQ(escaped, text);
}

}  // namespace
}  // namespace bulwark::report::internal
