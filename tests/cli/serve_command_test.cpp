// `arxiv-digest serve`, the real binary: it serves the sample day's archive on the port it prints,
// stops cleanly on SIGTERM (exit 0), never creates an archive, and refuses bad flags with the
// README's exit codes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"
#include "tests/serve/sample_archive.hpp"

extern char** environ;

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

// The binary in the background, its stdout on a pipe.
class Background {
 public:
  explicit Background(std::vector<std::string> args) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    args.insert(args.begin(), ARXIV_DIGEST_BINARY);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int error = posix_spawn(&pid_, ARXIV_DIGEST_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    out_ = pipe_fds[0];
    if (error != 0) throw std::runtime_error("posix_spawn");
  }
  ~Background() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  // The first line of stdout, waiting at most `deadline`.
  std::string first_line(std::chrono::milliseconds deadline) {
    std::string text;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < end) {
      pollfd fd{out_, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) continue;
      char buffer[256];
      const ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text.substr(0, text.find('\n'));
  }
  // Sends `signal` and waits for the exit status (-1 when killed by a signal).
  int stop(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

std::string http_get(int port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    (void)::send(fd, request.data(), request.size(), 0);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

TEST(ServeCommandTest, ServesTheArchiveOnThePrintedPortAndStopsOnSigterm) {
  const auto& sample = testing::sample_archive();
  const auto before = fs::last_write_time(sample.archive());
  Background serve({"serve", "--archive", sample.archive().string(), "--out", sample.out().string(),
                    "--listen", "127.0.0.1:0"});
  const std::string line = serve.first_line(std::chrono::seconds{10});
  std::smatch match;
  ASSERT_TRUE(std::regex_search(line, match, std::regex("^Serving http://127\\.0\\.0\\.1:(\\d+) ")))
      << line;
  const int port = std::stoi(match[1]);
  const std::string page = http_get(port, "/digest/2026-06-18");
  EXPECT_EQ(page.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(page.find("id=\"topic-reinforcement-learning\""), std::string::npos);
  EXPECT_EQ(http_get(port, "/api/digests").find("\"listing_date\": \"2026-06-18\"") == std::string::npos, false);
  EXPECT_EQ(serve.stop(SIGTERM), kExitOk);
  EXPECT_EQ(fs::last_write_time(sample.archive()), before);  // read-only
}

TEST(ServeCommandTest, BadInvocationsExitWithTheReadmeCodes) {
  testing::TempDir dir;
  const auto missing = testing::run_process(ARXIV_DIGEST_BINARY,
                                            {"serve", "--archive", (dir / "none.sqlite").string()});
  EXPECT_EQ(missing.exit_code, kExitStore);
  EXPECT_NE(missing.err.find("none.sqlite"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir / "none.sqlite"));  // never created
  const auto& sample = testing::sample_archive();
  const auto listen = testing::run_process(
      ARXIV_DIGEST_BINARY, {"serve", "--archive", sample.archive().string(), "--listen", "127.0.0.1:http"});
  EXPECT_EQ(listen.exit_code, kExitConfig);
  EXPECT_NE(listen.err.find("--listen '127.0.0.1:http'"), std::string::npos) << listen.err;
  const auto both = testing::run_process(
      ARXIV_DIGEST_BINARY, {"serve", "--archive", "a.sqlite", "--config", "c.toml"});
  EXPECT_EQ(both.exit_code, kExitUsage);
}

TEST(ServeCommandTest, APortInUseExitsWithTheNetworkCode) {
  const auto& sample = testing::sample_archive();
  Background first({"serve", "--archive", sample.archive().string(), "--listen", "127.0.0.1:0"});
  const std::string line = first.first_line(std::chrono::seconds{10});
  std::smatch match;
  ASSERT_TRUE(std::regex_search(line, match, std::regex(":(\\d+) "))) << line;
  const auto second = testing::run_process(
      ARXIV_DIGEST_BINARY, {"serve", "--archive", sample.archive().string(), "--listen",
                            "127.0.0.1:" + std::string(match[1])});
  EXPECT_EQ(second.exit_code, kExitNetwork);
  EXPECT_NE(second.err.find("cannot listen on 127.0.0.1:"), std::string::npos) << second.err;
  EXPECT_EQ(first.stop(SIGINT), kExitOk);
}

}  // namespace
}  // namespace arxiv_digest
