#include "coding/framework_store.h"

#include <fmt/format.h>

#include <optional>

#include <nlohmann/json.hpp>

#include "catalog/sqlite.h"
#include "coding/coding_view.h"
#include "crypto/crypto.h"

namespace evhub::coding {

using catalog::Database;
using catalog::Statement;

namespace {
// A stored version: the framework's JSON and who stored it.
constexpr std::size_t kMaxRecordBytes = kMaxFileBytes + 4096;
}  // namespace

struct FrameworkStore::Impl {
  hub::Hub& hub;
  Database db;
  // The framework in force and the log position of the record it came from (-1: the shipped
  // default), so that a request that changes nothing decrypts nothing.
  std::optional<Framework> cached;
  std::int64_t cached_seq = -2;

  Result<std::vector<std::pair<std::int64_t, StoredFramework>>> stored() {
    EVHUB_RETURN_IF_ERROR(internal::sync_coding_view(db, hub));
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT seq, version, record_object, stored_by, stored_at "
                                      "FROM framework_versions ORDER BY seq DESC"));
    std::vector<std::pair<std::int64_t, StoredFramework>> out;
    for (;;) {
      EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      StoredFramework s;
      s.version = static_cast<int>(st.integer(1));
      s.record_object = st.text(2);
      s.stored_by = st.text(3);
      s.stored_at = st.text(4);
      out.emplace_back(st.integer(0), std::move(s));
    }
    return out;
  }

  Result<Framework> load(const std::string& record_object) {
    EVHUB_ASSIGN_OR_RETURN(auto record, internal::read_record(hub, record_object, kMaxRecordBytes));
    std::string text = record.value("framework", nlohmann::json::object()).dump();
    auto framework = framework_from_json(text);
    if (!framework.is_ok()) {
      return Status(Code::kIntegrity, fmt::format("the stored framework {} cannot be read: {}",
                                                  record_object, framework.status().message()));
    }
    return framework;
  }

  Result<Framework> current() {
    EVHUB_ASSIGN_OR_RETURN(auto all, stored());
    // The newest version that can be read; versions of a shredded domain are passed over.
    for (const auto& [seq, s] : all) {
      if (cached && cached_seq == seq) return *cached;
      auto f = load(s.record_object);
      if (!f.is_ok() && f.status().code() == Code::kErased) continue;
      EVHUB_RETURN_IF_ERROR(f.status());
      cached = *f;
      cached_seq = seq;
      return *f;
    }
    if (!cached || cached_seq != -1) {
      EVHUB_ASSIGN_OR_RETURN(Framework shipped, default_framework());
      cached = std::move(shipped);
      cached_seq = -1;
    }
    return *cached;
  }
};

FrameworkStore::FrameworkStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FrameworkStore::~FrameworkStore() = default;

Result<std::unique_ptr<FrameworkStore>> FrameworkStore::open(hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(Database db, internal::open_coding_view(hub));
  auto impl = std::make_unique<Impl>(Impl{hub, std::move(db), std::nullopt, -2});
  EVHUB_RETURN_IF_ERROR(internal::sync_coding_view(impl->db, hub));
  return std::unique_ptr<FrameworkStore>(new FrameworkStore(std::move(impl)));
}

Result<Framework> FrameworkStore::current() {
  return impl_->current();
}

Result<Framework> FrameworkStore::replace(const Framework& next, int based_on,
                                          const std::string& by) {
  EVHUB_ASSIGN_OR_RETURN(Framework now, impl_->current());
  if (now.version() != based_on) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("the coding framework was changed since version {} (it is at "
                              "version {}); reload it and apply your change again",
                              based_on, now.version()));
  }
  if (diff(now, next).empty() && now.version() == next.version()) return now;
  EVHUB_RETURN_IF_ERROR(check_successor(now, next));
  if (by.empty()) return Status(Code::kInvalidArgument, "a framework change needs its author");
  // The author goes into the record: the log's actor is the account the process runs as.
  nlohmann::json record = {{"stored_by", by},
                           {"framework", nlohmann::json::parse(framework_to_json(next))}};
  std::string text = record.dump();
  auto put = impl_->hub.put_data("coding framework", text, kFrameworkDomain,
                                 hub::Intake::record_of("", internal::kFrameworkRecord));
  crypto::wipe(text.data(), text.size());
  EVHUB_RETURN_IF_ERROR(put.status());
  return impl_->current();
}

Result<std::vector<StoredFramework>> FrameworkStore::versions() {
  EVHUB_ASSIGN_OR_RETURN(auto all, impl_->stored());
  std::vector<StoredFramework> out;
  for (auto& [seq, s] : all) out.push_back(std::move(s));
  return out;
}

Result<Framework> FrameworkStore::at_version(int version) {
  EVHUB_ASSIGN_OR_RETURN(auto all, impl_->stored());
  for (const auto& [seq, s] : all) {
    if (s.version == version) return impl_->load(s.record_object);
  }
  return Status(Code::kNotFound, fmt::format("no stored coding framework has version {}", version));
}

}  // namespace evhub::coding
