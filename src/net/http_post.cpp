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

constexpr std::string_view kPost = "POST";

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
  using curl::set_option;
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https", kPost, url);
  if (!user_agent_.empty()) set_option(easy, CURLOPT_USERAGENT, user_agent_.c_str(), kPost, url);
  set_option(easy, CURLOPT_POST, 1L, kPost, url);
  set_option(easy, CURLOPT_POSTFIELDS, request.body.data(), kPost, url);
  set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()),
             kPost, url);
  set_option(easy, CURLOPT_ACCEPT_ENCODING, "", kPost, url);
  set_option(easy, CURLOPT_HTTPHEADER, header_list.get(), kPost, url);
  const long status =
      curl::perform(easy, transfer, kPost, url, request.connect_timeout, request.total_timeout);
  PostResponse response;
  response.status = status;
  response.body = std::move(transfer.body);
  response.headers = std::move(transfer.headers);
  return response;
}

}  // namespace arxiv_digest
