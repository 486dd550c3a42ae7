// Webhook request signing: HMAC-SHA256 (OpenSSL), Base64 and URL-encoding, and the three signature
// schemes the webhook channel uses. Pure functions, thread-safe; throw arxiv_digest::Error only if
// the crypto library fails. None of them keeps or reports the secret.
//
//   Feishu/Lark  sign = Base64(HMAC-SHA256(key = "<timestamp>\n<secret>", message = "")), sent with
//                "timestamp" (seconds) as top-level fields of the JSON body (the official sample
//                signs an empty message with that key; PROTOCOLS.md D2).
//   DingTalk     sign = URL-encode(Base64(HMAC-SHA256(key = secret,
//                message = "<timestamp-ms>\n<secret>"))), appended to the webhook URL as
//                "&timestamp=<ms>&sign=<sign>" (PROTOCOLS.md D2).
//   generic      header "X-Arxiv-Digest-Signature: sha256=<lower-case hex of
//                HMAC-SHA256(key = secret, message = the exact body bytes)>", the GitHub-style
//                scheme a receiver checks with one HMAC over the raw request body.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace arxiv_digest {

// The raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);
// Standard Base64 (RFC 4648 §4, with '=' padding, no line breaks).
std::string base64_encode(std::string_view bytes);
// Lower-case hex of every byte.
std::string hex_encode(std::string_view bytes);
// Percent-encodes every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), with
// upper-case hex digits: "a+b/c=" -> "a%2Bb%2Fc%3D". Safe for a query-string value.
std::string url_encode(std::string_view text);

// Feishu/Lark: the "sign" value for `timestamp` (seconds since the epoch).
std::string feishu_sign(std::chrono::sys_seconds timestamp, std::string_view secret);
// DingTalk: the Base64 signature (not yet URL-encoded) for `timestamp_ms` (milliseconds).
std::string dingtalk_sign(long long timestamp_ms, std::string_view secret);
// DingTalk: `url` with "&timestamp=<ms>&sign=<url-encoded signature>" appended ('?' instead of
// '&' when `url` has no query yet).
std::string dingtalk_signed_url(std::string_view url, long long timestamp_ms,
                                std::string_view secret);

// The generic webhook's signature header.
inline constexpr std::string_view kGenericSignatureHeader = "X-Arxiv-Digest-Signature";
// The generic webhook's idempotency key header (webhook_sink.hpp).
inline constexpr std::string_view kGenericDeliveryHeader = "X-Arxiv-Digest-Delivery";
// Its value for `body`: "sha256=<hex>".
std::string generic_signature(std::string_view body, std::string_view secret);

}  // namespace arxiv_digest
