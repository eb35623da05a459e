#include "crypto/otp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace evhub::crypto {

namespace {

const EVP_MD* md_for(OtpHash h) {
  switch (h) {
    case OtpHash::kSha1:
      return EVP_sha1();
    case OtpHash::kSha256:
      return EVP_sha256();
    case OtpHash::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

const char* name_of(OtpHash h) {
  switch (h) {
    case OtpHash::kSha1:
      return "SHA1";
    case OtpHash::kSha256:
      return "SHA256";
    case OtpHash::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

// RFC 4226 HOTP with dynamic truncation.
std::string hotp(ByteSpan secret, std::uint64_t counter, const TotpParams& p) {
  if (p.digits < 6 || p.digits > 9 || p.step_seconds <= 0) {
    throw std::invalid_argument("TOTP needs 6 to 9 digits and a positive step");
  }
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md_for(p.hash), secret.data(), static_cast<int>(secret.size()), msg, sizeof msg, mac, &len);
  const unsigned offset = mac[len - 1] & 0x0f;
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                            (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                            static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < p.digits; ++i) mod *= 10;
  return fmt::format("{:0{}}", bin % mod, p.digits);
}

std::string uri_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string totp(ByteSpan secret, std::int64_t unix_seconds, const TotpParams& params) {
  return hotp(secret, static_cast<std::uint64_t>(unix_seconds / params.step_seconds), params);
}

std::optional<std::int64_t> totp_match(ByteSpan secret, std::string_view code,
                                       std::int64_t unix_seconds, int window,
                                       const TotpParams& params) {
  if (code.size() != static_cast<std::size_t>(params.digits)) return std::nullopt;
  const std::int64_t now_step = unix_seconds / params.step_seconds;
  std::optional<std::int64_t> match;
  for (std::int64_t step = now_step - window; step <= now_step + window; ++step) {
    if (step < 0) continue;
    std::string expected = hotp(secret, static_cast<std::uint64_t>(step), params);
    if (CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0 && !match) match = step;
  }
  return match;
}

std::string base32_encode(ByteSpan bytes, bool pad) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  if (pad) {
    while (out.size() % 8 != 0) out.push_back('=');
  }
  return out;
}

std::optional<Bytes> base32_decode(std::string_view text) {
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return std::nullopt;  // data after padding
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, ByteSpan secret,
                        const TotpParams& params) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
                     uri_escape(issuer), uri_escape(account), base32_encode(secret, false),
                     uri_escape(issuer), name_of(params.hash), params.digits, params.step_seconds);
}

}  // namespace evhub::crypto
