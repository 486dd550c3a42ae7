// CurlHttpClient: the bottom HttpClient layer, one libcurl transfer per get().
//
// URLs accepted:
//   http://… and https://…  a GET with the configured User-Agent, redirects followed (at most
//                            `max_redirects`, http(s) targets only), gzip/deflate/br decoded;
//                            the status is returned as sent (4xx and 5xx are not exceptions).
//   file://…                 read through libcurl; status 200.
//   anything without "://"  a local path, read directly; status 200.
//   any other scheme         TransportError (kind kUnsupported).
//
// Thread-safety: get() is const-safe and may be called concurrently from several threads; each
// call uses its own easy handle. The object itself is immutable after construction.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "net/http_client.hpp"

namespace arxiv_digest {

namespace curl {
class CurlGlobal;
}

struct CurlHttpClientOptions {
  // Sent as User-Agent on every http(s) request. Required (constructor throws ConfigError when
  // empty). The cli builds "arxiv-digest/<ver> (mailto:<contact>)".
  std::string user_agent;
  // Redirects followed per request (301/302/303/307/308); 0 disables following.
  long max_redirects = 5;
  // Value of Accept-Encoding: "" = every encoding this libcurl decodes (gzip, deflate, br, ...).
  std::string accept_encoding;
  // CA bundle path for https; empty = libcurl's default.
  std::string ca_file;
};

class CurlHttpClient final : public HttpClient {
 public:
  // Throws ConfigError if options.user_agent is empty, TransportError if libcurl fails to
  // initialise.
  explicit CurlHttpClient(CurlHttpClientOptions options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  // Performs the request. Returns the final response (after redirects) with lower-cased headers
  // and a decoded body. Connect/total timeouts come from the request. Throws
  // ClassifiedTransportError (a TransportError) naming the URL and libcurl's message when no
  // complete response was obtained — including a body cut short (never returned as success).
  HttpResponse get(const HttpRequest& request) override;

  const CurlHttpClientOptions& options() const noexcept { return options_; }

 private:
  HttpResponse get_local_file(const HttpRequest& request) const;

  std::unique_ptr<curl::CurlGlobal> global_;  // our curl_global_init reference
  CurlHttpClientOptions options_;
};

}  // namespace arxiv_digest
