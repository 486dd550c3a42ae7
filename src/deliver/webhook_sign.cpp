#include "deliver/webhook_sign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <string>

#include "core/error.hpp"

namespace arxiv_digest {

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  // HMAC() with a null message pointer and length 0 is valid; pass a non-null pointer anyway so
  // an empty std::string_view (data() may be null) is never handed to OpenSSL.
  static const unsigned char kEmpty = 0;
  const auto* data =
      message.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(message.data());
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, message.size(), out.data(),
           &size) == nullptr)
    throw Error("HMAC-SHA256 failed in the crypto library");
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  if (written < 0) throw Error("Base64 encoding failed in the crypto library");
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kDigits[b >> 4];
      out += kDigits[b & 0x0F];
    }
  }
  return out;
}

std::string feishu_sign(std::chrono::sys_seconds timestamp, std::string_view secret) {
  std::string key = std::to_string(timestamp.time_since_epoch().count());
  key += '\n';
  key += secret;
  return base64_encode(hmac_sha256(key, ""));
}

std::string dingtalk_sign(long long timestamp_ms, std::string_view secret) {
  std::string message = std::to_string(timestamp_ms);
  message += '\n';
  message += secret;
  return base64_encode(hmac_sha256(secret, message));
}

std::string dingtalk_signed_url(std::string_view url, long long timestamp_ms,
                                std::string_view secret) {
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += "timestamp=" + std::to_string(timestamp_ms);
  out += "&sign=" + url_encode(dingtalk_sign(timestamp_ms, secret));
  return out;
}

std::string generic_signature(std::string_view body, std::string_view secret) {
  return "sha256=" + hex_encode(hmac_sha256(secret, body));
}

}  // namespace arxiv_digest
