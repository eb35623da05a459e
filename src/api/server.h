// The HTTP side of evhub serve: a small, asynchronous HTTP/1.1 server (Boost.Beast/Asio, kept
// out of this header) with a thread pool, keep-alive, request size limits, read/write timeouts
// so slow clients cannot hold threads, and graceful shutdown: stop() lets requests in flight
// finish before run() returns. Optionally HTTPS (OpenSSL, TLS 1.2 or later) with the same
// behaviour. Routes are plain functions from Request to Response.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace evhub {
class ReadableFile;  // core/fs.h
}

namespace evhub::api {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query, as sent
  std::string path;                            // without the query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;  // empty for upload routes, which get body_file instead
  // The body of a request to an upload route (Router::add_upload): read from an encrypted
  // spool, never held in memory whole.
  std::shared_ptr<ReadableFile> body_file;
  std::string remote_address;                 // the peer's IP address
  std::map<std::string, std::string> params;  // {name} segments of the route's path
  // The value of a query parameter, percent-decoded, or "".
  std::string query(const std::string& name) const;
  const std::string& header(const std::string& lower_case_name) const;  // "" if absent
};

// A body produced piece by piece while it is sent (e.g. decrypted chunk by chunk), so that a
// download of any size takes constant memory. If read() fails half-way the connection is cut,
// and the client sees fewer bytes than Content-Length announced.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;
  // The next bytes, in order; 0 only at the end.
  virtual Result<std::size_t> read(std::span<std::uint8_t> out) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
  std::shared_ptr<BodySource> stream;  // when set, sent instead of `body`
};

// A single "bytes=A-B" / "bytes=A-" / "bytes=-N" range of a `size`-byte resource, as
// [first, last]; nullopt when there is no Range header; kInvalidArgument when unsatisfiable or
// malformed (answer 416). Several ranges are not supported and count as malformed.
Result<std::optional<std::pair<std::uint64_t, std::uint64_t>>> parse_range(
    const std::string& header, std::uint64_t size);

// {"error":{"code":"not_found","message":"..."}} — the one shape of every API error.
Response error_response(int status, const std::string& code, const std::string& message);

using Handler = std::function<Response(const Request&)>;
// Decides on a request's head (no body yet) whether its body may be received: nullopt to go
// on, or the refusal to send instead (then the body is never read).
using Admission = std::function<std::optional<Response>(const Request&)>;

struct Route {
  std::string method;
  std::string path;
  Handler handler;
  Admission admit;  // set for upload routes only
};

class Router {
 public:
  void add(std::string method, std::string path, Handler handler);
  // A route whose body may be far larger than memory (evidence uploads): `admit` sees the head
  // first, so that a caller without the right is refused before a byte is stored, then the
  // body is spooled to disk encrypted and the handler reads it from Request::body_file.
  void add_upload(std::string method, std::string path, Admission admit, Handler handler);
  // The upload route that `request` (a head) goes to, or nullptr; fills request.params.
  const Route* upload_route(Request& request) const;
  // Paths may hold {name} segments, matching one non-empty segment each (Request::params).
  // 404 for an unknown path, 405 (with Allow) for a known path and another method.
  Response dispatch(const Request& request) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Answers requests that match no route and lie outside /api/ (the web app's files).
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }

 private:
  std::vector<Route> routes_;
  Handler fallback_;
};

struct ServerOptions {
  std::string address = "127.0.0.1";  // never all interfaces unless configured
  unsigned short port = 8080;         // 0: any free port (see on_listening)
  int threads = 0;                    // 0: one per core
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 64u << 20;  // bodies held in memory
  // Upload routes: bodies up to this size are spooled (encrypted) into spool_dir, which should
  // be on the hub's disk. Each piece must arrive within read_timeout, not the whole body.
  std::uint64_t upload_limit = std::uint64_t{1} << 40;
  std::string spool_dir = "/tmp";
  std::chrono::milliseconds read_timeout{30000};   // a whole request, headers and body
  std::chrono::milliseconds write_timeout{60000};  // a whole response
  std::chrono::milliseconds idle_timeout{60000};   // keep-alive between requests
  // HTTPS: a PEM certificate (chain, leaf first) and its unencrypted PEM private key. Both
  // empty: plain HTTP. The TLS handshake counts against read_timeout, like the first request.
  std::string tls_certificate_file;
  std::string tls_key_file;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key if configured, binds, calls on_listening with the bound
  // port, and serves until stop(); then waits for the requests in flight and returns.
  // kInvalidArgument for a bad address or an unusable certificate or key (only one of them
  // given, not PEM, key not matching the certificate), kNotFound / kIoError if one cannot be
  // read, kBusy if the port is taken.
  Status run(const std::function<void(unsigned short)>& on_listening);
  // Safe from any thread and from a signal-watching thread.
  void stop();

  struct Impl;  // Beast and Asio stay in server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

// "127.0.0.1:8080", "[::1]:8080" or ":8080" (loopback) into options.
Status parse_listen_address(const std::string& text, ServerOptions& options);

}  // namespace evhub::api
