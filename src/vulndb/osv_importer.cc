#include "vulndb/osv_importer.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "common/byte_stream.h"
#include "vulndb/cvss.h"
#include "vulndb/distro.h"
#include "vulndb/importer_internal.h"
#include "vulndb/json_scan.h"

namespace bulwark::vulndb::internal {
namespace {

using Json = nlohmann::json;

constexpr size_t kHeadBytes = 64 * 1024;

Error Corrupt(std::string_view where, std::string_view what) {
  return Error(ErrorCode::kCorruptInput, std::string(where) + ": " + std::string(what));
}

Error TooLarge(std::string_view where, std::string_view what, std::string_view limit,
               uint64_t value) {
  return Error(ErrorCode::kLimitExceeded, std::string(where) + ": " + std::string(what) +
                                              " larger than " + std::string(limit) + " (" +
                                              std::to_string(value) + " bytes)");
}

// nlohmann messages start with "[json.exception.parse_error.101] " and may
// quote the bytes read last; both are cleaned for the user.
std::string JsonMessage(const std::exception& e) {
  std::string_view message = e.what();
  size_t bracket = message.find("] ");
  if (message.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    message.remove_prefix(bracket + 2);
  }
  return Printable(message);
}

Result<Json> ParseJson(std::string_view bytes, std::string_view where) {
  BULWARK_TRY(CheckJsonDepth(bytes, where));
  try {
    return Json::parse(bytes.begin(), bytes.end());
  } catch (const std::exception& e) {
    return Corrupt(where, "invalid JSON: " + JsonMessage(e));
  }
}

// Typed access to the members of one JSON object. A member that is absent or
// null reads as empty; one of the wrong type is kCorruptInput naming it.
class Fields {
 public:
  Fields(const Json& object, std::string context) : object_(object), context_(std::move(context)) {}

  Result<std::string> String(std::string_view key) const {
    const Json* value = Find(key);
    if (value == nullptr) return std::string();
    if (!value->is_string()) return WrongType(key, "a string");
    return value->get_ref<const std::string&>();
  }

  Result<const Json*> Array(std::string_view key) const {
    const Json* value = Find(key);
    if (value != nullptr && !value->is_array()) return WrongType(key, "an array");
    return value;
  }

  Result<const Json*> Object(std::string_view key) const {
    const Json* value = Find(key);
    if (value != nullptr && !value->is_object()) return WrongType(key, "an object");
    return value;
  }

  Result<std::vector<std::string>> Strings(std::string_view key) const {
    BULWARK_ASSIGN_OR_RETURN(const Json* array, Array(key));
    std::vector<std::string> strings;
    if (array == nullptr) return strings;
    for (const Json& item : *array) {
      if (!item.is_string()) return WrongType(key, "an array of strings");
      strings.push_back(item.get_ref<const std::string&>());
    }
    return strings;
  }

  // The string member `key` of a free-form object (ecosystem_specific,
  // database_specific), "" when absent or of another type: such objects have
  // no schema, so an odd member is not an error.
  static std::string Loose(const Json* object, std::string_view key) {
    if (object == nullptr || !object->is_object()) return "";
    auto found = object->find(key);
    if (found == object->end() || !found->is_string()) return "";
    return found->get_ref<const std::string&>();
  }

 private:
  const Json* Find(std::string_view key) const {
    auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) return nullptr;
    return &*found;
  }

  Error WrongType(std::string_view key, std::string_view expected) const {
    return Corrupt(context_, "\"" + std::string(key) + "\" is not " + std::string(expected));
  }

  const Json& object_;
  std::string context_;
};

// The member `key` of an object, or nullptr.
const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

// How a record is named in skipped records: its place, and its id when the
// place does not already say it ("RHSA-2024_4546.json (RHSA-2024:4546)").
std::string RecordLabel(std::string_view where, std::string_view id) {
  std::string file = std::string(id) + ".json";
  if (where == id || where.ends_with("/" + file) || where.ends_with(":" + file) || where == file) {
    return std::string(where);
  }
  return std::string(where) + " (" + std::string(id) + ")";
}

bool IsRedHatFamily(std::string_view distro_key) {
  return distro_key.starts_with("rhel") || distro_key.starts_with("rocky:") ||
         distro_key.starts_with("almalinux:");
}

// The state of one record's conversion.
struct Conversion {
  std::string label;
  Advisory advisory;
  std::vector<SkippedRecord> skips;
  // Parts of the record's severity list left out; reported only when the
  // record is kept.
  std::vector<SkippedRecord> severity_notes;
  // Ecosystems that are not distribution releases Bulwark keys, with the
  // number of packages each named: one skip per ecosystem, not per package.
  std::map<std::string, int> foreign_ecosystems;
};

// Turns the events of one ECOSYSTEM range into VersionRanges. Returns why the
// entry cannot be used ("" when it can); type errors are kCorruptInput.
Result<std::string> ReadEvents(const Json& events, std::string_view context,
                               version::Ecosystem ecosystem, AffectedPackage& package,
                               std::vector<std::string>& fixed_versions) {
  static constexpr std::string_view kKinds[] = {"introduced", "fixed", "last_affected", "limit"};
  bool open = false;
  VersionRange current;
  size_t produced = 0;
  const size_t first = package.ranges.size();
  // The range's limits: a version is in it only if it is below one of them
  // (the highest decides); "*" is no limit at all.
  std::string highest_limit;
  bool unlimited = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const Json& event = events[i];
    const std::string at = "event " + std::to_string(i);
    if (!event.is_object()) return Corrupt(context, at + " is not an object");

    std::string_view kind;
    int kinds = 0;
    for (std::string_view candidate : kKinds) {
      if (!event.contains(candidate)) continue;
      kind = candidate;
      ++kinds;
    }
    if (kinds != 1) {
      return at + " has " + std::to_string(kinds) +
             " of introduced, fixed, last_affected and limit; exactly one is expected";
    }
    const Json& value = event.at(kind);
    if (!value.is_string()) {
      return Corrupt(context, at + " \"" + std::string(kind) + "\" is not a string");
    }
    const std::string& version = value.get_ref<const std::string&>();

    if (kind == "limit") {
      if (version == "*") {
        unlimited = true;
        continue;
      }
      std::string problem = VersionProblem(ecosystem, version);
      if (!problem.empty()) return at + ": " + problem;
      if (highest_limit.empty()) {
        highest_limit = version;
      } else {
        Result<int> order = version::Compare(ecosystem, version, highest_limit);
        if (!order.ok()) return at + ": " + order.error().message();
        if (*order > 0) highest_limit = version;
      }
      continue;
    }
    if (kind == "introduced" && version == "0") {
      if (!open) current = VersionRange{};
      open = true;
      continue;
    }
    std::string problem = VersionProblem(ecosystem, version);
    if (!problem.empty()) return at + ": " + problem;
    if (kind == "introduced") {
      // A second introduced while a range is open changes nothing: the
      // versions in between are affected either way.
      if (!open) current = VersionRange{version, "", ""};
      open = true;
      continue;
    }
    if (!open) {
      return at + ": a " + std::string(kind) + " event without an introduced event before it";
    }
    if (version == current.introduced) {
      return at + ": introduced and " + std::string(kind) + " are the same version " + version;
    }
    (kind == "fixed" ? current.fixed : current.last_affected) = version;
    if (kind == "fixed") fixed_versions.push_back(version);
    package.ranges.push_back(current);
    open = false;
    ++produced;
  }
  if (open) {
    package.ranges.push_back(current);
    ++produced;
  }
  if (produced == 0) return std::string("an ECOSYSTEM range without events");
  if (!unlimited) {
    for (size_t i = first; i < package.ranges.size(); ++i) package.ranges[i].limit = highest_limit;
  }
  return std::string();
}

// The distribution's rating of one affected entry: Ubuntu's priority, Debian's
// urgency or a severity word in ecosystem_specific or database_specific, or an
// "Ubuntu" entry of the entry's own severity list.
Severity AffectedRating(const Json& entry) {
  const Json* ecosystem_specific = Member(entry, "ecosystem_specific");
  const Json* database_specific = Member(entry, "database_specific");
  Severity rating = SeverityFromRatingWord(Fields::Loose(ecosystem_specific, "ubuntu_priority"));
  if (rating == Severity::kUnknown) {
    rating = SeverityFromDebianUrgency(Fields::Loose(ecosystem_specific, "urgency"));
  }
  if (rating == Severity::kUnknown) {
    rating = SeverityFromRatingWord(Fields::Loose(ecosystem_specific, "severity"));
  }
  if (rating == Severity::kUnknown) {
    rating = SeverityFromRatingWord(Fields::Loose(database_specific, "severity"));
  }
  const Json* own = Member(entry, "severity");
  if (rating == Severity::kUnknown && own != nullptr && own->is_array()) {
    for (const Json& item : *own) {
      if (Fields::Loose(&item, "type") == "Ubuntu") {
        rating = SeverityFromRatingWord(Fields::Loose(&item, "score"));
      }
    }
  }
  return rating;
}

// Reads the ECOSYSTEM ranges of one affected entry into `package`, noting the
// other range types it ignores. Returns why the entry cannot be used ("" when
// it can); type errors are kCorruptInput.
Result<std::string> ReadRanges(const Fields& fields, const std::string& at,
                               AffectedPackage& package, std::vector<std::string>& fixed_versions,
                               std::set<std::string>& ignored_types) {
  BULWARK_ASSIGN_OR_RETURN(const Json* ranges, fields.Array("ranges"));
  for (size_t i = 0; ranges != nullptr && i < ranges->size(); ++i) {
    const std::string range_at = at + " ranges[" + std::to_string(i) + "]";
    const Json& range = (*ranges)[i];
    if (!range.is_object()) return Corrupt(range_at, "not an object");
    Fields range_fields(range, range_at);
    BULWARK_ASSIGN_OR_RETURN(std::string type, range_fields.String("type"));
    BULWARK_ASSIGN_OR_RETURN(const Json* events, range_fields.Array("events"));
    // GIT ranges name upstream commits and SEMVER ranges another ordering
    // than the distribution's; neither bounds a distribution package version,
    // so only ECOSYSTEM ranges are read.
    if (type != "ECOSYSTEM") {
      ignored_types.insert(type.empty() ? std::string("untyped") : Printable(type));
      continue;
    }
    if (events == nullptr) return "ranges[" + std::to_string(i) + "] has no events";
    BULWARK_ASSIGN_OR_RETURN(std::string problem, ReadEvents(*events, range_at, package.ecosystem,
                                                             package, fixed_versions));
    if (!problem.empty()) return "ranges[" + std::to_string(i) + "] " + problem;
  }
  return std::string();
}

// Reads `affected[index]`: one AffectedPackage, or a skip, or nothing for a
// foreign ecosystem (counted in `c`).
Status ReadAffected(const Json& entry, size_t index, Conversion& c) {
  const std::string at = c.label + " affected[" + std::to_string(index) + "]";
  if (!entry.is_object()) return Corrupt(at, "not an object");
  Fields fields(entry, at);

  BULWARK_ASSIGN_OR_RETURN(const Json* package_json, fields.Object("package"));
  if (package_json == nullptr) {
    c.skips.push_back({at,
                       "no package: ranges without one (GIT) name upstream commits, which "
                       "installed distribution packages are not compared with"});
    return Ok();
  }
  Fields package_fields(*package_json, at + " package");
  BULWARK_ASSIGN_OR_RETURN(std::string ecosystem, package_fields.String("ecosystem"));
  BULWARK_ASSIGN_OR_RETURN(std::string name, package_fields.String("name"));
  const std::string distro = DistroKeyForOsvEcosystem(ecosystem);
  if (distro.empty()) {
    ++c.foreign_ecosystems[ecosystem.empty() ? std::string("(none)") : Printable(ecosystem)];
    return Ok();
  }

  const std::string entry_label = at + " " + Printable(name) + " (" + ecosystem + ")";
  auto skip = [&](std::string reason) {
    c.skips.push_back({entry_label, std::move(reason)});
    return Ok();
  };
  if (!IsPlainToken(name, kMaxNameBytes)) {
    return skip("package name is empty, longer than 256 bytes or holds white space");
  }

  AffectedPackage package;
  package.distro = distro;
  package.package = name;
  package.ecosystem = EcosystemForDistro(distro);
  std::vector<std::string> fixed_versions;
  std::set<std::string> ignored_types;
  BULWARK_ASSIGN_OR_RETURN(std::string problem,
                           ReadRanges(fields, at, package, fixed_versions, ignored_types));
  if (!problem.empty()) return skip(std::move(problem));

  BULWARK_ASSIGN_OR_RETURN(package.versions, fields.Strings("versions"));
  for (const std::string& version : package.versions) {
    std::string refused = VersionProblem(package.ecosystem, version);
    if (!refused.empty()) return skip("versions: " + refused);
  }
  if (package.ranges.empty() && package.versions.empty()) {
    if (ignored_types.empty()) {
      return skip("no ECOSYSTEM range and no versions: nothing to compare installed versions with");
    }
    std::string types;
    for (const std::string& type : ignored_types) types += (types.empty() ? "" : ", ") + type;
    return skip("only " + types + " ranges, which do not order distribution package versions");
  }

  if (!fixed_versions.empty()) {
    package.state = FixState::kFixed;
    package.fixed_version = LowestVersion(package.ecosystem, fixed_versions);
  }
  package.severity = AffectedRating(entry);
  c.advisory.affected.push_back(std::move(package));
  return Ok();
}

// "9.8" as a score given without a vector; false for anything else.
bool ReadNumericScore(const std::string& text, double* score) {
  if (text.empty() || text.size() > 5) return false;
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !(value >= 0.0 && value <= 10.0)) {
    return false;
  }
  *score = value;
  return true;
}

// The record's severity list: the "Ubuntu" priority is the distribution's
// rating; CVSS vectors give the score, preferring 3.x, then 2.0 (both scored),
// then 4.0 (kept as a vector, scored only when given as a number).
Status ReadSeverity(const Json& record, Conversion& c) {
  BULWARK_ASSIGN_OR_RETURN(const Json* list, Fields(record, c.label).Array("severity"));
  if (list == nullptr) return Ok();

  struct Choice {
    int rank = 0;  // 3: v3, 2: v2, 1: v4; 0: none yet.
    double score = -1;
    std::string vector;
  } best;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string at = c.label + " severity[" + std::to_string(i) + "]";
    const Json& item = (*list)[i];
    if (!item.is_object()) return Corrupt(at, "not an object");
    Fields fields(item, at);
    BULWARK_ASSIGN_OR_RETURN(std::string type, fields.String("type"));
    BULWARK_ASSIGN_OR_RETURN(std::string score, fields.String("score"));

    if (type == "Ubuntu") {
      Severity rating = SeverityFromRatingWord(score);
      if (rating != Severity::kUnknown) c.advisory.severity = rating;
      continue;
    }
    if (type != "CVSS_V2" && type != "CVSS_V3" && type != "CVSS_V4") continue;

    Choice choice;
    if (ReadNumericScore(score, &choice.score)) {
      choice.rank = type == "CVSS_V3" ? 3 : type == "CVSS_V2" ? 2 : 1;
    } else {
      Result<CvssScore> scored = ScoreCvssVector(score);
      if (!scored.ok()) {
        c.severity_notes.push_back(
            {at, scored.error().message() + "; the record is kept without it"});
        continue;
      }
      choice.vector = score;
      choice.score = scored->base_score;
      choice.rank = scored->version == CvssVersion::kV2     ? 2
                    : scored->version == CvssVersion::kV4_0 ? 1
                                                            : 3;
    }
    if (choice.rank > best.rank) best = choice;
  }
  c.advisory.cvss_score = best.score;
  c.advisory.cvss_vector = best.vector;
  return Ok();
}

// Red Hat's impact rating, as its records carry it: a reference to the
// classification page with the impact as its anchor, or (AlmaLinux, Rocky
// Linux, which rebuild Red Hat's advisories) a summary that starts with it,
// "Important: kernel security update".
Severity RedHatImpact(const std::vector<std::string>& references, std::string_view summary) {
  constexpr std::string_view kClassification =
      "https://access.redhat.com/security/updates/classification/#";
  for (const std::string& url : references) {
    if (url.starts_with(kClassification)) {
      Severity impact =
          SeverityFromRatingWord(std::string_view(url).substr(kClassification.size()));
      if (impact != Severity::kUnknown) return impact;
    }
  }
  size_t colon = summary.find(": ");
  std::string_view word = summary.substr(0, colon);
  if (colon != std::string_view::npos &&
      (word == "Low" || word == "Moderate" || word == "Important" || word == "Critical")) {
    return SeverityFromRatingWord(word);
  }
  return Severity::kUnknown;
}

// Aliases: the record's aliases and upstream ids, and the CVE ids among its
// related ids (other related ids name different problems).
Status ReadAliases(const Fields& fields, Conversion& c) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> aliases, fields.Strings("aliases"));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> upstream, fields.Strings("upstream"));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> related, fields.Strings("related"));
  aliases.insert(aliases.end(), upstream.begin(), upstream.end());
  for (std::string& id : related) {
    if (IsCveId(id)) aliases.push_back(std::move(id));
  }

  std::set<std::string> seen = {c.advisory.id};
  for (std::string& alias : aliases) {
    if (!IsPlainToken(alias, kMaxIdBytes)) {
      c.skips.push_back({c.label, "alias \"" + Printable(alias) + "\" is not a plain id; dropped"});
      continue;
    }
    if (seen.insert(alias).second) c.advisory.aliases.push_back(std::move(alias));
  }
  return Ok();
}

Status ReadReferences(const Fields& fields, Conversion& c) {
  BULWARK_ASSIGN_OR_RETURN(const Json* references, fields.Array("references"));
  for (size_t i = 0; references != nullptr && i < references->size(); ++i) {
    const std::string at = c.label + " references[" + std::to_string(i) + "]";
    if (!(*references)[i].is_object()) return Corrupt(at, "not an object");
    BULWARK_ASSIGN_OR_RETURN(std::string url, Fields((*references)[i], at).String("url"));
    if (c.advisory.references.size() < kMaxReferences && IsPlainToken(url, kMaxUrlBytes)) {
      c.advisory.references.push_back(std::move(url));
    }
  }
  return Ok();
}

void SkipForeignEcosystems(Conversion& c, AdvisorySink& sink) {
  for (const auto& [ecosystem, packages] : c.foreign_ecosystems) {
    sink.Skip({c.label,
               "ecosystem \"" + ecosystem + "\" is not a distribution release Bulwark matches (" +
                   std::to_string(packages) + (packages == 1 ? " package)" : " packages)")});
  }
}

// Converts one parsed record and hands it to the sink. Longer than most
// functions here because it reads the record's fields in their schema order.
Status ConvertRecord(const Json& record, std::string_view where, AdvisorySink& sink) {
  if (!record.is_object()) return Corrupt(where, "not a JSON object");
  Fields fields(record, std::string(where));
  Conversion c;

  BULWARK_ASSIGN_OR_RETURN(c.advisory.id, fields.String("id"));
  if (c.advisory.id.empty()) return Corrupt(where, "no \"id\"");
  if (!IsPlainToken(c.advisory.id, kMaxIdBytes)) {
    return Corrupt(where, "id \"" + Printable(c.advisory.id) +
                              "\" is longer than 128 bytes or holds white space");
  }
  c.label = RecordLabel(where, c.advisory.id);
  Fields labelled(record, c.label);

  BULWARK_ASSIGN_OR_RETURN(std::string withdrawn, labelled.String("withdrawn"));
  if (!withdrawn.empty()) {
    sink.Skip({c.label, "withdrawn on " + Printable(withdrawn)});
    return Ok();
  }

  BULWARK_ASSIGN_OR_RETURN(std::string summary, labelled.String("summary"));
  BULWARK_ASSIGN_OR_RETURN(std::string details, labelled.String("details"));
  c.advisory.summary = OneLine(summary.empty() ? details : summary);
  BULWARK_ASSIGN_OR_RETURN(std::string published, labelled.String("published"));
  BULWARK_ASSIGN_OR_RETURN(std::string modified, labelled.String("modified"));
  c.advisory.published = NormalizeTimestamp(published);
  c.advisory.modified = NormalizeTimestamp(modified);
  BULWARK_TRY(ReadAliases(labelled, c));
  BULWARK_TRY(ReadReferences(labelled, c));

  BULWARK_ASSIGN_OR_RETURN(const Json* affected, labelled.Array("affected"));
  for (size_t i = 0; affected != nullptr && i < affected->size(); ++i) {
    BULWARK_TRY(ReadAffected((*affected)[i], i, c));
  }
  BULWARK_TRY(ReadSeverity(record, c));

  // Distribution-wide ratings when the severity list had none.
  if (c.advisory.severity == Severity::kUnknown) {
    c.advisory.severity =
        SeverityFromRatingWord(Fields::Loose(Member(record, "database_specific"), "severity"));
  }
  bool red_hat = std::any_of(c.advisory.affected.begin(), c.advisory.affected.end(),
                             [](const AffectedPackage& p) { return IsRedHatFamily(p.distro); });
  if (c.advisory.severity == Severity::kUnknown && red_hat) {
    c.advisory.severity = RedHatImpact(c.advisory.references, c.advisory.summary);
  }

  SkipForeignEcosystems(c, sink);
  if (c.advisory.affected.empty()) {
    // The skips above name the entries left out; when there were none, the
    // record itself says nothing Bulwark can match.
    for (SkippedRecord& skip : c.skips) sink.Skip(std::move(skip));
    if (c.skips.empty() && c.foreign_ecosystems.empty()) {
      sink.Skip({c.label, "no affected packages"});
    }
    return Ok();
  }
  for (SkippedRecord& skip : c.skips) sink.Skip(std::move(skip));
  for (SkippedRecord& note : c.severity_notes) sink.Skip(std::move(note));
  return sink.Add(std::move(c.advisory));
}

Status ImportRecordBytes(std::string_view bytes, std::string_view where, AdvisorySink& sink) {
  BULWARK_ASSIGN_OR_RETURN(Json record, ParseJson(bytes, where));
  return ConvertRecord(record, where, sink);
}

Status ImportArray(ByteStream& stream, std::string_view where, AdvisorySink& sink,
                   uint64_t max_record_bytes, uint64_t max_total_bytes) {
  JsonArrayReader reader(stream, std::string(where), max_record_bytes, max_total_bytes);
  std::string element;
  while (true) {
    const std::string at = std::string(where) + "[" + std::to_string(reader.count()) + "]";
    BULWARK_ASSIGN_OR_RETURN(bool more, reader.Next(&element));
    if (!more) break;
    BULWARK_TRY(ImportRecordBytes(element, at, sink));
  }
  if (reader.count() == 0) sink.Skip({std::string(where), "an empty array of records"});
  return Ok();
}

// Yields `head` and then the rest of `rest`: the bytes a file was sniffed
// from are not read twice.
class PrefixedStream : public ByteStream {
 public:
  PrefixedStream(std::string head, ByteStream& rest) : head_(std::move(head)), rest_(rest) {}

  Result<size_t> Read(void* buffer, size_t size) override {
    if (position_ < head_.size()) {
      size_t count = std::min(size, head_.size() - position_);
      std::copy_n(head_.data() + position_, count, static_cast<char*>(buffer));
      position_ += count;
      return count;
    }
    return rest_.Read(buffer, size);
  }

 private:
  std::string head_;
  size_t position_ = 0;
  ByteStream& rest_;
};

// Reads one JSON file within `budget` bytes (what is left of max_total_bytes).
Status ImportFileWithin(const std::string& path, std::string_view where, AdvisorySink& sink,
                        const FeedLimits& limits, uint64_t* budget) {
  std::error_code error;
  uint64_t size = std::filesystem::file_size(path, error);
  if (error) return Error(ErrorCode::kIo, std::string(where) + ": " + error.message());
  if (size > limits.max_file_bytes) return TooLarge(where, "file", "max_file_bytes", size);
  if (size > *budget) return TooLarge(where, "input", "max_total_bytes", limits.max_total_bytes);

  BULWARK_ASSIGN_OR_RETURN(auto file, FileStream::Open(path));
  std::string head(kHeadBytes, '\0');
  BULWARK_ASSIGN_OR_RETURN(size_t got, file->Read(head.data(), head.size()));
  head.resize(got);
  std::string_view start = SkipJsonSpace(head);

  const uint64_t allowed = std::min<uint64_t>(*budget, limits.max_file_bytes);
  if (start.starts_with("[")) {
    PrefixedStream stream(std::move(head), *file);
    BULWARK_TRY(ImportArray(stream, where, sink, limits.max_record_bytes, allowed));
  } else {
    if (!start.starts_with("{")) {
      return Corrupt(where, "not an OSV record: expected a JSON object or an array of them");
    }
    if (size > limits.max_record_bytes) {
      return TooLarge(where, "record", "max_record_bytes", limits.max_record_bytes);
    }
    BULWARK_ASSIGN_OR_RETURN(std::string rest,
                             ReadAllLimited(*file, limits.max_record_bytes - got, where));
    BULWARK_TRY(ImportRecordBytes(head + rest, where, sink));
  }
  *budget -= std::min<uint64_t>(*budget, size);
  return Ok();
}

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string ArchiveMessage(archive* a) {
  const char* message = archive_error_string(a);
  return message == nullptr ? "unreadable zip data" : Printable(message);
}

// Reads one member's bytes, within max_record_bytes and the running total.
Result<std::string> ReadMember(archive* a, std::string_view where, const FeedLimits& limits,
                               uint64_t* total) {
  std::string data;
  char buffer[64 * 1024];
  while (true) {
    la_ssize_t got = archive_read_data(a, buffer, sizeof(buffer));
    if (got == 0) return data;
    if (got < 0) return Corrupt(where, "zip: " + ArchiveMessage(a));
    data.append(buffer, static_cast<size_t>(got));
    *total += static_cast<uint64_t>(got);
    if (data.size() > limits.max_record_bytes) {
      return TooLarge(where, "member", "max_record_bytes", limits.max_record_bytes);
    }
    if (*total > limits.max_total_bytes) {
      return TooLarge(where, "archive's content", "max_total_bytes", limits.max_total_bytes);
    }
  }
}

// Walks an opened archive member by member. The streaming zip reader is used
// on purpose: it reads local headers in order and never loads the central
// directory, whose size an archive controls, into memory.
Status ImportArchive(archive* a, std::string_view zip_name, AdvisorySink& sink,
                     const FeedLimits& limits) {
  uint64_t members = 0;
  uint64_t json_members = 0;
  uint64_t total = 0;
  std::string last = "its start";
  while (true) {
    archive_entry* entry = nullptr;
    int status = archive_read_next_header(a, &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) {
      return Corrupt(zip_name, "zip, after " + last + ": " + ArchiveMessage(a));
    }
    if (++members > limits.max_zip_entries) {
      return Error(ErrorCode::kLimitExceeded, std::string(zip_name) +
                                                  ": more members than max_zip_entries (" +
                                                  std::to_string(limits.max_zip_entries) + ")");
    }

    const char* path = archive_entry_pathname(entry);
    std::string member = path == nullptr ? "member " + std::to_string(members) : Printable(path);
    const std::string where = std::string(zip_name) + ":" + member;
    last = member;
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) continue;
    if (type != AE_IFREG) {
      sink.Skip({where, "not a regular file"});
      continue;
    }
    if (!member.ends_with(".json")) {
      sink.Skip({where, "not a .json file"});
      continue;
    }
    if (archive_entry_size_is_set(entry) &&
        static_cast<uint64_t>(archive_entry_size(entry)) > limits.max_record_bytes) {
      return TooLarge(where, "member", "max_record_bytes", limits.max_record_bytes);
    }

    ++json_members;
    BULWARK_ASSIGN_OR_RETURN(std::string data, ReadMember(a, where, limits, &total));
    BULWARK_TRY(ImportOsvJson(data, where, sink, limits));
  }
  if (json_members == 0) {
    return Error(ErrorCode::kNotFound,
                 std::string(zip_name) + ": the archive holds no .json members");
  }
  return Ok();
}

Result<ArchivePtr> NewZipReader(std::string_view name) {
  ArchivePtr reader(archive_read_new());
  if (!reader)
    return Error(ErrorCode::kInternal, std::string(name) + ": libarchive: out of memory");
  archive_read_support_format_zip_streamable(reader.get());
  return reader;
}

}  // namespace

Status ImportOsvJson(std::string_view bytes, std::string_view where, AdvisorySink& sink,
                     const FeedLimits& limits) {
  std::string_view start = SkipJsonSpace(bytes);
  if (start.starts_with("[")) {
    MemoryStream stream(bytes);
    return ImportArray(stream, where, sink, limits.max_record_bytes, limits.max_total_bytes);
  }
  if (!start.starts_with("{")) {
    return Corrupt(where, "not an OSV record: expected a JSON object or an array of them");
  }
  if (bytes.size() > limits.max_record_bytes) {
    return TooLarge(where, "record", "max_record_bytes", limits.max_record_bytes);
  }
  return ImportRecordBytes(bytes, where, sink);
}

Status ImportOsvFile(const std::string& path, std::string_view where, AdvisorySink& sink,
                     const FeedLimits& limits) {
  uint64_t budget = limits.max_total_bytes;
  return ImportFileWithin(path, where, sink, limits, &budget);
}

Status ImportOsvDirectory(const std::string& path, AdvisorySink& sink, const FeedLimits& limits) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(path, fs::directory_options::none, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code type_error;
    if (it->path().extension() != ".json" || it->is_directory(type_error)) continue;
    // Lexically: fs::relative would follow a link and name its target instead.
    std::string file = it->path().lexically_relative(path).generic_string();
    // A record file that cannot be read as one (a dangling link, a device, a
    // FIFO) is listed as skipped, never dropped without a word (#4).
    if (!it->is_regular_file(type_error)) {
      sink.Skip({file, "not a regular file (a dangling link, a device or a FIFO); not read"});
      continue;
    }
    files.push_back(std::move(file));
  }
  if (error) return Error(ErrorCode::kIo, path + ": reading the directory: " + error.message());
  if (files.empty()) {
    return Error(ErrorCode::kNotFound, path + ": no .json files below the directory");
  }

  std::sort(files.begin(), files.end());
  uint64_t budget = limits.max_total_bytes;
  for (const std::string& file : files) {
    BULWARK_TRY(ImportFileWithin((fs::path(path) / file).string(), file, sink, limits, &budget));
  }
  return Ok();
}

Status ImportOsvZip(const std::string& path, AdvisorySink& sink, const FeedLimits& limits) {
  const std::string name = BaseName(path);
  std::error_code error;
  uint64_t size = std::filesystem::file_size(path, error);
  if (error) return Error(ErrorCode::kIo, path + ": " + error.message());
  if (size > limits.max_file_bytes) return TooLarge(path, "file", "max_file_bytes", size);

  BULWARK_ASSIGN_OR_RETURN(ArchivePtr reader, NewZipReader(name));
  if (archive_read_open_filename(reader.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return Corrupt(path, "zip: " + ArchiveMessage(reader.get()));
  }
  return ImportArchive(reader.get(), name, sink, limits);
}

Status ImportOsvZipBytes(std::string_view bytes, std::string_view name, AdvisorySink& sink,
                         const FeedLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return TooLarge(name, "file", "max_file_bytes", bytes.size());
  }
  BULWARK_ASSIGN_OR_RETURN(ArchivePtr reader, NewZipReader(name));
  if (archive_read_open_memory(reader.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return Corrupt(name, "zip: " + ArchiveMessage(reader.get()));
  }
  return ImportArchive(reader.get(), name, sink, limits);
}

}  // namespace bulwark::vulndb::internal
