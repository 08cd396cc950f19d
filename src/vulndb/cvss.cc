#include "vulndb/cvss.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "vulndb/cvss4.h"

namespace bulwark::vulndb {
namespace {

// One metric a version defines: its abbreviation, its values separated by
// '|', and whether it is a base metric (required once in every vector).
struct MetricSpec {
  std::string_view key;
  std::string_view values;
  bool base;
};

// CVSS v3.0 and v3.1 share their metrics
// (https://www.first.org/cvss/v3.1/specification-document, section 6).
constexpr MetricSpec kV3Metrics[] = {
    {"AV", "N|A|L|P", true},    {"AC", "L|H", true},       {"PR", "N|L|H", true},
    {"UI", "N|R", true},        {"S", "U|C", true},        {"C", "H|L|N", true},
    {"I", "H|L|N", true},       {"A", "H|L|N", true},      {"E", "X|H|F|P|U", false},
    {"RL", "X|U|W|T|O", false}, {"RC", "X|C|R|U", false},  {"CR", "X|H|M|L", false},
    {"IR", "X|H|M|L", false},   {"AR", "X|H|M|L", false},  {"MAV", "X|N|A|L|P", false},
    {"MAC", "X|L|H", false},    {"MPR", "X|N|L|H", false}, {"MUI", "X|N|R", false},
    {"MS", "X|U|C", false},     {"MC", "X|H|L|N", false},  {"MI", "X|H|L|N", false},
    {"MA", "X|H|L|N", false},
};

// CVSS v2 (https://www.first.org/cvss/v2/guide, section 2.4).
constexpr MetricSpec kV2Metrics[] = {
    {"AV", "L|A|N", true},        {"AC", "H|M|L", true},
    {"Au", "M|S|N", true},        {"C", "N|P|C", true},
    {"I", "N|P|C", true},         {"A", "N|P|C", true},
    {"E", "U|POC|F|H|ND", false}, {"RL", "OF|TF|W|U|ND", false},
    {"RC", "UC|UR|C|ND", false},  {"CDP", "N|L|LM|MH|H|ND", false},
    {"TD", "N|L|M|H|ND", false},  {"CR", "L|M|H|ND", false},
    {"IR", "L|M|H|ND", false},    {"AR", "L|M|H|ND", false},
};

// CVSS v4.0 (https://www.first.org/cvss/v4.0/specification-document, section 7).
constexpr MetricSpec kV4Metrics[] = {
    {"AV", "N|A|L|P", true},     {"AC", "L|H", true},
    {"AT", "N|P", true},         {"PR", "N|L|H", true},
    {"UI", "N|P|A", true},       {"VC", "H|L|N", true},
    {"VI", "H|L|N", true},       {"VA", "H|L|N", true},
    {"SC", "H|L|N", true},       {"SI", "H|L|N", true},
    {"SA", "H|L|N", true},       {"E", "X|A|P|U", false},
    {"CR", "X|H|M|L", false},    {"IR", "X|H|M|L", false},
    {"AR", "X|H|M|L", false},    {"MAV", "X|N|A|L|P", false},
    {"MAC", "X|L|H", false},     {"MAT", "X|N|P", false},
    {"MPR", "X|N|L|H", false},   {"MUI", "X|N|P|A", false},
    {"MVC", "X|H|L|N", false},   {"MVI", "X|H|L|N", false},
    {"MVA", "X|H|L|N", false},   {"MSC", "X|H|L|N", false},
    {"MSI", "X|S|H|L|N", false}, {"MSA", "X|S|H|L|N", false},
    {"S", "X|N|P", false},       {"AU", "X|N|Y", false},
    {"R", "X|A|U|I", false},     {"V", "X|D|C", false},
    {"RE", "X|L|M|H", false},    {"U", "X|Clear|Green|Amber|Red", false},
};

struct Metric {
  std::string_view key;
  std::string_view value;
};

// The vector quoted for messages; vectors come from feeds, so control bytes
// are replaced.
std::string Quote(std::string_view vector) {
  std::string quoted = "CVSS vector \"";
  for (char c : vector.substr(0, 80)) {
    quoted.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  if (vector.size() > 80) quoted += "...";
  return quoted + "\"";
}

Error Invalid(std::string_view vector, std::string_view what) {
  return Error(ErrorCode::kInvalidArgument, Quote(vector) + ": " + std::string(what));
}

bool HasValue(std::string_view values, std::string_view value) {
  size_t start = 0;
  while (start <= values.size()) {
    size_t bar = values.find('|', start);
    size_t end = bar == std::string_view::npos ? values.size() : bar;
    if (values.substr(start, end - start) == value) return true;
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return false;
}

template <size_t N>
const MetricSpec* FindSpec(const MetricSpec (&specs)[N], std::string_view key) {
  for (const MetricSpec& spec : specs) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

// Splits "K:V/K:V/..." and checks every metric against `specs`.
template <size_t N>
Result<std::vector<Metric>> ParseMetrics(std::string_view vector, std::string_view body,
                                         const MetricSpec (&specs)[N]) {
  std::vector<Metric> metrics;
  size_t start = 0;
  while (true) {
    size_t slash = body.find('/', start);
    std::string_view part =
        body.substr(start, slash == std::string_view::npos ? slash : slash - start);
    size_t colon = part.find(':');
    if (part.empty() || colon == std::string_view::npos) {
      return Invalid(vector, "\"" + std::string(part) + "\" is not METRIC:VALUE");
    }

    Metric metric{part.substr(0, colon), part.substr(colon + 1)};
    const MetricSpec* spec = FindSpec(specs, metric.key);
    if (spec == nullptr) return Invalid(vector, "unknown metric " + std::string(metric.key));
    if (!HasValue(spec->values, metric.value)) {
      return Invalid(vector, "metric " + std::string(metric.key) + " has no value \"" +
                                 std::string(metric.value) + "\"");
    }
    for (const Metric& seen : metrics) {
      if (seen.key == metric.key) {
        return Invalid(vector, "metric " + std::string(metric.key) + " appears twice");
      }
    }
    metrics.push_back(metric);

    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }

  for (const MetricSpec& spec : specs) {
    if (!spec.base) continue;
    bool present = false;
    for (const Metric& metric : metrics) present = present || metric.key == spec.key;
    if (!present) return Invalid(vector, "base metric " + std::string(spec.key) + " is missing");
  }
  return metrics;
}

// The value of a metric ParseMetrics has checked to be present.
std::string_view ValueOf(const std::vector<Metric>& metrics, std::string_view key) {
  for (const Metric& metric : metrics) {
    if (metric.key == key) return metric.value;
  }
  return "";
}

// Roundup as CVSS v3.1 defines it (Appendix A): the smallest number with one
// decimal that is not below the input, computed on integers so that floating
// point noise (4.000000000000001) does not raise a score by 0.1. It is used
// for 3.0 too: 3.0 defines the same mathematical function, and 3.1 changed
// only how it is computed.
double Roundup(double value) {
  int64_t scaled = std::llround(value * 100000.0);
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

double V3Weight(std::string_view key, std::string_view value, bool scope_changed) {
  if (key == "AV") return value == "N" ? 0.85 : value == "A" ? 0.62 : value == "L" ? 0.55 : 0.2;
  if (key == "AC") return value == "L" ? 0.77 : 0.44;
  if (key == "PR") {
    if (value == "N") return 0.85;
    if (value == "L") return scope_changed ? 0.68 : 0.62;
    return scope_changed ? 0.5 : 0.27;
  }
  if (key == "UI") return value == "N" ? 0.85 : 0.62;
  return value == "H" ? 0.56 : value == "L" ? 0.22 : 0.0;  // C, I, A.
}

// The base score equations of CVSS v3.1 section 7.1 (the same as 3.0's).
double V3BaseScore(const std::vector<Metric>& metrics) {
  const bool changed = ValueOf(metrics, "S") == "C";
  auto weight = [&](std::string_view key) { return V3Weight(key, ValueOf(metrics, key), changed); };

  const double iss = 1.0 - (1.0 - weight("C")) * (1.0 - weight("I")) * (1.0 - weight("A"));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15.0) : 6.42 * iss;
  const double exploitability = 8.22 * weight("AV") * weight("AC") * weight("PR") * weight("UI");
  if (impact <= 0.0) return 0.0;
  const double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return Roundup(std::min(sum, 10.0));
}

double V2Weight(std::string_view key, std::string_view value) {
  if (key == "AV") return value == "L" ? 0.395 : value == "A" ? 0.646 : 1.0;
  if (key == "AC") return value == "H" ? 0.35 : value == "M" ? 0.61 : 0.71;
  if (key == "Au") return value == "M" ? 0.45 : value == "S" ? 0.56 : 0.704;
  return value == "N" ? 0.0 : value == "P" ? 0.275 : 0.660;  // C, I, A.
}

// The base equation of the CVSS v2 guide, section 3.2.1, rounded to one decimal.
double V2BaseScore(const std::vector<Metric>& metrics) {
  auto weight = [&](std::string_view key) { return V2Weight(key, ValueOf(metrics, key)); };

  const double impact =
      10.41 * (1.0 - (1.0 - weight("C")) * (1.0 - weight("I")) * (1.0 - weight("A")));
  const double exploitability = 20.0 * weight("AV") * weight("AC") * weight("Au");
  const double f_impact = impact == 0.0 ? 0.0 : 1.176;
  const double score = (0.6 * impact + 0.4 * exploitability - 1.5) * f_impact;
  // The small bias keeps a value such as 7.4999999999 (7.5 before floating
  // point noise) from rounding down.
  return std::floor(score * 10.0 + 0.5 + 1e-9) / 10.0;
}

bool HasControlBytes(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::string_view CvssVersionName(CvssVersion version) {
  switch (version) {
    case CvssVersion::kV2:
      return "2.0";
    case CvssVersion::kV3_0:
      return "3.0";
    case CvssVersion::kV3_1:
      return "3.1";
    case CvssVersion::kV4_0:
      return "4.0";
  }
  return "3.1";
}

Result<CvssScore> ScoreCvssVector(std::string_view vector) {
  if (vector.size() > kMaxCvssVectorLength) {
    return Invalid(vector, "longer than " + std::to_string(kMaxCvssVectorLength) + " bytes");
  }
  if (vector.empty()) return Invalid(vector, "empty");
  if (HasControlBytes(vector)) return Invalid(vector, "holds control bytes");

  CvssScore score;
  if (vector.starts_with("CVSS:3.0/") || vector.starts_with("CVSS:3.1/")) {
    score.version = vector[7] == '0' ? CvssVersion::kV3_0 : CvssVersion::kV3_1;
    BULWARK_ASSIGN_OR_RETURN(auto metrics, ParseMetrics(vector, vector.substr(9), kV3Metrics));
    score.base_score = V3BaseScore(metrics);
    return score;
  }
  if (vector.starts_with("CVSS:4.0/")) {
    score.version = CvssVersion::kV4_0;
    BULWARK_ASSIGN_OR_RETURN(auto metrics, ParseMetrics(vector, vector.substr(9), kV4Metrics));
    auto value = [&](std::string_view key) { return ValueOf(metrics, key).front(); };
    score.base_score = internal::Cvss4BaseScore({value("AV"), value("AC"), value("AT"), value("PR"),
                                                 value("UI"), value("VC"), value("VI"), value("VA"),
                                                 value("SC"), value("SI"), value("SA")});
    return score;
  }
  if (vector.starts_with("CVSS:")) return Invalid(vector, "unknown CVSS version");

  // Version 2 vectors have no version prefix; NVD wrote them in parentheses
  // and some feeds with a "CVSS2#" prefix.
  std::string_view body = vector;
  if (body.starts_with("CVSS2#")) body.remove_prefix(6);
  if (body.starts_with("(") && body.ends_with(")") && body.size() >= 2) {
    body = body.substr(1, body.size() - 2);
  }
  score.version = CvssVersion::kV2;
  BULWARK_ASSIGN_OR_RETURN(auto metrics, ParseMetrics(vector, body, kV2Metrics));
  score.base_score = V2BaseScore(metrics);
  return score;
}

}  // namespace bulwark::vulndb
