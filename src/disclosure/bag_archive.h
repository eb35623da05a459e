// A finished bag as one tar file that GNU tar unpacks, optionally encrypted to age recipients
// on the way out; and the reverse, for verification, that refuses anything in an archive that
// could land outside the directory it is unpacked into.
//
// The tar (pax, which is ustar plus UTF-8 names where needed) has one top-level directory named
// after the bag, entries in byte order of their paths (a directory before what it holds),
// owner 0:0, files 0644, directories 0755, and one time for every entry, so the same bag gives
// the same bytes. Files are streamed from disk in chunks, whatever their size, or the payload
// from the sources the caller gives (PayloadSource).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/age_process.h"
#include "disclosure/bagit_writer.h"

namespace evhub::disclosure {

struct ArchiveOptions {
  std::vector<std::string> age_recipients;  // empty: a plain tar
  std::int64_t mtime = 0;                   // every entry's time (Unix seconds); 0: now
  AgeOptions age;
};

// For a bag whose payload files are placeholders (BagWriter::add_streamed_payload): gives the
// bytes of each file under data/ (`path` from the bag directory, "data/..."), read from it
// instead of the disk, one file at a time. It must give exactly the placeholder's size.
using PayloadSource = std::function<Result<ByteSource>(const std::string& path)>;

// Writes `out_path` (which must not exist) from the bag directory `bag_dir`; the file gets its
// name only once it is complete, so a failure or a crash leaves no half package behind.
Status write_bag_archive(const std::string& bag_dir, const std::string& out_path,
                         const ArchiveOptions& options = {});
// The same with the payload's bytes from `payload` rather than the bag directory (a bag of
// placeholders): the same archive, byte for byte, as from a bag that holds the bytes.
Status write_bag_archive(const std::string& bag_dir, const std::string& out_path,
                         const ArchiveOptions& options, const PayloadSource& payload);

struct UnpackOptions {
  std::optional<std::string> age_identity_file;  // needed when the archive is age-encrypted
  AgeOptions age;
};

struct Unpacked {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  bool was_encrypted = false;
};

// Whether the file begins like an age-encrypted file (binary or armored).
bool is_age_encrypted(const std::string& path);

// Unpacks the tar or age-encrypted tar at `archive_path` into the existing empty directory
// `into_dir`. Only regular files and directories with relative paths inside it are accepted:
// an absolute path, "..", a link of any kind, a device, a pipe or a path given twice stops the
// unpacking with kIntegrity naming the entry. Files are written owner-only.
Result<Unpacked> unpack_archive(const std::string& archive_path, const std::string& into_dir,
                                const UnpackOptions& options = {});

}  // namespace evhub::disclosure
