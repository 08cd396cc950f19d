// bulwark version compare: how Bulwark orders two versions, so that a user can
// see why a constraint or an advisory matched a package.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "policy/terminal_text.h"
#include "version/version.h"

namespace bulwark::cli {
namespace {

// Longest line `compare -` reads from stdin; a longer one is reported and skipped.
constexpr size_t kMaxPairLineLength = 64 * 1024;

constexpr char kCompareFooter[] =
    R"(Prints <, = or > and a newline: how A orders against B under the ecosystem's own rules
(docs/version-ordering.md).

With - in place of A B, reads pairs from stdin, one "A B" per line (whitespace separated, at
most 64 KiB a line), and prints one result per pair, in input order. A bad line (not two
fields, an invalid version, too long) prints "bulwark: stdin line N: ..." on stderr and prints
no result; the other lines go on, and the command exits 2 at the end.

Ecosystems: deb (also dpkg, debian), apk (alpine), rpm (redhat), semver (npm),
pep440 (pypi, python).
Exit codes: 0 compared; 2 unknown ecosystem, invalid version or a bad stdin line; 3 stdin or
stdout failed.)";

struct CompareFlags {
  std::string ecosystem;
  std::vector<std::string> versions;
};

char OrderSymbol(int order) { return order < 0 ? '<' : (order > 0 ? '>' : '='); }

// Every comparison failure comes from the user's input (an invalid or an
// over-long version), so it is a usage error.
Error AsUsageError(const Error& error) {
  return Error(ErrorCode::kInvalidArgument, error.message());
}

void PrintLineError(size_t line_number, std::string_view message) {
  std::fprintf(stderr, "bulwark: stdin line %zu: %s\n", line_number,
               policy::EscapeForTerminal(message).c_str());
}

// Reads one line from `in` without its '\n'. Keeps at most kMaxPairLineLength
// bytes and sets `too_long` when there were more (they are dropped). False at
// the end of input.
bool ReadLine(std::FILE* in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  bool any = false;
  for (int c = getc_unlocked(in); c != EOF; c = getc_unlocked(in)) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < kMaxPairLineLength) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  return any;
}

// The whitespace-separated fields of a line ('\r' included, for CRLF files).
std::vector<std::string_view> Fields(std::string_view line) {
  constexpr std::string_view kSpace = " \t\r\v\f";
  std::vector<std::string_view> fields;
  size_t pos = line.find_first_not_of(kSpace);
  while (pos != std::string_view::npos) {
    size_t end = line.find_first_of(kSpace, pos);
    fields.push_back(line.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos = line.find_first_not_of(kSpace, end);
  }
  return fields;
}

// Compares one stdin line; prints its result, or reports it and returns false.
bool CompareLine(version::Ecosystem ecosystem, size_t line_number, std::string_view line) {
  std::vector<std::string_view> fields = Fields(line);
  if (fields.size() != 2) {
    PrintLineError(line_number, "expected two versions \"A B\", found " +
                                    std::to_string(fields.size()) +
                                    (fields.size() == 1 ? " field" : " fields"));
    return false;
  }
  auto order = version::Compare(ecosystem, fields[0], fields[1]);
  if (!order.ok()) {
    PrintLineError(line_number, order.error().message());
    return false;
  }
  std::printf("%c\n", OrderSymbol(*order));
  return true;
}

int RunCompareStdin(version::Ecosystem ecosystem) {
  size_t line_number = 0;
  size_t bad_lines = 0;
  std::string line;
  bool too_long = false;
  while (ReadLine(stdin, line, too_long)) {
    ++line_number;
    if (too_long) {
      PrintLineError(line_number,
                     "longer than " + std::to_string(kMaxPairLineLength) + " bytes; line skipped");
      ++bad_lines;
      continue;
    }
    if (!CompareLine(ecosystem, line_number, line)) ++bad_lines;
  }

  if (std::ferror(stdin)) {
    return Fail(Error(ErrorCode::kIo, std::string("stdin: ") + std::strerror(errno)));
  }
  if (std::fflush(stdout) != 0) {
    return Fail(Error(ErrorCode::kIo, std::string("stdout: ") + std::strerror(errno)));
  }
  if (bad_lines > 0) {
    std::fprintf(stderr, "bulwark: %zu of %zu stdin lines could not be compared\n", bad_lines,
                 line_number);
    return kExitUsage;
  }
  return kExitCompliant;
}

int RunCompare(const CompareFlags& flags) {
  auto ecosystem = version::ParseEcosystem(flags.ecosystem);
  if (!ecosystem.ok()) return Fail(ecosystem.error());

  if (flags.versions.size() == 1 && flags.versions[0] == "-") return RunCompareStdin(*ecosystem);
  if (flags.versions.size() != 2) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "version compare: expected two versions A B, or - to read pairs from stdin"));
  }
  auto order = version::Compare(*ecosystem, flags.versions[0], flags.versions[1]);
  if (!order.ok()) return Fail(AsUsageError(order.error()));
  std::printf("%c\n", OrderSymbol(*order));
  return kExitCompliant;
}

}  // namespace

void AddVersionCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* version = app.add_subcommand("version", "Show how Bulwark orders package versions");
  version->require_subcommand(1);
  version->footer("See bulwark version compare --help.");

  CLI::App* compare = version->add_subcommand(
      "compare", "Compare two versions under an ecosystem's rules: prints <, = or >");
  compare
      ->add_option("--ecosystem,-e", flags->ecosystem,
                   "deb, apk, rpm, semver or pep440 (aliases below)")
      ->required();
  compare->add_option("versions", flags->versions, "A B, or - to read \"A B\" lines from stdin")
      ->required()
      ->expected(1, 2);
  compare->footer(kCompareFooter);
  compare->callback([flags, run] { *run = [flags] { return RunCompare(*flags); }; });
}

}  // namespace bulwark::cli
