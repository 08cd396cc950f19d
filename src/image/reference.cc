#include "image/reference.h"

#include <cctype>
#include <vector>

namespace bulwark::image {
namespace {

constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxTagLength = 128;

Error Invalid(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "image reference \"" + std::string(text.substr(0, 300)) + "\": " +
                   std::string(reason));
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A path component: runs of [a-z0-9] joined by one of ".", "_", "__" or any number of "-".
bool IsValidComponent(std::string_view component) {
  if (component.empty() || !IsLowerAlnum(component.front()) || !IsLowerAlnum(component.back())) {
    return false;
  }
  for (size_t i = 0; i < component.size();) {
    if (IsLowerAlnum(component[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < component.size() && !IsLowerAlnum(component[i])) ++i;
    std::string_view separator = component.substr(start, i - start);
    bool dashes = separator.find_first_not_of('-') == std::string_view::npos;
    if (separator != "." && separator != "_" && separator != "__" && !dashes) return false;
  }
  return true;
}

bool IsValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(tag.front())) return false;
  for (char c : tag) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// A host name of dot-separated labels (letters, digits, inner '-'), or an
// IPv6 address in brackets, then optionally ':' and a port of 1-5 digits. The
// name goes into URLs, so nothing else is let through.
bool IsValidDomain(std::string_view domain) {
  std::string_view host = domain;
  std::string_view port;
  if (domain.starts_with("[")) {
    size_t close = domain.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : domain.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':') return false;
    }
    std::string_view rest = domain.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(":")) return false;
    port = rest.empty() ? rest : rest.substr(1);
    if (!rest.empty() && port.empty()) return false;
  } else {
    size_t colon = domain.find(':');
    if (colon != std::string_view::npos) {
      host = domain.substr(0, colon);
      port = domain.substr(colon + 1);
      if (port.empty()) return false;
    }
    size_t start = 0;
    while (start <= host.size()) {
      size_t dot = host.find('.', start);
      std::string_view label =
          host.substr(start, dot == std::string_view::npos ? dot : dot - start);
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      for (char c : label) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      }
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (port.size() > 5) return false;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

Result<Reference> Reference::Parse(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty");
  Reference reference;
  std::string_view rest = text;

  // The digest comes after '@'.
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    auto digest = Digest::Parse(rest.substr(at + 1));
    if (!digest.ok()) return Invalid(text, digest.error().message());
    reference.digest = *digest;
    rest = rest.substr(0, at);
  }

  // The tag is after the last ':' that follows the last '/'.
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = rest.substr(colon + 1);
    if (!IsValidTag(tag)) {
      return Invalid(text, "tag \"" + std::string(tag) +
                               "\" must be 1-128 of [A-Za-z0-9_.-], not starting with . or -");
    }
    reference.tag = std::string(tag);
    rest = rest.substr(0, colon);
  }
  if (rest.size() > kMaxNameLength) return Invalid(text, "name longer than 255 characters");

  // The first component is a registry when it looks like a host.
  std::vector<std::string_view> components = Split(rest, '/');
  std::string_view first = components.front();
  bool has_domain = components.size() > 1 &&
                    (first.find('.') != std::string_view::npos ||
                     first.find(':') != std::string_view::npos || first == "localhost");
  if (has_domain) {
    if (!IsValidDomain(first)) return Invalid(text, "registry \"" + std::string(first) + "\"");
    reference.registry = first == "index.docker.io" ? "docker.io" : std::string(first);
    components.erase(components.begin());
  } else {
    reference.registry = "docker.io";
  }

  for (std::string_view component : components) {
    bool has_upper = false;
    for (char c : component) has_upper |= (c >= 'A' && c <= 'Z');
    if (has_upper) return Invalid(text, "repository names must be lower case");
    if (!IsValidComponent(component)) {
      return Invalid(text, "repository component \"" + std::string(component) +
                               "\" must be lower-case letters and digits joined by . _ __ or -");
    }
  }
  for (size_t i = 0; i < components.size(); ++i) {
    if (i > 0) reference.repository += '/';
    reference.repository += components[i];
  }
  if (reference.registry == "docker.io" && components.size() == 1) {
    reference.repository = "library/" + reference.repository;
  }
  if (reference.tag.empty() && !reference.digest) reference.tag = "latest";
  return reference;
}

std::string Reference::Name() const { return registry + "/" + repository; }

std::string Reference::NameAndTag() const {
  return tag.empty() ? Name() : Name() + ":" + tag;
}

std::string Reference::str() const {
  std::string text = NameAndTag();
  if (digest) text += "@" + digest->str();
  return text;
}

}  // namespace bulwark::image
