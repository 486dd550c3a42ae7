#include "net/curl_http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "net/curl_handles.hpp"
#include "net/http_url.hpp"

namespace arxiv_digest {
namespace {

TransportErrorKind classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportErrorKind::kResolve;
    case CURLE_COULDNT_CONNECT:
      return TransportErrorKind::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::kTimeout;
    case CURLE_PARTIAL_FILE:
      return TransportErrorKind::kTruncated;
    case CURLE_BAD_CONTENT_ENCODING:
      return TransportErrorKind::kBadEncoding;
    case CURLE_FILE_COULDNT_READ_FILE:
    case CURLE_READ_ERROR:
      return TransportErrorKind::kFile;
    case CURLE_UNSUPPORTED_PROTOCOL:
      return TransportErrorKind::kUnsupported;
    default:
      return TransportErrorKind::kOther;
  }
}

// Sets one option; a failure means a bug or an old libcurl, reported as a TransportError.
template <typename Value>
void set_option(const curl::CurlEasy& easy, CURLoption option, Value value,
                const std::string& url) {
  const CURLcode code = curl_easy_setopt(easy.get(), option, value);
  if (code != CURLE_OK) {
    throw ClassifiedTransportError(url, TransportErrorKind::kOther,
                                   fmt::format("GET {}: curl_easy_setopt({}) failed: {}", url,
                                               static_cast<int>(option), curl_easy_strerror(code)));
  }
}

}  // namespace

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : global_(std::make_unique<curl::CurlGlobal>()), options_(std::move(options)) {
  if (options_.user_agent.empty()) {
    throw ConfigError(
        "CurlHttpClient: user_agent must not be empty (arXiv asks for a "
        "descriptive User-Agent with a contact)");
  }
}

CurlHttpClient::~CurlHttpClient() = default;

HttpResponse CurlHttpClient::get(const HttpRequest& request) {
  const std::string& url = request.url;
  const std::string scheme = http_url::scheme(url);
  if (scheme.empty()) return get_local_file(request);
  if (scheme != "http" && scheme != "https" && scheme != "file") {
    throw ClassifiedTransportError(
        url, TransportErrorKind::kUnsupported,
        fmt::format("GET {}: unsupported URL scheme \"{}\" (http, https, file or a path)", url,
                    scheme));
  }

  curl::CurlEasy easy;
  curl::CurlSlist header_list;
  curl::append_headers(header_list, request.headers);
  curl::ResponseSink transfer;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  set_option(easy, CURLOPT_URL, url.c_str(), url);
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https,file", url);
  set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", url);
  set_option(easy, CURLOPT_NOSIGNAL, 1L, url);
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer.data(), url);
  set_option(easy, CURLOPT_USERAGENT, options_.user_agent.c_str(), url);
  set_option(easy, CURLOPT_FOLLOWLOCATION, options_.max_redirects > 0 ? 1L : 0L, url);
  set_option(easy, CURLOPT_MAXREDIRS, options_.max_redirects, url);
  set_option(easy, CURLOPT_ACCEPT_ENCODING, options_.accept_encoding.c_str(), url);
  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, curl::to_curl_ms(request.connect_timeout), url);
  set_option(easy, CURLOPT_TIMEOUT_MS, curl::to_curl_ms(request.total_timeout), url);
  if (!options_.ca_file.empty()) set_option(easy, CURLOPT_CAINFO, options_.ca_file.c_str(), url);
  if (header_list.get() != nullptr) set_option(easy, CURLOPT_HTTPHEADER, header_list.get(), url);
  set_option(easy, CURLOPT_WRITEFUNCTION, &curl::collect_body, url);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer), url);
  set_option(easy, CURLOPT_HEADERFUNCTION, &curl::collect_header, url);
  set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&transfer), url);

  const CURLcode code = curl_easy_perform(easy.get());
  if (transfer.error) std::rethrow_exception(transfer.error);
  if (code != CURLE_OK) {
    const std::string detail =
        error_buffer[0] != '\0' ? std::string(error_buffer.data()) : curl_easy_strerror(code);
    throw ClassifiedTransportError(
        url, classify(code),
        fmt::format("GET {} failed: {} (curl error {})", url, detail, static_cast<int>(code)));
  }

  HttpResponse response;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &response.status);
  if (scheme == "file") {
    response.status = 200;
    transfer.headers.clear();  // libcurl's synthesised file:// headers carry nothing useful
  }
  response.body = std::move(transfer.body);
  response.headers = std::move(transfer.headers);
  response.url = url;
  return response;
}

HttpResponse CurlHttpClient::get_local_file(const HttpRequest& request) const {
  const std::filesystem::path path(request.url);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  std::string problem;
  if (ec) {
    problem = ec.message();
  } else if (std::filesystem::is_directory(status)) {
    problem = "is a directory";
  }
  HttpResponse response;
  if (problem.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (!in && !in.eof()) problem = "read failed";
  }
  if (!problem.empty()) {
    throw ClassifiedTransportError(request.url, TransportErrorKind::kFile,
                                   fmt::format("cannot read \"{}\": {}", request.url, problem));
  }
  response.status = 200;
  response.url = request.url;
  return response;
}

}  // namespace arxiv_digest
