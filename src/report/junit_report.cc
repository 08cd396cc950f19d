#include "report/junit_report.h"

#include <cstdio>

#include "report/report_view.h"
#include "report/xml_escape.h"

namespace bulwark::report {
namespace {

using internal::EscapeXmlAttribute;
using internal::EscapeXmlText;

// One <testsuite>, kept as text with its counts so that <testsuites> can add
// them up.
struct Suite {
  std::string xml;
  size_t tests = 0;
  size_t failures = 0;
  size_t errors = 0;
};

std::string Attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeXmlAttribute(value) + "\"";
}

std::string Property(std::string_view name, std::string_view value) {
  return "      <property" + Attribute("name", name) + Attribute("value", value) + "/>\n";
}

std::string Counts(size_t tests, size_t failures, size_t errors) {
  return Attribute("tests", std::to_string(tests)) +
         Attribute("failures", std::to_string(failures)) +
         Attribute("errors", std::to_string(errors)) + Attribute("skipped", "0");
}

std::string SuiteOpening(const std::string& name, const scan::ScanResult& result,
                         const Suite& suite) {
  std::string opening =
      "  <testsuite" + Attribute("name", name) + Counts(suite.tests, suite.failures, suite.errors);
  if (!result.scanned_at.empty()) opening += Attribute("timestamp", result.scanned_at);
  return opening + ">\n";
}

std::string ImageProperties(const scan::ScanResult& result) {
  std::string properties = Property("image", result.source);
  if (!result.image_id.empty()) properties += Property("imageId", result.image_id.str());
  if (result.manifest_digest.has_value()) {
    properties += Property("manifestDigest", result.manifest_digest->str());
  }
  return properties;
}

std::string VulnerabilitiesProperty(const scan::ScanResult& result) {
  if (!result.vulnerabilities.has_value()) {
    return Property("vulnerabilities", "not checked (no advisory database was consulted)");
  }
  const vulndb::MatchReport& match = *result.vulnerabilities;
  return Property("vulnerabilities",
                  internal::CountsSentence(internal::CountFindings(match.findings)) + " (release " +
                      internal::ReleaseLine(match, result.inventory.os) +
                      "; advisory database built " + match.database.built_at + ")");
}

std::string ExceptionProperties(const policy::PolicyResult& policy) {
  std::string properties;
  for (const policy::AppliedException& exception : policy.applied_exceptions) {
    properties += Property("appliedException", internal::DescribeApplied({&policy, &exception}));
  }
  for (const policy::ExpiredException& expired : policy.expired_exceptions) {
    properties += Property("expiredException", internal::DescribeExpired(policy, expired));
  }
  return properties;
}

std::string TestCase(const policy::PolicyResult& policy, const policy::ControlResult& control) {
  std::string opening = "    <testcase" + Attribute("name", control.control) +
                        Attribute("classname", policy.policy_name);
  if (control.outcome == policy::Outcome::kPass) return opening + "/>\n";

  std::string text = control.summary;
  for (const std::string& line : control.evidence) text += "\n- " + line;
  std::string message = (policy.enforce ? "" : "(audit only) ") + control.summary;
  return opening + ">\n      <failure" + Attribute("message", message) +
         Attribute("type", policy.enforce ? "enforced" : "audit") + ">" + EscapeXmlText(text) +
         "</failure>\n    </testcase>\n";
}

Suite PolicySuite(const scan::ScanResult& result, const policy::PolicyResult& policy) {
  Suite suite;
  std::string cases;
  for (const policy::ControlResult& control : policy.controls) {
    ++suite.tests;
    if (control.outcome == policy::Outcome::kFail) ++suite.failures;
    cases += TestCase(policy, control);
  }
  std::string properties =
      Property("origin", policy.origin) + Property("documentSha256", policy.document_sha256.str()) +
      Property("enforce", policy.enforce ? "true" : "false") + ImageProperties(result) +
      VulnerabilitiesProperty(result) + ExceptionProperties(policy);
  suite.xml = SuiteOpening(policy.policy_name, result, suite) + "    <properties>\n" + properties +
              "    </properties>\n" + cases + "  </testsuite>\n";
  return suite;
}

Suite ScanFailedSuite(const scan::ScanResult& result) {
  Suite suite{.xml = "", .tests = 1, .failures = 0, .errors = 1};
  std::string code(ErrorCodeName(result.error->code()));
  std::string text = result.error->message() +
                     "\nNothing was evaluated: no policy verdict is "
                     "given for this image.";
  suite.xml = SuiteOpening("bulwark", result, suite) + "    <properties>\n" +
              ImageProperties(result) + "    </properties>\n" + "    <testcase" +
              Attribute("name", "scan") + Attribute("classname", "bulwark") + ">\n      <error" +
              Attribute("message", "The scan did not complete: " + code) + Attribute("type", code) +
              ">" + EscapeXmlText(text) + "</error>\n    </testcase>\n  </testsuite>\n";
  return suite;
}

std::string Seconds(double milliseconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", milliseconds / 1000);
  return text;
}

}  // namespace

std::string RenderJunit(const scan::ScanResult& result) {
  std::vector<Suite> suites;
  if (result.error.has_value()) {
    suites.push_back(ScanFailedSuite(result));
  } else {
    for (const policy::PolicyResult& policy : result.verdict.policies) {
      suites.push_back(PolicySuite(result, policy));
    }
  }

  Suite total;
  for (const Suite& suite : suites) {
    total.tests += suite.tests;
    total.failures += suite.failures;
    total.errors += suite.errors;
    total.xml += suite.xml;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + Attribute("name", "bulwark") +
         Counts(total.tests, total.failures, total.errors) +
         Attribute("time", Seconds(result.elapsed_ms)) + ">\n" + total.xml + "</testsuites>\n";
}

}  // namespace bulwark::report
