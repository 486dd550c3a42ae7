#include "sources/curl_handles.hpp"

#include <fmt/format.h>

#include <mutex>

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

}  // namespace arxiv_digest::curl
