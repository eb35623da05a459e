#include "vault/keyring.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

namespace evhub::vault {

using nlohmann::json;

Credential Credential::passphrase(std::string text) {
  Bytes b(text.begin(), text.end());
  sodium_memzero(text.data(), text.size());
  return Credential(true, std::move(b));
}

Credential Credential::key_file(Bytes contents) {
  return Credential(false, std::move(contents));
}

Credential::Credential(Credential&& other) noexcept
    : is_passphrase_(other.is_passphrase_), secret_(std::move(other.secret_)) {}

Credential::~Credential() {
  sodium_memzero(secret_.data(), secret_.size());
}

namespace {

constexpr const char* kMasterContext = "evhub master key v1";

std::string hex_of(const crypto::WrappedKey& w) {
  Bytes all = w.nonce;
  all.insert(all.end(), w.ciphertext.begin(), w.ciphertext.end());
  return to_hex(all);
}

std::optional<crypto::WrappedKey> wrapped_from_hex(const std::string& hex) {
  auto all = from_hex(hex);
  if (!all || all->size() != 24 + 48) return std::nullopt;
  crypto::WrappedKey w;
  w.nonce.assign(all->begin(), all->begin() + 24);
  w.ciphertext.assign(all->begin() + 24, all->end());
  return w;
}

Result<crypto::SecretKey> kek_for(const Credential& c, const json& slot) {
  if (!c.is_passphrase()) return crypto::derive_key_from_key_file(as_bytes(c.secret()));
  auto salt = from_hex(slot.at("salt").get<std::string>());
  if (!salt) return Status(Code::kIntegrity, "keys/master.json has a malformed salt");
  crypto::KdfCost cost{slot.at("ops").get<std::uint64_t>(), slot.at("mem").get<std::size_t>()};
  // Bounds, so that an edited keys/master.json cannot make unlocking exhaust the machine.
  const crypto::KdfCost max = crypto::KdfCost::sensitive();
  if (cost.ops > 4 * max.ops || cost.mem_bytes > 4 * max.mem_bytes) {
    return Status(Code::kIntegrity, "keys/master.json asks for an implausible Argon2id cost");
  }
  return crypto::derive_key_from_passphrase(c.secret(), *salt, cost);
}

}  // namespace

Status check_new_credential(const Credential& credential) {
  if (credential.is_passphrase() && credential.secret().size() < 8) {
    return Status(Code::kInvalidArgument, "the passphrase must be at least 8 characters");
  }
  if (!credential.is_passphrase() && credential.secret().size() < 32) {
    return Status(Code::kInvalidArgument, "the key file must hold at least 32 random bytes");
  }
  return Status::ok();
}

Result<crypto::SecretKey> create_master_key(FileSystem& fs, const std::string& path,
                                            const Credential& credential,
                                            const crypto::KdfCost& cost) {
  EVHUB_RETURN_IF_ERROR(check_new_credential(credential));
  json slot;
  if (credential.is_passphrase()) {
    slot["kind"] = "passphrase";
    slot["kdf"] = "argon2id13";
    slot["ops"] = cost.ops;
    slot["mem"] = cost.mem_bytes;
    slot["salt"] = to_hex(crypto::random_bytes(crypto::kSaltSize));
  } else {
    slot["kind"] = "key-file";
    slot["kdf"] = "blake2b";
  }
  EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey kek, kek_for(credential, slot));
  crypto::SecretKey master = crypto::SecretKey::random();
  slot["wrapped_key"] = hex_of(crypto::wrap_key(kek, master, kMasterContext));
  json doc = {{"version", 1}, {"slots", json::array({slot})}};
  std::string text = doc.dump(2) + "\n";
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs, path, as_bytes(text)));
  return master;
}

Result<crypto::SecretKey> unlock_master_key(FileSystem& fs, const std::string& path,
                                            const Credential& credential) {
  EVHUB_ASSIGN_OR_RETURN(std::string text, read_text_file(fs, path));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("slots")) {
    return Status(Code::kIntegrity, "keys/master.json is damaged; restore it from a backup");
  }
  const char* kind = credential.is_passphrase() ? "passphrase" : "key-file";
  bool any_slot = false;
  try {
    for (const json& slot : doc.at("slots")) {
      if (slot.at("kind") != kind) continue;
      any_slot = true;
      auto wrapped = wrapped_from_hex(slot.at("wrapped_key").get<std::string>());
      if (!wrapped) return Status(Code::kIntegrity, "keys/master.json has a malformed key");
      EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey kek, kek_for(credential, slot));
      auto master = crypto::unwrap_key(kek, *wrapped, kMasterContext);
      if (master.is_ok()) return master;
    }
  } catch (const json::exception&) {
    return Status(Code::kIntegrity, "keys/master.json is damaged; restore it from a backup");
  }
  if (!any_slot) {
    return Status(Code::kUnauthenticated,
                  credential.is_passphrase()
                      ? "this hub is not protected by a passphrase; use --key-file"
                      : "this hub is not protected by a key file; use the passphrase");
  }
  return Status(Code::kUnauthenticated,
                credential.is_passphrase() ? "wrong passphrase" : "wrong key file");
}

Status create_signing_key(FileSystem& fs, const std::string& path, const std::string& hub_id,
                          const crypto::SecretKey& master, const crypto::SigningKey& key) {
  json doc = {{"version", 1},
              {"algorithm", "ed25519"},
              {"public_key", to_hex(key.public_key())},
              {"sealed_secret_key",
               to_hex(crypto::seal(master, key.secret(), "evhub signing key v1|" + hub_id))}};
  std::string text = doc.dump(2) + "\n";
  return write_file_atomic(fs, path, as_bytes(text));
}

Result<crypto::SigningKey> load_signing_key(FileSystem& fs, const std::string& path,
                                            const std::string& hub_id,
                                            const crypto::SecretKey& master) {
  EVHUB_ASSIGN_OR_RETURN(std::string text, read_text_file(fs, path));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("sealed_secret_key") ||
      !doc["sealed_secret_key"].is_string()) {
    return Status(Code::kIntegrity, "keys/signing.json is damaged; restore it from a backup");
  }
  auto sealed = from_hex(doc["sealed_secret_key"].get<std::string>());
  if (!sealed) return Status(Code::kIntegrity, "keys/signing.json is damaged");
  auto secret = crypto::open(master, *sealed, "evhub signing key v1|" + hub_id);
  if (!secret.is_ok()) {
    return Status(Code::kIntegrity, "keys/signing.json does not open with this hub's master key");
  }
  auto key = crypto::SigningKey::from_secret(*secret);
  sodium_memzero(secret->data(), secret->size());
  return key;
}

std::string DomainKeys::path_of(const std::string& domain_id) const {
  return join_path(dir_, domain_id + ".key");
}

std::string DomainKeys::context(const std::string& domain_id) const {
  return "evhub domain key v1|" + hub_id_ + "|" + domain_id;
}

Result<crypto::SecretKey> DomainKeys::create(const std::string& domain_id) {
  crypto::SecretKey key = crypto::SecretKey::random();
  std::string text = hex_of(crypto::wrap_key(master_, key, context(domain_id))) + "\n";
  EVHUB_RETURN_IF_ERROR(fs_.make_dir(dir_));
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs_, path_of(domain_id), as_bytes(text)));
  return key;
}

bool DomainKeys::exists(const std::string& domain_id) {
  return fs_.exists(path_of(domain_id));
}

Result<crypto::SecretKey> DomainKeys::load(const std::string& domain_id) {
  auto text = read_text_file(fs_, path_of(domain_id));
  if (!text.is_ok()) {
    if (text.status().code() == Code::kNotFound) {
      return Status(Code::kErased, "the key of domain " + domain_id + " no longer exists");
    }
    return text.status();
  }
  std::string hex = *text;
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  auto wrapped = wrapped_from_hex(hex);
  if (!wrapped)
    return Status(Code::kIntegrity, "the key file of domain " + domain_id + " is damaged");
  auto key = crypto::unwrap_key(master_, *wrapped, context(domain_id));
  if (!key.is_ok()) {
    return Status(Code::kIntegrity, "the key file of domain " + domain_id + " is damaged");
  }
  return key;
}

Status DomainKeys::destroy(const std::string& domain_id) {
  const std::string path = path_of(domain_id);
  if (!fs_.exists(path)) return Status::ok();
  // Overwrite in place before unlinking, so that the wrapped key is not left in freed blocks
  // of a file system that does not reuse them at once (journalling and SSDs may still keep
  // copies: docs/threat-model.md).
  {
    EVHUB_ASSIGN_OR_RETURN(auto in, fs_.open_read(path));
    EVHUB_ASSIGN_OR_RETURN(std::uint64_t size, in->size());
    EVHUB_ASSIGN_OR_RETURN(auto out, fs_.open_overwrite(path));
    Bytes zeros(size, 0);
    EVHUB_RETURN_IF_ERROR(out->append(zeros));
    EVHUB_RETURN_IF_ERROR(out->sync());
    EVHUB_RETURN_IF_ERROR(out->close());
  }
  EVHUB_RETURN_IF_ERROR(fs_.remove(path));
  return fs_.sync_dir(dir_);
}

Status DomainKeys::set_aside(const std::string& domain_id) {
  const std::string aside = join_path(parent_dir(dir_), "unrecorded-domains");
  EVHUB_RETURN_IF_ERROR(fs_.make_dir(aside));
  EVHUB_RETURN_IF_ERROR(fs_.rename(path_of(domain_id), join_path(aside, domain_id + ".key")));
  EVHUB_RETURN_IF_ERROR(fs_.sync_dir(aside));
  return fs_.sync_dir(dir_);
}

Result<std::vector<std::string>> DomainKeys::domain_ids() {
  if (!fs_.exists(dir_)) return std::vector<std::string>();
  EVHUB_ASSIGN_OR_RETURN(auto names, fs_.list_dir(dir_));
  std::vector<std::string> ids;
  for (const std::string& n : names) {
    if (n.size() > 4 && n.ends_with(".key")) ids.push_back(n.substr(0, n.size() - 4));
  }
  return ids;
}

}  // namespace evhub::vault
