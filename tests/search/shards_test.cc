// Scale-out: the same items split over two indexes served by xapian-tcpsrv (Xapian's remote
// backend) on loopback give the same hits, totals, facets and scores as one local index.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "search/search.h"
#include "support/support.h"

namespace evhub::search {
namespace {

IndexItem item(int i) {
  static const char* const words[] = {"baton",  "court",  "isolation", "Akrestsina", "Zhodzina",
                                      "prison", "beaten", "judge",     "Kavalenka",  "August"};
  IndexItem it;
  it.id = "item-" + std::to_string(i);
  it.organisation_id = i % 3 == 0 ? "org-b" : "org-a";
  it.sensitivity = i % 5 == 0 ? "health" : "normal";
  it.language = i % 2 == 0 ? "en" : "ru";
  it.type = i % 4 == 0 ? "ocr" : "transcript";
  it.date = "2020-" + std::string(i % 2 == 0 ? "08" : "09") + "-1" + std::to_string(i % 10);
  it.places = {i % 2 == 0 ? "Minsk" : "Homel"};
  it.domain_id = "dom-" + std::to_string(i % 7);
  for (int w = 0; w < 6; ++w) it.text += std::string(words[(i * 7 + w * 3) % 10]) + " ";
  return it;
}

int free_port() {
  std::random_device rd;
  return 20000 + static_cast<int>(rd() % 30000);
}

TEST(Shards, TwoRemoteShardsAnswerAsOneLocalIndex) {
  testing::TempDir tmp;
  {
    auto all = Index::open_writable(tmp / "all");
    auto a = Index::open_writable(tmp / "a");
    auto b = Index::open_writable(tmp / "b");
    ASSERT_TRUE(all.is_ok() && a.is_ok() && b.is_ok());
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE((*all)->put(item(i)).is_ok());
      ASSERT_TRUE((i % 2 == 0 ? *a : *b)->put(item(i)).is_ok());
    }
    ASSERT_TRUE((*all)->commit().is_ok() && (*a)->commit().is_ok() && (*b)->commit().is_ok());
  }
  // Two shard servers on loopback. A random port may be taken (by another test's server): a
  // server that does not answer on its port within 5 s is stopped and started on another.
  std::vector<std::unique_ptr<testing::Child>> servers;
  std::vector<std::string> shards;
  std::string last_error;
  for (const char* dir : {"a", "b"}) {
    for (int port_tried = 0; port_tried < 5; ++port_tried) {
      const int port = free_port();
      auto server = std::make_unique<testing::Child>(std::vector<std::string>{
          "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(port), tmp / dir});
      const std::string shard = "tcp://127.0.0.1:" + std::to_string(port);
      bool up = false;
      for (int attempt = 0; attempt < 50 && !up; ++attempt) {
        auto r = Index::open_readonly({shard});
        up = r.is_ok();
        if (!up) {
          last_error = r.status().message();
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
      if (!up) continue;  // `server` goes (killed) with this iteration
      servers.push_back(std::move(server));
      shards.push_back(shard);
      break;
    }
  }
  ASSERT_EQ(shards.size(), 2U) << "the shard servers did not come up: " << last_error;
  std::unique_ptr<Index> remote;
  {
    auto r = Index::open_readonly(shards);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    remote = std::move(*r);
  }
  auto local = Index::open_readonly({tmp / "all"});
  ASSERT_TRUE(local.is_ok());

  const std::vector<Scope> scopes = {{"org-a", {"normal"}}, {"org-b", {"normal", "health"}}};
  for (const std::string q :
       {"baton", "Akrestsina court", "\"isolation prison\"", "court NOT judge", "place:Homel",
        "date:2020-08 beaten", "Kavalenk*", "lang:en type:ocr"}) {
    SearchRequest r;
    r.query = q;
    r.scopes = scopes;
    r.limit = 100;
    auto one = (*local)->search(r, {});
    auto two = remote->search(r, {});
    ASSERT_TRUE(one.is_ok() && two.is_ok()) << q;
    SCOPED_TRACE(q);
    EXPECT_GT(one->total, 0);
    EXPECT_EQ(one->total, two->total);
    std::map<std::string, double> a, b;
    for (const auto& h : one->hits) a[h.id] = h.score;
    for (const auto& h : two->hits) b[h.id] = h.score;
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [id, score] : a) {
      ASSERT_TRUE(b.count(id)) << id;
      // A prefix* is expanded per shard, so its weights differ (the hits do not).
      if (q.back() != '*') {
        EXPECT_NEAR(score, b[id], 1e-9) << id;
      }
    }
    for (const auto& [facet, values] : one->facets) {
      const auto& other = two->facets[facet];
      ASSERT_EQ(values.size(), other.size()) << facet;
      std::map<std::string, std::int64_t> x, y;
      for (const auto& v : values) x[v.value] = v.count;
      for (const auto& v : other) y[v.value] = v.count;
      EXPECT_EQ(x, y) << facet;
    }
  }
  for (auto& s : servers) s->kill_now();
}

TEST(Shards, AShardThatCannotBeReachedIsNamed) {
  auto r = Index::open_readonly({"tcp://127.0.0.1:1"});
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("tcp://127.0.0.1:1"), std::string::npos)
      << r.status().message();
  auto bad = Index::open_readonly({"tcp://nowhere"});
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace evhub::search
