#include "api/route_support.h"

#include <cstring>

#include "crypto/crypto.h"

namespace evhub::api {

using nlohmann::json;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response status_response(const Status& st, const std::string& what) {
  switch (st.code()) {
    case Code::kInvalidArgument:
      return error_response(400, "bad_request", st.message());
    case Code::kNotFound:
      return error_response(404, "not_found", st.message());
    case Code::kAlreadyExists:
      return error_response(409, "exists", st.message());
    case Code::kFailedPrecondition:
      return error_response(409, "conflict", st.message());
    case Code::kErased:
      return error_response(410, "erased", st.message());
    case Code::kNoSpace:
      return error_response(507, "no_space", "the hub's disk is full");
    default:
      return error_response(500, "internal", what + " failed");
  }
}

Status check_fields(const json& in, const std::map<std::string, FieldType>& fields) {
  if (!in.is_object()) return Status(Code::kInvalidArgument, "send a JSON object");
  for (const auto& [key, value] : in.items()) {
    auto f = fields.find(key);
    if (f == fields.end()) {
      return Status(Code::kInvalidArgument, "unknown field \"" + key.substr(0, 40) + "\"");
    }
    bool ok = false;
    const char* want = "";
    switch (f->second) {
      case FieldType::kText:
        ok = value.is_string();
        want = "a string";
        break;
      case FieldType::kTextList:
        ok = value.is_array() &&
             std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
        want = "a list of strings";
        break;
      case FieldType::kFlag:
        ok = value.is_boolean();
        want = "true or false";
        break;
      case FieldType::kObject:
        ok = value.is_object();
        want = "an object";
        break;
      case FieldType::kInteger:
        ok = value.is_number_integer();
        want = "a whole number";
        break;
      case FieldType::kList:
        ok = value.is_array();
        want = "a list";
        break;
      case FieldType::kNumber:
        ok = value.is_number();
        want = "a number";
        break;
    }
    if (!ok) return Status(Code::kInvalidArgument, key + " must be " + want);
  }
  return Status::ok();
}

Result<json> parse_body(const std::string& body, const char* usage,
                        const std::map<std::string, FieldType>& fields) {
  json in = json::parse(body, nullptr, false);
  if (in.is_discarded()) return Status(Code::kInvalidArgument, usage);
  EVHUB_RETURN_IF_ERROR(check_fields(in, fields));
  return in;
}

bool is_object_id(const std::string& id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

json job_json(const jobs::Job& j) {
  return {{"id", j.id},       {"kind", j.kind},         {"object", j.object_id},
          {"state", j.state}, {"attempts", j.attempts}, {"progress", j.progress},
          {"error", j.error}};
}

void wipe(std::string& s) {
  crypto::wipe(s.data(), s.size());
  s.clear();
}

void wipe(collection::PersonalDetails& p) {
  for (std::string* s : {&p.name, &p.contacts, &p.date_of_birth, &p.address, &p.notes}) wipe(*s);
}

void wipe(json& j) {
  if (j.is_string()) return wipe(j.get_ref<std::string&>());
  if (j.is_structured()) {
    for (auto& v : j) wipe(v);
  }
}

const char* inline_media_type(std::span<const std::uint8_t> head) {
  auto at = [&](std::size_t offset, std::string_view magic) {
    return head.size() >= offset + magic.size() &&
           std::memcmp(head.data() + offset, magic.data(), magic.size()) == 0;
  };
  // The signatures browsers themselves recognise (WHATWG MIME Sniffing), for the formats they
  // show or play without a plug-in of their own; PDF goes to the browser's own viewer.
  if (at(0, "%PDF-")) return "application/pdf";
  if (at(0, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (at(0, "\xff\xd8\xff")) return "image/jpeg";
  if (at(0, "GIF87a") || at(0, "GIF89a")) return "image/gif";
  if (at(0, "RIFF") && at(8, "WEBP")) return "image/webp";
  if (at(0, "RIFF") && at(8, "WAVE")) return "audio/wav";
  if (at(0, "OggS")) return "audio/ogg";
  if (at(0, "fLaC")) return "audio/flac";
  if (at(0, "ID3")) return "audio/mpeg";
  if (at(0, "\x1a\x45\xdf\xa3")) return "video/webm";
  if (at(4, "ftypM4A")) return "audio/mp4";
  if (at(4, "ftyp")) return "video/mp4";
  return nullptr;
}

}  // namespace evhub::api
