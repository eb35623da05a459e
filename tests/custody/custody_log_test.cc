#include <gtest/gtest.h>

#include "custody/custody_log.h"
#include "support/support.h"

namespace evhub::custody {
namespace {

class CustodyLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CustodyLog::create(local_fs(), dir(), key_.public_key()).is_ok());
  }
  std::string dir() const { return tmp_ / "custody"; }
  std::unique_ptr<CustodyLog> open(bool repair = true) {
    auto log = CustodyLog::open(local_fs(), dir(), "hub-1", repair);
    EXPECT_TRUE(log.is_ok()) << log.status().to_string();
    return std::move(log).value();
  }
  void add(CustodyLog& log, int n) {
    std::vector<Event> events;
    for (int i = 0; i < n; ++i) {
      Event e;
      e.actor = "tester";
      e.action = "put";
      e.object = "obj" + std::to_string(i);
      e.sha256 = std::string(64, 'a');
      e.details = {{"size", i}};
      events.push_back(e);
    }
    ASSERT_TRUE(log.append(events).is_ok());
    ASSERT_TRUE(log.sign_head(key_).is_ok());
  }
  std::vector<std::string> problems(CustodyLog& log) { return verify_log(log, key_.public_key()); }

  testing::TempDir tmp_;
  crypto::SigningKey key_ = crypto::SigningKey::generate();
};

TEST_F(CustodyLogTest, AppendsSignsAndReopens) {
  auto log = open();
  add(*log, 3);
  add(*log, 2);
  EXPECT_EQ(log->size(), 5u);
  auto again = open();
  EXPECT_EQ(again->size(), 5u);
  EXPECT_EQ(again->root(), log->root());
  auto heads = again->heads();
  ASSERT_EQ(heads->size(), 2u);
  EXPECT_EQ((*heads)[1].tree_size, 5u);
  EXPECT_TRUE(problems(*again).empty());
  auto lines = again->event_lines();
  auto e = parse_event((*lines)[4]);
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ(e->seq, 4);
  EXPECT_EQ(e->action, "put");
  EXPECT_EQ(serialize_event(*e), (*lines)[4]) << "serialisation is canonical";
}

// event_lines_from reads a slice from where it starts in the file; it must give exactly what
// event_lines gives, for logs this process wrote, reopened, or that another process extended.
TEST_F(CustodyLogTest, ASliceOfTheLogIsWhatTheWholeLogHoldsThere) {
  auto writer = open();
  add(*writer, 7);
  add(*writer, 5);
  auto reader = open();
  add(*writer, 4);  // another process appends: the reader catches up on refresh
  ASSERT_TRUE(reader->refresh().is_ok());
  for (CustodyLog* log : {writer.get(), reader.get()}) {
    auto all = log->event_lines();
    ASSERT_TRUE(all.is_ok());
    ASSERT_EQ(all->size(), 16u);
    for (std::uint64_t first : {0u, 1u, 6u, 7u, 15u, 16u, 30u}) {
      for (std::size_t limit : {0u, 1u, 3u, 500u}) {
        auto slice = log->event_lines_from(first, limit);
        ASSERT_TRUE(slice.is_ok()) << slice.status().to_string();
        const std::size_t from = std::min<std::size_t>(first, all->size());
        const std::size_t to = std::min<std::size_t>(from + limit, all->size());
        EXPECT_EQ(*slice, std::vector<std::string>(all->begin() + static_cast<std::ptrdiff_t>(from),
                                                   all->begin() + static_cast<std::ptrdiff_t>(to)))
            << first << " " << limit;
      }
    }
  }
}

TEST_F(CustodyLogTest, FlippedByteInAnEventIsDetectedAndLocated) {
  auto log = open();
  add(*log, 4);
  add(*log, 4);
  // Flip a byte inside the object id of event 5 (the second head covers events 4 to 7).
  auto lines = *log->event_lines();
  std::size_t offset = 0;
  for (int i = 0; i < 5; ++i) offset += lines[i].size() + 1;
  offset += lines[5].find("obj1") + 3;
  testing::flip_byte(join_path(dir(), kEventsFile), static_cast<std::int64_t>(offset));
  auto reopened = open(false);
  auto p = problems(*reopened);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("events 4 to 7 were altered"), std::string::npos) << p[0];
}

TEST_F(CustodyLogTest, FlippedByteInAHeadIsDetected) {
  auto log = open();
  add(*log, 2);
  add(*log, 2);
  // Every position of the first head's line: root, time and signature bytes all matter.
  std::string heads_path = join_path(dir(), kHeadsFile);
  std::string original = testing::read_text(heads_path);
  std::size_t first_len = original.find('\n');
  for (std::size_t i = 0; i < first_len; ++i) {
    testing::flip_byte(heads_path, static_cast<std::int64_t>(i));
    auto p = problems(*open(false));
    EXPECT_FALSE(p.empty()) << "flip at byte " << i << " of the first head went unnoticed";
    testing::write_text_file(heads_path, original);
  }
  EXPECT_TRUE(problems(*open(false)).empty());
}

TEST_F(CustodyLogTest, RemovedEventsAreDetected) {
  auto log = open();
  add(*log, 3);
  std::string path = join_path(dir(), kEventsFile);
  std::string text = testing::read_text(path);
  text.erase(text.rfind('\n', text.size() - 2) + 1);  // drop the last event
  testing::write_text_file(path, text);
  auto p = problems(*open(false));
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].find("events were removed"), std::string::npos) << p[0];
}

TEST_F(CustodyLogTest, TornLastLineIsCutOffOnRepairOnly) {
  auto log = open();
  add(*log, 2);
  std::string path = join_path(dir(), kEventsFile);
  std::string good = testing::read_text(path);
  testing::write_text_file(path, good + R"({"seq":2,"time":"2026-)");
  auto read_only = open(false);
  EXPECT_EQ(read_only->size(), 2u);
  EXPECT_EQ(testing::read_text(path).size(), good.size() + 22) << "read-only open changes nothing";
  auto repaired = open(true);
  EXPECT_EQ(repaired->size(), 2u);
  EXPECT_EQ(testing::read_text(path), good);
  EXPECT_TRUE(problems(*repaired).empty());
}

TEST_F(CustodyLogTest, LostLineEndOfASignedEventIsReported) {
  auto log = open();
  add(*log, 2);
  std::string path = join_path(dir(), kEventsFile);
  std::string text = testing::read_text(path);
  testing::write_text_file(path, text.substr(0, text.size() - 1));
  auto reopened = open(true);
  EXPECT_EQ(testing::read_text(path).size(), text.size() - 1) << "a signed line is never cut";
  EXPECT_TRUE(reopened->signed_line_unterminated());
  auto p = problems(*reopened);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("lost its line end"), std::string::npos) << p[0];
}

TEST_F(CustodyLogTest, EventsWithoutHeadAreReportedUntilSigned) {
  auto log = open();
  add(*log, 2);
  std::vector<Event> more(1);
  more[0].action = "get";
  ASSERT_TRUE(log->append(more).is_ok());
  auto p = problems(*log);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("not covered by a signed tree head"), std::string::npos);
  ASSERT_TRUE(log->sign_head(key_).is_ok());
  EXPECT_TRUE(problems(*log).empty());
}

TEST_F(CustodyLogTest, ForeignSigningKeyIsRejected) {
  auto log = open();
  add(*log, 2);
  auto other = crypto::SigningKey::generate();
  auto p = verify_log(*log, other.public_key());
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].find("invalid signature"), std::string::npos);
}

TEST(PublicKeyPem, IsOpenSslReadable) {
  auto key = crypto::SigningKey::generate();
  testing::TempDir tmp;
  testing::write_text_file(tmp / "k.pem", public_key_pem(key.public_key()));
  auto r = testing::run({"openssl", "pkey", "-pubin", "-in", tmp / "k.pem", "-noout", "-text"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ED25519"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace evhub::custody
