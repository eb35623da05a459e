// The textual rules of BagIt 1.0 (RFC 8493) that the bag writer and the verifier share: which
// relative paths a bag may hold, how they are written in a manifest, manifest lines, labelled
// fields ("Label: value", folded when long) and the Payload-Oxum. Pure functions, no files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evhub::disclosure::bagit {

// bagit.txt, byte for byte, as this writer makes it.
inline constexpr std::string_view kDeclaration =
    "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
inline constexpr std::string_view kPayloadDir = "data";
// The algorithms written and checked, in the order they are reported.
inline constexpr const char* kAlgorithms[] = {"sha256", "sha512"};

// Which names a path may use.
// kStockTools (what the writer allows by default) refuses every character that would make
// `sha256sum -c` and a BagIt reader disagree or that a recipient's tools may mangle: '%', CR,
// LF and other control characters (BagIt percent-encodes the first three, sha256sum does not
// decode them, so the stock check would report the file missing), and white space at either
// end of a name. kRfc allows whatever RFC 8493 can express (they are then percent-encoded).
// Both refuse what is unsafe anywhere: an absolute path, "." or ".." or empty components,
// backslashes, NUL and text that is not UTF-8.
enum class NameRule { kStockTools, kRfc };
// Why `path` (relative, '/' between components) cannot be used, or nullopt if it can.
std::optional<std::string> path_problem(std::string_view path, NameRule rule);

// RFC 8493 §2.1.3: '%' -> %25, LF -> %0A, CR -> %0D, nothing else.
std::string encode_path(std::string_view path);
// The reverse; hex digits in either case. Any other '%' stays as it is (some writers, e.g.
// bagit-python, do not encode '%').
std::string decode_path(std::string_view encoded);

// One manifest line "HEX  PATH\n": two spaces, as sha256sum writes, so that
// `sha256sum -c manifest-sha256.txt` works from the bag root.
std::string manifest_line(std::string_view hex, std::string_view path);
struct ManifestEntry {
  std::string checksum;  // as written
  std::string path;      // decoded
};
// A line without its line ending: a checksum, one or more spaces or tabs, a path.
std::optional<ManifestEntry> parse_manifest_line(std::string_view line);
// Whether `line` (without its LF) is exactly what manifest_line() writes: lowercase hex of
// `hex_length` digits, two spaces, the encoded path.
bool is_canonical_manifest_line(std::string_view line, std::size_t hex_length);

// Splits a tag file into lines ending in LF, CR or CRLF (all allowed by RFC 8493 §2); a last
// line without an ending is kept.
std::vector<std::string_view> split_lines(std::string_view text);

struct Field {
  std::string label;
  std::string value;
};
// Why a label or a value cannot be written, or nullopt. Labels: no ':' or line breaks, not
// beginning or ending with white space, not empty. Values: UTF-8 without line breaks, not beginning
// or ending with white space.
std::optional<std::string> label_problem(std::string_view label);
std::optional<std::string> value_problem(std::string_view value);
// "Label: value\n"; a line longer than 79 characters is folded at single spaces (RFC 8493
// §2.2.2): the line break goes before the space, so the continuation line starts with it.
std::string format_field(const Field& field);

struct ParsedFields {
  std::vector<Field> fields;
  std::vector<std::string> problems;  // "line 3 has no ':'"
};
// Reads labelled fields. A continuation line (starting with a space or tab) is joined to the
// value before it with one space, its leading white space dropped, which gives back exactly
// what format_field() folded. Empty lines are skipped.
ParsedFields parse_fields(std::string_view text);

// "OCTETS.FILES": the payload's total size and number of files (RFC 8493 §2.2.2).
struct PayloadOxum {
  std::uint64_t octets = 0;
  std::uint64_t files = 0;
  bool operator==(const PayloadOxum&) const = default;
};
std::string to_string(const PayloadOxum& oxum);
std::optional<PayloadOxum> parse_payload_oxum(std::string_view text);

// "manifest-sha256.txt" -> "sha256" (with `prefix` "manifest-"); nullopt for other names.
std::optional<std::string> manifest_algorithm(std::string_view file_name, std::string_view prefix);
// Lowercase hex digits in a SHA-256 or SHA-512 checksum.
std::size_t hex_length(std::string_view algorithm);

}  // namespace evhub::disclosure::bagit
