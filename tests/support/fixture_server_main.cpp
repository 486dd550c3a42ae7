// arxiv_digest_fixture_server: serves a directory of arXiv fixtures on 127.0.0.1 until killed.
//
//   arxiv_digest_fixture_server <dir> [port]
//
// <dir>/rss/<cats> is served as application/rss+xml, <dir>/list/... as text/html, <dir>/api/...
// as application/atom+xml, anything else as application/octet-stream; all with ETag /
// Last-Modified and gzip. Prints the base URL on the first line of stdout.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

#include "support/fixture_server.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s <fixture-dir> [port]\n", argv[0]);
    return 2;
  }
  try {
    const std::filesystem::path dir(argv[1]);
    const int port = argc == 3 ? std::stoi(argv[2]) : 0;
    arxiv_digest::testing::FixtureServer server(port);
    server.mount("/", dir, {"application/octet-stream", true, true});
    server.mount("/rss/", dir / "rss", {"application/rss+xml; charset=utf-8", true, true});
    server.mount("/list/", dir / "list", {"text/html; charset=utf-8", true, true});
    server.mount("/api/", dir / "api", {"application/atom+xml; charset=utf-8", true, true});
    std::printf("%s\n", server.base_url().c_str());
    std::fflush(stdout);
    for (;;) std::this_thread::sleep_for(std::chrono::hours{1});
  } catch (const std::exception& error) {
    std::fprintf(stderr, "arxiv_digest_fixture_server: %s\n", error.what());
    return 1;
  }
}
