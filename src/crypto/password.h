// Passwords of people who sign in: stored only as Argon2id hashes in libsodium's self-describing
// string form ($argon2id$v=19$m=...,t=...,p=1$salt$hash), so the cost can be raised later.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/crypto.h"

namespace evhub::crypto {

Result<std::string> hash_password(std::string_view password, const KdfCost& cost);
// False for a wrong password and for a malformed hash alike.
bool check_password(std::string_view password, const std::string& hash);
// True when `hash` was made with a lower cost than `cost` (rehash at the next sign-in).
bool password_needs_rehash(const std::string& hash, const KdfCost& cost);

}  // namespace evhub::crypto
