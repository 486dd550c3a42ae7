#include "translate/backend_util.hpp"

#include <fmt/format.h>

#include <charconv>

#include "core/error.hpp"

namespace arxiv_digest {

std::string_view to_string(TranslateErrorKind kind) noexcept {
  switch (kind) {
    case TranslateErrorKind::kRateLimited:
      return "rate limited";
    case TranslateErrorKind::kServer:
      return "server error";
    case TranslateErrorKind::kTransport:
      return "network error";
    case TranslateErrorKind::kBadResponse:
      return "unreadable answer";
    case TranslateErrorKind::kQuota:
      return "quota exhausted";
    case TranslateErrorKind::kAuth:
      return "not authorised";
    case TranslateErrorKind::kRequest:
      return "request rejected";
  }
  return "?";
}

namespace translate_detail {
std::optional<RetryAfter> retry_after(const PostResponse& response) {
  return parse_retry_after(response.header("retry-after"), response.header("retry-after-ms"));
}

std::string excerpt(std::string_view body) {
  std::string text(body.substr(0, 200));
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return body.size() > 200 ? text + "…" : text;
}

void throw_for_status(std::string_view provider, const std::string& url,
                      const PostResponse& response, const std::string& message) {
  const long status = response.status;
  TranslateErrorKind kind = TranslateErrorKind::kRequest;
  if (status == 429)
    kind = TranslateErrorKind::kRateLimited;
  else if (status >= 500 || status == 408 || status == 409)
    kind = TranslateErrorKind::kServer;
  else if (status == 402 || status == 456)
    kind = TranslateErrorKind::kQuota;
  else if (status == 401 || status == 403)
    kind = TranslateErrorKind::kAuth;
  const std::string detail = message.empty() ? excerpt(response.body) : message;
  throw TranslateError(std::string(provider), kind,
                       fmt::format("{}: POST {} answered HTTP {} ({}): {}", provider, url, status,
                                   to_string(kind), detail),
                       retry_after(response), status);
}

PostResponse post_or_throw(HttpPoster& poster, std::string_view provider,
                           const PostRequest& request) {
  try {
    return poster.post(request);
  } catch (const TransportError& e) {
    throw TranslateError(std::string(provider), TranslateErrorKind::kTransport,
                         fmt::format("{}: {}", provider, e.what()));
  }
}

std::string join_url(std::string_view base, std::string_view path) {
  while (base.ends_with('/')) base.remove_suffix(1);
  while (path.starts_with('/')) path.remove_prefix(1);
  return fmt::format("{}/{}", base, path);
}

}  // namespace translate_detail
}  // namespace arxiv_digest
