// Checks on text that people type and the hub writes into its logs and catalog.
#pragma once

#include <string>
#include <string_view>

namespace evhub {

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);
// Valid UTF-8 without control characters (newlines, escapes, NUL), at most `max_bytes` long.
bool is_printable_text(std::string_view text, std::size_t max_bytes);
// `s` with & < > " ' as HTML character references, appended to `out`.
void append_html_escaped(std::string& out, std::string_view s);

}  // namespace evhub
