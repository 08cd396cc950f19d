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
  // advisoryData first: when the database is stale or lacks the release, the
  // reader sees why before the findings that rest on it.
  controls.push_back(MakeAdvisoryDataControl());
  controls.push_back(MakeVulnerabilitiesControl());
  controls.push_back(MakeBlockedCvesControl());
  return controls;
}

}  // namespace

const std::vector<std::unique_ptr<Control>>& AllControls() {
  static const auto* controls = new std::vector<std::unique_ptr<Control>>(BuildControls());
  return *controls;
}

std::string QuoteForEvidence(std::string_view text) {
  std::string quoted = "\"" + std::string(text.substr(0, kMaxEvidenceText));
  if (text.size() > kMaxEvidenceText) quoted += "...";
  return quoted + "\"";
}

std::string CountOf(size_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace bulwark::policy::internal
