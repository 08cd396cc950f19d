// A real Bulwark server for tests, in process on a free 127.0.0.1 port, over a
// fresh data directory (or a PostgreSQL database), with one account and one
// API token per role.
#ifndef BULWARK_TESTS_SERVER_SERVER_HARNESS_H_
#define BULWARK_TESTS_SERVER_SERVER_HARNESS_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "server/api_server.h"
#include "server/auth.h"
#include "store/store.h"
#include "testing/test_data.h"

namespace bulwark::testing {

class ServerHarness {
 public:
  // Starts the server over `data_dir` (a fresh one when empty). Fails the
  // test (ADD_FAILURE) when it cannot start.
  // With `tls_cert` and `tls_key` (PEM files), it serves HTTPS. With
  // `database` (a PostgreSQL URL), the store is that database.
  explicit ServerHarness(std::string data_dir = "", std::string tls_cert = "",
                         std::string tls_key = "", std::string database = "")
      : data_dir_(std::move(data_dir)), tls_(!tls_cert.empty()) {
    if (data_dir_.empty()) data_dir_ = MakeTempDir() + "/store";
    store_location_ = database.empty() ? data_dir_ + "/bulwark.db" : database;
    server::ServerOptions options;
    options.tls_cert = tls_cert;
    options.tls_key = tls_key;
    options.host = "127.0.0.1";
    options.port = 0;
    options.store_location = store_location_;
    options.advisory_db = data_dir_ + "/advisories.db";
    options.threads = 16;
    options.key_file = data_dir_ + "/server.key";
    auto server = server::ApiServer::Create(options);
    if (!server.ok()) {
      ADD_FAILURE() << "server: " << server.error().message();
      return;
    }
    server_ = std::move(server).value();
    thread_ = std::thread([this] { (void)server_->Run(); });
    // Run() may not listen yet when Stop() comes first; wait until it answers.
    httplib::Client client = Client();
    for (int i = 0; i < 200 && !client.Get("/api/v1/health"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~ServerHarness() { Stop(); }
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  void Stop() {
    if (server_ && thread_.joinable()) {
      server_->Stop();
      thread_.join();
    }
  }

  int port() const { return server_ ? server_->port() : 0; }
  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
  }
  const std::string& data_dir() const { return data_dir_; }

  // Opens the server's store (a second connection, as the CLI makes).
  std::unique_ptr<store::Store> OpenStore() const {
    auto store = store::OpenStoreAt(store_location_);
    if (!store.ok()) ADD_FAILURE() << store.error().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Adds an account `name` of `role` with `password` and returns a new API
  // token for it.
  std::string AddAccount(const std::string& name, server::Role role, const std::string& password) {
    auto store = OpenStore();
    if (!store) return "";
    auto hash = server::HashPassword(password);
    EXPECT_TRUE(hash.ok());
    EXPECT_TRUE(store->PutUser({name, std::string(server::RoleName(role)), *hash, ""}).ok());
    std::string token = server::NewToken();
    store::ApiToken stored;
    stored.name = name + "-token";
    stored.user = name;
    stored.token_sha256 = server::TokenDigest(token);
    auto id = store->AddToken(stored);
    EXPECT_TRUE(id.ok());
    token_ids_[token] = id.ok() ? *id : 0;
    return token;
  }
  int64_t TokenId(const std::string& token) { return token_ids_[token]; }

  httplib::Client Client() const {
    httplib::Client client(url());
    client.enable_server_certificate_verification(false);  // Tests check TLS through the CLI.
    client.set_read_timeout(60);
    return client;
  }

 private:
  std::string data_dir_;
  std::string store_location_;
  bool tls_ = false;
  std::unique_ptr<server::ApiServer> server_;
  std::thread thread_;
  std::map<std::string, int64_t> token_ids_;
};

inline httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_SERVER_SERVER_HARNESS_H_
