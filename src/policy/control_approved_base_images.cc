#include "policy/control.h"

namespace bulwark::policy::internal {
namespace {

std::string ApprovedList(const std::vector<ApprovedImage>& approved) {
  std::string list;
  for (const ApprovedImage& entry : approved) {
    if (!list.empty()) list += ", ";
    list += entry.text;
  }
  return list;
}

// Passes when a registered ancestor (or the image itself, registered) is
// approved. Only lineage counts: names found on the scanned image are never
// looked at, since anyone can tag an image with an approved name.
class ApprovedBaseImages final : public Control {
 public:
  std::string_view name() const override { return "approvedBaseImages"; }

  bool IsSet(const Policy& policy) const override {
    return policy.approved_base_images.has_value();
  }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    const std::vector<ApprovedImage>& approved = *policy.approved_base_images;
    const lineage::Lineage& lineage = facts.lineage;
    size_t chain_length = lineage.chain.size();

    for (const lineage::Ancestor& ancestor : lineage.ancestors) {
      for (const ApprovedImage& entry : approved) {
        if (!Approves(entry, ancestor.image)) continue;
        result.outcome = Outcome::kPass;
        result.summary = ancestor.is_self ? "The image itself is registered as approved image " +
                                                entry.text + "."
                                          : "Built on approved base image " + entry.text + ".";
        std::string role =
            ancestor.is_self ? "the image itself, registered as approved: " : "approved ancestor: ";
        result.evidence.push_back(role + lineage::DescribeAncestor(ancestor, chain_length));
        result.evidence.push_back("matched policy entry " + entry.text + " (line " +
                                  std::to_string(entry.line) + ")");
        return result;
      }
    }

    result.outcome = Outcome::kFail;
    result.summary = "No approved base image is an ancestor of this image.";
    result.evidence = FailEvidence(lineage);
    result.evidence.push_back("policy approves: " + ApprovedList(approved));
    return result;
  }

 private:
  static std::vector<std::string> FailEvidence(const lineage::Lineage& lineage) {
    std::vector<std::string> evidence;
    size_t chain_length = lineage.chain.size();
    const lineage::Ancestor* nearest = lineage.NearestBase();
    // Without a nearest base, the first line names the image itself when it
    // is registered (DescribeMissingBase), so that entry is not listed again.
    const lineage::Ancestor* described = nearest;
    if (nearest == nullptr) {
      evidence.push_back(lineage::DescribeMissingBase(lineage));
      if (!lineage.ancestors.empty()) described = &lineage.ancestors.front();
    } else {
      evidence.push_back("nearest registered ancestor: " +
                         lineage::DescribeAncestor(*nearest, chain_length));
    }

    for (const lineage::Ancestor& ancestor : lineage.ancestors) {
      if (&ancestor == described) continue;
      std::string role =
          ancestor.is_self ? "registered as the image itself: " : "other registered ancestor: ";
      evidence.push_back(role + lineage::DescribeAncestor(ancestor, chain_length));
    }
    return evidence;
  }
};

}  // namespace

std::unique_ptr<Control> MakeApprovedBaseImagesControl() {
  return std::make_unique<ApprovedBaseImages>();
}

}  // namespace bulwark::policy::internal
