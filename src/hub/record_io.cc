#include "hub/record_io.h"

#include <fmt/format.h>

#include "crypto/crypto.h"

namespace evhub::hub {

using nlohmann::json;

Result<std::string> read_object_text(Hub& hub, const std::string& object_id,
                                     std::int64_t max_bytes) {
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(object_id));
  if (static_cast<std::int64_t>(reader->size()) > max_bytes) {
    return Status(Code::kInvalidArgument,
                  fmt::format("object {} is larger than {} bytes", object_id, max_bytes));
  }
  return reader->read_prefix(static_cast<std::size_t>(max_bytes));
}

Result<json> read_record(Hub& hub, const std::string& object_id, std::size_t max_bytes) {
  auto read = read_object_text(hub, object_id, static_cast<std::int64_t>(max_bytes));
  if (!read.is_ok() && read.status().code() == Code::kInvalidArgument) {
    return Status(Code::kIntegrity,
                  fmt::format("record {} is larger than {} bytes", object_id, max_bytes));
  }
  EVHUB_RETURN_IF_ERROR(read.status());
  std::string text = std::move(*read);
  json j = json::parse(text, nullptr, false);
  crypto::wipe(text.data(), text.size());
  if (j.is_discarded() || !j.is_object()) {
    return Status(Code::kIntegrity, "record " + object_id + " is not a JSON object");
  }
  return j;
}

}  // namespace evhub::hub
