// Matching and import speed of the advisory database (issue #4).
//
// One database of 200,000 synthetic advisories is built once, shaped like the
// distribution feeds: seven distribution releases; source package names with
// the skew real data has (a third of all records are the kernel's, and the
// busiest of the other sources has about 1,200 records, the 150th about 160,
// the long tail a handful); per-CVE ids, most of them distribution-prefixed
// (UBUNTU-CVE-..., DEBIAN-CVE-...), some with a GHSA alias; one to four
// releases per record; 80% fixed ranges, 8% not fixed, 2% will not fix, 10%
// not affected; versions lists below the fix on the Ubuntu rows; ratings on
// every row and CVSS scores on 60% of the records.
//
// BM_Match matches an image of 5,000 binary packages built from 1,800
// sources in ubuntu:22.04: every common source, tail sources drawn at
// random, and a third of sources without any advisory. patch:5 is an image on
// a current base (one fixed row in twelve is above it), patch:2 one built
// long ago (most fixed rows apply). BM_BareLookups runs, in the same process
// on the same file, the SQL a match cannot avoid: one indexed query per
// distinct source name reading every column of every candidate row, and one
// read of each advisory the match reports. The ratio of the two is the cost
// of decoding, deciding and building findings. BM_Import writes the same
// kind of stream into a fresh database, in records per second.
//
//   cmake --build build-db --target vulndb_match_bench
//   build-db/vulndb_match_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "vulndb/advisory_db.h"

namespace bulwark::vulndb {
namespace {

constexpr int kAdvisories = 200'000;
constexpr int kImagePackages = 5'000;
constexpr int kImageSources = 1'800;
constexpr char kImageDistro[] = "ubuntu:22.04";

const char* const kDistros[] = {"debian:11",    "debian:12",   "ubuntu:20.04", "ubuntu:22.04",
                                "ubuntu:24.04", "alpine:3.19", "alpine:3.20"};

// Source packages found in common base images: the head of the distribution.
const char kCommonSourceNames[] =
    "glibc openssl zlib curl systemd util-linux perl python3.11 libxml2 tiff imagemagick "
    "binutils gcc-12 expat sqlite3 krb5 gnutls28 nss libx11 openssh bash coreutils tar gzip "
    "xz-utils bzip2 ncurses pam shadow sudo apt dpkg e2fsprogs libgcrypt20 gnupg2 libtasn1-6 "
    "p11-kit nettle gmp libidn2 libssh nghttp2 libpng1.6 libjpeg-turbo freetype fontconfig "
    "cairo pixman harfbuzz glib2.0 dbus libsepol libselinux pcre2 pcre3 icu libzstd lz4 "
    "cyrus-sasl2 openldap git subversion vim less file procps libcap2 libseccomp audit acl attr "
    "libffi libyaml jansson json-c libxslt libwebp giflib ghostscript poppler cups avahi wget "
    "rsync nginx apache2 postgresql-15 mariadb redis nodejs ruby3.1 php8.2 openjdk-17 "
    "golang-1.21 rustc llvm-toolchain-15 busybox musl dash sed grep findutils diffutils mawk "
    "libunistring libgpg-error libksba npth libassuan gdbm db5.3 readline libedit bind9 "
    "isc-dhcp iproute2 iptables nftables libmnl libnftnl elfutils libarchive libzip unzip zip "
    "cpio ca-certificates tzdata base-files libxcrypt sysvinit lsb";

const std::vector<std::string>& CommonSources() {
  static const std::vector<std::string>* const names = [] {
    auto* list = new std::vector<std::string>();
    std::string text = kCommonSourceNames;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) list->push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return list;
  }();
  return *names;
}

// A name per rank: rank 0 is the kernel, then the common sources, then a
// long tail of synthetic ones.
std::string SourceName(int rank) {
  if (rank == 0) return "linux";
  if (rank <= static_cast<int>(CommonSources().size())) return CommonSources()[rank - 1];
  return "libtail" + std::to_string(rank);
}

constexpr int kRanks = 4'000;

// The version of source `rank` installed in release `distro` of the image,
// in the style of the release ("1.2.3-4ubuntu0.5", "1.2.3-4+deb12u5", "1.2.3-r5").
std::string InstalledVersion(int rank, const std::string& distro, int patch = 5) {
  std::string upstream = std::to_string(1 + rank % 7) + "." + std::to_string(rank % 13) + "." +
                         std::to_string(rank % 5);
  if (distro.rfind("ubuntu", 0) == 0) return upstream + "-4ubuntu0." + std::to_string(patch);
  if (distro.rfind("debian", 0) == 0) return upstream + "-4+deb12u" + std::to_string(patch);
  return upstream + "-r" + std::to_string(patch);
}

version::Ecosystem EcosystemOf(const std::string& distro) {
  return distro.rfind("alpine", 0) == 0 ? version::Ecosystem::kApk : version::Ecosystem::kDeb;
}

// The synthetic feed: deterministic, one call per advisory.
class FeedGenerator {
 public:
  explicit FeedGenerator(uint64_t seed) : random_(seed) {
    std::vector<double> weights(kRanks);
    // The busiest non-kernel source gets about 1,200 records, the 150th about
    // 160, the tail a handful each.
    for (int rank = 1; rank < kRanks; ++rank) weights[rank] = 1.0 / (rank + 20);
    tail_ = std::discrete_distribution<int>(weights.begin(), weights.end());
  }

  Advisory Next() {
    int number = next_number_++;
    int rank = Uniform(100) < 33 ? 0 : tail_(random_);
    std::string cve =
        "CVE-" + std::to_string(2014 + number % 11) + "-" + std::to_string(10000 + number);

    Advisory advisory;
    int style = Uniform(10);
    advisory.id = style < 5 ? "UBUNTU-" + cve : (style < 8 ? "DEBIAN-" + cve : cve);
    if (style >= 8 && Uniform(4) == 0) advisory.aliases = {"GHSA-" + std::to_string(number)};
    advisory.summary = "Synthetic weakness " + std::to_string(number) +
                       " in the parsing of untrusted input, which allows a remote attacker to "
                       "cause a denial of service or possibly execute arbitrary code.";
    advisory.published = "2023-0" + std::to_string(1 + number % 9) + "-15T10:00:00Z";
    advisory.modified = advisory.published;
    if (Uniform(10) < 6) {
      advisory.cvss_score = Uniform(100) / 10.0;
      advisory.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    }
    advisory.references = {"https://www.cve.org/CVERecord?id=" + cve,
                           "https://security-tracker.example/" + cve};

    int releases = 1 + Uniform(4);
    std::set<int> chosen;
    while (static_cast<int>(chosen.size()) < releases) chosen.insert(Uniform(std::size(kDistros)));
    for (int distro : chosen) advisory.affected.push_back(Row(rank, kDistros[distro]));
    return advisory;
  }

 private:
  int Uniform(int bound) { return std::uniform_int_distribution<int>(0, bound - 1)(random_); }

  AffectedPackage Row(int rank, const std::string& distro) {
    AffectedPackage row;
    row.distro = distro;
    row.package = SourceName(rank);
    row.ecosystem = EcosystemOf(distro);
    row.severity = static_cast<Severity>(Uniform(6));
    int state = Uniform(100);
    if (state < 80) {
      // Fixed: mostly at or below the level the image has (patch 5), as for
      // an image built from a current base; one in twelve above it.
      row.state = FixState::kFixed;
      int patch = Uniform(12) == 0 ? 6 + Uniform(4) : 1 + Uniform(5);
      row.fixed_version = InstalledVersion(rank, distro, patch);
      row.ranges = {{"0", row.fixed_version, ""}};
      if (distro.rfind("ubuntu", 0) == 0) {
        // Ubuntu lists the affected versions below the fix as well.
        for (int listed = std::max(1, patch - 5); listed < patch; ++listed) {
          row.versions.push_back(InstalledVersion(rank, distro, listed));
        }
      }
    } else if (state < 88) {
      row.state = FixState::kNotFixed;
    } else if (state < 90) {
      row.state = FixState::kWontFix;
    } else {
      row.state = FixState::kNotAffected;
    }
    return row;
  }

  std::mt19937_64 random_;
  std::discrete_distribution<int> tail_;
  int next_number_ = 0;
};

// A temporary directory for the databases, removed at exit.
const std::string& BenchDir() {
  static const std::string* const dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "bulwark-vulndb-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    auto* made = new std::string(pattern);
    std::atexit([] { std::filesystem::remove_all(*dir); });
    return made;
  }();
  return *dir;
}

// Imports `count` generated advisories as one source into `path`.
void ImportGenerated(const std::string& path, int count, uint64_t seed) {
  auto db = CreateAdvisoryDatabase(path);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.error().message().c_str());
    std::abort();
  }
  auto import = (*db)->StartImport(/*fresh=*/true);
  if (!import.ok() || !(*import)->BeginSource("synthetic", FeedKind::kOsv).ok()) std::abort();
  FeedGenerator feed(seed);
  for (int i = 0; i < count; ++i) {
    if (!(*import)->Add(feed.Next()).ok()) std::abort();
  }
  if (!(*import)->EndSource().ok() || !(*import)->Commit().ok()) std::abort();
}

const std::string& MatchDatabase() {
  static const std::string path = [] {
    std::string file = BenchDir() + "/advisories.db";
    ImportGenerated(file, kAdvisories, 42);
    return file;
  }();
  return path;
}

// The image: binaries of 1,800 sources in ubuntu:22.04. Two thirds of the
// sources have advisories: every common source (the head of the
// distribution, which a large image mostly holds) and tail sources drawn at
// random, never the kernel. A third have none. `patch` is the installed
// patch level: 5 for an image on a current base, 2 for one built long ago.
std::vector<catalog::Package> ImagePackages(int patch) {
  std::mt19937_64 random(7);
  std::vector<std::string> sources;
  std::vector<int> ranks;
  const int common = static_cast<int>(CommonSources().size());
  for (int i = 0; i < kImageSources; ++i) {
    bool with_data = i % 3 != 2;
    int rank = 0;
    if (with_data) rank = i < common ? 1 + i : common + 1 + random() % (kRanks - common - 1);
    sources.push_back(with_data ? SourceName(rank) : "nodata" + std::to_string(i));
    ranks.push_back(rank);
  }
  std::vector<catalog::Package> packages;
  for (int i = 0; i < kImagePackages; ++i) {
    size_t source = i < kImageSources ? i : random() % kImageSources;
    catalog::Package package;
    package.ecosystem = "deb";
    package.name = sources[source] + "-bin" + std::to_string(i);
    package.source_name = sources[source];
    package.source_version = InstalledVersion(ranks[source], kImageDistro, patch);
    package.version = package.source_version;
    package.architecture = "amd64";
    package.db_path = "var/lib/dpkg/status";
    package.layer_index = i % 3;
    packages.push_back(std::move(package));
  }
  return packages;
}

// Matches the image at the patch level given as the argument.
void BM_Match(benchmark::State& state) {
  auto db = OpenAdvisoryDatabase(MatchDatabase());
  if (!db.ok()) {
    state.SkipWithError(db.error().message().c_str());
    return;
  }
  std::vector<catalog::Package> packages = ImagePackages(static_cast<int>(state.range(0)));
  size_t findings = 0;
  size_t unmatched = 0;
  for (auto _ : state) {
    auto report = (*db)->Match(kImageDistro, packages);
    if (!report.ok()) {
      state.SkipWithError(report.error().message().c_str());
      return;
    }
    findings = report->findings.size();
    unmatched = report->unmatched.size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["packages"] = static_cast<double>(packages.size());
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["unmatched"] = static_cast<double>(unmatched);
}
BENCHMARK(BM_Match)->ArgName("patch")->Arg(5)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The advisory keys whose records a match of `packages` reports, read once
// with plain SQL: rows of the image's sources whose advisory id is a finding's.
std::vector<int64_t> MatchedAdvisoryKeys(sqlite3* raw, const std::set<std::string>& names,
                                         const std::set<std::string>& finding_ids) {
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(raw,
                     "SELECT DISTINCT v.advisory_key, v.id FROM affected a JOIN advisories v"
                     " ON v.advisory_key = a.advisory_key WHERE a.distro = ? AND a.package = ?",
                     -1, &query, nullptr);
  std::set<int64_t> keys;
  for (const std::string& name : names) {
    sqlite3_reset(query);
    sqlite3_bind_text(query, 1, kImageDistro, -1, SQLITE_STATIC);
    sqlite3_bind_text(query, 2, name.c_str(), static_cast<int>(name.size()), SQLITE_STATIC);
    while (sqlite3_step(query) == SQLITE_ROW) {
      std::string id = reinterpret_cast<const char*>(sqlite3_column_text(query, 1));
      if (finding_ids.count(id) != 0) keys.insert(sqlite3_column_int64(query, 0));
    }
  }
  sqlite3_finalize(query);
  return std::vector<int64_t>(keys.begin(), keys.end());
}

// The SQL floor of a match, on its own connection and the same file: the
// same indexed query per distinct source name with every column of every
// candidate row read, and one read of each advisory the match reports.
void BM_BareLookups(benchmark::State& state) {
  const std::string& path = MatchDatabase();
  std::vector<catalog::Package> packages = ImagePackages(static_cast<int>(state.range(0)));
  std::set<std::string> names;
  for (const catalog::Package& package : packages) names.insert(package.source_name);
  auto db = OpenAdvisoryDatabase(path);
  if (!db.ok()) std::abort();
  auto report = (*db)->Match(kImageDistro, packages);
  if (!report.ok()) std::abort();
  std::set<std::string> finding_ids;
  for (const Finding& finding : report->findings) {
    finding_ids.insert(finding.id);
    finding_ids.insert(finding.aliases.begin(), finding.aliases.end());
  }

  sqlite3* raw = nullptr;
  sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::vector<int64_t> advisory_keys = MatchedAdvisoryKeys(raw, names, finding_ids);
  sqlite3_stmt* rows = nullptr;
  sqlite3_stmt* advisory = nullptr;
  sqlite3_prepare_v2(raw,
                     "SELECT advisory_key, source_id, ecosystem, state, ranges, match_versions,"
                     " fixed_version, severity FROM affected WHERE distro = ? AND package = ?",
                     -1, &rows, nullptr);
  sqlite3_prepare_v2(raw,
                     "SELECT id, aliases, summary, published, modified, severity, cvss_score,"
                     " cvss_vector, refs FROM advisories WHERE advisory_key = ?",
                     -1, &advisory, nullptr);
  size_t candidates = 0;
  for (auto _ : state) {
    sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
    candidates = 0;
    size_t bytes = 0;
    for (const std::string& name : names) {
      sqlite3_reset(rows);
      sqlite3_bind_text(rows, 1, kImageDistro, -1, SQLITE_STATIC);
      sqlite3_bind_text(rows, 2, name.c_str(), static_cast<int>(name.size()), SQLITE_STATIC);
      while (sqlite3_step(rows) == SQLITE_ROW) {
        ++candidates;
        for (int column = 2; column < 8; ++column) {
          benchmark::DoNotOptimize(sqlite3_column_text(rows, column));
          bytes += sqlite3_column_bytes(rows, column);
        }
      }
    }
    for (int64_t key : advisory_keys) {
      sqlite3_reset(advisory);
      sqlite3_bind_int64(advisory, 1, key);
      if (sqlite3_step(advisory) != SQLITE_ROW) continue;
      for (int column = 0; column < 9; ++column) {
        benchmark::DoNotOptimize(sqlite3_column_text(advisory, column));
        bytes += sqlite3_column_bytes(advisory, column);
      }
    }
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
    benchmark::DoNotOptimize(bytes);
  }
  sqlite3_finalize(rows);
  sqlite3_finalize(advisory);
  sqlite3_close(raw);
  state.counters["names"] = static_cast<double>(names.size());
  state.counters["candidate_rows"] = static_cast<double>(candidates);
  state.counters["advisories"] = static_cast<double>(advisory_keys.size());
}
BENCHMARK(BM_BareLookups)
    ->ArgName("patch")
    ->Arg(5)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Records per second of one import in one transaction into a fresh file.
void BM_Import(benchmark::State& state) {
  int count = static_cast<int>(state.range(0));
  int run = 0;
  for (auto _ : state) {
    std::string path = BenchDir() + "/import-" + std::to_string(run++) + ".db";
    ImportGenerated(path, count, 1000 + run);
    state.PauseTiming();
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * count);
  state.counters["records_per_second"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Import)->Arg(20'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Import)->Arg(kAdvisories)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace bulwark::vulndb

BENCHMARK_MAIN();
