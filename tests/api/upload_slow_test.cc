// An interview recording far larger than any in-memory body limit, uploaded through the real
// `evhub serve`: stored whole (SHA-256 equal to sha256sum's), downloaded back byte for byte,
// while the server's memory stays flat.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/support.h"

namespace evhub::api {
namespace {

using nlohmann::json;
using testing::RunResult;

TEST(LargeUpload, ARecordingAboveTheMemoryLimitIsStreamedIntoTheVault) {
  testing::TempDir tmp;
  const std::string hub = tmp / "hub", key = tmp / "hub.key";
  auto ev = [&](const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {testing::evhub_binary(), "--hub", hub, "--key-file", key};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, env);
  };
  ASSERT_EQ(ev({"init"}).exit_code, 0);
  ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  ASSERT_EQ(ev({"user", "add", "intake", "--org", "Partner A", "--role", "intake-officer"},
               {{"EVHUB_USER_PASSWORD", "intake password"}})
                .exit_code,
            0);
  testing::Child server({testing::evhub_binary(), "--hub", hub, "--key-file", key, "serve",
                         "--listen", "127.0.0.1:0", "--json"});
  const std::string line = server.read_line(30000);
  ASSERT_NE(line.find("listening"), std::string::npos) << line;
  const std::string url = json::parse(line)["listening"];

  const std::string jar = tmp / "jar";
  RunResult signed_in = testing::run({"curl", "-s", "-c", jar, "--data",
                                      R"({"username":"intake","password":"intake password"})",
                                      url + "api/v1/session"});
  const std::string csrf = json::parse(signed_in.out)["csrf_token"];

  // 200 MiB: three times the in-memory body limit.
  const std::uint64_t size = 200ull << 20;
  const std::string recording = tmp / "recording.bin";
  testing::write_random_file(recording, size, 42);
  {
    // A WAV header, as a recorder writes it: the processing job sees a recording and leaves it.
    std::fstream f(recording, std::ios::in | std::ios::out | std::ios::binary);
    f.write("RIFF\xff\xff\xff\x0cWAVEfmt ", 16);
  }
  RunResult up = testing::run({"curl", "-s", "-b", jar, "-H", "X-CSRF-Token: " + csrf,
                               "--data-binary", "@" + recording,
                               url + "api/v1/objects?domain=W-00077&organisation=Partner%20A"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  json stored = json::parse(up.out);
  ASSERT_TRUE(stored.contains("id")) << up.out;
  EXPECT_EQ(stored["size"], size);
  EXPECT_EQ(stored["sha256"], testing::sha256sum_of(recording));

  const std::string back = tmp / "back.bin";
  RunResult down =
      testing::run({"curl", "-s", "-f", "-b", jar, "-o", back,
                    url + "api/v1/objects/" + stored["id"].get<std::string>() + "/content"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_EQ(testing::sha256sum_of(back), testing::sha256sum_of(recording));

  server.send_signal(SIGTERM);
  RunResult ended = server.wait();
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
  // A few chunk buffers per connection and the spool's pieces, whatever the upload's size: far
  // below the 200 MiB a buffered body would take. The bound is the server's baseline (about
  // 90 MiB since evhub links pango, cairo and glib for summary exports) plus that headroom.
  EXPECT_LT(ended.max_rss_kib, 112 * 1024) << "peak RSS " << ended.max_rss_kib << " KiB";
}

}  // namespace
}  // namespace evhub::api
