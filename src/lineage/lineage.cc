#include "lineage/lineage.h"

#include <algorithm>

namespace bulwark::lineage {
namespace {

// True when `prefix` is non-empty and its diff_ids open `chain`. A registered
// image with no layers owns nothing, so it is never an ancestor.
bool IsChainPrefix(const std::vector<Digest>& prefix, const std::vector<Digest>& chain) {
  if (prefix.empty() || prefix.size() > chain.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), chain.begin());
}

// The documented order: longest prefix first; then by first name, where an
// image with names comes before one without; then by image id.
bool NearerFirst(const Ancestor& a, const Ancestor& b) {
  if (a.prefix_length != b.prefix_length) return a.prefix_length > b.prefix_length;

  const std::vector<std::string>& a_names = a.image.names;
  const std::vector<std::string>& b_names = b.image.names;
  if (a_names.empty() != b_names.empty()) return !a_names.empty();
  if (!a_names.empty() && a_names.front() != b_names.front()) {
    return a_names.front() < b_names.front();
  }

  return a.image.image_id < b.image.image_id;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::string LayerCount(size_t count) {
  return std::to_string(count) + (count == 1 ? " layer" : " layers");
}

}  // namespace

const Ancestor* Lineage::NearestBase() const {
  for (const Ancestor& ancestor : ancestors) {
    if (!ancestor.is_self) return &ancestor;
  }
  return nullptr;
}

std::string DescribeAncestor(const Ancestor& ancestor, size_t chain_length) {
  std::string names = JoinNames(ancestor.image.names);
  if (names.empty()) names = "(registered without a name)";
  return names + " (image " + ancestor.image.image_id.Short() + ", owns " +
         std::to_string(ancestor.prefix_length) + " of " + LayerCount(chain_length) + ")";
}

std::string DescribeMissingBase(const Lineage& lineage) {
  std::string layers = LayerCount(lineage.chain.size());
  auto self = std::find_if(lineage.ancestors.begin(), lineage.ancestors.end(),
                           [](const Ancestor& ancestor) { return ancestor.is_self; });
  if (self == lineage.ancestors.end()) {
    return "no registered image is a prefix of this image's " + layers;
  }

  std::string names = JoinNames(self->image.names);
  std::string registered = names.empty() ? "registered without a name" : "registered as " + names;
  return "the image itself is " + registered + " (image " + self->image.image_id.Short() +
         "); no other registered image is a prefix of its " + layers;
}

Lineage FindAncestors(const std::vector<Digest>& chain,
                      const std::vector<RegisteredImage>& registered) {
  Lineage lineage;
  lineage.chain = chain;

  for (const RegisteredImage& image : registered) {
    if (!IsChainPrefix(image.chain, chain)) continue;
    Ancestor ancestor;
    ancestor.image = image;
    ancestor.prefix_length = image.chain.size();
    ancestor.is_self = image.chain.size() == chain.size();
    lineage.ancestors.push_back(std::move(ancestor));
  }

  // stable_sort keeps the caller's order for entries that compare equal (the
  // same image id listed twice), so the result never depends on the sort.
  std::stable_sort(lineage.ancestors.begin(), lineage.ancestors.end(), NearerFirst);
  return lineage;
}

}  // namespace bulwark::lineage
