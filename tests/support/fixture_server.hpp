// FixtureServer: a local HTTP server (cpp-httplib) on 127.0.0.1 for integration tests and demos.
//
// Lifetime: the constructor binds an OS-chosen port and starts serving on a background thread;
// the destructor wakes any delayed handler and stops and joins the server. No gtest dependency.
//
// What it answers for GET <target> (target = path plus "?query" as sent), first match wins:
//   1. the next scripted one-shot response queued for the target, or else for the path
//      (enqueue): status, headers, body, a delay before answering, a truncated body;
//   2. an exact route (serve_file / serve_bytes) equal to the target, or else to the path;
//   3. the longest mounted prefix (mount): GET <prefix><rest> returns <directory>/<rest>;
//   4. 404 "no fixture for <target>".
// Routes and mounts answer with ETag (quoted hash of the bytes) and Last-Modified (file mtime,
// or the fixed time for serve_bytes) unless disabled, reply 304 to a matching If-None-Match or an
// identical If-Modified-Since, and gzip the body when enabled and the request accepts gzip.
//
// Every request is recorded (path, target, lower-cased headers, arrival on the steady clock) and
// counted per path. All member functions are thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxiv_digest::testing {

struct RecordedRequest {
  std::string path;    // decoded path, without the query
  std::string target;  // the request target as sent ("/api/query?id_list=...")
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::chrono::steady_clock::time_point arrived;

  // First value of the header, or "".
  std::string header(std::string_view lower_name) const;
};

// A one-shot answer (fault injection).
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "1"}
  std::string body;
  std::string content_type = "text/plain";
  // Waits this long before answering (cut short when the server is destroyed).
  std::chrono::milliseconds delay{0};
  // When set and larger than body.size(): declares this Content-Length, sends the body, then
  // drops the connection (a truncated transfer).
  std::optional<std::size_t> declared_length;
};

struct ServeOptions {
  std::string content_type = "application/octet-stream";
  bool gzip = false;       // gzip the body when the request's Accept-Encoding allows it
  bool validators = true;  // send ETag / Last-Modified and honour conditional requests
};

class FixtureServer {
 public:
  // Listens on 127.0.0.1:`port` (0 = a free port chosen by the OS). Throws std::runtime_error
  // if the port cannot be bound.
  explicit FixtureServer(int port = 0);
  ~FixtureServer();
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  int port() const;
  // "http://127.0.0.1:<port>" (no trailing slash).
  std::string base_url() const;
  // base_url() + target.
  std::string url(std::string_view target) const;

  // Serves files under `directory` for paths starting with `url_prefix` ("/" or "/rss/"): GET
  // /rss/cs.AI+cs.LG with mount("/", d) returns d/rss/cs.AI+cs.LG. Paths containing ".." 404.
  void mount(std::string url_prefix, std::filesystem::path directory, ServeOptions options = {});
  // Serves one file at an exact target (path, or path?query to match the raw query string).
  void serve_file(std::string target, std::filesystem::path file, ServeOptions options = {});
  // Serves bytes at an exact target; Last-Modified is a fixed date.
  void serve_bytes(std::string target, std::string body, ServeOptions options = {});

  // Queues a one-shot response for `target_or_path`; queued responses are used in FIFO order
  // before any route or mount.
  void enqueue(std::string target_or_path, ScriptedResponse response);
  // Queued responses not consumed yet, over all paths.
  std::size_t pending_scripted() const;

  // Requests received for a path (query ignored).
  std::size_t request_count(std::string_view path) const;
  // All requests, in arrival order / only those for `path`.
  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requests_for(std::string_view path) const;
  // Forgets recorded requests and counts (routes, mounts and queued responses stay).
  void clear_records();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest::testing
