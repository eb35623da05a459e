// Second factor for sign-in: RFC 6238 time-based one-time passwords (as authenticator apps
// compute them), RFC 4648 base32 for the shared secret, and the otpauth:// enrolment URI that a
// QR code carries. The caller remembers the last accepted time step to refuse replays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/hex.h"

namespace evhub::crypto {

enum class OtpHash { kSha1, kSha256, kSha512 };

struct TotpParams {
  OtpHash hash = OtpHash::kSha1;  // what authenticator apps expect by default
  int digits = 6;
  int step_seconds = 30;
};

// The code for the time step containing `unix_seconds`, zero-padded to `digits`.
std::string totp(ByteSpan secret, std::int64_t unix_seconds, const TotpParams& params = {});

// The time step of a code that matches within ±`window` steps of `unix_seconds`, if any.
// Compares in constant time per step.
std::optional<std::int64_t> totp_match(ByteSpan secret, std::string_view code,
                                       std::int64_t unix_seconds, int window = 1,
                                       const TotpParams& params = {});

std::string base32_encode(ByteSpan bytes, bool pad = true);
// Accepts upper or lower case, with or without '=' padding and spaces; nullopt if malformed.
std::optional<Bytes> base32_decode(std::string_view text);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account, ByteSpan secret,
                        const TotpParams& params = {});

}  // namespace evhub::crypto
