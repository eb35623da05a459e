// The HTTP server with real connections: curl, python3 and raw sockets against a server on
// loopback. The behaviour tests run twice, over plain HTTP and over HTTPS (a throwaway
// self-signed certificate made with the openssl command), since TLS must change nothing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "api/test_server.h"
#include "core/fs.h"
#include "core/hex.h"
#include "crypto/crypto.h"
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
  // An upload route: refuses heads that carry X-Deny, answers with the size and SHA-256 of the
  // body it reads back from the spool.
  router->add_upload(
      "POST", "/upload",
      [](const Request& head) -> std::optional<Response> {
        if (!head.header("x-throw").empty()) throw std::runtime_error("secret witness name");
        if (head.header("x-deny").empty()) return std::nullopt;
        return error_response(403, "forbidden", "denied on the head");
      },
      [](const Request& req) {
        if (!req.body.empty() || !req.body_file) throw std::logic_error("no spooled body");
        crypto::Sha256 hash;
        Bytes piece(100 * 1000);  // not a divisor of the spool's chunks
        std::uint64_t size = 0;
        for (;;) {
          auto n = req.body_file->read(piece);
          if (!n.is_ok()) return error_response(500, "internal", n.status().message());
          if (*n == 0) break;
          hash.update({piece.data(), *n});
          size += *n;
        }
        Response r;
        r.body = json{{"size", size}, {"sha256", to_hex(hash.finish())}}.dump();
        return r;
      });
  return router;
}

enum class Transport { kHttp, kHttps };

struct TestCertificate {
  std::string cert;  // self-signed, for 127.0.0.1: also the CA clients trust
  std::string key;
};

// Makes a P-256 key and a self-signed certificate for 127.0.0.1 into `dir` (EC keys are made in
// milliseconds, where RSA would slow the tests down).
TestCertificate make_certificate(const std::string& dir, const std::string& name) {
  TestCertificate c{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  RunResult r =
      testing::run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", c.key, "-out", c.cert, "-days",
                    "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  return c;
}

// One certificate for the whole test program, removed at exit with its directory.
const TestCertificate& test_certificate() {
  static testing::TempDir dir;
  static const TestCertificate cert = make_certificate(dir.path(), "server");
  return cert;
}

ServerOptions with_tls(ServerOptions options) {
  options.tls_certificate_file = test_certificate().cert;
  options.tls_key_file = test_certificate().key;
  return options;
}

// A test that runs over each transport: options(), url() and the curl helpers follow it.
class ServerOver : public ::testing::TestWithParam<Transport> {
 protected:
  bool tls() const { return GetParam() == Transport::kHttps; }
  ServerOptions options(ServerOptions o = {}) const { return tls() ? with_tls(std::move(o)) : o; }
  std::string url(const TestServer& s, const std::string& path) const {
    return (tls() ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(s.port()) +
           path;
  }
  // curl's arguments, trusting the test certificate.
  std::vector<std::string> trusting(const std::vector<std::string>& args) const {
    std::vector<std::string> out;
    if (tls()) out = {"--cacert", test_certificate().cert};
    out.insert(out.end(), args.begin(), args.end());
    return out;
  }
  std::vector<std::string> curl_argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = trusting(args);
    argv.insert(argv.begin(), "curl");
    return argv;
  }
  RunResult run_curl(const std::vector<std::string>& args) const {
    return testing::run(curl_argv(args));
  }
  // Status and body, like curl() of test_server.h.
  std::pair<int, std::string> get(const std::vector<std::string>& args) const {
    return curl(trusting(args));
  }
};

INSTANTIATE_TEST_SUITE_P(Transports, ServerOver,
                         ::testing::Values(Transport::kHttp, Transport::kHttps), [](const auto& p) {
                           return std::string(p.param == Transport::kHttps ? "https" : "http");
                         });

TEST_P(ServerOver, ServesRoutesWithJsonErrorsOfOneShape) {
  TestServer s(test_router(), options());
  auto [status, body] = get({url(s, "/api/v1/health")});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(json::parse(body)["status"], "ok");
  auto [nf_status, nf_body] = get({url(s, "/api/v1/nothing")});
  EXPECT_EQ(nf_status, 404);
  EXPECT_EQ(json::parse(nf_body)["error"]["code"], "not_found");
  auto [m_status, m_body] = get({"-X", "DELETE", url(s, "/api/v1/health")});
  EXPECT_EQ(m_status, 405);
  EXPECT_EQ(json::parse(m_body)["error"]["code"], "method_not_allowed");
  auto [e_status, e_body] = get({url(s, "/throws")});
  EXPECT_EQ(e_status, 500);
  EXPECT_EQ(e_body.find("witness"), std::string::npos) << "exception text must not leak";
  EXPECT_EQ(json::parse(e_body)["error"]["code"], "internal");
}

TEST_P(ServerOver, SetsNoStoreAndNosniffHeaders) {
  TestServer s(test_router(), options());
  RunResult r = run_curl({"-s", "-D", "-", "-o", "/dev/null", url(s, "/api/v1/health")});
  EXPECT_NE(r.out.find("Cache-Control: no-store"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("X-Content-Type-Options: nosniff"), std::string::npos) << r.out;
}

TEST_P(ServerOver, EnforcesBodyAndHeaderLimits) {
  ServerOptions opts;
  opts.body_limit = 1000;
  opts.header_limit = 2000;
  TestServer s(test_router(), options(opts));
  auto [ok_status, ok_body] = get({"--data-binary", std::string(1000, 'a'), url(s, "/echo")});
  EXPECT_EQ(ok_status, 200);
  EXPECT_EQ(ok_body.size(), 1000u);
  auto [big_status, big_body] = get({"--data-binary", std::string(1001, 'a'), url(s, "/echo")});
  EXPECT_EQ(big_status, 413);
  EXPECT_EQ(json::parse(big_body)["error"]["code"], "too_large");
  auto [h_status, h_body] =
      get({"-H", "X-Filler: " + std::string(3000, 'x'), url(s, "/api/v1/health")});
  EXPECT_EQ(h_status, 431);
}

// Upload routes take bodies far above body_limit, spooled to disk encrypted, in any framing;
// a refusal on the head stores nothing, and upload_limit still holds.
TEST_P(ServerOver, UploadRoutesSpoolLargeBodiesAndAdmitOnTheHead) {
  testing::TempDir spool;
  ServerOptions opts;
  opts.body_limit = 1000;
  opts.upload_limit = 3u << 20;
  opts.spool_dir = spool.path();
  TestServer s(test_router(), options(opts));
  testing::TempDir tmp;
  auto upload = [&](const std::string& file, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--data-binary", "@" + file};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url(s, "/upload"));
    return get(args);
  };
  for (std::uint64_t size :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{65536}, std::uint64_t{(3u << 20) - 1}}) {
    const std::string file = tmp / ("body-" + std::to_string(size));
    testing::write_random_file(file, size, size + 1);
    // curl asks "Expect: 100-continue" for bodies over 1 MiB; the server answers it.
    auto [status, body] = upload(file, {});
    ASSERT_EQ(status, 200) << size << ": " << body;
    EXPECT_EQ(json::parse(body)["size"], size);
    EXPECT_EQ(json::parse(body)["sha256"], testing::sha256sum_of(file)) << size;
  }
  const std::string file = tmp / "body-chunked";
  testing::write_random_file(file, 300000, 7);
  auto [c_status, c_body] = upload(file, {"-H", "Transfer-Encoding: chunked"});
  ASSERT_EQ(c_status, 200) << c_body;
  EXPECT_EQ(json::parse(c_body)["sha256"], testing::sha256sum_of(file));

  auto [d_status, d_body] = upload(file, {"-H", "X-Deny: yes"});
  EXPECT_EQ(d_status, 403) << d_body;
  EXPECT_EQ(json::parse(d_body)["error"]["message"], "denied on the head");
  // An admission that throws is a 500 that says nothing of it, and the server carries on.
  auto [t_status, t_body] = upload(file, {"-H", "X-Throw: yes"});
  EXPECT_EQ(t_status, 500) << t_body;
  EXPECT_EQ(t_body.find("witness"), std::string::npos) << t_body;
  EXPECT_EQ(get({url(s, "/api/v1/health")}).first, 200);

  const std::string big = tmp / "too-big";
  testing::write_random_file(big, (3u << 20) + 1, 9);
  EXPECT_EQ(upload(big, {}).first, 413);
  EXPECT_EQ(upload(big, {"-H", "Transfer-Encoding: chunked"}).first, 413);
  // Other routes still hold bodies in memory, under body_limit.
  EXPECT_EQ(get({"--data-binary", "@" + file, url(s, "/echo")}).first, 413);
  // The spool files never had a name: nothing is left in the spool directory.
  EXPECT_TRUE(std::filesystem::is_empty(spool.path()));
}

TEST_P(ServerOver, KeepsConnectionsAlive) {
  TestServer s(test_router(), options());
  RunResult r = run_curl({"-sv", "-o", "/dev/null", url(s, "/api/v1/health"), "-o", "/dev/null",
                          url(s, "/api/v1/health")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("Re-using existing connection"), std::string::npos) << r.err;
}

int connect_to(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A client that connects and sends the start of what it should send, then nothing: half a
// request over HTTP, the first bytes of a ClientHello over HTTPS (a TLS record header announcing
// 512 bytes, then the handshake header), so the server waits for the rest.
int connect_and_stall(unsigned short port, Transport transport) {
  int fd = connect_to(port);
  if (fd < 0) return fd;
  if (transport == Transport::kHttp) {
    const char partial[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";
    (void)!::write(fd, partial, sizeof partial - 1);
  } else {
    const unsigned char partial[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc};
    (void)!::write(fd, partial, sizeof partial);
  }
  return fd;
}

// Whether the server closed `fd` (end of file, or a reset) within a few seconds.
bool closed_by_server(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[16];
  ssize_t n = ::read(fd, buf, sizeof buf);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

// Over HTTPS the silent clients are the ones that never start the TLS handshake, the stalled
// ones the ones that never finish it: both fall under the read timeout.
TEST_P(ServerOver, SlowClientsAreCutOffAndDoNotBlockOthers) {
  ServerOptions opts;
  opts.read_timeout = std::chrono::milliseconds(500);
  TestServer s(test_router(), options(opts));
  std::vector<int> silent, stalled;
  for (int i = 0; i < 250; ++i) {
    silent.push_back(connect_to(s.port()));
    stalled.push_back(connect_and_stall(s.port(), GetParam()));
  }
  // Others are served while 500 connections hang mid-request or mid-handshake.
  EXPECT_EQ(get({url(s, "/api/v1/health")}).first, 200);
  // After the read timeout the server has closed them.
  for (int fd : {silent.front(), silent.back(), stalled.front(), stalled.back()}) {
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(closed_by_server(fd)) << "a slow connection was not closed";
  }
  for (int fd : silent) ::close(fd);
  for (int fd : stalled) ::close(fd);
}

TEST_P(ServerOver, StopLetsRequestsInFlightFinish) {
  auto s = std::make_unique<TestServer>(test_router(), options());
  testing::Child slow(curl_argv({"-s", "-w", "\n%{http_code}", url(*s, "/slow")}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the request is being handled
  EXPECT_TRUE(s->stop().is_ok());
  RunResult r = slow.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("200"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"slow\":true"), std::string::npos);
  // And nothing is accepted any more.
  EXPECT_NE(get({"--max-time", "2", url(*s, "/api/v1/health")}).first, 200);
}

// A keep-alive client that has had its answer and waits: python3 prints "served", then how the
// connection ended. "closed" is a clean end: a FIN over HTTP, a close_notify over HTTPS (ragged
// EOFs are not suppressed, so a bare cut would print "cut").
constexpr const char* kIdleClient = R"(
import socket, ssl, sys
port, tls, ca = int(sys.argv[1]), sys.argv[2] == "https", sys.argv[3]
s = socket.create_connection(("127.0.0.1", port))
if tls:
    ctx = ssl.create_default_context(cafile=ca)
    s = ctx.wrap_socket(s, server_hostname="127.0.0.1", suppress_ragged_eofs=False)
s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
data = b""
while b'{"status":"ok"}' not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print("served" if b" 200 " in data else "not served: %r" % data, flush=True)
try:
    print("closed" if s.recv(4096) == b"" else "unexpected data")
except (ssl.SSLError, OSError) as e:
    print("cut: %s" % e)
)";

TEST_P(ServerOver, StopClosesIdleKeepAliveConnectionsCleanly) {
  auto s = std::make_unique<TestServer>(test_router(), options());
  testing::Child idle({"python3", "-c", kIdleClient, std::to_string(s->port()),
                       tls() ? "https" : "http", test_certificate().cert});
  ASSERT_EQ(idle.read_line(20000), "served");
  EXPECT_TRUE(s->stop().is_ok());  // returns although the connection was open
  RunResult r = idle.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "closed\n") << r.err;
}

TEST_P(ServerOver, StreamsLargeBodiesAndCutsTheConnectionWhenTheSourceFails) {
  TestServer s(test_router(), options());
  testing::TempDir tmp;
  const std::uint64_t size = (5u << 20) + 123;
  testing::RunResult ok =
      run_curl({"-s", "-o", tmp / "got", url(s, "/stream?size=" + std::to_string(size))});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  std::string got = testing::read_text(tmp / "got");
  ASSERT_EQ(got.size(), size);
  bool pattern = true;
  for (std::size_t i = 0; i < got.size(); ++i) {
    pattern &= static_cast<std::uint8_t>(got[i]) == i % 251;
  }
  EXPECT_TRUE(pattern);
  testing::RunResult cut =
      run_curl({"-s", "-o", tmp / "cut", url(s, "/stream?size=3000000&fail=1000000")});
  EXPECT_EQ(cut.exit_code, 18) << "curl: transfer closed with outstanding read data remaining";
  EXPECT_LT(testing::file_size(tmp / "cut"), 3000000u);
  // The server is still fine afterwards, on a keep-alive connection too.
  EXPECT_EQ(get({url(s, "/api/v1/health")}).first, 200);
  testing::RunResult twice = run_curl({"-s", "-o", "/dev/null", "-o", "/dev/null",
                                       url(s, "/stream?size=1000"), url(s, "/stream?size=2000")});
  EXPECT_EQ(twice.exit_code, 0);
}

TEST(ServerTls, PlainHttpOnTheTlsPortIsCutAndTheServerCarriesOn) {
  TestServer s(test_router(), with_tls({}));
  const std::string port = std::to_string(s.port());
  RunResult plain =
      testing::run({"curl", "-s", "--max-time", "20", "http://127.0.0.1:" + port + "/"});
  EXPECT_NE(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.exit_code, 28) << "the server must cut it, not leave it hanging";
  // An untrusted certificate is the client's call to refuse; the server is fine either way.
  EXPECT_NE(testing::run({"curl", "-s", "https://127.0.0.1:" + port + "/api/v1/health"}).exit_code,
            0);
  auto [status, body] =
      curl({"--cacert", test_certificate().cert, "https://127.0.0.1:" + port + "/api/v1/health"});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(json::parse(body)["status"], "ok");
  // TLS 1.2 is accepted (1.3 is what curl picks by itself).
  RunResult v12 = testing::run({"curl", "-s", "--cacert", test_certificate().cert, "--tls-max",
                                "1.2", "https://127.0.0.1:" + port + "/api/v1/health"});
  EXPECT_EQ(v12.exit_code, 0) << v12.err;
}

// What run() says about a certificate or key it cannot use: before listening, naming the file,
// never quoting the key.
TEST(ServerTls, UnusableCertificateOrKeyIsAClearErrorBeforeListening) {
  testing::TempDir dir;
  const TestCertificate& good = test_certificate();
  const TestCertificate other = make_certificate(dir.path(), "other");
  const std::string not_pem = dir / "not-pem.txt";
  testing::write_text_file(not_pem, "this is not a certificate\n");
  const std::string encrypted = dir / "encrypted.key";
  RunResult enc = testing::run({"openssl", "pkey", "-in", good.key, "-aes256", "-passout",
                                "pass:secret", "-out", encrypted});
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  const std::string key_text = testing::read_text(good.key);
  const std::string key_body = key_text.substr(key_text.find('\n') + 1, 40);

  auto run_with = [&](const std::string& cert, const std::string& key) {
    ServerOptions o;
    o.port = 0;
    o.tls_certificate_file = cert;
    o.tls_key_file = key;
    Server server(o, test_router());
    bool listened = false;
    Status st = server.run([&](unsigned short) { listened = true; });
    EXPECT_FALSE(listened) << "run() must fail before it listens: " << st.to_string();
    EXPECT_EQ(st.message().find(key_body), std::string::npos) << "key material in the message";
    return st;
  };
  auto expect = [&](const Status& st, Code code, const std::vector<std::string>& words) {
    EXPECT_EQ(st.code(), code) << st.to_string();
    for (const auto& w : words) EXPECT_NE(st.message().find(w), std::string::npos) << st.message();
  };
  expect(run_with(good.cert, ""), Code::kInvalidArgument, {"both", "certificate"});
  expect(run_with("", good.key), Code::kInvalidArgument, {"both", "key"});
  expect(run_with(dir / "missing.crt", good.key), Code::kNotFound, {"missing.crt", "certificate"});
  expect(run_with(good.cert, dir / "missing.key"), Code::kNotFound, {"missing.key", "key"});
  expect(run_with(dir.path(), good.key), Code::kInvalidArgument, {"directory"});
  expect(run_with(not_pem, good.key), Code::kInvalidArgument, {not_pem, "TLS certificate", "PEM"});
  expect(run_with(good.cert, not_pem), Code::kInvalidArgument, {not_pem, "no PEM private key"});
  expect(run_with(good.cert, good.cert), Code::kInvalidArgument, {good.cert, "no PEM private key"});
  expect(run_with(good.cert, encrypted), Code::kInvalidArgument, {encrypted, "passphrase"});
  expect(run_with(good.cert, other.key), Code::kInvalidArgument,
         {other.key, good.cert, "does not belong"});
  // And the right pair serves.
  TestServer ok(test_router(), with_tls({}));
  EXPECT_EQ(curl({"--cacert", good.cert,
                  "https://127.0.0.1:" + std::to_string(ok.port()) + "/api/v1/health"})
                .first,
            200);
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

namespace evhub::api {
namespace {

// A client that sends a whole 4 MiB upload without waiting (no Expect: 100-continue), as
// browsers do, and then reads the answer: python3 prints the status line, or how it failed.
constexpr const char* kEagerUploader = R"(
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
body = b"x" * (4 << 20)
head = b"POST /upload HTTP/1.1\r\nHost: x\r\nX-Deny: yes\r\nContent-Length: %d\r\n\r\n" % len(body)
try:
    s.sendall(head + body)
except OSError as e:
    print("send failed: %s" % e)
data = b""
try:
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    print(data.split(b"\r\n")[0].decode() if data else "no answer")
except OSError as e:
    print("receive failed: %s" % e)
)";

// Refusing an upload on its head must not cost the client the answer: the server reads and
// drops what is still coming before it closes, instead of resetting the connection (which
// would throw the 403 away before the client reads it).
TEST(ServerRefusals, AClientStillSendingItsBodyGetsTheRefusal) {
  testing::TempDir spool;
  ServerOptions opts;
  opts.spool_dir = spool.path();
  TestServer s(test_router(), opts);
  for (int i = 0; i < 5; ++i) {
    RunResult r = testing::run({"python3", "-c", kEagerUploader, std::to_string(s.port())});
    EXPECT_EQ(r.out, "HTTP/1.1 403 Forbidden\n") << r.err;
  }
}

}  // namespace
}  // namespace evhub::api
