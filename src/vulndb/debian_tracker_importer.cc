#include "vulndb/debian_tracker_importer.h"

#include <cstddef>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "vulndb/distro.h"
#include "vulndb/importer_internal.h"

namespace bulwark::vulndb::internal {
namespace {

using Json = nlohmann::json;

constexpr size_t kReadChunk = 64 * 1024;
// Values the importer does not read (repositories, unknown fields) may nest;
// the tracker's own never nest more than two levels.
constexpr int kMaxIgnoredDepth = 32;

// Bytes of the stream for the parser, counted: in total, and since the
// start of the current entry, so that no single entry grows without bound.
// When a limit is hit the input ends early, the parser reports a truncated
// document, and the importer reports the limit instead.
class CountingInput {
 public:
  enum class Limit { kNone, kEntry, kTotal };

  CountingInput(ByteStream& stream, uint64_t max_total, uint64_t max_entry)
      : stream_(stream), max_total_(max_total), max_entry_(max_entry) {}

  bool AtEnd() {
    if (limit_ != Limit::kNone || error_.has_value()) return true;
    if (since_mark_ > max_entry_) {
      limit_ = Limit::kEntry;
      return true;
    }
    if (position_ < filled_) return false;
    if (ended_) return true;

    buffer_.resize(kReadChunk);
    Result<size_t> got = stream_.Read(buffer_.data(), buffer_.size());
    if (!got.ok()) {
      error_ = got.error();
      return true;
    }
    position_ = 0;
    filled_ = *got;
    total_ += *got;
    ended_ = *got == 0;
    if (total_ > max_total_) {
      limit_ = Limit::kTotal;
      return true;
    }
    return ended_;
  }

  const char& Current() const { return buffer_[position_]; }
  void Advance() {
    ++position_;
    ++since_mark_;
  }
  // Starts counting a new entry.
  void Mark() { since_mark_ = 0; }

  Limit limit() const { return limit_; }
  const std::optional<Error>& error() const { return error_; }

 private:
  ByteStream& stream_;
  uint64_t max_total_;
  uint64_t max_entry_;
  std::string buffer_;
  size_t position_ = 0;
  size_t filled_ = 0;
  uint64_t total_ = 0;
  uint64_t since_mark_ = 0;
  bool ended_ = false;
  Limit limit_ = Limit::kNone;
  std::optional<Error> error_;
};

// A single-pass iterator over CountingInput, the form of input nlohmann-json's
// parser takes from anything that is not a container or a std::istream.
class InputIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  InputIterator() = default;
  explicit InputIterator(CountingInput* input) : input_(input) {}

  reference operator*() const { return input_->Current(); }
  InputIterator& operator++() {
    input_->Advance();
    return *this;
  }
  InputIterator operator++(int) {
    InputIterator before = *this;
    input_->Advance();
    return before;
  }
  friend bool operator==(const InputIterator& a, const InputIterator& b) {
    return a.AtEnd() == b.AtEnd();
  }

 private:
  bool AtEnd() const { return input_ == nullptr || input_->AtEnd(); }
  CountingInput* input_ = nullptr;
};

// What one release of one entry says.
struct ReleaseState {
  std::string codename;
  std::string status;
  std::string fixed_version;
  std::string urgency;
  std::string nodsa_reason;
};

// One (source package, id) entry as it is read.
struct EntryState {
  std::string description;
  std::string debianbug;
  std::vector<ReleaseState> releases;
};

// Where the parser is in the document.
enum class Level { kStart, kRoot, kPackage, kEntry, kReleases, kRelease, kDone };

// Follows the parser's events through the document's fixed shape and hands
// each finished entry to the sink. The first error stops the parse.
class TrackerHandler : public nlohmann::json_sax<Json> {
 public:
  TrackerHandler(std::string_view name, CountingInput& input, AdvisorySink& sink)
      : name_(name), input_(input), sink_(sink) {}

  bool null() override { return Scalar(kNull, ""); }
  bool boolean(bool value) override { return Scalar(kBoolean, value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override {
    return Scalar(kNumber, std::to_string(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return Scalar(kNumber, std::to_string(value));
  }
  bool number_float(number_float_t, const string_t& text) override { return Scalar(kNumber, text); }
  bool string(string_t& value) override { return Scalar(kString, value); }
  bool binary(binary_t&) override { return Fail("unexpected binary value"); }

  bool start_object(std::size_t) override;
  bool end_object() override;
  bool start_array(std::size_t) override;
  bool end_array() override;
  bool key(string_t& key) override;

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string_view message = e.what();
    size_t bracket = message.find("] ");
    if (bracket != std::string_view::npos) message.remove_prefix(bracket + 2);
    parse_message_ = Printable(message);
    return false;
  }

  const std::optional<Error>& error() const { return error_; }
  const std::string& parse_message() const { return parse_message_; }
  bool done() const { return level_ == Level::kDone; }
  // Where the parser stopped, for messages: "zlib CVE-2022-37434", "zlib".
  std::string Position() const;

 private:
  static constexpr std::string_view kNull = "null";
  static constexpr std::string_view kBoolean = "a boolean";
  static constexpr std::string_view kNumber = "a number";
  static constexpr std::string_view kString = "a string";

  // One scalar value of kind `type` (one of the four above).
  bool Scalar(std::string_view type, std::string_view text);
  bool EnterObject();
  bool LeaveObject();
  bool Fail(std::string_view what);
  bool FinishEntry();
  void AddRelease(Advisory& advisory, const ReleaseState& release);

  std::string name_;
  CountingInput& input_;
  AdvisorySink& sink_;
  Level level_ = Level::kStart;
  int ignored_depth_ = 0;
  // An empty array where an object is expected ("releases": []): the tracker
  // writes empty objects that way.
  bool array_as_object_ = false;
  std::string package_;
  std::string id_;
  std::string field_;
  EntryState entry_;
  ReleaseState release_;
  std::optional<Error> error_;
  std::string parse_message_;
};

std::string TrackerHandler::Position() const {
  if (level_ == Level::kRoot || level_ == Level::kPackage) return Printable(package_);
  if (level_ == Level::kStart || level_ == Level::kDone) return "the document";
  return Printable(package_) + " " + Printable(id_);
}

bool TrackerHandler::Fail(std::string_view what) {
  if (!error_.has_value()) {
    error_ = Error(ErrorCode::kCorruptInput, name_ + ": " + Position() + ": " + std::string(what));
  }
  return false;
}

bool TrackerHandler::Scalar(std::string_view type, std::string_view text) {
  if (ignored_depth_ > 0) return true;
  if (array_as_object_) return Fail("a non-empty array where an object is expected");

  switch (level_) {
    case Level::kStart:
      return Fail("not a tracker document: the root is not an object");
    case Level::kRoot:
    case Level::kPackage:
    case Level::kReleases:
      return Fail("a value that is " + std::string(type) + ", not an object");
    case Level::kEntry:
      if (type == kNull) return true;
      if (field_ == "description") {
        if (type != kString) return Fail("description is not a string");
        entry_.description = text;
      }
      // A bug number; the tracker writes it as a number.
      if (field_ == "debianbug" && (type == kNumber || type == kString)) entry_.debianbug = text;
      if (field_ == "releases") return Fail("releases is not an object");
      return true;  // scope and fields the importer does not read.
    case Level::kRelease: {
      std::string* target = field_ == "status"          ? &release_.status
                            : field_ == "fixed_version" ? &release_.fixed_version
                            : field_ == "urgency"       ? &release_.urgency
                            : field_ == "nodsa_reason"  ? &release_.nodsa_reason
                                                        : nullptr;
      if (target == nullptr || type == kNull) return true;  // nodsa, unknown fields.
      if (type != kString) {
        return Fail(Printable(release_.codename) + " " + field_ + " is not a string");
      }
      *target = text;
      return true;
    }
    case Level::kDone:
      return Fail("data after the document");
  }
  return true;
}

bool TrackerHandler::EnterObject() {
  switch (level_) {
    case Level::kStart:
      level_ = Level::kRoot;
      return true;
    case Level::kRoot:
      level_ = Level::kPackage;
      return true;
    case Level::kPackage:
      level_ = Level::kEntry;
      entry_ = EntryState{};
      return true;
    case Level::kEntry:
      if (field_ == "releases") {
        level_ = Level::kReleases;
        return true;
      }
      if (field_ == "description") return Fail("description is not a string");
      ignored_depth_ = 1;
      return true;
    case Level::kReleases:
      level_ = Level::kRelease;
      release_ = ReleaseState{};
      release_.codename = field_;
      return true;
    case Level::kRelease:
      if (field_ == "status" || field_ == "fixed_version" || field_ == "urgency") {
        return Fail(Printable(release_.codename) + " " + field_ + " is not a string");
      }
      ignored_depth_ = 1;  // repositories, and fields the importer does not read.
      return true;
    case Level::kDone:
      return Fail("data after the document");
  }
  return true;
}

bool TrackerHandler::LeaveObject() {
  switch (level_) {
    case Level::kRoot:
      level_ = Level::kDone;
      return true;
    case Level::kPackage:
      level_ = Level::kRoot;
      return true;
    case Level::kEntry:
      level_ = Level::kPackage;
      return FinishEntry();
    case Level::kReleases:
      level_ = Level::kEntry;
      return true;
    case Level::kRelease:
      entry_.releases.push_back(std::move(release_));
      level_ = Level::kReleases;
      return true;
    case Level::kStart:
    case Level::kDone:
      return Fail("unbalanced object");
  }
  return true;
}

bool TrackerHandler::start_object(std::size_t) {
  if (ignored_depth_ > 0) {
    if (++ignored_depth_ > kMaxIgnoredDepth) return Fail("values nested too deeply");
    return true;
  }
  if (array_as_object_) return Fail("a non-empty array where an object is expected");
  return EnterObject();
}

bool TrackerHandler::end_object() {
  if (ignored_depth_ > 0) {
    --ignored_depth_;
    return true;
  }
  return LeaveObject();
}

bool TrackerHandler::start_array(std::size_t) {
  if (ignored_depth_ > 0) {
    if (++ignored_depth_ > kMaxIgnoredDepth) return Fail("values nested too deeply");
    return true;
  }
  if (array_as_object_) return Fail("a non-empty array where an object is expected");
  const bool object_expected = level_ == Level::kRoot || level_ == Level::kPackage ||
                               level_ == Level::kReleases ||
                               (level_ == Level::kEntry && field_ == "releases");
  if (level_ == Level::kStart) return Fail("not a tracker document: the root is an array");
  if (!object_expected) {
    bool read = (level_ == Level::kEntry && field_ == "description") ||
                (level_ == Level::kRelease &&
                 (field_ == "status" || field_ == "fixed_version" || field_ == "urgency"));
    if (read) return Fail(field_ + " is not a string");
    ignored_depth_ = 1;
    return true;
  }
  array_as_object_ = true;
  return EnterObject();
}

bool TrackerHandler::end_array() {
  if (ignored_depth_ > 0) {
    --ignored_depth_;
    return true;
  }
  if (!array_as_object_) return Fail("unbalanced array");
  array_as_object_ = false;
  return LeaveObject();
}

bool TrackerHandler::key(string_t& key) {
  if (ignored_depth_ > 0) return true;
  switch (level_) {
    case Level::kRoot:
      package_ = key;
      input_.Mark();
      break;
    case Level::kPackage:
      id_ = key;
      input_.Mark();
      break;
    default:
      field_ = key;
      break;
  }
  return true;
}

// Maps one release's status (see docs/advisory-feeds.md):
//   resolved, fixed_version "0"    -> not affected
//   resolved, fixed_version V      -> fixed in V
//   open, nodsa_reason "ignored"   -> will not fix
//   open, urgency "end-of-life"    -> will not fix (no longer supported there)
//   open otherwise (postponed, no-dsa, plain) and undetermined -> not fixed
void TrackerHandler::AddRelease(Advisory& advisory, const ReleaseState& release) {
  const std::string label = id_ + " (" + package_ + ", " + Printable(release.codename) + ")";
  const std::string number = DebianReleaseForCodename(release.codename);
  if (number.empty()) {
    sink_.Skip({label, "unknown Debian codename \"" + Printable(release.codename) + "\""});
    return;
  }

  AffectedPackage affected;
  affected.distro = "debian:" + number;
  affected.package = package_;
  affected.ecosystem = version::Ecosystem::kDeb;
  affected.severity = SeverityFromDebianUrgency(release.urgency);
  std::string_view urgency = release.urgency;
  while (urgency.ends_with('*')) urgency.remove_suffix(1);

  if (release.status == "resolved") {
    if (release.fixed_version == "0") {
      affected.state = FixState::kNotAffected;
    } else if (release.fixed_version.empty()) {
      sink_.Skip({label, "resolved without a fixed_version"});
      return;
    } else {
      std::string problem = VersionProblem(version::Ecosystem::kDeb, release.fixed_version);
      if (!problem.empty()) {
        sink_.Skip({label, "fixed_version: " + problem});
        return;
      }
      affected.state = FixState::kFixed;
      affected.fixed_version = release.fixed_version;
      affected.ranges.push_back(VersionRange{"", release.fixed_version, ""});
    }
  } else if (release.status == "open") {
    bool wont_fix = release.nodsa_reason == "ignored" || urgency == "end-of-life";
    affected.state = wont_fix ? FixState::kWontFix : FixState::kNotFixed;
  } else if (release.status == "undetermined") {
    affected.state = FixState::kNotFixed;
  } else {
    sink_.Skip({label, "status \"" + Printable(release.status) +
                           "\" is not resolved, open or undetermined"});
    return;
  }
  advisory.affected.push_back(std::move(affected));
}

bool TrackerHandler::FinishEntry() {
  const std::string label = Printable(id_) + " (" + Printable(package_) + ")";
  if (!IsPlainToken(package_, kMaxNameBytes)) {
    sink_.Skip({label, "source package name is empty, longer than 256 bytes or holds white space"});
    return true;
  }
  if (!IsPlainToken(id_, kMaxIdBytes)) {
    sink_.Skip({label, "id is empty, longer than 128 bytes or holds white space"});
    return true;
  }
  if (entry_.releases.empty()) {
    sink_.Skip({label, "no releases listed"});
    return true;
  }

  Advisory advisory;
  advisory.id = id_;
  advisory.summary = OneLine(entry_.description);
  advisory.references.push_back("https://security-tracker.debian.org/tracker/" + id_);
  if (IsPlainToken(entry_.debianbug, 32)) {
    advisory.references.push_back("https://bugs.debian.org/" + entry_.debianbug);
  }
  for (const ReleaseState& release : entry_.releases) AddRelease(advisory, release);
  if (advisory.affected.empty()) return true;  // Each release was skipped with its reason.

  Status added = sink_.Add(std::move(advisory));
  if (!added.ok()) {
    error_ = std::move(added).error();
    return false;
  }
  return true;
}

}  // namespace

Status ImportDebianTracker(ByteStream& stream, std::string_view name, AdvisorySink& sink,
                           const FeedLimits& limits) {
  CountingInput input(stream, std::min(limits.max_file_bytes, limits.max_total_bytes),
                      limits.max_record_bytes);
  TrackerHandler handler(name, input, sink);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(InputIterator(&input), InputIterator(), &handler);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kCorruptInput, std::string(name) + ": " + Printable(e.what()));
  }

  if (input.error().has_value()) return *input.error();
  if (input.limit() == CountingInput::Limit::kEntry) {
    return Error(ErrorCode::kLimitExceeded, std::string(name) + ": " + handler.Position() +
                                                ": entry larger than max_record_bytes (" +
                                                std::to_string(limits.max_record_bytes) +
                                                " bytes)");
  }
  if (input.limit() == CountingInput::Limit::kTotal) {
    return Error(ErrorCode::kLimitExceeded,
                 std::string(name) + ": larger than max_file_bytes (" +
                     std::to_string(std::min(limits.max_file_bytes, limits.max_total_bytes)) +
                     " bytes)");
  }
  if (handler.error().has_value()) return *handler.error();
  if (!parsed || !handler.done()) {
    return Error(ErrorCode::kCorruptInput, std::string(name) + ": " + handler.Position() +
                                               ": invalid JSON: " + handler.parse_message());
  }
  return Ok();
}

Status ImportDebianTrackerFile(const std::string& path, AdvisorySink& sink,
                               const FeedLimits& limits) {
  std::error_code error;
  uint64_t size = std::filesystem::file_size(path, error);
  if (error) return Error(ErrorCode::kIo, path + ": " + error.message());
  if (size > limits.max_file_bytes) {
    return Error(ErrorCode::kLimitExceeded,
                 path + ": file larger than max_file_bytes (" + std::to_string(size) + " bytes)");
  }
  BULWARK_ASSIGN_OR_RETURN(auto file, FileStream::Open(path));
  return ImportDebianTracker(*file, path, sink, limits);
}

}  // namespace bulwark::vulndb::internal
