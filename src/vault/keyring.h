// The key hierarchy of DESIGN.md §4: a master key, protected by a passphrase (Argon2id) or a
// key file, wraps one key per key domain; a domain key wraps each object's own key. Only wrapped
// keys are ever written to disk (keys/). Destroying a domain's key file crypto-shreds the domain.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/fs.h"
#include "core/status.h"
#include "crypto/crypto.h"

namespace evhub::vault {

// What unlocks the master key: a passphrase, or the bytes of a key file. Wiped on destruction.
class Credential {
 public:
  static Credential passphrase(std::string text);
  static Credential key_file(Bytes contents);
  Credential(Credential&& other) noexcept;
  Credential(const Credential&) = delete;
  ~Credential();
  bool is_passphrase() const { return is_passphrase_; }
  std::string_view secret() const {
    return {reinterpret_cast<const char*>(secret_.data()), secret_.size()};
  }

 private:
  Credential(bool is_passphrase, Bytes secret)
      : is_passphrase_(is_passphrase), secret_(std::move(secret)) {}
  bool is_passphrase_;
  Bytes secret_;
};

// Whether `credential` is strong enough to protect a new hub (a passphrase of 8 or more
// characters; a key file of 32 or more bytes).
Status check_new_credential(const Credential& credential);

// keys/master.json: creates a new random master key protected by `credential`.
Result<crypto::SecretKey> create_master_key(FileSystem& fs, const std::string& path,
                                            const Credential& credential,
                                            const crypto::KdfCost& cost);
// kUnauthenticated when the passphrase or key file is wrong; reads only, never writes.
Result<crypto::SecretKey> unlock_master_key(FileSystem& fs, const std::string& path,
                                            const Credential& credential);

// keys/signing.json: the hub's Ed25519 key, its secret half sealed by the master key.
Status create_signing_key(FileSystem& fs, const std::string& path, const std::string& hub_id,
                          const crypto::SecretKey& master, const crypto::SigningKey& key);
Result<crypto::SigningKey> load_signing_key(FileSystem& fs, const std::string& path,
                                            const std::string& hub_id,
                                            const crypto::SecretKey& master);

// keys/domains/<domain id>.key, one per key domain.
class DomainKeys {
 public:
  DomainKeys(FileSystem& fs, std::string dir, std::string hub_id, const crypto::SecretKey& master)
      : fs_(fs), dir_(std::move(dir)), hub_id_(std::move(hub_id)), master_(master) {}
  Result<crypto::SecretKey> create(const std::string& domain_id);
  // kErased when the key file is gone (shredded), kIntegrity when it does not unwrap.
  Result<crypto::SecretKey> load(const std::string& domain_id);
  bool exists(const std::string& domain_id);
  // Overwrites the key file with zeros, syncs, unlinks and syncs the directory.
  Status destroy(const std::string& domain_id);
  // Moves the key file to <dir>/../unrecorded-domains/, out of use but not destroyed.
  Status set_aside(const std::string& domain_id);
  Result<std::vector<std::string>> domain_ids();

 private:
  std::string path_of(const std::string& domain_id) const;
  std::string context(const std::string& domain_id) const;
  FileSystem& fs_;
  std::string dir_;
  std::string hub_id_;
  const crypto::SecretKey& master_;
};

}  // namespace evhub::vault
