#include "api/server.h"

#include "api/spool.h"

#include "core/fs.h"
#include "core/hex.h"
#include "crypto/crypto.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

namespace evhub::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Response error_response(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  r.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::string Request::query(const std::string& name) const {
  auto q = target.find('?');
  if (q == std::string::npos) return "";
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      if (eq == std::string_view::npos) return "";
      // Percent-decoding ('+' is a space in query strings); a malformed escape stays as typed.
      std::string out;
      std::string_view v = pair.substr(eq + 1);
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '+') {
          out += ' ';
        } else if (v[i] == '%' && i + 2 < v.size() + 0 &&
                   std::isxdigit(static_cast<unsigned char>(v[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(v[i + 2]))) {
          out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
          i += 2;
        } else {
          out += v[i];
        }
      }
      return out;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return "";
}

const std::string& Request::header(const std::string& lower_case_name) const {
  static const std::string kNone;
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? kNone : it->second;
}

void Router::add(std::string method, std::string path, Handler handler) {
  routes_.push_back(Route{std::move(method), std::move(path), std::move(handler), {}});
}

void Router::add_upload(std::string method, std::string path, Admission admit, Handler handler) {
  routes_.push_back(
      Route{std::move(method), std::move(path), std::move(handler), std::move(admit)});
}

namespace {
// Matches "/a/{x}/b" against "/a/123/b", filling params.
bool match_path(const std::string& pattern, const std::string& path,
                std::map<std::string, std::string>& params) {
  std::size_t i = 0, j = 0;
  while (i < pattern.size() && j < path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      auto end = path.find('/', j);
      if (end == std::string::npos) end = path.size();
      if (end == j) return false;
      params[pattern.substr(i + 1, close - i - 1)] = path.substr(j, end - j);
      i = close + 1;
      j = end;
    } else if (pattern[i++] != path[j++]) {
      return false;
    }
  }
  return i == pattern.size() && j == path.size();
}
}  // namespace

const Route* Router::upload_route(Request& request) const {
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (r.method == request.method && match_path(r.path, request.path, params)) {
      if (!r.admit) return nullptr;
      request.params = std::move(params);
      return &r;
    }
  }
  return nullptr;
}

Response Router::dispatch(const Request& request) const {
  std::string allowed;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_path(r.path, request.path, params)) continue;
    if (r.method == request.method) {
      if (params.empty()) return r.handler(request);
      Request with_params = request;
      with_params.params = std::move(params);
      return r.handler(with_params);
    }
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (!allowed.empty()) {
    Response r = error_response(405, "method_not_allowed",
                                request.method + " is not allowed on " + request.path);
    r.headers["Allow"] = allowed;
    return r;
  }
  if (fallback_ && request.path.rfind("/api/", 0) != 0) return fallback_(request);
  return error_response(404, "not_found", "no such route: " + request.path);
}

Result<std::optional<std::pair<std::uint64_t, std::uint64_t>>> parse_range(
    const std::string& header, std::uint64_t size) {
  using Range = std::optional<std::pair<std::uint64_t, std::uint64_t>>;
  if (header.empty()) return Range();
  const Status bad(Code::kInvalidArgument, "unsatisfiable or malformed Range");
  if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) return bad;
  const std::string spec = header.substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string::npos) return bad;
  auto number = [](const std::string& t, std::uint64_t& out) {
    if (t.empty() || t.size() > 19 ||
        !std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return false;
    }
    out = std::stoull(t);
    return true;
  };
  std::uint64_t a = 0, b = 0;
  const std::string first = spec.substr(0, dash), last = spec.substr(dash + 1);
  if (first.empty()) {  // the last N bytes
    if (!number(last, b) || b == 0 || size == 0) return bad;
    return Range(std::pair{size - std::min(b, size), size - 1});
  }
  if (!number(first, a) || a >= size) return bad;
  if (last.empty()) return Range(std::pair{a, size - 1});
  if (!number(last, b) || b < a) return bad;
  return Range(std::pair{a, std::min(b, size - 1)});
}

Status parse_listen_address(const std::string& text, ServerOptions& options) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Status(Code::kInvalidArgument, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "127.0.0.1";
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoul(port) > 65535) {
    return Status(Code::kInvalidArgument, "the port in --listen must be a number up to 65535");
  }
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  if (ec) return Status(Code::kInvalidArgument, "not an IP address: " + host);
  options.address = host;
  options.port = static_cast<unsigned short>(std::stoul(port));
  return Status::ok();
}

namespace {

// What Server::Impl needs of a connection, whichever stream it runs over.
class Connection {
 public:
  virtual ~Connection() = default;
  // Called on stop(): an idle connection is closed now; a busy one after its response.
  virtual void stop_if_idle() = 0;
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  net::io_context ioc;
  std::optional<net::ssl::context> tls;  // set when serving HTTPS
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::signal_set> signals;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::vector<std::weak_ptr<Connection>> sessions;

  Status load_tls();
  void accept();
  void stop_sessions();
};

namespace {

// The head of a request; the body is added by the caller (in memory or spooled).
Request to_request(const http::request_header<>& m, const std::string& remote) {
  Request r;
  r.remote_address = remote;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  r.path = r.target.substr(0, r.target.find('?'));
  for (const auto& f : m) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r.headers[name] = std::string(f.value());
  }
  return r;
}

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == make_error_code(http::error::end_of_stream).category();
}

// One connection over Stream: beast::tcp_stream (HTTP) or TlsStream (HTTPS). All of the HTTP
// logic is shared; only the start (TLS handshake) and the end (TLS close_notify) differ.
template <typename Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <typename... StreamArgs>
  Session(Server::Impl& server, StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...), server_(server) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      // One deadline covers the TLS handshake and the whole first request, so a client that
      // trickles handshake bytes cannot stretch it.
      self->socket_layer().expires_after(self->server_.options.read_timeout);
      if constexpr (kTls) {
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          // Not TLS (e.g. plain HTTP sent to this port) or too slow: just cut.
          if (ec) return self->close_now();
          self->read();
        });
      } else {
        self->read();
      }
    });
  }

  void stop_if_idle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->busy_) return;  // closed after its response
      if constexpr (kTls) {
        // Ends the pending handshake or read as if the client had closed its side, so it ends
        // through its handler, which sends close_notify on the still open sending side.
        // (Cancelling would miss a read the TLS layer reissues from a completion that is
        // already queued.)
        beast::error_code ignored;
        self->socket_layer().socket().shutdown(tcp::socket::shutdown_receive, ignored);
      } else {
        self->close_now();
      }
    });
  }

 private:
  beast::tcp_stream& socket_layer() { return beast::get_lowest_layer(stream_); }

  // Every request starts with its head alone: an upload route then takes its body piece by
  // piece into a spool, any other route reads it into memory under body_limit.
  void read() {
    if (server_.stopping) return close();
    head_parser_.emplace();
    head_parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // Body sizes are checked once the route is known (on_head). (Not boost::none: Beast 1.74
    // compares a Content-Length with an empty limit as larger.)
    head_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // The first request must arrive whole within the read timeout set in start(); later ones
    // may first idle.
    if (!first_) socket_layer().expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *head_parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_head(ec);
                            });
  }

  void on_head(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return respond(error_response(431, "headers_too_large", "the request headers are too large"),
                     false);
    }
    // The peer closed between requests (a TLS close_notify arrives as end_of_stream too), or
    // stop() ended an idle read: close in good order.
    if (ec == http::error::end_of_stream || (ec && server_.stopping)) return close();
    // Timeout (the socket is already closed), reset, a TLS failure or a peer that vanished
    // without close_notify: the stream is unusable, there is no one to answer.
    if (ec && !is_http_error(ec)) return close_now();
    if (ec) return respond(error_response(400, "bad_request", "malformed HTTP request"), false);
    if (!first_) socket_layer().expires_after(server_.options.read_timeout);
    beast::error_code ignored;
    auto peer = socket_layer().socket().remote_endpoint(ignored);
    Request head = to_request(head_parser_->get(), ignored ? "" : peer.address().to_string());
    if (const Route* route = server_.router->upload_route(head)) {
      return start_upload(*route, std::move(head));
    }
    const auto length = head_parser_->content_length();
    parser_.emplace(std::move(*head_parser_));
    parser_->body_limit(server_.options.body_limit);
    if (length && *length > server_.options.body_limit) return refuse_too_large();
    continue_if_expected(head, [self = this->shared_from_this(), head]() mutable {
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self, head = std::move(head)](beast::error_code e, std::size_t) mutable {
                         self->on_body(e, std::move(head));
                       });
    });
  }

  void on_body(beast::error_code ec, Request request) {
    if (ec == http::error::body_limit) return refuse_too_large();
    if (ec && (server_.stopping || !is_http_error(ec))) return close_now();
    if (ec) return respond(error_response(400, "bad_request", "malformed HTTP request"), false);
    request.body = std::move(parser_->get().body());
    dispatch(std::move(request), parser_->get().keep_alive());
  }

  void refuse_too_large() {
    respond(error_response(413, "too_large", "the request body is too large"), false);
  }

  // A client that sent "Expect: 100-continue" waits for this before sending a large body.
  template <typename Next>
  void continue_if_expected(const Request& head, Next next) {
    std::string expect = head.header("expect");
    std::transform(expect.begin(), expect.end(), expect.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (expect != "100-continue") return next();
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, next = std::move(next)](
                          beast::error_code ec, std::size_t) mutable {
                        if (ec) return self->close_now();
                        next();
                      });
  }

  // Upload routes: the caller is admitted on the head alone, then the body goes into an
  // encrypted spool in pieces, each within read_timeout, up to upload_limit.
  void start_upload(const Route& route, Request head) {
    busy_ = true;  // stop() lets an upload in progress finish
    std::optional<Response> refusal;
    try {
      refusal = route.admit(head);
    } catch (const std::exception&) {
      // As in dispatch(): nothing of the exception is echoed or logged.
      refusal = error_response(500, "internal", "internal error; the request was not completed");
    }
    if (refusal) return respond(std::move(*refusal), false);
    const auto length = head_parser_->content_length();
    upload_parser_.emplace(std::move(*head_parser_));
    upload_parser_->body_limit(server_.options.upload_limit);
    if (length && *length > server_.options.upload_limit) return refuse_too_large();
    auto spool = SpooledBody::create(server_.options.spool_dir);
    if (!spool.is_ok()) return refuse_spool(spool.status());
    spool_ = std::move(spool).value();
    upload_request_ = std::move(head);
    upload_piece_.resize(kPiece);
    continue_if_expected(upload_request_,
                         [self = this->shared_from_this()] { self->read_upload_piece(); });
  }

  void read_upload_piece() {
    auto& body = upload_parser_->get().body();
    body.data = upload_piece_.data();
    body.size = upload_piece_.size();
    socket_layer().expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *upload_parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_upload_piece(ec);
                     });
  }

  void on_upload_piece(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) spool_.reset();
    if (ec == http::error::body_limit) return refuse_too_large();
    if (ec && (server_.stopping || !is_http_error(ec))) return close_now();
    if (ec) return respond(error_response(400, "bad_request", "malformed HTTP request"), false);
    const std::size_t got = upload_piece_.size() - upload_parser_->get().body().size;
    Status st = spool_->append({upload_piece_.data(), got});
    if (st.is_ok() && !upload_parser_->is_done()) return read_upload_piece();
    if (st.is_ok()) st = spool_->finish();
    if (!st.is_ok()) {
      spool_.reset();
      return refuse_spool(st);
    }
    upload_request_.body_file = std::move(spool_);
    dispatch(std::move(upload_request_), upload_parser_->get().keep_alive());
  }

  void refuse_spool(const Status& st) {
    if (st.code() == Code::kNoSpace) {
      return respond(error_response(507, "no_space", "the hub's disk is full"), false);
    }
    respond(error_response(500, "internal", "the upload could not be received"), false);
  }

  void dispatch(Request request, bool keep_alive) {
    busy_ = true;
    Response response;
    try {
      response = server_.router->dispatch(request);
    } catch (const std::exception&) {
      // The exception text may hold request data: it is not echoed or logged.
      response = error_response(500, "internal", "internal error; the request was not completed");
    }
    respond(std::move(response), keep_alive);
  }

  // Status line and headers every response carries.
  template <typename Message>
  static void set_head(Message& m, const Response& r) {
    m.version(11);
    m.result(static_cast<http::status>(r.status));
    m.set(http::field::content_type, r.content_type);
    m.set(http::field::cache_control, "no-store");
    m.set("X-Content-Type-Options", "nosniff");
    for (const auto& [k, v] : r.headers) m.set(k, v);
  }

  void respond(Response r, bool keep_alive) {
    if (r.stream) return respond_streaming(std::move(r), keep_alive);
    busy_ = true;
    res_ = {};
    set_head(res_, r);
    res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive && !server_.stopping);
    res_.prepare_payload();
    socket_layer().expires_after(server_.options.write_timeout);
    http::async_write(stream_, res_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_write(ec);
                      });
  }

  // Header first, then the body in pieces of kPiece bytes, each read from the source only when
  // the socket has taken the previous one.
  static constexpr std::size_t kPiece = 256 * 1024;

  void respond_streaming(Response r, bool keep_alive) {
    busy_ = true;
    source_ = std::move(r.stream);
    remaining_ = source_->size();
    piece_.resize(kPiece);
    stream_res_.emplace();
    auto& res = *stream_res_;
    set_head(res, r);
    res.content_length(remaining_);
    res.keep_alive(keep_alive && !server_.stopping);
    res.body().data = nullptr;
    res.body().more = true;
    serializer_.emplace(res);
    socket_layer().expires_after(server_.options.write_timeout);
    http::async_write_header(stream_, *serializer_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->finish_stream(ec);
                               self->write_piece();
                             });
  }

  void write_piece() {
    auto& body = stream_res_->body();
    std::size_t n = 0;
    if (remaining_ > 0) {
      auto got = source_->read({piece_.data(), std::min<std::uint64_t>(kPiece, remaining_)});
      if (!got.is_ok() || *got == 0) return abort_stream();  // cut: the client sees it short
      n = *got;
      remaining_ -= n;
    }
    body.data = n ? piece_.data() : nullptr;
    body.size = n;
    body.more = remaining_ > 0;
    socket_layer().expires_after(server_.options.write_timeout);
    http::async_write(stream_, *serializer_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec == http::error::need_buffer) ec = {};
                        if (ec) return self->finish_stream(ec);
                        if (self->serializer_->is_done()) return self->finish_stream(ec);
                        self->write_piece();
                      });
  }

  void abort_stream() {
    busy_ = false;
    source_.reset();
    // The stream itself is sound, so over TLS the client gets a close_notify and sees the body
    // short of Content-Length, exactly as over plain HTTP.
    close();
  }

  void finish_stream(beast::error_code ec) {
    const bool keep = stream_res_->keep_alive();
    source_.reset();
    serializer_.reset();
    stream_res_.reset();
    busy_ = false;
    if (ec) return close_now();
    if (!keep || server_.stopping) return close();
    first_ = false;
    read();
  }

  void on_write(beast::error_code ec) {
    busy_ = false;
    if (ec) return close_now();
    if (!res_.keep_alive() || server_.stopping) return close();
    first_ = false;
    read();
  }

  // Ends a connection whose stream is in order. Over TLS that means a close_notify first, so the
  // client can tell the end from a cut; the peer's answering close_notify is not awaited
  // (RFC 8446 §6.1 allows that), so a client that never answers cannot keep the connection,
  // or stop(), waiting. Sending it is bounded by the write timeout; lingering after it by
  // kLingerTime.
  void close() {
    if constexpr (kTls) {
      SSL* ssl = stream_.native_handle();
      SSL_set_shutdown(ssl, SSL_get_shutdown(ssl) | SSL_RECEIVED_SHUTDOWN);
      socket_layer().expires_after(server_.options.write_timeout);
      // Then, as over plain HTTP, what the client still sends is read (as raw TLS records,
      // below the TLS layer) and dropped, so that a refused upload's client reads the answer.
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close_now();
        self->linger();
      });
    } else {
      linger();
    }
  }

  // A connection closed while the client is still sending (a refused upload, a body over the
  // limit) is reset by the kernel, and the client loses the answer with its send. So the
  // sending side is shut first and what still comes is read and dropped — for at most
  // kLingerTime and kLingerBytes — until the client closes too.
  static constexpr auto kLingerTime = std::chrono::seconds(5);
  static constexpr std::size_t kLingerBytes = std::size_t{64} << 20;

  void linger() {
    beast::error_code ignored;
    socket_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    socket_layer().expires_after(kLingerTime);
    discard_.resize(64 * 1024);
    drop_incoming();
  }

  void drop_incoming() {
    socket_layer().async_read_some(net::buffer(discard_), [self = this->shared_from_this()](
                                                              beast::error_code ec, std::size_t n) {
      self->dropped_ += n;
      if (ec || self->dropped_ > kLingerBytes) return self->close_now();
      self->drop_incoming();
    });
  }

  // Ends the connection at once, without a word at the TLS level.
  void close_now() {
    beast::error_code ignored;
    socket_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    socket_layer().socket().close(ignored);
  }

  Stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> head_parser_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // Upload routes.
  std::optional<http::request_parser<http::buffer_body>> upload_parser_;
  std::shared_ptr<SpooledBody> spool_;
  Request upload_request_;
  Bytes upload_piece_;
  http::response<http::string_body> res_;
  // Streaming responses.
  std::shared_ptr<BodySource> source_;
  std::uint64_t remaining_ = 0;
  Bytes piece_;
  std::optional<http::response<http::buffer_body>> stream_res_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  bool busy_ = false;
  bool first_ = true;
  Bytes discard_;  // what a closing connection still receives
  std::size_t dropped_ = 0;
};

// The OpenSSL reason for the last failure, for messages: never key material, only e.g.
// "no start line" or "bad decrypt".
std::string openssl_reason() {
  unsigned long err = ERR_peek_last_error();
  const char* reason = err ? ERR_reason_error_string(err) : nullptr;
  ERR_clear_error();
  return reason ? reason : "unknown OpenSSL error";
}

// A PEM key must not make OpenSSL prompt on the terminal for a passphrase (the default when
// no callback is set): serve is a daemon. Refusing makes an encrypted key fail to load.
int refuse_passphrase(char*, int, int, void*) {
  return -1;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

}  // namespace

// Everything is checked here, before the port is bound, so a misconfigured HTTPS server fails
// at start with a message naming the file, rather than on the first client.
Status Server::Impl::load_tls() {
  const std::string& cert_file = options.tls_certificate_file;
  const std::string& key_file = options.tls_key_file;
  if (cert_file.empty() && key_file.empty()) return Status::ok();
  if (cert_file.empty() || key_file.empty()) {
    return Status(Code::kInvalidArgument,
                  "HTTPS needs both a TLS certificate file and its private key file; only the " +
                      std::string(cert_file.empty() ? "key" : "certificate") + " was given");
  }
  ERR_clear_error();
  tls.emplace(net::ssl::context::tls_server);
  SSL_CTX* ctx = tls->native_handle();
  // TLS 1.2 is the oldest version without known protocol weaknesses; compression enables
  // CRIME-style attacks; client-initiated renegotiation (TLS 1.2) lets one connection make the
  // server do handshake after handshake. Cipher suites are OpenSSL's defaults, sound for TLS 1.2
  // and later, in the server's order (strongest first) rather than the client's.
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    tls.reset();
    return Status(Code::kIoError, "cannot require TLS 1.2: " + openssl_reason());
  }
  SSL_CTX_set_default_passwd_cb(ctx, refuse_passphrase);

  auto fail = [this](Code code, std::string message) {
    tls.reset();
    ERR_clear_error();
    return Status(code, std::move(message));
  };

  auto cert = read_file(local_fs(), cert_file);
  if (!cert.is_ok()) {
    return fail(cert.status().code(),
                "cannot read the TLS certificate file: " + cert.status().message());
  }
  beast::error_code ec;
  tls->use_certificate_chain(net::buffer(cert->data(), cert->size()), ec);
  if (ec) {
    // e.g. "no start line" (not PEM) or "ee key too small" (OpenSSL's security level).
    return fail(Code::kInvalidArgument,
                fmt::format("{} cannot serve as the TLS certificate (a PEM file, -----BEGIN "
                            "CERTIFICATE-----...): {}",
                            cert_file, ec.message()));
  }

  auto key = read_file(local_fs(), key_file);
  if (!key.is_ok()) {
    return fail(key.status().code(),
                "cannot read the TLS private key file: " + key.status().message());
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey;
  {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(key->data(), static_cast<int>(key->size())));
    if (bio) pkey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, nullptr));
  }
  // "BEGIN ENCRYPTED PRIVATE KEY" (PKCS #8) or "Proc-Type: 4,ENCRYPTED" (traditional PEM).
  const bool encrypted =
      std::string_view(reinterpret_cast<const char*>(key->data()), key->size()).find("ENCRYPTED") !=
      std::string_view::npos;
  crypto::wipe(key->data(), key->size());  // the private key stays only inside OpenSSL
  if (!pkey && encrypted) {
    return fail(Code::kInvalidArgument,
                fmt::format("the private key in {} is protected by a passphrase, which a server "
                            "cannot ask for; give it a copy without one, readable by its user "
                            "only (openssl pkey -in KEY -out PLAIN.key)",
                            key_file));
  }
  if (!pkey) {
    return fail(
        Code::kInvalidArgument,
        fmt::format("{} holds no PEM private key (-----BEGIN PRIVATE KEY-----...)", key_file));
  }
  if (SSL_CTX_use_PrivateKey(ctx, pkey.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return fail(Code::kInvalidArgument,
                fmt::format("the private key in {} does not belong to the certificate in {}",
                            key_file, cert_file));
  }
  ERR_clear_error();
  return Status::ok();
}

void Server::Impl::accept() {
  acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec || stopping) return;  // the acceptor was closed
    auto start = [this](auto session) {
      {
        std::lock_guard lock(mu);
        std::erase_if(sessions, [](const auto& w) { return w.expired(); });
        sessions.push_back(session);
      }
      session->start();
    };
    if (tls) {
      start(std::make_shared<Session<TlsStream>>(*this, std::move(socket), *tls));
    } else {
      start(std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket)));
    }
    accept();
  });
}

void Server::Impl::stop_sessions() {
  std::lock_guard lock(mu);
  for (auto& w : sessions) {
    if (auto s = w.lock()) s->stop_if_idle();
  }
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->router = std::move(router);
}

Server::~Server() = default;

Status Server::run(const std::function<void(unsigned short)>& on_listening) {
  Impl& s = *impl_;
  boost::system::error_code ec;
  auto address = net::ip::make_address(s.options.address, ec);
  if (ec) return Status(Code::kInvalidArgument, "not an IP address: " + s.options.address);
  EVHUB_RETURN_IF_ERROR(s.load_tls());
  tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.emplace(net::make_strand(s.ioc));
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    Code code = ec == net::error::address_in_use ? Code::kBusy : Code::kIoError;
    return Status(code, fmt::format("cannot listen on {}:{}: {}", s.options.address, s.options.port,
                                    ec.message()));
  }
  s.signals.emplace(s.ioc, SIGINT, SIGTERM);
  s.signals->async_wait([this](beast::error_code e, int) {
    if (!e) stop();
  });
  on_listening(s.acceptor->local_endpoint().port());
  s.accept();
  int threads = s.options.threads > 0 ? s.options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (int i = 1; i < std::max(1, threads); ++i) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  return Status::ok();
}

void Server::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  // Runs on the I/O threads: no new connections, idle ones closed, busy ones finish their
  // response first. run() returns when the last connection is gone.
  net::post(s.ioc, [&s] {
    beast::error_code ignored;
    if (s.acceptor) s.acceptor->close(ignored);
    if (s.signals) s.signals->cancel(ignored);
    s.stop_sessions();
  });
}

}  // namespace evhub::api
