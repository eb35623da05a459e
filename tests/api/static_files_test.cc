// The web app's files over real HTTP: index.html for the app's own pages, hashed assets cached,
// the strict Content-Security-Policy on every page, and the API's paths never answered by the
// app.
#include "api/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "api/test_server.h"

namespace evhub::api {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(tmp_ / "dist/assets");
    testing::write_text_file(tmp_ / "dist/index.html",
                             "<!doctype html><title>Evidence Hub</title>");
    testing::write_text_file(tmp_ / "dist/assets/index-abc123.js", "console.log('app');");
    auto files = StaticFiles::load(tmp_ / "dist");
    ASSERT_TRUE(files.is_ok()) << files.status().to_string();
    auto router = std::make_shared<Router>();
    router->add("GET", "/api/v1/health", [](const Request&) { return Response{}; });
    router->set_fallback([f = std::shared_ptr<StaticFiles>(std::move(*files))](const Request& r) {
      return f->serve(r);
    });
    server_ = std::make_unique<TestServer>(router);
  }
  // Headers and body of a GET.
  std::string get(const std::vector<std::string>& extra, const std::string& path) {
    std::vector<std::string> argv = {"curl", "-s", "-D", "-"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(server_->url(path));
    return testing::run(argv).out;
  }
  testing::TempDir tmp_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StaticFilesTest, AppPagesGetIndexWithAStrictPolicy) {
  for (const char* path : {"/", "/objects", "/users/analyst"}) {
    std::string r = get({}, path);
    SCOPED_TRACE(path);
    EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_NE(r.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    EXPECT_NE(r.find("Content-Security-Policy: default-src 'none'; script-src 'self'"),
              std::string::npos);
    EXPECT_EQ(r.find("unsafe-inline"), std::string::npos);
    EXPECT_NE(r.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(r.find("frame-src 'self'; media-src 'self'"), std::string::npos);
    EXPECT_NE(r.find("X-Frame-Options: DENY"), std::string::npos);
    EXPECT_NE(r.find("Cache-Control: no-cache"), std::string::npos);
    EXPECT_NE(r.find("<title>Evidence Hub</title>"), std::string::npos);
  }
}

TEST_F(StaticFilesTest, AssetsAreCachedAndRevalidatedByETag) {
  std::string r = get({}, "/assets/index-abc123.js");
  EXPECT_NE(r.find("Content-Type: text/javascript"), std::string::npos);
  EXPECT_NE(r.find("Cache-Control: public, max-age=31536000, immutable"), std::string::npos);
  auto at = r.find("ETag: ");
  ASSERT_NE(at, std::string::npos);
  std::string etag = r.substr(at + 6, r.find('\r', at) - at - 6);
  std::string again = get({"-H", "If-None-Match: " + etag}, "/assets/index-abc123.js");
  EXPECT_NE(again.find("HTTP/1.1 304"), std::string::npos) << again;
  EXPECT_EQ(again.find("console.log"), std::string::npos);
}

TEST_F(StaticFilesTest, MissingFilesAndApiPathsAreNotTheApp) {
  EXPECT_NE(get({}, "/assets/missing.js").find("HTTP/1.1 404"), std::string::npos);
  std::string api = get({}, "/api/v1/nothing");
  EXPECT_NE(api.find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(api.find("\"not_found\""), std::string::npos);
  EXPECT_EQ(api.find("<title>"), std::string::npos);
  EXPECT_NE(get({"--path-as-is"}, "/../../etc/passwd").find("<title>Evidence Hub"),
            std::string::npos)
      << "a path outside the app is only ever one of the app's pages";
  EXPECT_EQ(curl({"-X", "POST", server_->url("/")}).first, 405);
}

TEST(StaticFiles, ADirectoryWithoutTheAppIsRefusedClearly) {
  testing::TempDir tmp;
  auto files = StaticFiles::load(tmp / "nothing");
  ASSERT_FALSE(files.is_ok());
  EXPECT_EQ(files.status().code(), Code::kNotFound);
  EXPECT_NE(files.status().message().find("index.html"), std::string::npos);
}

}  // namespace
}  // namespace evhub::api
