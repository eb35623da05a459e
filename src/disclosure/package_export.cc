#include "disclosure/package_export.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "coding/annotations.h"
#include "core/clock.h"
#include "core/hex.h"
#include "core/random_name.h"
#include "custody/proof.h"
#include "disclosure/age_process.h"
#include "disclosure/bag_archive.h"
#include "disclosure/bagit_writer.h"
#include "disclosure/consent_gate.h"
#include "disclosure/item_facts.h"
#include "disclosure/package_index.h"
#include "disclosure/package_signature.h"
#include "disclosure/production_number.h"
#include "disclosure/verify_proof_script.h"
#include "extract/extract.h"

namespace evhub::disclosure {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

// The hub's own scratch directory for one export, removed whatever happens.
class WorkDir {
 public:
  explicit WorkDir(std::string path) : path_(std::move(path)) {}
  ~WorkDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  Status make() {
    if (::mkdir(path_.c_str(), 0700) != 0) {
      return Status(Code::kIoError, "cannot make the export's working directory");
    }
    return Status::ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The file name's extension, from the first bytes.
std::string extension_of(const std::string& head) {
  const std::string type =
      extract::media_type_of({reinterpret_cast<const std::uint8_t*>(head.data()), head.size()});
  static const std::map<std::string, std::string> kExtensions = {
      {"application/pdf", ".pdf"}, {"application/zip", ".zip"},
      {"image/png", ".png"},       {"image/jpeg", ".jpg"},
      {"image/tiff", ".tif"},      {"text/plain; charset=utf-8", ".txt"}};
  const auto found = kExtensions.find(type);
  return found == kExtensions.end() ? ".bin" : found->second;
}

// An object's plaintext from its start; the source keeps the reader open.
ByteSource reader_source(std::shared_ptr<vault::ObjectReader> reader) {
  auto offset = std::make_shared<std::uint64_t>(0);
  return [reader, offset](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
    EVHUB_ASSIGN_OR_RETURN(std::size_t n, reader->read(*offset, buffer));
    *offset += n;
    return n;
  };
}

// The custody event that first put each of `objects`, by one pass over the log.
Result<std::map<std::string, std::uint64_t>> intake_events(custody::CustodyLog& log,
                                                           const std::set<std::string>& objects) {
  EVHUB_ASSIGN_OR_RETURN(auto lines, log.event_lines());
  std::map<std::string, std::uint64_t> out;
  for (std::uint64_t seq = 0; seq < lines.size() && out.size() < objects.size(); ++seq) {
    if (lines[seq].find("\"action\":\"put\"") == std::string::npos) continue;
    auto e = custody::parse_event(lines[seq]);
    if (e.is_ok() && objects.count(e->object) && !out.count(e->object)) out[e->object] = seq;
  }
  for (const auto& o : objects) {
    if (!out.count(o)) return Status(Code::kIntegrity, "no intake event of " + o + " in the log");
  }
  return out;
}

// The event that logged this export: among the newest, as others may have logged since.
Result<std::uint64_t> export_event(custody::CustodyLog& log, std::uint64_t size,
                                   const std::string& id, const std::string& bag_name) {
  constexpr std::uint64_t kLookBack = 10'000;
  const std::uint64_t first = size > kLookBack ? size - kLookBack : 0;
  EVHUB_ASSIGN_OR_RETURN(auto lines, log.event_lines_from(first, size - first));
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (lines[i].find("\"action\":\"export\"") == std::string::npos) continue;
    auto e = custody::parse_event(lines[i]);
    if (e.is_ok() && e->object == id && e->details.value("bag", "") == bag_name) {
      return first + i;
    }
  }
  return Status(Code::kIntegrity, "the export's own event is not in the log");
}

constexpr const char* kProofsReadme = R"(PROOFS / ДОКАЗАТЕЛЬСТВА

Each file NAME.intake.json proves that the item with that production number entered the hub's
custody log; NAME.redaction.json, where present, that its redacted version was made there;
export.json that this package's export was logged. Each holds the event line ("event"), its
index ("leaf_index"), the audit path ("audit_path"), and the tree head it is checked against
("tree_size", "root", "head_time", "signature", "hub_id"). To check one (RFC 6962 / RFC 9162):

  leaf = SHA-256(0x00 || event line)
  fold the audit path from the leaf up (RFC 9162 section 2.1.3.2; node = SHA-256(0x01 || left
  || right)); the result must equal "root"
  the head message is the text
    "evhub tree head v1\nhub HUB_ID\nsize TREE_SIZE\nroot ROOT\ntime HEAD_TIME\n"
  and "signature" (hex) must verify against it with the hub's custody key:
    openssl pkeyutl -verify -pubin -inkey hub-custody.pem -rawin -in message.txt \
      -sigfile signature.bin

verify_proof.py, here, does the arithmetic (Python 3 standard library only; read it, it is
short). In this directory, every proof must print "OK: ...", and openssl "Signature Verified
Successfully":

  for p in *.json; do python3 verify_proof.py inclusion "$p" || echo "FAILED: $p"; done
  python3 verify_proof.py head export.json message.txt signature.bin
  openssl pkeyutl -verify -pubin -inkey hub-custody.pem -rawin -in message.txt \
    -sigfile signature.bin

hub-custody.pem is the same Ed25519 key as ../hub.pub, in the form openssl reads. All proofs of
a package are checked against the same head (same "tree_size", "root" and "signature").

Каждый файл NAME.intake.json доказывает, что материал с этим производственным номером был
записан в журнал хранения хаба; NAME.redaction.json — что его обезличенная версия создана там
же; export.json — что выдача этого пакета записана в журнал. verify_proof.py выполняет
проверку (команды выше): каждое доказательство должно вывести "OK: ...", а openssl —
"Signature Verified Successfully".
)";

struct Built {
  std::vector<IndexRow> rows;
  std::set<std::string> originals;
  json logged = json::array();  // what the export event lists
};

// The gate once more, as of today: consent may have been withdrawn or expired since approval.
Status gate_again(hub::Hub& hub, collection::Collection& witnesses, const Request& request,
                  const Package& p) {
  std::vector<GateItem> items;
  for (const auto& item : p.items) {
    EVHUB_ASSIGN_OR_RETURN(auto object, hub.describe(item.object_id));
    items.push_back({item.object_id, item.witness, object.record.sensitivity, false});
  }
  EVHUB_ASSIGN_OR_RETURN(auto decisions,
                         gate_items(witnesses, request, items, now_rfc3339().substr(0, 10)));
  for (const auto& d : decisions) {
    if (!d.allowed) {
      return Status(Code::kFailedPrecondition,
                    d.reason +
                        ": the package cannot go; take the item out and have the package "
                        "approved again");
    }
  }
  return Status::ok();
}

}  // namespace

Result<ExportedPackage> export_package(hub::Hub& hub, PackageStore& packages,
                                       collection::Collection& witnesses, const Request& request,
                                       const std::string& id, int version, const std::string& by,
                                       const ExportOptions& options) {
  EVHUB_ASSIGN_OR_RETURN(auto found, packages.get(id));
  if (!found) return Status(Code::kNotFound, "there is no package " + id);
  const Package& p = *found;
  if (p.version != version) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("package {} is at version {}; reload it", id, p.version));
  }
  if (p.state != "approved") {
    return Status(
        Code::kFailedPrecondition,
        fmt::format("package {} is {}: only an approved package is exported", id, p.state));
  }
  if (p.request_id != request.id) {
    return bad(fmt::format("package {} answers {}, not {}", id, p.request_id, request.id));
  }
  EVHUB_RETURN_IF_ERROR(gate_again(hub, witnesses, request, p));
  if (options.age_recipients.empty()) return bad("give the recipient's age public key");
  for (const auto& r : options.age_recipients) {
    if (auto problem = recipient_problem(r)) return bad(*problem);
  }
  if (options.source_organization.empty() || options.request_reference.empty()) {
    return bad("a package names its source organisation and the request's reference");
  }
  const std::string bag_name = fmt::format("{}-{:04}-{:04}", options.prefix, p.year, p.number);
  const std::string out = options.out_dir + "/" + bag_name + ".tar.age";
  if (fs::exists(out)) return Status(Code::kAlreadyExists, out + " exists");

  WorkDir work(hub.layout().dir + "/export-" + random_name());
  EVHUB_RETURN_IF_ERROR(work.make());
  const std::string bag_dir = work.path() + "/" + bag_name;
  // The bag is a step on the way to the archive, which is synced before it gets its name; the
  // bag itself is removed with the working directory, so it is not synced file by file.
  BagWriterOptions scratch;
  scratch.durable = false;
  EVHUB_ASSIGN_OR_RETURN(auto writer, BagWriter::create(bag_dir, scratch));

  Built built;
  EVHUB_ASSIGN_OR_RETURN(auto annotations, coding::AnnotationStore::open(hub));
  ItemFactsReader facts_of(hub, witnesses, annotations.get());
  // The payload is read twice and never written out: hashed here (and checked against the
  // catalog) into placeholders, then decrypted again straight into the archive. Each chunk
  // is authenticated on both reads, and an object's key is bound to its id, so the second
  // read gives the bytes the first one hashed, or fails.
  std::map<std::string, std::string> payload_objects;  // "data/..." -> the delivered object
  for (std::size_t n = 0; n < p.items.size(); ++n) {
    const PackageItem& item = p.items[n];
    const ProductionNumber number{options.prefix, p.year, p.number, static_cast<int>(n + 1)};
    const std::string delivered_id =
        item.delivered_object_id.empty() ? item.object_id : item.delivered_object_id;
    EVHUB_ASSIGN_OR_RETURN(auto original, hub.describe(item.object_id));
    EVHUB_ASSIGN_OR_RETURN(auto delivered, hub.describe(delivered_id));
    EVHUB_ASSIGN_OR_RETURN(std::shared_ptr<vault::ObjectReader> reader,
                           hub.open_object(delivered_id));
    EVHUB_ASSIGN_OR_RETURN(std::string head, reader->read_prefix(1024));
    const std::string path = fmt::format("{}/{}{}", item.folder.empty() ? "items" : item.folder,
                                         to_string(number), extension_of(head));
    EVHUB_ASSIGN_OR_RETURN(auto sums, writer->add_streamed_payload(path, reader_source(reader)));
    reader.reset();
    payload_objects["data/" + path] = delivered_id;
    if (sums.sha256 != delivered.record.sha256) {
      return Status(Code::kIntegrity,
                    fmt::format("{} no longer hashes to what the catalog recorded", delivered_id));
    }
    std::string custody = "received " + original.record.created_at;
    if (delivered_id != item.object_id) {
      custody += "; redacted " + delivered.record.created_at + " by " +
                 delivered.record.tool.value_or("?");
    }
    EVHUB_ASSIGN_OR_RETURN(auto facts, facts_of.facts(item.object_id, item.witness));
    built.rows.push_back({to_string(number), "data/" + path, item.description, facts.dates,
                          facts.language, original.record.sha256, sums.sha256, custody});
    built.originals.insert(item.object_id);
    if (delivered_id != item.object_id) built.originals.insert(delivered_id);
    built.logged.push_back({{"production_number", to_string(number)},
                            {"object", item.object_id},
                            {"delivered", delivered_id},
                            {"consent_version", item.gate.consent_version}});
  }

  // The export is logged before the proofs are made, so that its own proof is among them.
  EVHUB_RETURN_IF_ERROR(hub.audit("export", id,
                                  {{"package", id},
                                   {"request", p.request_id},
                                   {"bag", bag_name},
                                   {"by", by},
                                   {"items", built.logged}}));
  EVHUB_ASSIGN_OR_RETURN(auto log, hub::open_custody_log(hub.layout().dir));
  EVHUB_ASSIGN_OR_RETURN(auto proofs, custody::ProofBuilder::open(*log));
  EVHUB_ASSIGN_OR_RETURN(auto intakes, intake_events(*log, built.originals));
  EVHUB_ASSIGN_OR_RETURN(const std::uint64_t export_seq,
                         export_event(*log, proofs.head().tree_size, id, bag_name));
  EVHUB_ASSIGN_OR_RETURN(auto export_proof, proofs.prove(export_seq));
  for (std::size_t n = 0; n < p.items.size(); ++n) {
    const auto& item = p.items[n];
    const std::string number = built.rows[n].production_number;
    EVHUB_ASSIGN_OR_RETURN(auto intake, proofs.prove(intakes.at(item.object_id)));
    EVHUB_RETURN_IF_ERROR(writer->add_tag_file("proofs/" + number + ".intake.json",
                                               custody::proof_json(intake).dump(2) + "\n"));
    if (!item.delivered_object_id.empty()) {
      EVHUB_ASSIGN_OR_RETURN(auto redaction, proofs.prove(intakes.at(item.delivered_object_id)));
      EVHUB_RETURN_IF_ERROR(writer->add_tag_file("proofs/" + number + ".redaction.json",
                                                 custody::proof_json(redaction).dump(2) + "\n"));
    }
  }
  EVHUB_RETURN_IF_ERROR(
      writer->add_tag_file("proofs/export.json", custody::proof_json(export_proof).dump(2) + "\n"));
  const Bytes public_key = hub.signing_key().public_key();
  EVHUB_RETURN_IF_ERROR(
      writer->add_tag_file("proofs/hub-custody.pem", custody::public_key_pem(public_key)));
  EVHUB_RETURN_IF_ERROR(writer->add_tag_file("proofs/README.txt", kProofsReadme));
  EVHUB_RETURN_IF_ERROR(
      writer->add_tag_file("proofs/verify_proof.py", std::string(verify_proof_script())));
  const std::string title = fmt::format("{} — request {}", bag_name, options.request_reference);
  EVHUB_RETURN_IF_ERROR(writer->add_tag_file("index.csv", index_csv(built.rows)));
  EVHUB_RETURN_IF_ERROR(writer->add_tag_file("index.html", index_html(title, built.rows)));
  EVHUB_RETURN_IF_ERROR(writer->add_tag_file(
      "README-for-recipients.txt",
      readme_for_recipients(bag_name + ".tar.age", bag_name, options.request_reference)));
  EVHUB_RETURN_IF_ERROR(add_public_key(*writer, public_key));

  BagInfo info;
  info.source_organization = options.source_organization;
  info.external_identifier = options.request_reference;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EVHUB_ASSIGN_OR_RETURN(
      auto finished,
      writer->finish(info, signing_step(hub.signing_key(),
                                        default_trusted_comment(now, options.request_reference))));
  ArchiveOptions archive;
  archive.age_recipients = options.age_recipients;
  const PayloadSource payload = [&](const std::string& path) -> Result<ByteSource> {
    const auto object = payload_objects.find(path);
    if (object == payload_objects.end()) {
      return Status(Code::kIntegrity, path + " is in the bag but no item of the package");
    }
    EVHUB_ASSIGN_OR_RETURN(std::shared_ptr<vault::ObjectReader> reader,
                           hub.open_object(object->second));
    return reader_source(std::move(reader));
  };
  EVHUB_RETURN_IF_ERROR(write_bag_archive(finished.dir, out, archive, payload));
  EVHUB_ASSIGN_OR_RETURN(auto exported, packages.mark_exported(id, version, by));

  ExportedPackage result;
  result.path = out;
  result.bag_name = bag_name;
  result.files = p.items.size();
  result.payload_oxum = bagit::to_string(finished.oxum);
  result.export_event = static_cast<std::int64_t>(export_seq);
  result.package = std::move(exported);
  return result;
}

}  // namespace evhub::disclosure
