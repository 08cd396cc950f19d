// Reading the third-party version vectors ($BULWARK_SHARED_DATA/version-compare).
#ifndef BULWARK_TESTS_VERSION_VECTOR_FILE_H_
#define BULWARK_TESTS_VERSION_VECTOR_FILE_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/test_data.h"

namespace bulwark::version::vectors {

// The path of a vector file, or "" when the shared data is absent (the
// caller then skips).
inline std::string VectorPath(const std::string& name) {
  std::string dir = bulwark::testing::SharedDataDir();
  return dir.empty() ? "" : dir + "/version-compare/" + name;
}

// The file's lines, byte for byte without their '\n'; fails the test when
// the file cannot be opened.
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Tab-separated fields; a trailing tab gives a trailing empty field.
inline std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// Whitespace-separated words.
inline std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// -1, 0 or 1 for "<", "=" or ">"; 2 for anything else.
inline int SignOfOperator(const std::string& op) {
  if (op == "<") return -1;
  if (op == "=") return 0;
  if (op == ">") return 1;
  return 2;
}

}  // namespace bulwark::version::vectors

#endif  // BULWARK_TESTS_VERSION_VECTOR_FILE_H_
