// Test helpers for the HTTP tests: a server on a free loopback port, and curl.
#pragma once

#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/server.h"
#include "support/support.h"

namespace evhub::api {

// A server on a free loopback port, running on its own thread for the test's lifetime.
class TestServer {
 public:
  explicit TestServer(std::shared_ptr<Router> router, ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<Server>(options, std::move(router));
    std::promise<unsigned short> bound;
    auto port = bound.get_future();
    // A server that cannot listen returns without calling back: port 0 then ends the wait,
    // so the test fails with the server's reason instead of hanging.
    thread_ = std::thread([this, &bound] {
      bool told = false;
      result_ = server_->run([&](unsigned short p) {
        told = true;
        bound.set_value(p);
      });
      if (!told) bound.set_value(0);
    });
    port_ = port.get();
    if (port_ == 0) {
      thread_.join();
      throw std::runtime_error("the test server did not start: " + result_.to_string());
    }
  }
  ~TestServer() { (void)stop(); }
  Status stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
    return result_;
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  unsigned short port() const { return port_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status result_;
  unsigned short port_ = 0;
};

// curl prints the body, then the status code on a line of its own.
inline std::pair<int, std::string> curl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"curl", "-s", "-w", "\n%{http_code}"};
  argv.insert(argv.end(), args.begin(), args.end());
  testing::RunResult r = testing::run(argv);
  auto nl = r.out.rfind('\n');
  if (nl == std::string::npos) return {-1, r.err};
  return {std::stoi(r.out.substr(nl + 1)), r.out.substr(0, nl)};
}

}  // namespace evhub::api
