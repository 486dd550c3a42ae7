// WebServer: the Site over HTTP (cpp-httplib), on one address, until stopped.
//
// Binds in the constructor so a busy port or a bad address fails before anything is announced.
// Requests are read with timeouts and a small size cap (no request body is accepted: the site is
// read-only), then handed to Site::handle one at a time (the archive is not thread-safe).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "serve/site.hpp"

namespace arxiv_digest::serve {

struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see WebServer::port())
};

// "127.0.0.1:8080", "localhost:0", "[::1]:8080", "0.0.0.0:8080" or a bare port "8080" (on
// 127.0.0.1). Throws ConfigError naming the text for anything else (no port, port > 65535).
ListenAddress parse_listen(std::string_view text);

struct ServerOptions {
  ListenAddress listen;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{10};
};

class WebServer {
 public:
  // Binds (does not serve yet). `site` must outlive the server. Throws TransportError naming the
  // address when it cannot bind.
  WebServer(Site& site, ServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  int port() const noexcept;
  // "http://127.0.0.1:8080" (IPv6 hosts in brackets).
  std::string url() const;
  // Serves until stop() (from another thread or a signal handler's thread). Returns false when
  // the server failed while serving.
  bool run();
  // Makes run() return; idempotent, thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest::serve
