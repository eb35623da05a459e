#include "disclosure/redact_item.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/text.h"
#include "crypto/crypto.h"
#include "extract/extract.h"
#include "hub/record_io.h"

namespace evhub::disclosure {

namespace {

constexpr const char* kTool = "evhub-redaction";
constexpr const char* kToolVersion = "1";
constexpr std::int64_t kMaxItemBytes = std::int64_t{1} << 30;  // what is redacted in memory

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

enum class Form { kText, kPdf, kImage, kOther };

// By the bytes, not the catalog's media type: uploads are often application/octet-stream.
Form form_of(const std::string& bytes) {
  const std::string type =
      extract::media_type_of({reinterpret_cast<const std::uint8_t*>(bytes.data()),
                              std::min<std::size_t>(bytes.size(), 1024)});
  if (type == "application/pdf") return Form::kPdf;
  if (type.rfind("image/", 0) == 0) return Form::kImage;
  return type.rfind("text/plain", 0) == 0 && is_valid_utf8(bytes) ? Form::kText : Form::kOther;
}

// The provenance parameters: counts by kind, never what was removed.
std::string parameters(const std::vector<RedactionLogEntry>& log) {
  std::map<std::string, int> counts;
  for (const auto& e : log) ++counts[e.kind];
  return nlohmann::json(counts).dump();
}

// The redacted bytes with their provenance, as derived from `original`.
PreparedRedaction prepared(const hub::ListedObject& original, std::string bytes,
                           const std::string& media_type, std::vector<RedactionLogEntry> log) {
  PreparedRedaction out;
  out.object_id = original.record.id;
  out.derived.label = "redacted";
  out.derived.data = std::move(bytes);
  out.derived.source_id = original.record.id;
  out.derived.provenance.tool = kTool;
  out.derived.provenance.tool_version = kToolVersion;
  out.derived.provenance.tool_parameters = parameters(log);
  out.derived.provenance.media_type = media_type;
  out.log = std::move(log);
  return out;
}

}  // namespace

PreparedRedaction::~PreparedRedaction() {
  crypto::wipe(derived.data.data(), derived.data.size());
}

Result<PreparedRedaction> prepare_redaction(hub::Hub& hub, const std::string& object_id,
                                            const std::vector<WitnessIdentity>& witnesses,
                                            const std::vector<RedactionBox>& boxes) {
  EVHUB_ASSIGN_OR_RETURN(auto original, hub.describe(object_id));
  if (original.erased) return Status(Code::kErased, "the item's witness was erased");
  EVHUB_ASSIGN_OR_RETURN(std::string plain, hub::read_object_text(hub, object_id, kMaxItemBytes));
  const Form form = form_of(plain);
  const bool text = form == Form::kText, pdf = form == Form::kPdf;
  Status refused = Status::ok();
  if (form == Form::kOther) {
    refused =
        bad(fmt::format("{} is neither a text, a PDF nor an image: deliver it whole or "
                        "leave it out",
                        object_id));
  } else if (text && !boxes.empty()) {
    refused = bad("a text is pseudonymised, not boxed");
  } else if (!text && boxes.empty()) {
    refused = bad("mark the regions to black out on the pages or image");
  }
  if (!refused.is_ok()) {
    crypto::wipe(plain.data(), plain.size());
    return refused;
  }
  std::vector<RedactionLogEntry> log;
  if (text) {
    RedactedText r = redact_text(plain, witnesses);
    crypto::wipe(plain.data(), plain.size());
    for (const auto& x : r.redactions) {
      log.push_back({redacted_kind_name(x.kind), 0, x.begin, x.end, {}});
    }
    return prepared(original, std::move(r.text), "text/plain; charset=utf-8", std::move(log));
  }
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(plain.data()),
                                            plain.size());
  auto redacted = pdf ? redact_pdf(bytes, boxes) : redact_image(bytes, boxes);
  crypto::wipe(plain.data(), plain.size());
  EVHUB_RETURN_IF_ERROR(redacted.status());
  for (const auto& b : boxes) log.push_back({"region", b.page, 0, 0, b});
  std::string bytes_out(redacted->bytes.begin(), redacted->bytes.end());
  crypto::wipe(redacted->bytes.data(), redacted->bytes.size());
  return prepared(original, std::move(bytes_out), redacted->media_type, std::move(log));
}

Result<std::vector<RedactedItem>> store_redactions(hub::Hub& hub,
                                                   std::vector<PreparedRedaction>& prepared) {
  std::vector<hub::DerivedData> batch;
  batch.reserve(prepared.size());
  for (auto& p : prepared) batch.push_back(std::move(p.derived));
  auto stored = hub.put_derived_batch(batch);
  for (auto& d : batch) crypto::wipe(d.data.data(), d.data.size());  // if it failed early
  EVHUB_RETURN_IF_ERROR(stored.status());
  if (stored->size() != prepared.size()) {
    return Status(Code::kIntegrity, "the hub stored a different number of redactions");
  }
  std::vector<RedactedItem> out;
  out.reserve(prepared.size());
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    out.push_back(RedactedItem{(*stored)[i].id, (*stored)[i].sha256, std::move(prepared[i].log)});
  }
  return out;
}

Result<RedactedItem> redact_item(hub::Hub& hub, const std::string& object_id,
                                 const std::vector<WitnessIdentity>& witnesses,
                                 const std::vector<RedactionBox>& boxes) {
  std::vector<PreparedRedaction> one;
  EVHUB_ASSIGN_OR_RETURN(auto p, prepare_redaction(hub, object_id, witnesses, boxes));
  one.push_back(std::move(p));
  EVHUB_ASSIGN_OR_RETURN(auto stored, store_redactions(hub, one));
  return std::move(stored.front());
}

Result<bool> is_redactable_text(hub::Hub& hub, const std::string& object_id) {
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(object_id));
  std::string head(std::min<std::uint64_t>(reader->size(), 1024), '\0');
  EVHUB_ASSIGN_OR_RETURN(
      std::size_t n, reader->read(0, {reinterpret_cast<std::uint8_t*>(head.data()), head.size()}));
  head.resize(n);
  const std::string type =
      extract::media_type_of({reinterpret_cast<const std::uint8_t*>(head.data()), head.size()});
  crypto::wipe(head.data(), head.size());
  return type.rfind("text/plain", 0) == 0;
}

Result<std::vector<std::string>> delivery_warnings(hub::Hub& hub, const std::string& object_id) {
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(object_id));
  EVHUB_ASSIGN_OR_RETURN(std::string head, reader->read_prefix(1024));
  std::vector<std::string> out;
  if (form_of(head) != Form::kImage) return out;
  EVHUB_ASSIGN_OR_RETURN(std::string bytes, reader->read_prefix(kMaxItemBytes));
  auto metadata =
      extract::image_metadata({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  crypto::wipe(bytes.data(), bytes.size());
  if (!metadata.is_ok()) return out;  // an image exiv2 cannot read has no metadata to warn of
  for (const auto& flag : metadata->value("flags", nlohmann::json::array())) {
    out.push_back(flag.get<std::string>());
  }
  return out;
}

}  // namespace evhub::disclosure
