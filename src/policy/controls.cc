#include "policy/control.h"

namespace bulwark::policy::internal {
namespace {

constexpr size_t kMaxEvidenceText = 200;

std::vector<std::unique_ptr<Control>> BuildControls() {
  // The order here is the order of controls in every report; keep it in step
  // with docs/policy.md.
  std::vector<std::unique_ptr<Control>> controls;
  controls.push_back(MakeApprovedBaseImagesControl());
  controls.push_back(MakeBlockedPackagesControl());
  controls.push_back(MakeRequiredPackagesControl());
  controls.push_back(MakeSuperuserControl());
  controls.push_back(MakeLabelsControl());
  return controls;
}

}  // namespace

const std::vector<std::unique_ptr<Control>>& AllControls() {
  static const auto* controls = new std::vector<std::unique_ptr<Control>>(BuildControls());
  return *controls;
}

std::string DescribeAncestor(const lineage::Ancestor& ancestor, size_t chain_length) {
  std::string names;
  for (const std::string& name : ancestor.image.names) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  if (names.empty()) names = "(registered without a name)";
  return names + " (image " + ancestor.image.image_id.Short() + ", owns " +
         std::to_string(ancestor.prefix_length) + " of " + std::to_string(chain_length) +
         " layers)";
}

std::string QuoteForEvidence(std::string_view text) {
  std::string quoted = "\"" + std::string(text.substr(0, kMaxEvidenceText));
  if (text.size() > kMaxEvidenceText) quoted += "...";
  return quoted + "\"";
}

}  // namespace bulwark::policy::internal
