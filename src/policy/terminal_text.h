// Text from images and policy documents, made safe to print on a terminal.
#ifndef BULWARK_POLICY_TERMINAL_TEXT_H_
#define BULWARK_POLICY_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace bulwark::policy {

// Returns `text` with everything a terminal could act on replaced by a visible
// escape, so that a value from an image (a label, a user, a package name) or a
// policy document can neither move the cursor, clear the screen, change colours
// nor start a new line of output:
//   - C0 controls (0x00-0x1f, including '\n', '\r', '\t' and ESC) and DEL (0x7f)
//     become "\x1b";
//   - C1 controls (U+0080-U+009F, UTF-8 C2 80..C2 9F), the line and paragraph
//     separators (U+2028, U+2029) and the bidirectional overrides and isolates
//     (U+202A-U+202E, U+2066-U+2069) become "\u009b";
//   - each byte that is not part of well-formed UTF-8 becomes "\xff", since a
//     terminal in an 8-bit locale reads a lone 0x9b as CSI.
// Everything else, including well-formed multi-byte UTF-8, is kept. A backslash
// is kept as is, so the result is for reading, not for decoding. Applying it
// twice gives the same text as applying it once. Pure and thread-safe.
//
// Library code keeps raw values; whatever prints them to a terminal (the text
// report, error messages that quote input) calls this.
std::string EscapeForTerminal(std::string_view text);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_TERMINAL_TEXT_H_
