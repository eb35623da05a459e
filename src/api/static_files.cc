#include "api/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/hex.h"
#include "crypto/crypto.h"

namespace evhub::api {

// frame-src and media-src: a witness's documents (PDF in the browser's viewer) and recordings
// are shown from this origin's /api/v1/objects/{id}/content, never from anywhere else.
const char* const kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-src 'self'; "
    "media-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace {

constexpr std::uintmax_t kMaxTotalBytes = 64u << 20;

std::string content_type_of(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
  };
  const auto ext = std::filesystem::path(path).extension().string();
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

void add_security_headers(Response& r) {
  r.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["X-Frame-Options"] = "DENY";
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["Cross-Origin-Opener-Policy"] = "same-origin";
  r.headers["Cross-Origin-Resource-Policy"] = "same-origin";
  r.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
}

}  // namespace

Result<std::unique_ptr<StaticFiles>> StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Status(Code::kNotFound, "no web app in " + dir +
                                       " (index.html is missing; build it with scripts/build.sh)");
  }
  auto files = std::unique_ptr<StaticFiles>(new StaticFiles());
  std::uintmax_t total = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxTotalBytes) {
      return Status(Code::kInvalidArgument, "the web app in " + dir + " is larger than 64 MiB");
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in && !in.eof()) {
      return Status(Code::kIoError, "cannot read " + it->path().string());
    }
    File f;
    f.body = std::move(body).str();
    const std::string url = "/" + fs::relative(it->path(), dir).generic_string();
    f.content_type = content_type_of(url);
    f.etag = "\"" + to_hex(crypto::sha256(as_bytes(f.body))).substr(0, 32) + "\"";
    files->files_.emplace(url, std::move(f));
  }
  if (ec) return Status(Code::kIoError, "cannot list " + dir + ": " + ec.message());
  return files;
}

Response StaticFiles::serve(const Request& request) const {
  Response r;
  add_security_headers(r);
  if (request.method != "GET") {
    r = error_response(405, "method_not_allowed", request.method + " is not allowed here");
    r.headers["Allow"] = "GET";
    return r;
  }
  std::string path = request.path == "/" ? "/index.html" : request.path;
  auto it = files_.find(path);
  if (it == files_.end()) {
    // The app's own pages (/objects, /audit) have no file: they are index.html's routes. A
    // missing file with an extension is a real 404, not the app.
    const auto slash = path.rfind('/');
    if (path.find('.', slash) != std::string::npos) {
      Response missing = error_response(404, "not_found", "no such file");
      add_security_headers(missing);
      return missing;
    }
    it = files_.find("/index.html");
  }
  const File& f = it->second;
  r.headers["ETag"] = f.etag;
  r.headers["Cache-Control"] =
      it->first.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
  r.content_type = f.content_type;
  if (request.header("if-none-match") == f.etag) {
    r.status = 304;
    return r;
  }
  r.body = f.body;
  return r;
}

}  // namespace evhub::api
