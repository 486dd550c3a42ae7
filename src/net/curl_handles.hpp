// Move-only RAII owners of libcurl's C handles. Private to the sources library (include only from
// .cpp files: it pulls in <curl/curl.h>).
//
//   CurlGlobal  one reference on curl_global_init / curl_global_cleanup (libcurl counts them).
//   CurlEasy    a CURL* easy handle (curl_easy_init / curl_easy_cleanup).
//   CurlSlist   a curl_slist* list of strings (curl_slist_append / curl_slist_free_all).
//   ResponseSink + collect_body / collect_header: what one transfer's callbacks gather (shared by
//               every client that drives an easy handle: GET in sources, POST in translate).
//
// Each constructor throws TransportError (empty url) when libcurl cannot allocate the handle; the
// member starts as nullptr and a moved-from object owns nothing. None is thread-safe: use one
// object per thread (CurlGlobal excepted: taking references is serialised internally).
#pragma once

#include <curl/curl.h>

#include <exception>
#include <functional>
#include <map>
#include <chrono>
#include <string>
#include <vector>
#include <string_view>
#include <utility>

#include "net/http_client.hpp"

namespace arxiv_digest::curl {

class CurlGlobal {
 public:
  CurlGlobal();  // throws TransportError if curl_global_init fails
  ~CurlGlobal();
  CurlGlobal(CurlGlobal&& other) noexcept : active_(std::exchange(other.active_, false)) {}
  CurlGlobal& operator=(CurlGlobal&& other) noexcept;
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;

 private:
  void release() noexcept;
  bool active_ = false;
};

class CurlEasy {
 public:
  CurlEasy();  // throws TransportError if curl_easy_init fails
  ~CurlEasy() { reset(); }
  CurlEasy(CurlEasy&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  CurlEasy& operator=(CurlEasy&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const noexcept { return handle_; }

 private:
  void reset() noexcept {
    if (handle_ != nullptr) curl_easy_cleanup(std::exchange(handle_, nullptr));
  }
  CURL* handle_ = nullptr;
};

class CurlSlist {
 public:
  CurlSlist() = default;
  ~CurlSlist() { reset(); }
  CurlSlist(CurlSlist&& other) noexcept : head_(std::exchange(other.head_, nullptr)) {}
  CurlSlist& operator=(CurlSlist&& other) noexcept {
    if (this != &other) {
      reset();
      head_ = std::exchange(other.head_, nullptr);
    }
    return *this;
  }
  CurlSlist(const CurlSlist&) = delete;
  CurlSlist& operator=(const CurlSlist&) = delete;

  // Appends a copy of `line`; throws TransportError on allocation failure (list unchanged).
  void append(const std::string& line);
  curl_slist* get() const noexcept { return head_; }

 private:
  void reset() noexcept {
    if (head_ != nullptr) curl_slist_free_all(std::exchange(head_, nullptr));
  }
  curl_slist* head_ = nullptr;
};

// Appends request headers to `list`; an empty value is sent as an empty header ("Name;" is
// libcurl's spelling for that). Throws TransportError on allocation failure.
void append_headers(CurlSlist& list,
                    const std::vector<std::pair<std::string, std::string>>& headers);

// A timeout for CURLOPT_*TIMEOUT_MS: at least 1 ms, since 0 would mean "no timeout".
long to_curl_ms(std::chrono::milliseconds ms) noexcept;

// Sets one option; a failure means a bug or an old libcurl: ClassifiedTransportError (kOther)
// naming "<method> <url>".
[[noreturn]] void throw_setopt_failed(CURLoption option, CURLcode code, std::string_view method,
                                      const std::string& url);

template <typename Value>
void set_option(const CurlEasy& easy, CURLoption option, Value value, std::string_view method,
                const std::string& url) {
  const CURLcode code = curl_easy_setopt(easy.get(), option, value);
  if (code != CURLE_OK) throw_setopt_failed(option, code, method, url);
}

// What the write and header callbacks collect during one transfer. Pass its address as
// CURLOPT_WRITEDATA / CURLOPT_HEADERDATA with collect_body / collect_header as the functions.
struct ResponseSink {
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names; the final response's only
  std::exception_ptr error;  // thrown inside a callback; rethrow it after curl_easy_perform
  // Optional: sees every raw header line before it is parsed. For SMTP (and the other
  // "pingpong" protocols) libcurl passes the server's reply lines here, which is how the SMTP
  // client learns the text of a refusal (CURLINFO_RESPONSE_CODE has only the number).
  std::function<void(std::string_view line)> on_line;
  // libcurl's result of the transfer (set by perform before it throws), for callers that must
  // tell apart failures the TransportErrorKind groups together (SMTP: login denied, no STARTTLS).
  CURLcode result = CURLE_OK;
};

// CURLOPT_WRITEFUNCTION: appends to ResponseSink::body. On failure (allocation) records the
// exception and returns 0, which makes libcurl abort with CURLE_WRITE_ERROR.
extern "C" size_t collect_body(char* data, size_t size, size_t count, void* sink);
// CURLOPT_HEADERFUNCTION: records "Name: value" lines; a status line ("HTTP/...") starts a new
// response (after a redirect or 100 Continue) and forgets the previous headers.
extern "C" size_t collect_header(char* data, size_t size, size_t count, void* sink);

// Runs one transfer: sets what every transfer shares (the URL, no signals, the timeouts, the
// error buffer, the callbacks collecting into `sink`) on `easy`, which the caller has set up
// for its method, performs it, and returns the HTTP status (200 for file://). Throws what a
// callback recorded, or ClassifiedTransportError "<method> <url> failed: <why> (curl error N)".
long perform(const CurlEasy& easy, ResponseSink& sink, std::string_view method,
             const std::string& url, std::chrono::milliseconds connect_timeout,
             std::chrono::milliseconds total_timeout);

}  // namespace arxiv_digest::curl
