// HttpPoster: the seam for the POST requests of translation backends.
//
// CurlHttpPoster performs one libcurl transfer per call (its own easy handle, so post() may be
// called concurrently from many threads). It returns every status as sent (4xx/5xx are not
// exceptions) and throws TransportError when no complete response arrived (refused, timeout,
// reset, body cut short). Messages name the URL, never header values (they carry API keys).
// Translation hosts are not arXiv: no politeness gate applies; rate limits are the engine's.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace arxiv_digest {

struct PostRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Authorization", "Bearer …"}
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{120'000};
};

struct PostResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins

  // Header value or "".
  std::string header(const std::string& lower_name) const;
};

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  virtual PostResponse post(const PostRequest& request) = 0;
};

namespace curl {
class CurlGlobal;
}

class CurlHttpPoster final : public HttpPoster {
 public:
  // Throws TransportError if libcurl cannot be initialised.
  explicit CurlHttpPoster(std::string user_agent);
  ~CurlHttpPoster() override;
  CurlHttpPoster(const CurlHttpPoster&) = delete;
  CurlHttpPoster& operator=(const CurlHttpPoster&) = delete;

  PostResponse post(const PostRequest& request) override;

 private:
  std::unique_ptr<curl::CurlGlobal> global_;
  std::string user_agent_;
};

}  // namespace arxiv_digest
