// multipart/form-data (RFC 7578), as browsers send a FormData: how a manifest and the files it
// names reach the import route in one request. The parts are views into the request body, so a
// 64 MiB upload is not copied to be split.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace evhub::api {

struct FormPart {
  std::string name;      // the form field's name
  std::string filename;  // for a file, the name the browser gave it (may be empty)
  bool is_file = false;  // the part carried a filename parameter
  std::string_view data;
};

// Splits `body` by the boundary named in `content_type` (multipart/form-data; boundary=…).
// kInvalidArgument, saying what is wrong, for anything else or a malformed body.
Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body);

}  // namespace evhub::api
