// Text made safe for XML 1.0 documents. Internal to report/.
#ifndef BULWARK_REPORT_XML_ESCAPE_H_
#define BULWARK_REPORT_XML_ESCAPE_H_

#include <string>
#include <string_view>

namespace bulwark::report::internal {

// Returns `text` for use as XML 1.0 character data: '&', '<' and '>' become
// entity references and a carriage return becomes "&#13;" (parsers would
// otherwise turn it into a line feed). Everything XML 1.0 does not allow in a
// document (C0 controls other than tab, line feed and carriage return;
// U+FFFE, U+FFFF) and every byte that is not part of well-formed UTF-8 becomes
// U+FFFD, since not even a character reference may carry them. Pure and
// thread-safe.
std::string EscapeXmlText(std::string_view text);

// As EscapeXmlText, for an attribute value in double or single quotes: also
// '"' and '\'' become entity references, and tab and line feed become
// character references so that attribute normalisation keeps them.
std::string EscapeXmlAttribute(std::string_view text);

}  // namespace bulwark::report::internal

#endif  // BULWARK_REPORT_XML_ESCAPE_H_
