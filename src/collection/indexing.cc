#include "collection/indexing.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "collection/collection.h"
#include "core/hex.h"
#include "crypto/crypto.h"
#include "extract/extract.h"

namespace evhub::collection {

using nlohmann::json;

namespace {

constexpr const char* kSeqKey = "custody_seq";
// Texts longer than this are indexed from their start: a transcript is far shorter; a longer
// "text" is a dump nobody reads by search.
constexpr std::uint64_t kMaxIndexedBytes = 32u << 20;
constexpr int kEventBatch = 1000;

// An item the index should hold, and where its text comes from.
struct Expected {
  search::IndexItem item;   // text empty until loaded
  std::string text_object;  // object to read the text from, or empty when `inline_text`
  std::string inline_text;
  bool detect_language = false;
};

bool looks_like_text(const std::string& head) {
  // Formats with a text-like start that extract/ turns into derived texts itself.
  for (const char* magic : {"%PDF", "PK\x03\x04", "\x89PNG", "\xff\xd8\xff", "II*", "MM\0*", "RIFF",
                            "OggS", "fLaC", "ID3", "\x1a\x45\xdf\xa3"}) {
    if (head.rfind(magic, 0) == 0) return false;
  }
  if (head.size() >= 8 && head.compare(4, 4, "ftyp") == 0) return false;  // MP4
  if (head.find('\0') != std::string::npos) return false;
  // Valid UTF-8, allowing a sequence cut at the end of the head.
  std::size_t i = 0;
  while (i < head.size()) {
    const auto c = static_cast<unsigned char>(head[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if (i + k >= head.size()) return true;
      if ((static_cast<unsigned char>(head[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

Result<std::string> read_text(hub::Hub& hub, const std::string& id, std::uint64_t max) {
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(id));
  return reader->read_prefix(max);
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// What the collection says about a witness's material, for titles, dates and places.
struct WitnessContext {
  std::string code;
  std::map<std::string, Interview> interview_of;       // transcript or recording -> interview
  std::map<std::string, WitnessDocument> document_of;  // object -> document
};

Result<WitnessContext> witness_context(Collection& collection, const std::string& domain) {
  WitnessContext ctx;
  EVHUB_ASSIGN_OR_RETURN(auto w, collection.witness(domain));
  if (!w || w->erased) return ctx;
  ctx.code = domain;
  EVHUB_ASSIGN_OR_RETURN(auto interviews, collection.interviews(domain));
  for (const Interview& iv : interviews) {
    if (!iv.transcript.empty()) ctx.interview_of[iv.transcript] = iv;
    for (const auto& r : iv.recordings) ctx.interview_of[r] = iv;
  }
  EVHUB_ASSIGN_OR_RETURN(auto documents, collection.documents(domain));
  for (const WitnessDocument& d : documents) ctx.document_of[d.object_id] = d;
  return ctx;
}

// Title, date, place and what to open, from the object a text came from.
void describe(search::IndexItem& item, const std::string& root, const WitnessContext& ctx) {
  if (auto iv = ctx.interview_of.find(root); iv != ctx.interview_of.end()) {
    item.date = iv->second.on;
    if (!iv->second.remote && !iv->second.place.empty()) item.places = {iv->second.place};
    item.title = fmt::format("Interview {}, {}", iv->second.on, ctx.code);
    item.open = "interview/" + iv->second.id;
  } else if (auto d = ctx.document_of.find(root); d != ctx.document_of.end()) {
    item.date = d->second.date;
    item.title = fmt::format("{} document{}{}, {}", capitalised(d->second.kind),
                             d->second.date.empty() ? "" : " ", d->second.date, ctx.code);
    item.open = "document/" + root;
  } else {
    item.title = ctx.code.empty() ? "Text " + root.substr(0, 8)
                                  : fmt::format("Text {}, {}", root.substr(0, 8), ctx.code);
    item.open = "object/" + root;
  }
}

std::string version_of(const search::IndexItem& item, const std::string& content_sha256) {
  const json v = {item.type,    item.language, item.organisation_id, item.sensitivity,
                  item.witness, item.date,     item.places,          item.title,
                  item.open,    item.group,    content_sha256};
  return to_hex(crypto::sha256(as_bytes(v.dump()))).substr(0, 32);
}

std::mutex& feeds_mutex() {
  static std::mutex mu;
  return mu;
}
std::vector<IndexFeed>& feeds() {
  static std::vector<IndexFeed> all;
  return all;
}
std::vector<IndexFeed> current_feeds() {
  std::lock_guard lock(feeds_mutex());
  return feeds();
}

// What the feeds add to a domain: items whose text is already there.
Status add_fed(hub::Hub& hub, const catalog::KeyDomain& domain, std::vector<Expected>& out) {
  for (const IndexFeed& feed : current_feeds()) {
    EVHUB_ASSIGN_OR_RETURN(auto items, feed.items(hub, domain));
    for (auto& item : items) {
      Expected e;
      e.inline_text = std::move(item.text);
      item.text.clear();
      e.item = std::move(item);
      out.push_back(std::move(e));
    }
  }
  return Status::ok();
}

// Everything of one key domain that the index should hold. Call holding the hub mutex.
Result<std::vector<Expected>> expected_in(hub::Hub& hub, Collection& collection,
                                          const catalog::KeyDomain& domain) {
  std::vector<Expected> out;
  if (domain.shredded) return out;
  EVHUB_ASSIGN_OR_RETURN(auto objects, hub.list(domain.name));
  EVHUB_ASSIGN_OR_RETURN(WitnessContext ctx, witness_context(collection, domain.name));
  std::map<std::string, const hub::ListedObject*> by_id;
  for (const auto& o : objects) by_id[o.record.id] = &o;
  auto root_of = [&](std::string id) {
    for (int depth = 0; depth < 8; ++depth) {
      auto it = by_id.find(id);
      if (it == by_id.end() || !it->second->record.derived_from) break;
      id = *it->second->record.derived_from;
    }
    return id;
  };
  for (const auto& o : objects) {
    const catalog::ObjectRecord& r = o.record;
    if (o.erased || r.record) continue;
    Expected e;
    search::IndexItem& item = e.item;
    item.id = r.id;
    item.organisation_id = o.organisation_id.value_or("");
    item.sensitivity = r.sensitivity;
    item.domain_id = r.domain_id;
    item.witness = ctx.code;
    item.group = root_of(r.id);
    e.text_object = r.id;
    if (r.derived_from) {
      if (r.media_type.rfind("text/plain", 0) != 0) continue;
      const json p = json::parse(r.tool_parameters.value_or("{}"), nullptr, false);
      if (p.is_object() && p.contains("to")) {
        item.type = "translation";
        item.language = p.value("to", "");
      } else {
        item.type =
            r.tool.value_or("").find("tesseract") != std::string::npos ? "ocr" : "extracted";
        item.language = p.is_object() ? p.value("language", "") : "";
      }
    } else {
      const bool transcript =
          ctx.interview_of.count(r.id) > 0 && ctx.interview_of.at(r.id).transcript == r.id;
      if (!transcript) {
        auto reader = hub.open_object(r.id);
        if (!reader.is_ok()) continue;
        auto head = (*reader)->read_prefix(4096);
        if (!head.is_ok() || head->empty()) continue;
        if (!looks_like_text(*head)) continue;
      }
      item.type = transcript ? "transcript" : "text";
      e.detect_language = true;
    }
    describe(item, item.group, ctx);
    item.version = version_of(item, r.sha256);
    out.push_back(std::move(e));
  }
  for (const auto& [object_id, doc] : ctx.document_of) {
    auto source = by_id.find(object_id);
    if (doc.description.empty() || source == by_id.end() || source->second->erased) continue;
    Expected e;
    search::IndexItem& item = e.item;
    item.id = "desc:" + object_id;
    item.type = "document-description";
    item.language = doc.language;
    item.organisation_id = source->second->organisation_id.value_or("");
    item.sensitivity = source->second->record.sensitivity;
    item.domain_id = source->second->record.domain_id;
    item.witness = ctx.code;
    item.group = object_id;
    describe(item, object_id, ctx);
    e.inline_text = doc.description;
    item.version = version_of(item, to_hex(crypto::sha256(as_bytes(doc.description))));
    out.push_back(std::move(e));
  }
  EVHUB_RETURN_IF_ERROR(add_fed(hub, domain, out));
  return out;
}

class Syncer {
 public:
  // `fresh`: the index is being rebuilt, so it holds nothing yet (and cannot be read).
  Syncer(hub::Hub& hub, std::mutex& mu, search::Index& index, bool fresh = false)
      : hub_(hub), mu_(mu), index_(index), fresh_(fresh) {}

  Status open_collection() {
    std::lock_guard lock(mu_);
    EVHUB_ASSIGN_OR_RETURN(collection_, Collection::open(hub_));
    return Status::ok();
  }

  // Brings one key domain's items up to date; returns (indexed, removed).
  Status sync(const catalog::KeyDomain& domain, IndexReport& report) {
    ++report.domains;
    if (domain.shredded) {
      EVHUB_ASSIGN_OR_RETURN(std::int64_t n, index_.remove_domain(domain.id));
      report.removed += n;
      return Status::ok();
    }
    std::vector<Expected> expected;
    {
      std::lock_guard lock(mu_);
      EVHUB_RETURN_IF_ERROR(collection_->sync());
      EVHUB_ASSIGN_OR_RETURN(expected, expected_in(hub_, *collection_, domain));
    }
    std::vector<search::IndexEntry> held;
    if (!fresh_) {
      EVHUB_ASSIGN_OR_RETURN(held, index_.entries(domain.id));
    }
    std::map<std::string, std::string> version_of_held;
    for (const auto& h : held) version_of_held[h.id] = h.version;
    std::set<std::string> wanted;
    for (Expected& e : expected) {
      wanted.insert(e.item.id);
      auto h = version_of_held.find(e.item.id);
      if (h != version_of_held.end() && h->second == e.item.version) continue;
      if (!e.text_object.empty()) {
        std::lock_guard lock(mu_);
        auto text = read_text(hub_, e.text_object, kMaxIndexedBytes);
        if (!text.is_ok()) {
          if (text.status().code() == Code::kErased) continue;
          return text.status();
        }
        e.item.text = std::move(*text);
      } else {
        e.item.text = std::move(e.inline_text);
      }
      if (e.detect_language) e.item.language = extract::detect_language(e.item.text).language;
      Status st = index_.put(e.item);
      crypto::wipe(e.item.text.data(), e.item.text.size());
      EVHUB_RETURN_IF_ERROR(st);
      ++report.indexed;
    }
    for (const auto& h : held) {
      if (wanted.count(h.id)) continue;
      EVHUB_RETURN_IF_ERROR(index_.remove(h.id));
      ++report.removed;
    }
    return Status::ok();
  }

  Result<std::vector<catalog::KeyDomain>> domains() {
    std::lock_guard lock(mu_);
    EVHUB_ASSIGN_OR_RETURN(auto summary, hub_.summary());
    return summary.domains;
  }

  Collection& collection() { return *collection_; }

 private:
  hub::Hub& hub_;
  std::mutex& mu_;
  search::Index& index_;
  bool fresh_;
  std::unique_ptr<Collection> collection_;
};

Result<std::int64_t> followed_seq(search::Index& index) {
  EVHUB_ASSIGN_OR_RETURN(std::string seq, index.metadata(kSeqKey));
  if (seq.empty()) return std::int64_t{0};
  try {
    return std::stoll(seq);
  } catch (const std::exception&) {
    return Status(Code::kIntegrity, "the index's record of the custody log (" + seq +
                                        ") is damaged; run `evhub index rebuild`");
  }
}

// The custody events since `seq`: the sequence to continue from and the domains they touched.
Result<std::int64_t> touched_since(hub::Hub& hub, std::mutex& mu, std::int64_t seq,
                                   std::set<std::string>& domain_ids, std::int64_t& events) {
  while (true) {
    std::vector<custody::Event> batch;
    {
      std::lock_guard lock(mu);
      EVHUB_ASSIGN_OR_RETURN(batch, hub.events_from(seq, kEventBatch));
    }
    if (batch.empty()) return seq;
    for (const auto& e : batch) {
      seq = e.seq + 1;
      ++events;
      if (e.action != "put" && e.action != "shred") continue;
      if (e.details.contains("domain_id") && e.details["domain_id"].is_string()) {
        domain_ids.insert(e.details["domain_id"].get<std::string>());
      }
    }
  }
}

}  // namespace

Result<IndexReport> update_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index,
                                 const IndexProgress& progress) {
  IndexReport report;
  EVHUB_ASSIGN_OR_RETURN(std::int64_t seq, followed_seq(index));
  std::set<std::string> touched;
  EVHUB_ASSIGN_OR_RETURN(std::int64_t next,
                         touched_since(hub, hub_mutex, seq, touched, report.events));
  // Events that touch no domain (reads, sign-ins) are only remembered now and then: a commit
  // per search would churn the index for nothing.
  if (touched.empty() && next - seq < 10000) return report;
  Syncer syncer(hub, hub_mutex, index);
  EVHUB_RETURN_IF_ERROR(syncer.open_collection());
  EVHUB_ASSIGN_OR_RETURN(auto domains, syncer.domains());
  std::int64_t done = 0;
  for (const auto& d : domains) {
    if (!touched.count(d.id)) continue;
    EVHUB_RETURN_IF_ERROR(syncer.sync(d, report));
    if (progress) progress(++done, static_cast<std::int64_t>(touched.size()));
  }
  EVHUB_RETURN_IF_ERROR(index.set_metadata(kSeqKey, std::to_string(next)));
  EVHUB_RETURN_IF_ERROR(index.commit());
  return report;
}

Result<IndexReport> rebuild_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index,
                                  const IndexProgress& progress) {
  IndexReport report;
  std::set<std::string> ignored;
  // Where the log stands before the rebuild starts: what comes later is caught up next time.
  EVHUB_ASSIGN_OR_RETURN(std::int64_t next,
                         touched_since(hub, hub_mutex, 0, ignored, report.events));
  Syncer syncer(hub, hub_mutex, index, true);
  EVHUB_RETURN_IF_ERROR(syncer.open_collection());
  EVHUB_ASSIGN_OR_RETURN(auto domains, syncer.domains());
  std::int64_t done = 0;
  for (const auto& d : domains) {
    EVHUB_RETURN_IF_ERROR(syncer.sync(d, report));
    if (progress) progress(++done, static_cast<std::int64_t>(domains.size()));
  }
  EVHUB_RETURN_IF_ERROR(index.set_metadata(kSeqKey, std::to_string(next)));
  EVHUB_RETURN_IF_ERROR(index.commit());
  return report;
}

Result<IndexCheck> check_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index) {
  IndexCheck check;
  EVHUB_ASSIGN_OR_RETURN(std::int64_t seq, followed_seq(index));
  std::set<std::string> ignored;
  std::int64_t events = 0;
  EVHUB_ASSIGN_OR_RETURN(std::int64_t next, touched_since(hub, hub_mutex, seq, ignored, events));
  check.behind = next - seq;
  std::map<std::string, std::string> expected;  // id -> version
  {
    std::lock_guard lock(hub_mutex);
    EVHUB_ASSIGN_OR_RETURN(auto collection, Collection::open(hub));
    EVHUB_ASSIGN_OR_RETURN(auto summary, hub.summary());
    for (const auto& d : summary.domains) {
      EVHUB_ASSIGN_OR_RETURN(auto items, expected_in(hub, *collection, d));
      for (const auto& e : items) expected[e.item.id] = e.item.version;
    }
  }
  check.expected = static_cast<std::int64_t>(expected.size());
  EVHUB_ASSIGN_OR_RETURN(auto held, index.entries());
  std::set<std::string> seen;
  for (const auto& h : held) {
    seen.insert(h.id);
    auto e = expected.find(h.id);
    if (e == expected.end())
      check.extra.push_back(h.id);
    else if (e->second != h.version)
      check.stale.push_back(h.id);
  }
  for (const auto& [id, version] : expected) {
    if (!seen.count(id)) check.missing.push_back(id);
  }
  return check;
}

void add_index_feed(IndexFeed feed) {
  std::lock_guard lock(feeds_mutex());
  auto& all = feeds();
  std::erase_if(all, [&](const IndexFeed& f) { return f.id_prefix == feed.id_prefix; });
  all.push_back(std::move(feed));
}

Result<std::string> item_text(hub::Hub& hub, Collection& collection, const std::string& id) {
  for (const IndexFeed& feed : current_feeds()) {
    if (id.rfind(feed.id_prefix, 0) == 0) return feed.text(hub, id);
  }
  if (id.rfind("desc:", 0) != 0) return read_text(hub, id, kMaxIndexedBytes);
  const std::string object_id = id.substr(5);
  EVHUB_ASSIGN_OR_RETURN(auto object, hub.describe(object_id));
  EVHUB_ASSIGN_OR_RETURN(auto documents, collection.documents(object.domain));
  for (const auto& d : documents) {
    if (d.object_id == object_id) return d.description;
  }
  return Status(Code::kNotFound, "no description of " + object_id);
}

Status enqueue_indexing(jobs::JobQueue& queue, const std::string& token, std::int64_t now_ms) {
  return queue.enqueue(kIndexJob, token, "{}", 5, now_ms).status();
}

std::map<std::string, jobs::Handler> indexing_handlers(hub::Hub& hub, std::mutex& hub_mutex,
                                                       std::string index_dir) {
  std::map<std::string, jobs::Handler> handlers;
  handlers[kIndexJob] = [&hub, &hub_mutex, dir = std::move(index_dir)](
                            const jobs::Job&,
                            const jobs::ReportProgress& progress) -> Result<std::string> {
    // Index jobs of several workers would only wait for each other's Xapian lock.
    static std::mutex one_at_a_time;
    std::lock_guard serial(one_at_a_time);
    EVHUB_ASSIGN_OR_RETURN(auto index, search::Index::open_writable(dir));
    EVHUB_ASSIGN_OR_RETURN(
        IndexReport r,
        update_index(hub, hub_mutex, *index, [&](std::int64_t done, std::int64_t of) {
          progress(static_cast<double>(done) / static_cast<double>(std::max<std::int64_t>(of, 1)));
        }));
    return json{{"domains", r.domains},
                {"indexed", r.indexed},
                {"removed", r.removed},
                {"events", r.events}}
        .dump();
  };
  return handlers;
}

}  // namespace evhub::collection
