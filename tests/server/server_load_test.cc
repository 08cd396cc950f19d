// A bounded load test: 50 clients submit scans at once for a few seconds on
// 127.0.0.1; every accepted scan must be recorded exactly once. Prints the
// rate and the 99th percentile latency. BULWARK_LOAD_SECONDS (1 to 600) runs
// it for that long with no cap on scans per client: bench/server-load.sh uses
// it for the one-minute run of issue #5.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "scan/analysis_codec.h"
#include "server_harness.h"
#include "synthetic_analysis.h"

namespace bulwark {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kClients = 50;
constexpr int kMaxScansPerClient = 40;
constexpr auto kDuration = std::chrono::seconds(3);

// The run's length and per-client cap: the defaults above, or
// BULWARK_LOAD_SECONDS with the cap lifted (each client stops at the deadline).
struct LoadBounds {
  std::chrono::seconds duration = kDuration;
  int max_scans_per_client = kMaxScansPerClient;
};

LoadBounds BoundsFromEnvironment() {
  LoadBounds bounds;
  const char* text = std::getenv("BULWARK_LOAD_SECONDS");
  if (text == nullptr || *text == '\0') return bounds;
  char* end = nullptr;
  long seconds = std::strtol(text, &end, 10);
  if (*end != '\0' || seconds < 1 || seconds > 600) {
    ADD_FAILURE() << "BULWARK_LOAD_SECONDS=" << text << ": expected whole seconds, 1 to 600";
    return bounds;
  }
  bounds.duration = std::chrono::seconds(seconds);
  bounds.max_scans_per_client = std::numeric_limits<int>::max();
  return bounds;
}

TEST(ServerLoad, ConcurrentScansAreEachRecordedOnce) {
  spdlog::set_level(spdlog::level::warn);  // One log line per request would drown the output.
  testing::ServerHarness server;
  std::string token = server.AddAccount("ci", server::Role::kScanner, "scanner-password");
  std::string admin = server.AddAccount("admin", server::Role::kAdministrator, "admin-password");
  httplib::Client setup = server.Client();
  auto policy = setup.Post("/api/v1/policies", testing::Bearer(admin),
                           "name: default\ncontrols:\n  superuser: deny\n", "application/yaml");
  ASSERT_TRUE(policy);
  ASSERT_EQ(policy->status, 201) << policy->body;
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    bodies.push_back(scan::EncodeAnalysis(testing::SyntheticAnalysis(std::to_string(i))));
  }

  LoadBounds bounds = BoundsFromEnvironment();
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::set<int64_t> scan_ids;
  std::atomic<int> failures{0};
  Clock::time_point start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client = server.Client();
      for (int n = 0; n < bounds.max_scans_per_client && Clock::now() - start < bounds.duration;
           ++n) {
        Clock::time_point sent = Clock::now();
        auto answer = client.Post("/api/v1/scans", testing::Bearer(token),
                                  bodies[(c + n) % bodies.size()], "application/json");
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        if (!answer || answer->status != 201) {
          if (failures++ == 0) {
            std::printf("server load: first failure: %s\n",
                        answer ? (std::to_string(answer->status) + " " + answer->body).c_str()
                               : httplib::to_string(answer.error()).c_str());
          }
          continue;
        }
        int64_t id = json::parse(answer->body)["scanId"].get<int64_t>();
        std::lock_guard<std::mutex> lock(mutex);
        latencies_ms.push_back(ms);
        scan_ids.insert(id);
      }
    });
  }
  for (std::thread& client : clients) client.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  auto stored = server.OpenStore()->ListScans(std::nullopt, std::numeric_limits<int>::max());

  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(failures.load(), 0);
  ASSERT_FALSE(latencies_ms.empty());
  EXPECT_EQ(scan_ids.size(), latencies_ms.size());  // No id handed out twice.
  EXPECT_EQ(stored->size(), latencies_ms.size());   // None lost, none added.
  std::set<std::string> request_ids;
  for (const store::StoredScan& scan : *stored) request_ids.insert(scan.request_id);
  EXPECT_EQ(request_ids.size(), stored->size());
  std::sort(latencies_ms.begin(), latencies_ms.end());
  double p99 = latencies_ms[latencies_ms.size() * 99 / 100];
  double rate = latencies_ms.size() / seconds;
  std::printf("server load: %zu scans from %d clients in %.1f s: %.0f scans/s, p99 %.1f ms\n",
              latencies_ms.size(), kClients, seconds, rate, p99);
  ::testing::Test::RecordProperty("scans_per_second", std::to_string(rate));
  ::testing::Test::RecordProperty("p99_ms", std::to_string(p99));
}

}  // namespace
}  // namespace bulwark
