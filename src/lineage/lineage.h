// Which registered images an image is built on, decided by content alone.
#ifndef BULWARK_LINEAGE_LINEAGE_H_
#define BULWARK_LINEAGE_LINEAGE_H_

#include <optional>
#include <string>
#include <vector>

#include "common/digest.h"

namespace bulwark::lineage {

// A registered image as lineage needs it.
struct RegisteredImage {
  Digest image_id;                       // Config digest.
  std::vector<Digest> manifest_digests;  // Every manifest digest seen for it.
  std::vector<std::string> names;        // Normalised references, sorted.
  std::vector<Digest> chain;             // diff_ids, bottom first.
  std::string registered_at;             // RFC 3339 UTC.
};

// One registered image whose chain is a prefix of the scanned image's chain.
struct Ancestor {
  RegisteredImage image;
  size_t prefix_length = 0;  // Number of layers it owns (= its chain length).
  bool is_self = false;      // Same chain length as the scanned image.
};

struct Lineage {
  std::vector<Digest> chain;
  // Every ancestor, nearest (longest prefix) first; among equal prefixes, by
  // first name, then by image id. This order is documented in docs/lineage.md.
  std::vector<Ancestor> ancestors;

  // The nearest ancestor that is not the image itself, if any.
  const Ancestor* NearestBase() const;
};

// "a:1, a:latest (image sha256:0123456789ab, owns 3 of 5 layers)", for
// evidence and reports; "(registered without a name)" stands in for no names.
std::string DescribeAncestor(const Ancestor& ancestor, size_t chain_length);

// Says why `lineage` has no nearest base, for evidence and reports. When the
// image itself is registered: "the image itself is registered as a:1 (image
// sha256:0123456789ab); no other registered image is a prefix of its 5 layers"
// (the first is_self ancestor is named); otherwise "no registered image is a
// prefix of this image's 5 layers". Meant for a lineage whose NearestBase() is
// null.
std::string DescribeMissingBase(const Lineage& lineage);

// Finds the ancestors of `chain` among `registered`. An empty chain has none.
Lineage FindAncestors(const std::vector<Digest>& chain,
                      const std::vector<RegisteredImage>& registered);

}  // namespace bulwark::lineage

#endif  // BULWARK_LINEAGE_LINEAGE_H_
