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

constexpr std::string_view kGet = "GET";

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

  using curl::set_option;
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https,file", kGet, url);
  set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", kGet, url);
  set_option(easy, CURLOPT_USERAGENT, options_.user_agent.c_str(), kGet, url);
  set_option(easy, CURLOPT_FOLLOWLOCATION, options_.max_redirects > 0 ? 1L : 0L, kGet, url);
  set_option(easy, CURLOPT_MAXREDIRS, options_.max_redirects, kGet, url);
  set_option(easy, CURLOPT_ACCEPT_ENCODING, options_.accept_encoding.c_str(), kGet, url);
  if (!options_.ca_file.empty())
    set_option(easy, CURLOPT_CAINFO, options_.ca_file.c_str(), kGet, url);
  if (header_list.get() != nullptr)
    set_option(easy, CURLOPT_HTTPHEADER, header_list.get(), kGet, url);
  const long status =
      curl::perform(easy, transfer, kGet, url, request.connect_timeout, request.total_timeout);

  HttpResponse response;
  response.status = status;
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
