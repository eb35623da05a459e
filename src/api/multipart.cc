#include "api/multipart.h"

#include <algorithm>
#include <cctype>

namespace evhub::api {

namespace {

constexpr std::size_t kMaxParts = 10000;
constexpr std::size_t kMaxHeaderBytes = 8192;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parameter `key` of a header value such as `form-data; name="files"; filename="a.pdf"`.
// Browsers write quoted values without backslash escapes (a quote in a file name becomes %22),
// so a quoted value runs to the next quote. `found` says whether the parameter was there.
std::string parameter(std::string_view value, std::string_view key, bool& found) {
  found = false;
  std::size_t at = value.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = trim(value.substr(at + 1));
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) return "";
    const std::string name = lower(trim(rest.substr(0, eq)));
    std::string_view v = rest.substr(eq + 1);
    std::size_t end = 0;
    std::string_view got;
    if (!v.empty() && v.front() == '"') {
      end = v.find('"', 1);
      if (end == std::string_view::npos) return "";
      got = v.substr(1, end - 1);
      ++end;
    } else {
      end = std::min(v.find(';'), v.size());
      got = trim(v.substr(0, end));
    }
    if (name == key) {
      found = true;
      return std::string(got);
    }
    const auto next = v.find(';', end);
    if (next == std::string_view::npos) return "";
    at = static_cast<std::size_t>(v.data() - value.data()) + next;
  }
  return "";
}

Status malformed(const std::string& what) {
  return Status(Code::kInvalidArgument, "not a valid multipart/form-data body: " + what);
}

}  // namespace

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                              std::string_view body) {
  const auto semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") {
    return Status(Code::kInvalidArgument, "send multipart/form-data");
  }
  bool has_boundary = false;
  const std::string boundary = parameter(content_type, "boundary", has_boundary);
  if (!has_boundary || boundary.empty() || boundary.size() > 70) {
    return malformed("no boundary (1 to 70 characters) in Content-Type");
  }
  const std::string delimiter = "--" + boundary;
  const std::string next_delimiter = "\r\n" + delimiter;
  std::vector<FormPart> parts;
  // A preamble before the first delimiter is allowed and ignored (RFC 2046).
  std::size_t pos = body.substr(0, delimiter.size()) == delimiter ? 0 : body.find(next_delimiter);
  if (pos == std::string_view::npos) return malformed("the boundary never appears");
  pos += body.substr(pos, 2) == "\r\n" ? next_delimiter.size() : delimiter.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return malformed("a boundary is not followed by a line end");
    pos += 2;
    const auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > kMaxHeaderBytes) {
      return malformed("a part's headers do not end");
    }
    FormPart part;
    bool disposition = false;
    std::string_view headers = body.substr(pos, head_end - pos);
    while (!headers.empty()) {
      const auto eol = std::min(headers.find("\r\n"), headers.size());
      const std::string_view line = headers.substr(0, eol);
      headers.remove_prefix(std::min(eol + 2, headers.size()));
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return malformed("a part's header has no colon");
      if (lower(trim(line.substr(0, colon))) != "content-disposition") continue;
      const std::string_view value = trim(line.substr(colon + 1));
      if (lower(trim(value.substr(0, value.find(';')))) != "form-data") {
        return malformed("a part is not form-data");
      }
      bool named = false;
      part.name = parameter(value, "name", named);
      part.filename = parameter(value, "filename", part.is_file);
      disposition = named;
    }
    if (!disposition) return malformed("a part has no Content-Disposition with a name");
    pos = head_end + 4;
    const auto end = body.find(next_delimiter, pos);
    if (end == std::string_view::npos) return malformed("the closing boundary is missing");
    part.data = body.substr(pos, end - pos);
    parts.push_back(std::move(part));
    if (parts.size() > kMaxParts) return malformed("more than 10000 parts");
    pos = end + next_delimiter.size();
  }
}

}  // namespace evhub::api
