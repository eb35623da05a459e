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

Result<RedactedItem> store(hub::Hub& hub, const hub::ListedObject& original, std::string bytes,
                           const std::string& media_type, std::vector<RedactionLogEntry> log) {
  hub::Intake intake =
      hub::Intake::evidence(original.organisation_id.value_or(""), original.record.sensitivity);
  intake.derived_from = original.record.id;
  intake.tool = kTool;
  intake.tool_version = kToolVersion;
  intake.tool_parameters = parameters(log);
  intake.media_type = media_type;
  auto stored = hub.put_data("redacted", bytes, original.domain, intake);
  crypto::wipe(bytes.data(), bytes.size());
  EVHUB_RETURN_IF_ERROR(stored.status());
  return RedactedItem{stored->id, stored->sha256, std::move(log)};
}

}  // namespace

Result<RedactedItem> redact_item(hub::Hub& hub, const std::string& object_id,
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
    return store(hub, original, std::move(r.text), "text/plain; charset=utf-8", std::move(log));
  }
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(plain.data()),
                                            plain.size());
  auto redacted = pdf ? redact_pdf(bytes, boxes) : redact_image(bytes, boxes);
  crypto::wipe(plain.data(), plain.size());
  EVHUB_RETURN_IF_ERROR(redacted.status());
  for (const auto& b : boxes) log.push_back({"region", b.page, 0, 0, b});
  return store(hub, original, std::string(redacted->bytes.begin(), redacted->bytes.end()),
               redacted->media_type, std::move(log));
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
