#include "api/server.h"

#include "core/hex.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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
  routes_.push_back(Route{std::move(method), std::move(path), std::move(handler)});
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

class Session;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  net::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::signal_set> signals;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::vector<std::weak_ptr<Session>> sessions;

  void accept();
  void stop_sessions();
};

namespace {

Request to_request(const http::request<http::string_body>& m, const std::string& remote) {
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
  r.body = m.body();
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called on stop(): an idle connection is closed now; a busy one after its response.
  void stop_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    // The first request must arrive whole within the read timeout; later ones may first idle.
    stream_.expires_after(first_ ? server_.options.read_timeout : server_.options.idle_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return respond(error_response(413, "too_large", "the request body is too large"), false);
    }
    if (ec == http::error::header_limit) {
      return respond(error_response(431, "headers_too_large", "the request headers are too large"),
                     false);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return close();
    }
    if (ec) return respond(error_response(400, "bad_request", "malformed HTTP request"), false);
    busy_ = true;
    Response response;
    try {
      beast::error_code ignored;
      auto peer = stream_.socket().remote_endpoint(ignored);
      response = server_.router->dispatch(
          to_request(parser_->get(), ignored ? "" : peer.address().to_string()));
    } catch (const std::exception&) {
      // The exception text may hold request data: it is not echoed or logged.
      response = error_response(500, "internal", "internal error; the request was not completed");
    }
    respond(std::move(response), parser_->get().keep_alive());
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
    stream_.expires_after(server_.options.write_timeout);
    http::async_write(
        stream_, res_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
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
    stream_.expires_after(server_.options.write_timeout);
    http::async_write_header(stream_, *serializer_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
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
    stream_.expires_after(server_.options.write_timeout);
    http::async_write(stream_, *serializer_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec == http::error::need_buffer) ec = {};
                        if (ec) return self->finish_stream(ec);
                        if (self->serializer_->is_done()) return self->finish_stream(ec);
                        self->write_piece();
                      });
  }

  void abort_stream() {
    busy_ = false;
    source_.reset();
    close();
  }

  void finish_stream(beast::error_code ec) {
    const bool keep = stream_res_->keep_alive();
    source_.reset();
    serializer_.reset();
    stream_res_.reset();
    busy_ = false;
    if (ec || !keep || server_.stopping) return close();
    first_ = false;
    read();
  }

  void on_write(beast::error_code ec) {
    busy_ = false;
    if (ec || !res_.keep_alive() || server_.stopping) return close();
    first_ = false;
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  // Streaming responses.
  std::shared_ptr<BodySource> source_;
  std::uint64_t remaining_ = 0;
  Bytes piece_;
  std::optional<http::response<http::buffer_body>> stream_res_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  bool busy_ = false;
  bool first_ = true;
};

}  // namespace

void Server::Impl::accept() {
  acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec || stopping) return;  // the acceptor was closed
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(mu);
      std::erase_if(sessions, [](const auto& w) { return w.expired(); });
      sessions.push_back(session);
    }
    session->start();
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
