// The HTTP server with real connections: curl and raw sockets against a server on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "api/test_server.h"
#include "support/support.h"

namespace evhub::api {
namespace {

using nlohmann::json;
using testing::RunResult;

std::shared_ptr<Router> test_router() {
  auto router = std::make_shared<Router>();
  router->add("GET", "/api/v1/health", [](const Request&) {
    Response r;
    r.body = R"({"status":"ok"})";
    return r;
  });
  router->add("POST", "/echo", [](const Request& req) {
    Response r;
    r.content_type = "text/plain";
    r.body = req.body;
    return r;
  });
  router->add("GET", "/slow", [](const Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    Response r;
    r.body = R"({"slow":true})";
    return r;
  });
  // A streamed body: `size` bytes of a known pattern; fails after `fail_at` bytes if set.
  router->add("GET", "/stream", [](const Request& req) {
    struct Pattern : BodySource {
      std::uint64_t total, fail_at, pos = 0;
      Pattern(std::uint64_t t, std::uint64_t f) : total(t), fail_at(f) {}
      std::uint64_t size() const override { return total; }
      Result<std::size_t> read(std::span<std::uint8_t> out) override {
        if (pos >= fail_at) return Status(Code::kIntegrity, "chunk failed");
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), total - pos));
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>((pos + i) % 251);
        pos += n;
        return n;
      }
    };
    Response r;
    r.content_type = "application/octet-stream";
    std::uint64_t fail = req.query("fail").empty() ? UINT64_MAX : std::stoull(req.query("fail"));
    r.stream = std::make_shared<Pattern>(std::stoull(req.query("size")), fail);
    return r;
  });
  router->add("GET", "/throws", [](const Request&) -> Response {
    throw std::runtime_error("secret witness name must not leak");
  });
  return router;
}

TEST(Server, ServesRoutesWithJsonErrorsOfOneShape) {
  TestServer s(test_router());
  auto [status, body] = curl({s.url("/api/v1/health")});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(json::parse(body)["status"], "ok");
  auto [nf_status, nf_body] = curl({s.url("/api/v1/nothing")});
  EXPECT_EQ(nf_status, 404);
  EXPECT_EQ(json::parse(nf_body)["error"]["code"], "not_found");
  auto [m_status, m_body] = curl({"-X", "DELETE", s.url("/api/v1/health")});
  EXPECT_EQ(m_status, 405);
  EXPECT_EQ(json::parse(m_body)["error"]["code"], "method_not_allowed");
  auto [e_status, e_body] = curl({s.url("/throws")});
  EXPECT_EQ(e_status, 500);
  EXPECT_EQ(e_body.find("witness"), std::string::npos) << "exception text must not leak";
  EXPECT_EQ(json::parse(e_body)["error"]["code"], "internal");
}

TEST(Server, SetsNoStoreAndNosniffHeaders) {
  TestServer s(test_router());
  RunResult r = testing::run({"curl", "-s", "-D", "-", "-o", "/dev/null", s.url("/api/v1/health")});
  EXPECT_NE(r.out.find("Cache-Control: no-store"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("X-Content-Type-Options: nosniff"), std::string::npos) << r.out;
}

TEST(Server, EnforcesBodyAndHeaderLimits) {
  ServerOptions opts;
  opts.body_limit = 1000;
  opts.header_limit = 2000;
  TestServer s(test_router(), opts);
  auto [ok_status, ok_body] = curl({"--data-binary", std::string(1000, 'a'), s.url("/echo")});
  EXPECT_EQ(ok_status, 200);
  EXPECT_EQ(ok_body.size(), 1000u);
  auto [big_status, big_body] = curl({"--data-binary", std::string(1001, 'a'), s.url("/echo")});
  EXPECT_EQ(big_status, 413);
  EXPECT_EQ(json::parse(big_body)["error"]["code"], "too_large");
  auto [h_status, h_body] =
      curl({"-H", "X-Filler: " + std::string(3000, 'x'), s.url("/api/v1/health")});
  EXPECT_EQ(h_status, 431);
}

TEST(Server, KeepsConnectionsAlive) {
  TestServer s(test_router());
  RunResult r = testing::run({"curl", "-sv", "-o", "/dev/null", s.url("/api/v1/health"), "-o",
                              "/dev/null", s.url("/api/v1/health")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("Re-using existing connection"), std::string::npos) << r.err;
}

// A client that connects and sends half a request, then nothing.
int connect_and_stall(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  const char partial[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";
  (void)!::write(fd, partial, sizeof partial - 1);
  return fd;
}

TEST(Server, SlowClientsAreCutOffAndDoNotBlockOthers) {
  ServerOptions opts;
  opts.read_timeout = std::chrono::milliseconds(500);
  TestServer s(test_router(), opts);
  std::vector<int> stalled;
  for (int i = 0; i < 500; ++i) stalled.push_back(connect_and_stall(s.port()));
  // Others are served while 500 connections hang mid-request.
  EXPECT_EQ(curl({s.url("/api/v1/health")}).first, 200);
  // After the read timeout the server has closed them: read() sees end of file.
  char buf[16];
  for (int fd : {stalled.front(), stalled.back()}) {
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::read(fd, buf, sizeof buf), 0) << "the stalled connection was not closed";
  }
  for (int fd : stalled) ::close(fd);
}

TEST(Server, StopLetsRequestsInFlightFinish) {
  auto s = std::make_unique<TestServer>(test_router());
  testing::Child slow({"curl", "-s", "-w", "\n%{http_code}", s->url("/slow")});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the request is being handled
  EXPECT_TRUE(s->stop().is_ok());
  RunResult r = slow.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("200"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"slow\":true"), std::string::npos);
  // And nothing is accepted any more.
  EXPECT_NE(curl({"--max-time", "2", s->url("/api/v1/health")}).first, 200);
}

TEST(Server, StreamsLargeBodiesAndCutsTheConnectionWhenTheSourceFails) {
  TestServer s(test_router());
  testing::TempDir tmp;
  const std::uint64_t size = (5u << 20) + 123;
  testing::RunResult ok = testing::run(
      {"curl", "-s", "-o", tmp / "got", s.url("/stream?size=" + std::to_string(size))});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  std::string got = testing::read_text(tmp / "got");
  ASSERT_EQ(got.size(), size);
  bool pattern = true;
  for (std::size_t i = 0; i < got.size(); ++i) {
    pattern &= static_cast<std::uint8_t>(got[i]) == i % 251;
  }
  EXPECT_TRUE(pattern);
  testing::RunResult cut =
      testing::run({"curl", "-s", "-o", tmp / "cut", s.url("/stream?size=3000000&fail=1000000")});
  EXPECT_EQ(cut.exit_code, 18) << "curl: transfer closed with outstanding read data remaining";
  EXPECT_LT(testing::file_size(tmp / "cut"), 3000000u);
  // The server is still fine afterwards, on a keep-alive connection too.
  EXPECT_EQ(curl({s.url("/api/v1/health")}).first, 200);
  testing::RunResult twice = testing::run({"curl", "-s", "-o", "/dev/null", "-o", "/dev/null",
                                           s.url("/stream?size=1000"), s.url("/stream?size=2000")});
  EXPECT_EQ(twice.exit_code, 0);
}

TEST(Server, ParsesSingleByteRanges) {
  auto r = [](const std::string& h, std::uint64_t size) { return parse_range(h, size); };
  EXPECT_FALSE(r("", 100)->has_value());
  EXPECT_EQ(**r("bytes=0-9", 100), std::make_pair(std::uint64_t{0}, std::uint64_t{9}));
  EXPECT_EQ(**r("bytes=90-", 100), std::make_pair(std::uint64_t{90}, std::uint64_t{99}));
  EXPECT_EQ(**r("bytes=-10", 100), std::make_pair(std::uint64_t{90}, std::uint64_t{99}));
  EXPECT_EQ(**r("bytes=-500", 100), std::make_pair(std::uint64_t{0}, std::uint64_t{99}));
  EXPECT_EQ(**r("bytes=50-5000", 100), std::make_pair(std::uint64_t{50}, std::uint64_t{99}));
  for (const char* bad : {"bytes=100-", "bytes=5-4", "bytes=0-1,5-6", "items=0-1", "bytes=x-1",
                          "bytes=-0", "bytes=-"}) {
    EXPECT_FALSE(r(bad, 100).is_ok()) << bad;
  }
  EXPECT_FALSE(r("bytes=0-0", 0).is_ok()) << "an empty resource has no ranges";
}

TEST(Server, ListenAddressParsingAndBusyPort) {
  ServerOptions o;
  EXPECT_TRUE(parse_listen_address("127.0.0.1:9000", o).is_ok());
  EXPECT_EQ(o.port, 9000);
  EXPECT_TRUE(parse_listen_address("[::1]:8081", o).is_ok());
  EXPECT_EQ(o.address, "::1");
  EXPECT_TRUE(parse_listen_address(":8082", o).is_ok());
  EXPECT_EQ(o.address, "127.0.0.1") << "loopback unless told otherwise";
  EXPECT_FALSE(parse_listen_address("localhost", o).is_ok());
  EXPECT_FALSE(parse_listen_address("127.0.0.1:70000", o).is_ok());
  EXPECT_FALSE(parse_listen_address("example:80", o).is_ok());
  TestServer first(test_router());
  ServerOptions same;
  same.port = first.port();
  Server second(same, std::make_shared<Router>());
  Status st = second.run([](unsigned short) {});
  EXPECT_EQ(st.code(), Code::kBusy) << st.to_string();
}

}  // namespace
}  // namespace evhub::api
