// Coding benchmark driver (bench/coding_bench.sh runs it; bench/README-coding.md explains it).
// Two parts, each measured against a peer in the same run:
//   1. The coding workspace through the API, as `evhub serve` runs it (Api + Server on
//      loopback, a signed-in analyst, one keep-alive connection): loading a transcript of
//      --words words with --annotations annotations (GET /api/v1/coding/objects/{id}) and saving
//      annotations (POST /api/v1/coding/annotations, PUT /api/v1/coding/annotations/{id}),
//      against the same work done in process without HTTP: AnnotationStore::on_object plus
//      the object's text read and decrypted, and AnnotationStore::add and update.
//   2. Retrieval of every passage coded with a code over --interviews synth interviews with
//      --passages annotations: GET /api/v1/coding/passages?code=X (a page and the count of all;
//      and every page walked) and AnnotationStore::with_codes against the same retrieval as a plain
//      SQL query over plain tables (annotations, their codes and the interviews, with primary keys
//      and an index on the code) in a SQLite file beside the hub.
// Latencies are p50/p95/p99 over --requests requests each, after a few unmeasured warm-ups.
// The annotations are made through the public AnnotationStore::add (encrypted records, the
// custody log), and the time that takes is reported; --reuse queries part 2's hub kept by an
// earlier --keep run instead of building it again.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/server.h"
#include "coding/annotations.h"
#include "coding/framework_store.h"
#include "coding/passage_index.h"
#include "collection/collection.h"
#include "collection/synth.h"
#include "crypto/password.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace evhub;

const char* const kUser = "bench.coder";
const char* const kPassword = "bench coder password";
const char* const kOrgName = "Bench Partner";

[[noreturn]] void die(const std::string& message) {
  std::cerr << "coding_bench: " << message << "\n";
  std::exit(2);
}

template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r.is_ok()) die(what + ": " + r.status().to_string());
  return std::move(r).value();
}
void must(const Status& st, const std::string& what) {
  if (!st.is_ok()) die(what + ": " + st.to_string());
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Args {
  std::string work;
  int words = 30000;
  int annotations = 500;  // on the workspace transcript
  int requests = 200;     // measured per operation
  int interviews = 2800;
  int passages = 100000;  // annotations over the interviews
  bool workspace = true, retrieval = true;
  bool reuse = false;
  std::uint64_t seed = 1;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    auto number = [&]() { return std::stoi(value()); };
    if (arg == "--work") {
      a.work = value();
    } else if (arg == "--words") {
      a.words = number();
    } else if (arg == "--annotations") {
      a.annotations = number();
    } else if (arg == "--requests") {
      a.requests = number();
    } else if (arg == "--interviews") {
      a.interviews = number();
    } else if (arg == "--passages") {
      a.passages = number();
    } else if (arg == "--seed") {
      a.seed = static_cast<std::uint64_t>(number());
    } else if (arg == "--only-workspace") {
      a.retrieval = false;
    } else if (arg == "--only-retrieval") {
      a.workspace = false;
    } else if (arg == "--reuse") {
      a.reuse = true;
    } else {
      die("usage: coding_bench --work DIR [--words N] [--annotations N] [--requests N] "
          "[--interviews N] [--passages N] [--seed S] [--only-workspace|--only-retrieval] "
          "[--reuse]");
    }
  }
  if (a.work.empty()) die("--work DIR is required");
  if (a.words < 100 || a.annotations < 1 || a.requests < 10 || a.interviews < 4 ||
      a.passages < a.interviews) {
    die("sizes: --words >= 100, --annotations >= 1, --requests >= 10, --interviews >= 4, "
        "--passages >= --interviews");
  }
  return a;
}

// SplitMix64: the same data for a seed on every machine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// ---- latencies

struct Latencies {
  std::vector<double> ms;
  double at(double q) const {
    if (ms.empty()) return 0;
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.size())));
    return s[std::min(s.size() - 1, rank == 0 ? 0 : rank - 1)];
  }
  double p50() const { return at(0.50); }
  double p95() const { return at(0.95); }
  double p99() const { return at(0.99); }
};

void print_header() {
  std::cout << fmt::format("  {:<44} {:>6} {:>9} {:>9} {:>9}\n", "operation", "n", "p50 ms",
                           "p95 ms", "p99 ms");
}
void print_row(const std::string& name, const Latencies& l) {
  std::cout << fmt::format("  {:<44} {:>6} {:>9.2f} {:>9.2f} {:>9.2f}\n", name, l.ms.size(),
                           l.p50(), l.p95(), l.p99());
}
void print_ratio(const std::string& what, const Latencies& ours, const Latencies& peer) {
  std::cout << fmt::format("  ratio {:<38} p50 {:>6.2f}x  p95 {:>6.2f}x\n", what,
                           ours.p50() / std::max(peer.p50(), 1e-6),
                           ours.p95() / std::max(peer.p95(), 1e-6));
}
std::string verdict(bool pass) {
  return pass ? "PASS" : "FAIL";
}

// ---- an HTTP client on one keep-alive connection, as a browser tab has

class Client {
 public:
  explicit Client(unsigned short port) : port_(port), socket_(io_) { connect(); }

  struct Reply {
    int status = 0;
    std::string body;
  };
  Reply send(http::verb method, const std::string& target, const std::string& body = "") {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(true);
    if (!cookie_.empty()) req.set(http::field::cookie, cookie_);
    if (!csrf_.empty() && method != http::verb::get) req.set("X-CSRF-Token", csrf_);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::response<http::string_body> res;
    try {
      res = exchange(req);
    } catch (const boost::system::system_error&) {
      // The server closes a connection idle for a minute (while the in-process peers run): a
      // browser opens another and sends again, and so does this.
      reconnect();
      res = exchange(req);
    }
    Reply r{static_cast<int>(res.result_int()), std::move(res.body())};
    const std::string set_cookie(res[http::field::set_cookie]);
    if (!set_cookie.empty()) cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    if (!res.keep_alive()) reconnect();
    return r;
  }
  void sign_in() {
    Reply r = send(http::verb::post, "/api/v1/session",
                   json{{"username", kUser}, {"password", kPassword}}.dump());
    if (r.status != 200) die("sign-in: " + std::to_string(r.status) + " " + r.body);
    csrf_ = json::parse(r.body).value("csrf_token", "");
  }

 private:
  http::response<http::string_body> exchange(const http::request<http::string_body>& req) {
    http::write(socket_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);
    http::read(socket_, buffer_, parser);
    return parser.release();
  }
  void reconnect() {
    boost::beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    buffer_.clear();
    connect();
  }
  void connect() {
    socket_ = tcp::socket(io_);
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
    socket_.set_option(tcp::no_delay(true));
  }
  unsigned short port_;
  boost::asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string cookie_, csrf_;
};

// `evhub serve` in this process: the Api's routes on a free loopback port, on two threads.
class Serving {
 public:
  explicit Serving(hub::Hub& hub) {
    api_ = must(api::Api::open(hub), "opening the API");
    auto router = std::make_shared<api::Router>();
    api_->add_routes(*router);
    api::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.spool_dir = hub.layout().dir;
    server_ = std::make_unique<api::Server>(options, router);
    std::promise<unsigned short> bound;
    auto port = bound.get_future();
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
      die("the server did not start: " + result_.to_string());
    }
  }
  ~Serving() {
    server_->stop();
    thread_.join();
  }
  unsigned short port() const { return port_; }

 private:
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<api::Server> server_;
  std::thread thread_;
  Status result_;
  unsigned short port_ = 0;
};

// ---- hubs

vault::Credential credential() {
  return vault::Credential::key_file(Bytes(32, 7));
}

std::unique_ptr<hub::Hub> open_hub(const std::string& dir, bool create) {
  if (create) {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "coding-bench";
    must(hub::init_hub(dir, credential(), init), "creating a hub in " + dir);
  }
  return must(hub::Hub::open(dir, credential(), {"coding-bench", 120000}), "opening " + dir);
}

// The partner organisation and an analyst (who codes and reads codings) in it.
std::string add_coder(hub::Hub& hub) {
  auto accounts = must(accounts::Accounts::open(hub.layout().accounts()), "opening accounts");
  const auto org = must(accounts->add_organisation(kOrgName), "adding the organisation");
  const auto hash = must(crypto::hash_password(kPassword, crypto::KdfCost::interactive()),
                         "hashing the password");
  must(accounts->add_user(kUser, kOrgName, hash).status(), "adding the coder");
  must(accounts->grant(kUser, kOrgName, accounts::Role::kAnalyst, "coding-bench"),
       "granting the coder");
  return org.id;
}

std::string organisation_of(hub::Hub& hub) {
  auto accounts = must(accounts::Accounts::open(hub.layout().accounts()), "opening accounts");
  for (const auto& o : must(accounts->organisations(), "reading organisations")) {
    if (o.name == kOrgName) return o.id;
  }
  die("no organisation " + std::string(kOrgName) + " in the kept hub");
}

std::int64_t code_points(const std::string& s) {
  std::int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The codes annotations are drawn from: every code that is not retired, restricted or a
// category, in a shuffled order with Zipf weights (a few codes are frequent, most are rare,
// as in real coding).
struct CodeDraw {
  std::vector<std::string> codes;
  std::vector<double> cumulative;
  std::vector<int> revisions;

  CodeDraw(const coding::Framework& f, Rng& rng) {
    for (const auto& c : f.codes()) {
      if (!c.retired && !c.restricted && !c.parent.empty() && f.children(c.id).empty()) {
        codes.push_back(c.id);
      }
    }
    for (std::size_t i = codes.size(); i > 1; --i) {
      std::swap(codes[i - 1], codes[static_cast<std::size_t>(rng.below(static_cast<int>(i)))]);
    }
    double sum = 0;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      sum += 1.0 / static_cast<double>(i + 1);
      cumulative.push_back(sum);
      revisions.push_back(f.find(codes[i])->revision);
    }
    for (double& c : cumulative) c /= sum;
  }
  std::size_t draw(Rng& rng) const {
    const double u = rng.unit();
    return static_cast<std::size_t>(std::lower_bound(cumulative.begin(), cumulative.end(), u) -
                                    cumulative.begin()) %
           codes.size();
  }
  // One code, or two different ones for one passage in five.
  std::vector<coding::CodeRef> pick(Rng& rng) const {
    std::vector<coding::CodeRef> out;
    const std::size_t a = draw(rng);
    out.push_back({codes[a], revisions[a]});
    if (rng.unit() < 0.2) {
      const std::size_t b = draw(rng);
      if (b != a) out.push_back({codes[b], revisions[b]});
    }
    return out;
  }
};

// ---- part 1: the coding workspace

struct Text {
  std::string object_id;
  std::int64_t length = 0;  // code points
  std::string date, place, facility;
};

// A transcript of about `words` words, composed from the synthetic corpus's texts (Belarusian,
// Russian and English captions, posts and video transcripts).
std::string long_transcript(int words, std::uint64_t seed) {
  std::string text;
  int count = 0;
  for (std::int64_t n = 0; count < words; ++n) {
    const std::string part = collection::synth_corpus_item(seed, n).text;
    bool in_word = false;
    for (unsigned char c : part) {
      const bool space = c == ' ' || c == '\n' || c == '\t';
      if (!space && !in_word) ++count;
      in_word = !space;
    }
    text += part + "\n\n";
  }
  return text;
}

coding::Annotation annotation_on(const Text& t, const CodeDraw& codes, Rng& rng,
                                 std::int64_t max_span) {
  coding::Annotation a;
  a.target.object_id = t.object_id;
  a.target.kind = coding::TargetKind::kText;
  const std::int64_t span = std::min<std::int64_t>(20 + rng.below(max_span - 19), t.length);
  a.target.begin = rng.below(t.length - span + 1);
  a.target.end = a.target.begin + span;
  a.codes = codes.pick(rng);
  a.facets.date.from = t.date;
  a.facets.place = t.place;
  a.facets.facility = t.facility;
  a.coder = "synth-coder-" + std::to_string(1 + rng.below(3));
  return a;
}

json annotation_body(const coding::Annotation& a) {
  std::vector<std::string> codes;
  for (const auto& c : a.codes) codes.push_back(c.id);
  return {{"object_id", a.target.object_id},
          {"kind", "text"},
          {"begin", a.target.begin},
          {"end", a.target.end},
          {"codes", codes},
          {"facets",
           {{"date", {{"from", a.facets.date.from}, {"precision", "day"}}},
            {"place", a.facets.place},
            {"facility", a.facets.facility}}}};
}

bool run_workspace(const Args& args) {
  std::cout << fmt::format(
      "---- 1. coding workspace: a {}-word transcript with {} annotations ----\n", args.words,
      args.annotations);
  const std::string dir = args.work + "/workspace-hub";
  fs::remove_all(dir);
  auto hub = open_hub(dir, true);
  const std::string org = add_coder(*hub);
  auto witnesses = must(collection::Collection::open(*hub), "opening the register");
  must(witnesses->register_witness("W-00001", org, {}, std::nullopt).status(),
       "registering the witness");
  std::string body = long_transcript(args.words, args.seed);
  Text t;
  t.length = code_points(body);
  t.date = "2020-08-10";
  t.place = "Minsk";
  t.facility = "Akrestsina detention centre";
  t.object_id =
      must(hub->put_data("transcript.txt", body, "W-00001", hub::Intake::evidence(org, "normal")),
           "storing the transcript")
          .id;
  std::cout << fmt::format("  transcript: {} bytes, {} code points\n", body.size(), t.length);

  auto store = must(coding::AnnotationStore::open(*hub), "opening the annotations");
  auto framework =
      must(must(coding::FrameworkStore::open(*hub), "opening the framework")->current(),
           "reading the framework");
  Rng rng(args.seed);
  CodeDraw codes(framework, rng);
  std::vector<coding::Annotation> made;
  auto started = Clock::now();
  for (int i = 0; i < args.annotations; ++i) {
    made.push_back(must(store->add(annotation_on(t, codes, rng, 400)), "adding an annotation"));
  }
  const double setup_ms = ms_since(started);
  std::cout << fmt::format(
      "  setup: {} annotations through AnnotationStore::add in {:.1f} s "
      "({:.1f} ms each)\n\n",
      args.annotations, setup_ms / 1000, setup_ms / static_cast<double>(args.annotations));

  Serving serving(*hub);
  Client client(serving.port());
  client.sign_in();
  const std::string load_target = "/api/v1/coding/objects/" + t.object_id;
  {
    auto first = client.send(http::verb::get, load_target);
    if (first.status != 200) die("load: " + std::to_string(first.status) + " " + first.body);
    const json j = json::parse(first.body);
    if (j["annotations"].size() != static_cast<std::size_t>(args.annotations)) {
      die(fmt::format("load: {} annotations shown, {} made", j["annotations"].size(),
                      args.annotations));
    }
    std::cout << fmt::format("  load answer: {} bytes of JSON\n", first.body.size());
  }
  auto timed = [&](int n, const std::function<void(int)>& one) {
    Latencies l;
    for (int i = 0; i < 3; ++i) one(-1);  // warm-up, unmeasured
    for (int i = 0; i < n; ++i) {
      auto s = Clock::now();
      one(i);
      l.ms.push_back(ms_since(s));
    }
    return l;
  };
  const Latencies api_load = timed(args.requests, [&](int) {
    auto r = client.send(http::verb::get, load_target);
    if (r.status != 200) die("load: " + std::to_string(r.status));
  });
  const Latencies direct_load = timed(args.requests, [&](int) {
    auto reader = must(hub->open_object(t.object_id), "opening the transcript");
    std::string text = must(reader->read_prefix(coding::kMaxCodedTextBytes), "reading it");
    auto on = must(store->on_object(t.object_id), "reading the annotations");
    if (on.size() != static_cast<std::size_t>(args.annotations)) die("direct load: wrong count");
    crypto::wipe(text.data(), text.size());
  });

  // Saves: new annotations (POST), then changes to them (PUT) with the version seen: a coder
  // changes their own codings.
  std::vector<std::pair<std::string, int>> posted;  // id, version
  const Latencies api_add = timed(args.requests, [&](int) {
    auto r = client.send(http::verb::post, "/api/v1/coding/annotations",
                         annotation_body(annotation_on(t, codes, rng, 400)).dump());
    if (r.status != 201) die("save (POST): " + std::to_string(r.status) + " " + r.body);
    const json j = json::parse(r.body);
    posted.emplace_back(j.value("id", ""), j.value("version", 0));
  });
  std::size_t next = 0;
  const Latencies api_change = timed(args.requests, [&](int) {
    auto& [id, version] = posted[next++ % posted.size()];
    json request = annotation_body(annotation_on(t, codes, rng, 400));
    request["version"] = version;
    auto r = client.send(http::verb::put, "/api/v1/coding/annotations/" + id, request.dump());
    if (r.status != 200) die("save (PUT): " + std::to_string(r.status) + " " + r.body);
    version = json::parse(r.body).value("version", version + 1);
  });
  const Latencies direct_add = timed(args.requests, [&](int) {
    must(store->add(annotation_on(t, codes, rng, 400)), "adding an annotation");
  });
  next = 0;
  const Latencies direct_change = timed(args.requests, [&](int) {
    coding::Annotation& a = made[next++ % made.size()];
    coding::Annotation changed = annotation_on(t, codes, rng, 400);
    changed.id = a.id;
    changed.version = a.version;
    changed.coder = a.coder;
    a.version = must(store->update(changed), "changing an annotation").version;
  });

  print_header();
  print_row("load   GET /coding/objects/{id}   (API)", api_load);
  print_row("load   on_object + text, in process", direct_load);
  print_row("save   POST /coding/annotations   (API)", api_add);
  print_row("save   AnnotationStore::add, in process", direct_add);
  print_row("save   PUT /coding/annotations/{id} (API)", api_change);
  print_row("save   AnnotationStore::update, in process", direct_change);
  print_ratio("load: API / in process", api_load, direct_load);
  print_ratio("save POST: API / in process", api_add, direct_add);
  print_ratio("save PUT: API / in process", api_change, direct_change);
  const bool pass = api_load.p95() < 100 && api_add.p95() < 100 && api_change.p95() < 100;
  std::cout << fmt::format(
      "  target p95 < 100 ms: load {} ({:.1f}), POST {} ({:.1f}), PUT {} ({:.1f})\n\n",
      verdict(api_load.p95() < 100), api_load.p95(), verdict(api_add.p95() < 100), api_add.p95(),
      verdict(api_change.p95() < 100), api_change.p95());
  return pass;
}

// ---- part 2: retrieval by code

// The plain peer: the same annotations as rows of ordinary tables, queried with a JOIN.
class PlainSql {
 public:
  explicit PlainSql(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("cannot open " + path);
    exec("PRAGMA journal_mode = WAL");
    exec(R"sql(
CREATE TABLE IF NOT EXISTS interviews (
  object_id TEXT PRIMARY KEY, witness TEXT NOT NULL, organisation_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotations (
  id TEXT PRIMARY KEY, object_id TEXT NOT NULL, kind TEXT NOT NULL, span_begin INTEGER NOT NULL,
  span_end INTEGER NOT NULL, incident_from TEXT NOT NULL, place TEXT NOT NULL,
  facility TEXT NOT NULL, coder TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotation_codes (
  annotation_id TEXT NOT NULL, code_id TEXT NOT NULL, revision INTEGER NOT NULL,
  PRIMARY KEY (annotation_id, code_id));
CREATE INDEX IF NOT EXISTS annotation_codes_by_code ON annotation_codes(code_id);
)sql");
  }
  ~PlainSql() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      die("plain SQL: " + message);
    }
  }
  void add_interview(const std::string& object_id, const std::string& witness,
                     const std::string& org) {
    run("INSERT OR REPLACE INTO interviews VALUES (?, ?, ?)", {object_id, witness, org});
  }
  void add(const coding::Annotation& a) {
    run("INSERT INTO annotations VALUES (?, ?, 'text', ?, ?, ?, ?, ?, ?)",
        {a.id, a.target.object_id, std::to_string(a.target.begin), std::to_string(a.target.end),
         a.facets.date.from, a.facets.place, a.facets.facility, a.coder});
    for (const auto& c : a.codes) {
      run("INSERT INTO annotation_codes VALUES (?, ?, ?)",
          {a.id, c.id, std::to_string(c.revision)});
    }
  }
  struct Row {
    std::string annotation_id, object_id, witness, code_id, incident_from, place, facility, coder;
    std::int64_t begin = 0, end = 0;
  };
  // Not the peer but what an index trick would give: the same rows in one table clustered by
  // (code, organisation, object, position), so a code's passages are one range in the order
  // they are listed in. Made from the tables above once they are filled.
  void cluster_by_code() {
    exec(R"sql(
CREATE TABLE IF NOT EXISTS passages_by_code (
  code_id TEXT, organisation_id TEXT, object_id TEXT, span_begin INTEGER, id TEXT,
  span_end INTEGER, witness TEXT, revision INTEGER, incident_from TEXT, place TEXT,
  facility TEXT, coder TEXT,
  PRIMARY KEY (code_id, organisation_id, object_id, span_begin, id)) WITHOUT ROWID;
INSERT OR IGNORE INTO passages_by_code SELECT c.code_id, i.organisation_id, a.object_id,
  a.span_begin, a.id, a.span_end, i.witness, c.revision, a.incident_from, a.place, a.facility,
  a.coder FROM annotation_codes c JOIN annotations a ON a.id = c.annotation_id
  JOIN interviews i ON i.object_id = a.object_id;
)sql");
  }
  // Every passage with one of `codes` in `org`, ordered as the API lists them: the peer's
  // JOIN, or (`clustered`) from passages_by_code.
  std::vector<Row> passages(const std::vector<std::string>& codes, const std::string& org,
                            bool clustered = false) {
    std::string marks;
    for (std::size_t i = 0; i < codes.size(); ++i) marks += i ? ", ?" : "?";
    const std::string sql =
        clustered
            ? "SELECT id, object_id, witness, span_begin, span_end, code_id, incident_from, "
              "place, facility, coder FROM passages_by_code WHERE code_id IN (" +
                  marks + ") AND organisation_id = ? ORDER BY object_id, span_begin, id"
            : "SELECT a.id, a.object_id, i.witness, a.span_begin, a.span_end, c.code_id, "
              "a.incident_from, a.place, a.facility, a.coder FROM annotation_codes c "
              "JOIN annotations a ON a.id = c.annotation_id "
              "JOIN interviews i ON i.object_id = a.object_id "
              "WHERE c.code_id IN (" +
                  marks + ") AND i.organisation_id = ? ORDER BY a.object_id, a.span_begin, a.id";
    sqlite3_stmt* st = prepared(sql);
    int n = 0;
    for (const auto& c : codes) sqlite3_bind_text(st, ++n, c.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, ++n, org.c_str(), -1, SQLITE_TRANSIENT);
    auto text = [&](int col) {
      const auto* p = sqlite3_column_text(st, col);
      return std::string(p ? reinterpret_cast<const char*>(p) : "");
    };
    std::vector<Row> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      Row r;
      r.annotation_id = text(0);
      r.object_id = text(1);
      r.witness = text(2);
      r.begin = sqlite3_column_int64(st, 3);
      r.end = sqlite3_column_int64(st, 4);
      r.code_id = text(5);
      r.incident_from = text(6);
      r.place = text(7);
      r.facility = text(8);
      r.coder = text(9);
      out.push_back(std::move(r));
    }
    sqlite3_reset(st);
    return out;
  }

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second.get();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      die(std::string("plain SQL: ") + sqlite3_errmsg(db_));
    }
    statements_.emplace(
        sql, std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>(st, sqlite3_finalize));
    return st;
  }
  void run(const std::string& sql, const std::vector<std::string>& values) {
    sqlite3_stmt* st = prepared(sql);
    for (std::size_t i = 0; i < values.size(); ++i) {
      sqlite3_bind_text(st, static_cast<int>(i + 1), values[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st) != SQLITE_DONE) die(std::string("plain SQL: ") + sqlite3_errmsg(db_));
    sqlite3_reset(st);
  }
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>> statements_;
};

bool run_retrieval(const Args& args) {
  std::cout << fmt::format("---- 2. retrieval by code: {} interviews, {} annotations ----\n",
                           args.interviews, args.passages);
  const std::string dir = args.work + "/retrieval-hub";
  const std::string manifest_path = args.work + "/retrieval-manifest.json";
  const bool reuse = args.reuse && fs::exists(manifest_path);
  if (!reuse) {
    fs::remove_all(dir);
    fs::remove(args.work + "/plain.db");
    fs::remove(args.work + "/plain.db-wal");
    fs::remove(args.work + "/plain.db-shm");
  }
  auto hub = open_hub(dir, !reuse);
  PlainSql plain(args.work + "/plain.db");
  std::string org;
  if (reuse) {
    const json m = json::parse(std::ifstream(manifest_path));
    org = organisation_of(*hub);
    std::cout << fmt::format(
        "  reusing the hub built earlier ({} interviews, {} annotations, built in {:.0f} s)\n",
        m.value("interviews", 0), m.value("annotations", 0), m.value("build_seconds", 0.0));
    if (m.value("interviews", 0) != args.interviews || m.value("annotations", 0) != args.passages) {
      die("the kept hub has other sizes; run without --reuse");
    }
  } else {
    org = add_coder(*hub);
    // The interviews: synth's witnesses, four interviews each, no documents.
    auto witnesses = must(collection::Collection::open(*hub), "opening the register");
    auto queue = must(jobs::JobQueue::open(hub->layout().jobs()), "opening the queue");
    collection::SynthOptions o;
    o.witnesses = (args.interviews + 3) / 4;
    o.interviews_per_witness = 4;
    o.documents_per_witness = 0;
    o.scans = 0;
    o.seed = args.seed;
    o.organisation_id = org;
    o.today = "2026-03-01";
    std::vector<Text> texts;
    auto started = Clock::now();
    must(collection::synthesize(*witnesses, *hub, *queue, o,
                                [&](const collection::GroundTruth& g) {
                                  if (g.kind != "transcript") return;
                                  if (static_cast<int>(texts.size()) >= args.interviews) return;
                                  Text t;
                                  t.object_id = g.object_id;
                                  t.length = code_points(g.text);
                                  t.date = g.date;
                                  t.place = g.place_name;
                                  t.facility = g.facility_name;
                                  texts.push_back(t);
                                  plain.add_interview(g.object_id, g.witness, org);
                                }),
         "making the interviews");
    const double synth_s = ms_since(started) / 1000;
    std::cout << fmt::format("  setup: {} interviews by evhub synth in {:.1f} s\n", texts.size(),
                             synth_s);

    auto store = must(coding::AnnotationStore::open(*hub), "opening the annotations");
    auto framework =
        must(must(coding::FrameworkStore::open(*hub), "opening the framework")->current(),
             "reading the framework");
    Rng rng(args.seed);
    CodeDraw codes(framework, rng);
    started = Clock::now();
    plain.exec("BEGIN");
    for (int i = 0; i < args.passages; ++i) {
      const Text& t = texts[static_cast<std::size_t>(i) % texts.size()];
      coding::Annotation a = must(store->add(annotation_on(t, codes, rng, 200)), "adding");
      plain.add(a);
      if ((i + 1) % 5000 == 0) {
        plain.exec("COMMIT");
        plain.exec("BEGIN");
        const double s = ms_since(started) / 1000;
        std::cerr << fmt::format("  {} annotations in {:.0f} s ({:.0f}/s)\n", i + 1, s,
                                 (i + 1) / s);
      }
    }
    plain.exec("COMMIT");
    const double add_s = ms_since(started) / 1000;
    std::cout << fmt::format(
        "  setup: {} annotations through AnnotationStore::add in {:.1f} s ({:.0f} a second, "
        "{:.2f} ms each); the plain tables were filled alongside\n",
        args.passages, add_s, args.passages / add_s, add_s * 1000 / args.passages);
    std::ofstream(manifest_path) << json{
        {"interviews", texts.size()},
        {"annotations", args.passages},
        {"build_seconds", synth_s + add_s},
        {"synth_seconds", synth_s},
        {"add_seconds", add_s}}.dump();
  }
  plain.cluster_by_code();
  plain.exec("ANALYZE");

  auto store = must(coding::AnnotationStore::open(*hub), "opening the annotations");
  auto framework =
      must(must(coding::FrameworkStore::open(*hub), "opening the framework")->current(),
           "reading the framework");
  // The codes asked for: the most used code, one of middling use, and the category with the
  // most passages (its codes are all asked for, as the passages route does).
  std::map<std::string, std::int64_t> uses;
  for (const auto& p : must(store->with_codes({}, {}), "counting")) ++uses[p.code_id];
  std::vector<std::pair<std::int64_t, std::string>> by_use;
  for (const auto& [code, n] : uses) by_use.emplace_back(n, code);
  std::sort(by_use.rbegin(), by_use.rend());
  if (by_use.empty()) die("no annotations");
  std::map<std::string, std::int64_t> per_category;
  for (const auto& [code, n] : uses) per_category[framework.path(code).front()->id] += n;
  const auto category = std::max_element(per_category.begin(), per_category.end(),
                                         [](auto& a, auto& b) { return a.second < b.second; });
  const std::vector<std::string> asked = {by_use.front().second, by_use[by_use.size() / 2].second,
                                          category->first};

  Serving serving(*hub);
  Client client(serving.port());
  client.sign_in();
  bool pass = true;
  auto timed = [&](const std::function<std::size_t()>& one, std::size_t& found) {
    Latencies l;
    for (int i = 0; i < 3; ++i) found = one();
    for (int i = 0; i < args.requests; ++i) {
      auto s = Clock::now();
      found = one();
      l.ms.push_back(ms_since(s));
    }
    return l;
  };
  for (const auto& code : asked) {
    std::vector<std::string> codes = {code};
    for (std::size_t i = 0; i < codes.size(); ++i) {
      for (const auto* child : framework.children(codes[i])) codes.push_back(child->id);
    }
    std::size_t via_api = 0, via_api_all = 0, via_store = 0, via_sql = 0, via_clustered = 0,
                api_bytes = 0, api_listed = 0;
    // The route answers a page (500 by default) and the count of all: what the analyst waits
    // for. Walking every page (5,000 a page, the most a page holds) is the API's retrieval of
    // all passages, what a script exporting them would do.
    const Latencies api_l = timed(
        [&] {
          auto r = client.send(http::verb::get, "/api/v1/coding/passages?code=" + code);
          if (r.status != 200) die("passages: " + std::to_string(r.status) + " " + r.body);
          api_bytes = r.body.size();
          // The total, read without parsing the whole answer (parsing is the client's cost).
          const auto at = r.body.rfind("\"total\":");
          return static_cast<std::size_t>(std::stoll(r.body.substr(at + 8)));
        },
        via_api);
    std::size_t api_pages = 0;
    const Latencies api_all_l = timed(
        [&] {
          std::size_t listed = 0;  // pages never repeat a passage (tests/coding)
          std::string after;
          api_pages = 0;
          for (;;) {
            auto r =
                client.send(http::verb::get, "/api/v1/coding/passages?limit=5000&code=" + code +
                                                 (after.empty() ? "" : "&after=" + after));
            if (r.status != 200) die("passages: " + std::to_string(r.status) + " " + r.body);
            ++api_pages;
            // The passages and the cursor, found without parsing the whole answer.
            const std::string key = "\"annotation_id\":";
            for (auto at = r.body.find(key); at != std::string::npos;
                 at = r.body.find(key, at + 1)) {
              ++listed;
            }
            const auto next = r.body.find("\"next\":") + 7;
            if (r.body.compare(next, 4, "null") == 0) break;
            after = r.body.substr(next + 1, r.body.find('"', next + 1) - next - 1);
          }
          return listed;
        },
        via_api_all);
    const Latencies store_l = timed(
        [&] {
          auto found = must(store->with_codes(codes, {org}), "with_codes");
          std::set<std::string> ids;
          for (const auto& p : found) ids.insert(p.annotation_id);
          return ids.size();
        },
        via_store);
    const Latencies sql_l = timed(
        [&] {
          auto rows = plain.passages(codes, org);
          std::set<std::string> ids;
          for (const auto& r : rows) ids.insert(r.annotation_id);
          return ids.size();
        },
        via_sql);
    const Latencies clustered_l = timed(
        [&] {
          auto rows = plain.passages(codes, org, true);
          std::set<std::string> ids;
          for (const auto& r : rows) ids.insert(r.annotation_id);
          return ids.size();
        },
        via_clustered);
    {
      auto r = client.send(http::verb::get, "/api/v1/coding/passages?code=" + code);
      api_listed = json::parse(r.body)["passages"].size();
    }
    std::cout << fmt::format(
        "  code {} ({} codes asked for): {} passages; the API's first page lists {} in {} bytes, "
        "all of them take {} pages of 5,000\n",
        code, codes.size(), via_sql, api_listed, api_bytes, api_pages);
    if (via_api != via_sql || via_api_all != via_sql || via_store != via_sql ||
        via_clustered != via_sql) {
      std::cout << fmt::format(
          "  MISMATCH: API total {}, API pages {}, with_codes {}, plain SQL {} (clustered {})\n",
          via_api, via_api_all, via_store, via_sql, via_clustered);
      pass = false;
    }
    print_header();
    print_row("GET /coding/passages?code=X (API page)", api_l);
    print_row("every page of 5,000 (API)", api_all_l);
    print_row("AnnotationStore::with_codes", store_l);
    print_row("plain SQL (JOIN, WHERE code IN)", sql_l);
    print_ratio("API page / plain SQL", api_l, sql_l);
    print_ratio("API every page / plain SQL", api_all_l, sql_l);
    print_ratio("with_codes / plain SQL", store_l, sql_l);
    print_row("not a peer: one table clustered by code", clustered_l);
    print_ratio("clustered / plain SQL", clustered_l, sql_l);
    // The target is on what is retrieval in the issue's sense: the route's answer (a page and
    // the count of all) and every passage from the store, as the plain SQL peer retrieves them.
    // Walking every page over HTTP is shown for what a script pays; it has no target.
    std::cout << fmt::format(
        "  target p95 < 50 ms: API page {} ({:.1f}), with_codes {} ({:.1f}); every page "
        "through the API {:.1f} (no target)\n\n",
        verdict(api_l.p95() < 50), api_l.p95(), verdict(store_l.p95() < 50), store_l.p95(),
        api_all_l.p95());
    pass = pass && api_l.p95() < 50 && store_l.p95() < 50;
  }
  return pass;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  std::cout << std::unitbuf;  // figures appear as they are measured, even if a later step fails
  fs::create_directories(args.work);
  coding::index_coded_passages();
  bool pass = true;
  if (args.workspace) pass = run_workspace(args) && pass;
  if (args.retrieval) pass = run_retrieval(args) && pass;
  std::cout << "overall: " << verdict(pass) << "\n";
  return 0;
}
