// CachingHttpClient: an HttpClient decorator doing conditional GETs against an on-disk cache.
//
// For an http(s) URL it looks up the cache entry (one file per URL, named by a 64-bit hash of
// the URL; the entry also stores the URL itself, so a hash collision is a miss). With a valid
// entry the request gains If-None-Match (the stored ETag) and/or If-Modified-Since (the stored
// Last-Modified). Then:
//   304 with a valid entry  -> the cached body, status 200, from_cache = true; headers are the
//                              304's, completed with the stored etag / last-modified.
//   200 with ETag or Last-Modified -> returned as is and stored (temp file + rename, so readers
//                              never see half an entry).
//   200 without validators  -> returned; any stale entry for the URL is removed.
//   anything else           -> returned untouched, the cache left as it was.
// Never cached: file:// URLs, plain paths, non-200 responses, requests that already carry their
// own If-None-Match / If-Modified-Since (passed through unchanged).
//
// Robustness: an unreadable, truncated or otherwise corrupt entry is ignored (the URL is fetched
// unconditionally and the entry rewritten), never an error. Failing to write the cache (disk
// full, read-only directory) does not fail the request either; it is reported via `on_warning`
// when set. Exceptions from the inner client propagate unchanged.
//
// Thread-safety: get() may be called concurrently (entries are replaced atomically; concurrent
// fetches of one URL both write, the last rename wins). Several processes may share a directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_client.hpp"

namespace arxiv_digest {

struct CachingHttpClientOptions {
  // Directory holding the entries; created (with parents) on first store. Required.
  std::filesystem::path directory;
  // Called with a one-line message ("cannot write <path>", ...) when an entry cannot be written
  // or removed. May be empty.
  std::function<void(const std::string&)> on_warning;
};

class CachingHttpClient final : public HttpClient {
 public:
  // `inner` must outlive this client. Throws ConfigError if options.directory is empty.
  CachingHttpClient(HttpClient& inner, CachingHttpClientOptions options);

  HttpResponse get(const HttpRequest& request) override;

  // Path of the entry file for `url` (whether or not it exists). For tests and diagnostics.
  std::filesystem::path entry_path(std::string_view url) const;

 private:
  struct Entry {
    std::string etag;
    std::string last_modified;
    std::string body;
  };
  std::optional<Entry> load(const std::string& url) const;
  void store(const std::string& url, const Entry& entry) const;
  void remove(const std::string& url) const;
  void warn(const std::string& message) const;

  HttpClient& inner_;
  CachingHttpClientOptions options_;
};

}  // namespace arxiv_digest
