// Image references: registry/repository[:tag][@digest], normalised like Docker.
#ifndef BULWARK_IMAGE_REFERENCE_H_
#define BULWARK_IMAGE_REFERENCE_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::image {

// A parsed, normalised reference. "ubuntu" becomes docker.io/library/ubuntu:latest;
// "localhost:5000/a/b:tag" keeps its registry. A reference with a digest and no
// tag gets no default tag.
struct Reference {
  std::string registry;    // "docker.io", "localhost:5000", "registry.example.com".
  std::string repository;  // "library/ubuntu", "a/b".
  std::string tag;         // Empty only when a digest is given without a tag.
  std::optional<Digest> digest;

  // Parses and normalises. kInvalidArgument naming the text and the rule broken
  // (upper case in the repository, empty component, bad tag, bad digest).
  static Result<Reference> Parse(std::string_view text);

  // "registry/repository[:tag][@sha256:...]".
  std::string str() const;
  // "registry/repository[:tag]" without the digest.
  std::string NameAndTag() const;
  // "registry/repository".
  std::string Name() const;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_REFERENCE_H_
