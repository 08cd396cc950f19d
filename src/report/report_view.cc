#include "report/report_view.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

namespace bulwark::report::internal {

Status StatusOf(const scan::ScanResult& result) {
  if (result.error.has_value()) return Status::kScanFailed;
  if (result.verdict.policies.empty()) return Status::kInventoryOnly;
  if (result.verdict.blocking()) return Status::kNonCompliantEnforced;
  if (!result.verdict.compliant()) return Status::kNonCompliantAudit;
  return Status::kCompliant;
}

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kCompliant:
      return "compliant";
    case Status::kNonCompliantEnforced:
      return "non_compliant_enforced";
    case Status::kNonCompliantAudit:
      return "non_compliant_audit";
    case Status::kScanFailed:
      return "scan_failed";
    case Status::kInventoryOnly:
      return "inventory_only";
  }
  return "scan_failed";
}

std::string_view StatusHeadline(Status status) {
  switch (status) {
    case Status::kCompliant:
      return "COMPLIANT";
    case Status::kNonCompliantEnforced:
      return "NON-COMPLIANT (enforced)";
    case Status::kNonCompliantAudit:
      return "NON-COMPLIANT (audit only)";
    case Status::kScanFailed:
      return "SCAN FAILED";
    case Status::kInventoryOnly:
      return "INVENTORY ONLY (no policy evaluated, no verdict)";
  }
  return "SCAN FAILED";
}

std::vector<FailedControl> FailedControls(const policy::Verdict& verdict) {
  std::vector<FailedControl> failed;
  // Two passes put what blocks the pipeline before what is only audited.
  for (bool enforcing : {true, false}) {
    for (const policy::PolicyResult& result : verdict.policies) {
      if (result.enforce != enforcing) continue;
      for (const policy::ControlResult& control : result.controls) {
        if (control.outcome == policy::Outcome::kFail) failed.push_back({&result, &control});
      }
    }
  }
  return failed;
}

std::vector<const lineage::Ancestor*> LayerOwners(const lineage::Lineage& lineage,
                                                  size_t layer_count) {
  std::vector<const lineage::Ancestor*> owners(layer_count, nullptr);
  // A layer belongs to the covering ancestor with the shortest prefix. Only a
  // strictly shorter prefix replaces an owner, so among equal prefixes the
  // first in lineage order keeps the layer.
  for (const lineage::Ancestor& ancestor : lineage.ancestors) {
    if (ancestor.is_self) continue;
    size_t covered = std::min(ancestor.prefix_length, layer_count);
    for (size_t i = 0; i < covered; ++i) {
      if (owners[i] == nullptr || owners[i]->prefix_length > ancestor.prefix_length) {
        owners[i] = &ancestor;
      }
    }
  }
  return owners;
}

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "(registered without a name)";
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::string JoinWithCommas(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined;
}

std::string NearestBaseLine(const lineage::Lineage& lineage) {
  const lineage::Ancestor* nearest = lineage.NearestBase();
  if (nearest == nullptr) return "none found: " + lineage::DescribeMissingBase(lineage);
  return lineage::DescribeAncestor(*nearest, lineage.chain.size());
}

std::vector<std::string> ApprovedBaseImages(const policy::Verdict& verdict) {
  std::vector<std::string> approved;
  for (const policy::PolicyResult& result : verdict.policies) {
    for (const std::string& entry : result.approved_base_images) {
      if (std::find(approved.begin(), approved.end(), entry) == approved.end()) {
        approved.push_back(entry);
      }
    }
  }
  return approved;
}

std::string FormatBytes(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, units[unit]);
  return text;
}

std::string FormatCvss(double score) {
  if (score < 0) return "";
  char text[16];
  std::snprintf(text, sizeof(text), "%.1f", score);
  return text;
}

std::string PercentEncode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (byte < 0x80 && keep.find(c) != std::string_view::npos)) {
      encoded += c;
      continue;
    }
    encoded += '%';
    encoded += kHex[byte >> 4];
    encoded += kHex[byte & 0xf];
  }
  return encoded;
}

Result<std::string> NameBasedUuid(std::string_view name) {
  // The URL namespace of RFC 4122 appendix C, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  static constexpr unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                                      0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                                      0x4f, 0xd4, 0x30, 0xc8};
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hash_size = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  bool hashed = context != nullptr && EVP_DigestInit_ex(context, EVP_sha1(), nullptr) == 1 &&
                EVP_DigestUpdate(context, kUrlNamespace, sizeof(kUrlNamespace)) == 1 &&
                EVP_DigestUpdate(context, name.data(), name.size()) == 1 &&
                EVP_DigestFinal_ex(context, hash, &hash_size) == 1 && hash_size >= 16;
  EVP_MD_CTX_free(context);
  if (!hashed) return Error(ErrorCode::kInternal, "name-based UUID: SHA-1 is not available");

  hash[6] = static_cast<unsigned char>((hash[6] & 0x0f) | 0x50);  // Version 5.
  hash[8] = static_cast<unsigned char>((hash[8] & 0x3f) | 0x80);  // The RFC 4122 variant.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uuid;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += kHex[hash[i] >> 4];
    uuid += kHex[hash[i] & 0xf];
  }
  return uuid;
}

std::string_view FixStateLabel(vulndb::FixState state) {
  switch (state) {
    case vulndb::FixState::kFixed:
      return "fixed";
    case vulndb::FixState::kNotFixed:
      return "not fixed";
    case vulndb::FixState::kWontFix:
      return "will not fix";
    case vulndb::FixState::kNotAffected:
      return "not affected";
  }
  return "unknown";
}

VulnerabilityCounts CountFindings(const std::vector<vulndb::Finding>& findings) {
  using vulndb::FixState;
  using vulndb::Severity;
  VulnerabilityCounts counts;
  for (Severity severity : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                            Severity::kNegligible, Severity::kUnknown}) {
    std::string_view name = vulndb::SeverityName(severity);
    size_t count = std::count_if(findings.begin(), findings.end(),
                                 [&](const vulndb::Finding& f) { return f.severity == severity; });
    counts.by_severity.push_back({name, name, count});
  }
  for (FixState state : {FixState::kFixed, FixState::kNotFixed, FixState::kWontFix}) {
    size_t count = std::count_if(findings.begin(), findings.end(),
                                 [&](const vulndb::Finding& f) { return f.state == state; });
    counts.by_fix_state.push_back({vulndb::FixStateName(state), FixStateLabel(state), count});
  }
  counts.total = findings.size();
  return counts;
}

std::string CountsSentence(const VulnerabilityCounts& counts) {
  if (counts.total == 0) return "no findings";
  std::string sentence =
      std::to_string(counts.total) + (counts.total == 1 ? " finding: " : " findings: ");
  std::string separator;
  for (const Count& count : counts.by_severity) {
    if (count.count == 0) continue;
    sentence += separator + std::to_string(count.count) + " " + std::string(count.label);
    separator = ", ";
  }
  separator = "; ";
  for (const Count& count : counts.by_fix_state) {
    if (count.count == 0) continue;
    sentence += separator + std::to_string(count.count) + " " + std::string(count.label);
    separator = ", ";
  }
  return sentence;
}

std::string ReleaseLine(const vulndb::MatchReport& match, const catalog::OsInfo& os) {
  std::string line = match.distro.empty() ? "unknown" : match.distro;
  if (os.found && !os.pretty_name.empty()) line += " (" + os.pretty_name + ")";
  return line;
}

std::string LayerLine(const scan::ScanResult& result, int layer_index) {
  if (layer_index < 0 || static_cast<size_t>(layer_index) >= result.layers.size()) {
    return "unknown";
  }
  std::vector<const lineage::Ancestor*> owners = LayerOwners(result.lineage, result.layers.size());
  const lineage::Ancestor* owner = owners[static_cast<size_t>(layer_index)];
  std::string who = owner ? JoinNames(owner->image.names) : "this image";
  return std::to_string(layer_index + 1) + " of " + std::to_string(result.layers.size()) + " (" +
         who + ")";
}

std::string FixLine(const vulndb::Finding& finding) {
  switch (finding.state) {
    case vulndb::FixState::kFixed:
      return "fixed in " + finding.fixed_version;
    case vulndb::FixState::kNotFixed:
      return "not fixed yet";
    case vulndb::FixState::kWontFix:
      return "will not be fixed by the distribution";
    case vulndb::FixState::kNotAffected:
      return "not affected";
  }
  return "unknown";
}

std::vector<AppliedExceptionRef> AppliedExceptions(const policy::Verdict& verdict) {
  std::vector<AppliedExceptionRef> applied;
  for (const policy::PolicyResult& policy : verdict.policies) {
    for (const policy::AppliedException& exception : policy.applied_exceptions) {
      applied.push_back({&policy, &exception});
    }
  }
  return applied;
}

std::vector<AppliedExceptionRef> ExceptionsFor(const policy::Verdict& verdict,
                                               const vulndb::Finding& finding) {
  std::vector<AppliedExceptionRef> matching;
  for (const AppliedExceptionRef& applied : AppliedExceptions(verdict)) {
    const policy::AppliedException& exception = *applied.exception;
    if (exception.finding_id == finding.id && exception.package == finding.package) {
      matching.push_back(applied);
    }
  }
  return matching;
}

std::string DescribeApplied(const AppliedExceptionRef& applied) {
  const policy::AppliedException& exception = *applied.exception;
  return "policy \"" + applied.policy->policy_name + "\" line " + std::to_string(exception.line) +
         ": " + exception.finding_id + " in " + exception.package + ", until " + exception.expires +
         ": " + exception.reason;
}

std::string DescribeExpired(const policy::PolicyResult& policy,
                            const policy::ExpiredException& expired) {
  return "policy \"" + policy.policy_name + "\" line " + std::to_string(expired.line) +
         ", expired " + expired.expires + ": " + expired.reason;
}

}  // namespace bulwark::report::internal
