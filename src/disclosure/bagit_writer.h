// Writes a BagIt 1.0 bag (RFC 8493) into a new directory: payload files under data/, streamed
// from any source in constant memory and hashed with SHA-256 and SHA-512 in the same pass; tag
// files beside them; then the manifests, bag-info.txt, the tag manifests and bagit.txt. The bag
// is built in a hidden sibling directory and renamed into place only when complete, so a crash
// or a failed step never leaves a bag that looks finished.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/fs.h"
#include "core/status.h"
#include "disclosure/bagit_text.h"
#include "disclosure/checksums.h"

namespace evhub::disclosure {

// Fills `buffer` with the next bytes of a payload and says how many; 0 at the end.
using ByteSource = std::function<Result<std::size_t>(std::span<std::uint8_t> buffer)>;
ByteSource source_from(std::istream& in);
ByteSource source_from(ReadableFile& file);

// What bag-info.txt says besides what the writer counts itself (Payload-Oxum).
struct BagInfo {
  std::string source_organization;  // required: who made the bag
  std::string external_identifier;  // required: e.g. the request's reference
  std::string bagging_date;         // YYYY-MM-DD; empty means today (UTC)
  std::string software_agent = "Evidence Hub";
  std::vector<bagit::Field> extra;  // further labelled fields, written in this order
};

struct BagWriterOptions {
  bagit::NameRule names = bagit::NameRule::kStockTools;
  FileSystem* fs = nullptr;  // local_fs() when null; tests make writes fail through it
  // Whether every file and directory is synced to disk before the bag is moved into place.
  // False only for a bag that is a step on the way to something else that is synced itself
  // (the export's scratch bag, removed once its archive is written and synced): syncing
  // gigabytes that are deleted a moment later only waits for the disk.
  bool durable = true;
};

struct FinishedBag {
  std::string dir;
  bagit::PayloadOxum oxum;
};

class BagWriter {
 public:
  // `dir` must not exist or be an empty directory; its parent must exist.
  static Result<std::unique_ptr<BagWriter>> create(const std::string& dir,
                                                   BagWriterOptions options = {});
  ~BagWriter();  // an unfinished bag is removed
  BagWriter(const BagWriter&) = delete;
  BagWriter& operator=(const BagWriter&) = delete;

  // Adds data/`path` with the bytes `source` gives until it says 0. A failed payload (the
  // source's error, a full disk) leaves nothing behind, and the writer can go on.
  Result<Checksums> add_payload(std::string_view path, const ByteSource& source);
  // Adds data/`path` to the manifests as add_payload() does, hashing the bytes `source` gives,
  // but writes only a placeholder of their size (a sparse file: no data on disk). The bytes are
  // given again when the bag is archived (ArchiveOptions::payload), so a payload of gigabytes is
  // never written out in plaintext. Only for a bag that is a step on the way to its archive:
  // until then the directory is no valid bag (the placeholders read as zeros).
  Result<Checksums> add_streamed_payload(std::string_view path, const ByteSource& source);
  // Adds a tag file (index.csv, README-for-recipients.txt, proofs/...) at `path` from the bag
  // root, outside data/; the names the writer makes itself are refused.
  Status add_tag_file(std::string_view path, std::string_view contents);
  // Runs on the complete bag (its hidden work directory) just before it is moved into place,
  // to add what no manifest can list, such as the signature over the tag manifest; its failure
  // fails finish(). So a bag appears under its name already signed, or not at all.
  using FinalStep = std::function<Status(const std::string& work_dir)>;
  // Writes the manifests, bag-info.txt, the tag manifests and bagit.txt, runs `final_step`,
  // and moves the bag into place. Nothing can be added afterwards.
  Result<FinishedBag> finish(const BagInfo& info, const FinalStep& final_step = {});

 private:
  BagWriter(FileSystem& fs, std::string dir, std::string work, bagit::NameRule names, bool durable);
  Status check_open() const;
  Status check_new_path(const std::string& path) const;
  Status make_dirs(const std::string& dir);
  Status make_parents(const std::string& path);
  bagit::PayloadOxum payload_oxum() const;
  // Writes the bytes, or (keep_bytes false) only hashes them into a placeholder of their size.
  Result<Checksums> write_file(const std::string& path, const ByteSource& source,
                               bool keep_bytes = true);
  Status write_tag(const std::string& path, std::string_view contents, bool listed);
  Result<std::string> bag_info_text(const BagInfo& info) const;
  Status write_manifests();
  Status write_tag_manifests();
  Status write_bag_files(const std::string& bag_info, const FinalStep& final_step);
  Status sync_and_move();

  FileSystem& fs_;
  std::string dir_;   // where the finished bag goes
  std::string work_;  // where it is built
  bagit::NameRule names_;
  bool durable_ = true;
  std::set<std::string> dirs_;  // made so far, relative to the bag root
  std::vector<std::pair<std::string, Checksums>> payload_, tags_;
  std::set<std::string> paths_;  // every file added, relative to the bag root
  // The two payload buffers, kept from file to file (a package has thousands) and wiped when
  // the writer is destroyed: they hold plaintext evidence.
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
  bool finished_ = false;
  bool failed_ = false;  // finish() failed: the bag was removed
};

}  // namespace evhub::disclosure
