#include "render/output_writer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

std::vector<std::string> entries(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const OutputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no OutputError thrown";
  return {};
}

TEST(AtomicFileWriter, WritesNewFile) {
  TempDir dir;
  AtomicFileWriter writer;
  writer.write(dir / "digest.txt", "生成时间\nline 2\n");
  EXPECT_EQ(read_file(dir / "digest.txt"), "生成时间\nline 2\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"digest.txt"});
}

TEST(AtomicFileWriter, WritesEmptyFile) {
  TempDir dir;
  AtomicFileWriter().write(dir / "empty.json", "");
  EXPECT_TRUE(fs::is_regular_file(dir / "empty.json"));
  EXPECT_EQ(fs::file_size(dir / "empty.json"), 0u);
}

TEST(AtomicFileWriter, ReplacesExistingFileAndKeepsItsMode) {
  TempDir dir;
  write_file(dir / "digest.md", "old content that is longer than the new one\n");
  ASSERT_EQ(::chmod((dir / "digest.md").c_str(), 0640), 0);
  AtomicFileWriter().write(dir / "digest.md", "new\n");
  EXPECT_EQ(read_file(dir / "digest.md"), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "digest.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"digest.md"});
}

TEST(AtomicFileWriter, NewFileModeFollowsUmask) {
  TempDir dir;
  const mode_t old_umask = ::umask(022);
  AtomicFileWriter().write(dir / "a.txt", "x");
  ::umask(old_umask);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "a.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST(AtomicFileWriter, RelativePathWritesInCurrentDirectory) {
  TempDir dir;
  const fs::path old_cwd = fs::current_path();
  fs::current_path(dir.path());
  AtomicFileWriter().write("relative.txt", "rel");
  fs::current_path(old_cwd);
  EXPECT_EQ(read_file(dir / "relative.txt"), "rel");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"relative.txt"});
}

TEST(AtomicFileWriter, PathIsADirectoryFailsAndLeavesItIntact) {
  TempDir dir;
  fs::create_directory(dir / "out");
  write_file(dir / "out" / "inside.txt", "keep");
  const std::string message = message_of([&] { AtomicFileWriter().write(dir / "out", "bytes"); });
  EXPECT_NE(message.find((dir / "out").string()), std::string::npos) << message;
  EXPECT_NE(message.find("Is a directory"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_directory(dir / "out"));
  EXPECT_EQ(read_file(dir / "out" / "inside.txt"), "keep");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"});  // no temp file left
}

TEST(AtomicFileWriter, MissingDirectoryFailsNamingPathAndReason) {
  TempDir dir;
  const fs::path path = dir / "no-such-dir" / "digest.txt";
  const std::string message = message_of([&] { AtomicFileWriter().write(path, "bytes"); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_TRUE(entries(dir.path()).empty());
}

TEST(AtomicFileWriter, UnwritableDirectoryFailsAndKeepsOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  write_file(dir / "digest.txt", "old\n");
  ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
  const std::string message =
      message_of([&] { AtomicFileWriter().write(dir / "digest.txt", "new\n"); });
  ::chmod(dir.path().c_str(), 0755);
  EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
  EXPECT_EQ(read_file(dir / "digest.txt"), "old\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"digest.txt"});
}

// A real write() failure half-way through the data (EFBIG from RLIMIT_FSIZE; works as root too):
// the old file must survive whole and the partial temp file must be gone.
TEST(AtomicFileWriter, FailedWriteKeepsOldFileAndRemovesTemp) {
  TempDir dir;
  write_file(dir / "digest.txt", "old complete digest\n");
  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  struct sigaction ignore {};
  struct sigaction old_action {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &old_action), 0);
  struct rlimit small = old_limit;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message =
      message_of([&] { AtomicFileWriter().write(dir / "digest.txt", std::string(100000, 'x')); });
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::sigaction(SIGXFSZ, &old_action, nullptr);
  EXPECT_NE(message.find((dir / "digest.txt").string()), std::string::npos) << message;
  EXPECT_NE(message.find("write failed: File too large"), std::string::npos) << message;
  EXPECT_EQ(read_file(dir / "digest.txt"), "old complete digest\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"digest.txt"});
}

TEST(AtomicFileWriter, UsableThroughTheInterface) {
  TempDir dir;
  AtomicFileWriter atomic;
  OutputWriter& writer = atomic;
  writer.write(dir / "a.json", "{}\n");
  writer.write(dir / "a.json", "[]\n");
  EXPECT_EQ(read_file(dir / "a.json"), "[]\n");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// A writer killed between staging and commit leaves ".<name>.tmp-<pid>-<n>"; the next writer of
// that target removes it, unless its process still runs (a concurrent writer's staged file).
TEST(RemoveStaleTemporaries, RemovesThoseOfDeadProcessesOnly) {
  TempDir dir;
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(dead, &status, 0), dead);
  const fs::path target = dir / "2026-06-18.txt";
  write_file(target, "whole\n");
  const std::string left = ".2026-06-18.txt.tmp-" + std::to_string(dead) + "-3";
  const std::string running = ".2026-06-18.txt.tmp-" + std::to_string(::getppid()) + "-0";
  const std::string other = ".2026-06-18.md.tmp-" + std::to_string(dead) + "-4";
  for (const auto& name : {left, running, other}) write_file(dir / name, "half");

  EXPECT_EQ(remove_stale_temporaries(target), 1u);
  EXPECT_EQ(entries(dir.path()),
            (std::vector<std::string>{other, running, "2026-06-18.txt"}));
  EXPECT_EQ(read_file(target), "whole\n");
  EXPECT_EQ(remove_stale_temporaries(dir / "missing-dir" / "x.txt"), 0u);  // no folder: nothing
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// A writer SIGKILLed together with its parent (timeout(1) signals its whole group) is a zombie
// until PID 1 reaps it: kill(pid, 0) still succeeds, yet it will never write again.
TEST(RemoveStaleTemporaries, AZombieWriterCountsAsDead) {
  TempDir dir;
  const pid_t zombie = ::fork();
  ASSERT_GE(zombie, 0);
  if (zombie == 0) ::_exit(0);
  // Wait until it has exited without reaping it (WNOWAIT): a zombie.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT), 0);
  ASSERT_EQ(::kill(zombie, 0), 0);
  const fs::path target = dir / "2026-06-18.txt";
  const std::string left = ".2026-06-18.txt.tmp-" + std::to_string(zombie) + "-1";
  write_file(dir / left, "half");
  EXPECT_EQ(remove_stale_temporaries(target), 1u);
  EXPECT_TRUE(entries(dir.path()).empty());
  int status = 0;
  EXPECT_EQ(::waitpid(zombie, &status, 0), zombie);
}

}  // namespace
}  // namespace arxiv_digest
