#include "net/curl_handles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <string_view>

#include "core/error.hpp"

namespace arxiv_digest::curl {
namespace {

// curl_global_init/cleanup are not thread-safe in every libcurl build; serialise them.
std::mutex& global_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

CurlGlobal::CurlGlobal() {
  const std::lock_guard lock(global_mutex());
  const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    throw TransportError({}, fmt::format("curl_global_init failed: {}", curl_easy_strerror(code)));
  }
  active_ = true;
}

CurlGlobal::~CurlGlobal() { release(); }

CurlGlobal& CurlGlobal::operator=(CurlGlobal&& other) noexcept {
  if (this != &other) {
    release();
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

void CurlGlobal::release() noexcept {
  if (std::exchange(active_, false)) {
    const std::lock_guard lock(global_mutex());
    curl_global_cleanup();
  }
}

CurlEasy::CurlEasy() : handle_(curl_easy_init()) {
  if (handle_ == nullptr) throw TransportError({}, "curl_easy_init failed (out of memory?)");
}

void CurlSlist::append(const std::string& line) {
  curl_slist* const head = curl_slist_append(head_, line.c_str());
  if (head == nullptr) {
    throw TransportError({}, fmt::format("curl_slist_append failed for header \"{}\"", line));
  }
  head_ = head;
}

namespace {
std::string trim(std::string_view text) {
  const auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && is_space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && is_space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}
}  // namespace

void append_headers(CurlSlist& list,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers)
    list.append(value.empty() ? fmt::format("{};", name) : fmt::format("{}: {}", name, value));
}

long to_curl_ms(std::chrono::milliseconds ms) noexcept {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(ms.count(), 1));
}

extern "C" size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  try {
    sink->body.append(data, size * count);
    return size * count;
  } catch (...) {
    sink->error = std::current_exception();
    return 0;
  }
}

extern "C" size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  try {
    const std::string_view line(data, size * count);
    if (sink->on_line) sink->on_line(line);
    if (line.rfind("HTTP/", 0) == 0) {
      sink->headers.clear();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      std::string name = trim(line.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!name.empty()) sink->headers[name] = trim(line.substr(colon + 1));
    }
    return size * count;
  } catch (...) {
    sink->error = std::current_exception();
    return 0;
  }
}

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

}  // namespace

void throw_setopt_failed(CURLoption option, CURLcode code, std::string_view method,
                         const std::string& url) {
  throw ClassifiedTransportError(url, TransportErrorKind::kOther,
                                 fmt::format("{} {}: curl_easy_setopt({}) failed: {}", method, url,
                                             static_cast<int>(option), curl_easy_strerror(code)));
}

long perform(const CurlEasy& easy, ResponseSink& sink, std::string_view method,
             const std::string& url, std::chrono::milliseconds connect_timeout,
             std::chrono::milliseconds total_timeout) {
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  set_option(easy, CURLOPT_URL, url.c_str(), method, url);
  set_option(easy, CURLOPT_NOSIGNAL, 1L, method, url);
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer.data(), method, url);
  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, to_curl_ms(connect_timeout), method, url);
  set_option(easy, CURLOPT_TIMEOUT_MS, to_curl_ms(total_timeout), method, url);
  set_option(easy, CURLOPT_WRITEFUNCTION, &collect_body, method, url);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&sink), method, url);
  set_option(easy, CURLOPT_HEADERFUNCTION, &collect_header, method, url);
  set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&sink), method, url);

  const CURLcode code = curl_easy_perform(easy.get());
  sink.result = code;
  // The error buffer must not outlive this frame in the handle.
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  if (sink.error) std::rethrow_exception(sink.error);
  if (code != CURLE_OK) {
    const std::string detail =
        error_buffer[0] != '\0' ? std::string(error_buffer.data()) : curl_easy_strerror(code);
    throw ClassifiedTransportError(url, classify(code),
                                   fmt::format("{} {} failed: {} (curl error {})", method, url,
                                               detail, static_cast<int>(code)));
  }
  long status = 0;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

}  // namespace arxiv_digest::curl
