#include "net/http_post.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>

#include "core/error.hpp"
#include "net/curl_handles.hpp"

namespace arxiv_digest {
namespace {

template <typename Value>
void set_option(const curl::CurlEasy& easy, CURLoption option, Value value,
                const std::string& url) {
  const CURLcode code = curl_easy_setopt(easy.get(), option, value);
  if (code != CURLE_OK)
    throw TransportError(url, fmt::format("POST {}: curl_easy_setopt({}) failed: {}", url,
                                          static_cast<int>(option), curl_easy_strerror(code)));
}

}  // namespace

std::string PostResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

CurlHttpPoster::CurlHttpPoster(std::string user_agent)
    : global_(std::make_unique<curl::CurlGlobal>()), user_agent_(std::move(user_agent)) {}

CurlHttpPoster::~CurlHttpPoster() = default;

PostResponse CurlHttpPoster::post(const PostRequest& request) {
  const std::string& url = request.url;
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    throw TransportError(url, fmt::format("POST {}: only http and https URLs are supported", url));
  curl::CurlEasy easy;
  curl::CurlSlist header_list;
  header_list.append(fmt::format("Content-Type: {}", request.content_type));
  header_list.append("Expect:");  // no 100-continue round trip
  curl::append_headers(header_list, request.headers);
  curl::ResponseSink transfer;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  set_option(easy, CURLOPT_URL, url.c_str(), url);
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https", url);
  set_option(easy, CURLOPT_NOSIGNAL, 1L, url);
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer.data(), url);
  if (!user_agent_.empty()) set_option(easy, CURLOPT_USERAGENT, user_agent_.c_str(), url);
  set_option(easy, CURLOPT_POST, 1L, url);
  set_option(easy, CURLOPT_POSTFIELDS, request.body.data(), url);
  set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()), url);
  set_option(easy, CURLOPT_ACCEPT_ENCODING, "", url);
  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, curl::to_curl_ms(request.connect_timeout), url);
  set_option(easy, CURLOPT_TIMEOUT_MS, curl::to_curl_ms(request.total_timeout), url);
  set_option(easy, CURLOPT_HTTPHEADER, header_list.get(), url);
  set_option(easy, CURLOPT_WRITEFUNCTION, &curl::collect_body, url);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer), url);
  set_option(easy, CURLOPT_HEADERFUNCTION, &curl::collect_header, url);
  set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&transfer), url);

  const CURLcode code = curl_easy_perform(easy.get());
  if (transfer.error) std::rethrow_exception(transfer.error);
  if (code != CURLE_OK) {
    const std::string detail =
        error_buffer[0] != '\0' ? std::string(error_buffer.data()) : curl_easy_strerror(code);
    throw TransportError(url, fmt::format("POST {} failed: {} (curl error {})", url, detail,
                                          static_cast<int>(code)));
  }
  PostResponse response;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(transfer.body);
  response.headers = std::move(transfer.headers);
  return response;
}

}  // namespace arxiv_digest
