// The web UI over real HTTP on 127.0.0.1: the server carries the Site's answers and headers, and
// raw request targets (percent-encoded traversal) never reach a file outside the static folder.
#include "serve/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "store/sqlite_archive.hpp"
#include "tests/serve/sample_archive.hpp"

namespace arxiv_digest::serve {
namespace {

namespace fs = std::filesystem;

// One request as raw bytes (so the target is sent exactly as written); returns the response.
std::string raw_request(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    (void)::send(fd, request.data(), request.size(), 0);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
      response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

std::string get(int port, const std::string& target) {
  return raw_request(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

int status_of(const std::string& response) {
  return response.size() > 12 ? std::stoi(response.substr(9, 3)) : -1;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : archive_(testing::sample_archive().archive()) {
    SiteOptions options;
    options.katex_dir = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "node_modules" / "katex" / "dist";
    site_ = std::make_unique<Site>(archive_, options);
    server_ = std::make_unique<WebServer>(*site_, ServerOptions{ListenAddress{"127.0.0.1", 0}});
    thread_ = std::thread([this] { server_->run(); });
  }
  ~ServerTest() override {
    server_->stop();
    thread_.join();
  }

  SqliteArchive archive_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
};

TEST_F(ServerTest, ServesPagesWithTheirHeaders) {
  ASSERT_GT(server_->port(), 0);
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(server_->port()));
  const std::string page = get(server_->port(), "/digest/2026-06-18?lang=en");
  EXPECT_EQ(status_of(page), 200) << page.substr(0, 300);
  EXPECT_NE(page.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(page.find("Referrer-Policy: no-referrer"), std::string::npos);
  EXPECT_NE(page.find("<strong class=\"current\">English</strong>"), std::string::npos);
  EXPECT_EQ(status_of(get(server_->port(), "/api/paper/2606.18284")), 200);
  EXPECT_EQ(status_of(get(server_->port(), "/digest/2026-06-18?lang=%3Cscript%3E")), 400);
}

TEST_F(ServerTest, EncodedTraversalAndOtherMethodsAreRefused) {
  const int port = server_->port();
  EXPECT_EQ(status_of(get(port, "/static/katex/katex.min.css")), 200);
  for (const char* target :
       {"/static/katex/%2e%2e/%2e%2e/%2e%2e/CMakeLists.txt", "/static/katex/..%2f..%2f..%2fCMakeLists.txt",
        "/static/katex/%2E%2E/katex/katex.min.css", "/static/katex/%252e%252e/katex.min.css",
        "/static/katex/%2fetc%2fpasswd", "/static/katex/..%5c..%5cCMakeLists.txt",
        "/static/katex/katex.min.css%00.png", "/static/katex/../../../../etc/passwd"}) {
    const std::string response = get(port, target);
    EXPECT_EQ(status_of(response), 404) << target;
    EXPECT_EQ(response.find("cmake_minimum_required"), std::string::npos) << target;
    EXPECT_EQ(response.find("root:x:0"), std::string::npos) << target;
  }
  const std::string post = raw_request(
      port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
  EXPECT_EQ(status_of(post), 405);
  // An oversized request target is refused by the HTTP layer before any handler.
  EXPECT_EQ(status_of(get(port, "/search?q=" + std::string(10000, 'a'))), 414);
}

TEST(ServerListenTest, ParsesAddressesAndRefusesBadOnes) {
  EXPECT_EQ(parse_listen("127.0.0.1:8080").host, "127.0.0.1");
  EXPECT_EQ(parse_listen("127.0.0.1:8080").port, 8080);
  EXPECT_EQ(parse_listen("9000").host, "127.0.0.1");  // a bare port stays on this machine
  EXPECT_EQ(parse_listen("9000").port, 9000);
  EXPECT_EQ(parse_listen("[::1]:0").host, "::1");
  EXPECT_EQ(parse_listen("0.0.0.0:80").host, "0.0.0.0");
  for (const char* bad : {"", "127.0.0.1:", ":80", "127.0.0.1:65536", "127.0.0.1:http", "a b:80"})
    EXPECT_THROW(parse_listen(bad), ConfigError) << bad;
}

TEST(ServerListenTest, ABusyPortIsATransportError) {
  SqliteArchive archive(":memory:");
  Site site(archive, SiteOptions{});
  WebServer first(site, ServerOptions{ListenAddress{"127.0.0.1", 0}});
  EXPECT_THROW(WebServer(site, ServerOptions{ListenAddress{"127.0.0.1", first.port()}}), TransportError);
}

}  // namespace
}  // namespace arxiv_digest::serve
