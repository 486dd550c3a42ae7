// HttpClient: the seam for every network (and file://) read.
//
// Layers (each an HttpClient, composed by the cli):
//   CurlHttpClient      one libcurl transfer per call; http(s) and file:// URLs; gzip.
//   PoliteHttpClient    arXiv's rules: >= 3 s between requests to arXiv hosts process-wide, one
//                       connection at a time; retries with exponential backoff + jitter on
//                       timeouts, 5xx and 429, honouring Retry-After.
//   CachingHttpClient   conditional GET (ETag / Last-Modified) with an on-disk cache.
// Tests substitute a fake or point base URLs at a server on 127.0.0.1.
#pragma once

#include <chrono>
#include <string>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace arxiv_digest {

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
};

struct HttpResponse {
  long status = 0;                            // 200, 304, 404, ...; 200 for a file:// read
  std::string body;                           // decoded (gzip removed)
  std::map<std::string, std::string> headers; // names lower-cased; last value wins
  std::string url;                            // the URL that was requested
  bool from_cache = false;                    // body served from the conditional-GET cache

  // Header value or empty string.
  std::string header(const std::string& lower_name) const;
};

// Why a transfer produced no response. Lets callers (and PoliteHttpClient's messages) tell a
// timeout from a refused connection without parsing text.
enum class TransportErrorKind {
  kResolve,      // host name did not resolve
  kConnect,      // connection refused / unreachable
  kTimeout,      // connect_timeout or total_timeout elapsed
  kTruncated,    // connection closed before the declared body length arrived
  kBadEncoding,  // Content-Encoding (gzip, ...) could not be decoded
  kFile,         // a local file (file:// or plain path) could not be read
  kUnsupported,  // URL scheme not supported
  kOther,        // reset, TLS failure, too many redirects, ...
};

// A TransportError that says which kind of failure happened. Thrown by the libcurl clients (GET and POST); catch
// arxiv_digest::TransportError unless the kind matters.
class ClassifiedTransportError : public TransportError {
 public:
  ClassifiedTransportError(std::string url, TransportErrorKind kind, const std::string& what)
      : TransportError(std::move(url), what), kind_(kind) {}
  TransportErrorKind kind() const noexcept { return kind_; }
  bool timed_out() const noexcept { return kind_ == TransportErrorKind::kTimeout; }

 private:
  TransportErrorKind kind_;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs a GET. Returns whatever status the server sent (callers decide what is an error).
  // Throws TransportError when no response was obtained (DNS, connect, timeout, reset, a body
  // cut short, an unreadable file). Implementations document their own thread-safety.
  virtual HttpResponse get(const HttpRequest& request) = 0;
};

}  // namespace arxiv_digest
