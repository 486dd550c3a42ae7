// Helpers shared by the backends (private to the translate library).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_post.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest::translate_detail {

// Retry-After (seconds or an HTTP-date) or else retry-after-ms; nullopt when absent.
std::optional<RetryAfter> retry_after(const PostResponse& response);

// Throws the TranslateError that a non-2xx `response` means. `message` is the server's own
// error text when it could be read (may be empty). Never includes request headers.
[[noreturn]] void throw_for_status(std::string_view provider, const std::string& url,
                                   const PostResponse& response, const std::string& message);

// Performs the POST, turning a TransportError into TranslateError(kTransport).
PostResponse post_or_throw(HttpPoster& poster, std::string_view provider,
                           const PostRequest& request);

// First 200 bytes of a body for messages.
std::string excerpt(std::string_view body);

// "https://x/v1/" + "chat/completions" without a doubled slash.
std::string join_url(std::string_view base, std::string_view path);

}  // namespace arxiv_digest::translate_detail
