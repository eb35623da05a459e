// The web workspace's built files (web/dist), served by evhub serve. They are read into memory
// once at start (a few hundred KiB), so a request never touches the disk, and every response
// carries the strict Content-Security-Policy and the other headers that keep the app's pages
// from being framed, sniffed or made to load anything from elsewhere.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "api/server.h"
#include "core/status.h"

namespace evhub::api {

// default-src 'none' and only this origin's scripts, styles, images (and data: images, for the
// QR code of the second factor), API calls, frames and media (documents and recordings served
// by the API): no inline script or style, no eval.
extern const char* const kContentSecurityPolicy;

class StaticFiles {
 public:
  // Loads every regular file under `dir`; kNotFound if there is no dir/index.html,
  // kInvalidArgument if the files are too large to hold in memory.
  static Result<std::unique_ptr<StaticFiles>> load(const std::string& dir);

  // GET of a file by path; a path without an extension that names no file is one of the app's
  // own pages and gets index.html. ETag / If-None-Match answer 304; hashed assets are cached
  // for a year, everything else revalidated.
  Response serve(const Request& request) const;
  std::size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, File> files_;  // by URL path, "/index.html", "/assets/…"
};

}  // namespace evhub::api
