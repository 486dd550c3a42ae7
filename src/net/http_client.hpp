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
#include <map>
#include <string>
#include <utility>
#include <vector>

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

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs a GET. Returns whatever status the server sent (callers decide what is an error).
  // Throws TransportError when no response was obtained (DNS, connect, timeout, reset, a body
  // cut short, an unreadable file). Implementations document their own thread-safety.
  virtual HttpResponse get(const HttpRequest& request) = 0;
};

}  // namespace arxiv_digest
