// `cmake --install` into a temporary prefix, then the installed binary as a user meets it: the
// demo runs from the installed sample day with the installed KaTeX, the man page renders without
// warnings and documents every command and option the binary has, the generated completions
// complete in bash and parse in zsh, and the systemd units verify.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::run_process;
using testing::TempDir;

// One install shared by the tests of this file (installing takes a second).
class InstallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = new TempDir();
    const auto result = run_process(ARXIV_DIGEST_CMAKE_COMMAND,
                                    {"--install", ARXIV_DIGEST_BUILD_DIR, "--prefix",
                                     prefix_->path().string()});
    install_exit_ = result.exit_code;
    install_log_ = result.out + result.err;
  }
  static void TearDownTestSuite() {
    delete prefix_;
    prefix_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(install_exit_, 0) << install_log_; }

  static fs::path installed(std::string_view relative) { return prefix_->path() / relative; }
  static fs::path binary() { return installed("bin/arxiv-digest"); }

  // `bash -c script`, returning stdout; fails the test on a non-zero exit.
  static std::string bash(const std::string& script) {
    const auto result = run_process("/bin/bash", {"--norc", "-c", script});
    EXPECT_EQ(result.exit_code, 0) << script << "\n" << result.err;
    return result.out;
  }

  static inline TempDir* prefix_ = nullptr;
  static inline int install_exit_ = -1;
  static inline std::string install_log_;
};

TEST_F(InstallTest, LaysOutTheBinaryDataManPageCompletionsAndUnits) {
  for (const char* file :
       {"bin/arxiv-digest", "share/arxiv-digest/templates/digest.html.mustache",
        "share/arxiv-digest/templates/digest.email.html.mustache",
        "share/arxiv-digest/prompts/translate-v1.txt",
        "share/arxiv-digest/sample-day/arxiv-digest.toml",
        "share/arxiv-digest/sample-day/PROVENANCE.md", "share/man/man1/arxiv-digest.1.gz",
        "share/bash-completion/completions/arxiv-digest",
        "share/zsh/vendor-completions/_arxiv-digest", "lib/systemd/user/arxiv-digest.service",
        "lib/systemd/user/arxiv-digest.timer", "lib/systemd/user/arxiv-digest-daemon.service",
        "share/doc/arxiv-digest/README.md", "share/doc/arxiv-digest/copyright",
        "share/doc/arxiv-digest/examples/config.toml",
        "share/doc/arxiv-digest/examples/arxiv-digest.cron",
        "share/doc/arxiv-digest/examples/daily-digest.yml"})
    EXPECT_TRUE(fs::is_regular_file(installed(file))) << file;
  // KaTeX is installed when scripts/setup's `npm ci` has put it in the source folder (always in
  // CI); the test of the demo below relies on it.
  EXPECT_TRUE(fs::is_regular_file(installed("share/arxiv-digest/katex/katex.min.css")));
  EXPECT_TRUE(fs::is_regular_file(installed("share/arxiv-digest/katex/contrib/auto-render.min.js")));
}

TEST_F(InstallTest, InstalledBinaryRunsTheDemoFromItsOwnDataFolder) {
  TempDir work;
  // HOME and XDG folders point into the temporary folder: the demo must not need or touch them.
  const std::map<std::string, std::optional<std::string>> env = {
      {"HOME", work.path().string()},
      {"XDG_CONFIG_HOME", (work / "config").string()},
      {"XDG_DATA_HOME", (work / "data").string()},
      {"XDG_CACHE_HOME", (work / "cache").string()}};
  const auto result = run_process(binary(), {"demo", "--out", (work / "demo").string()}, env,
                                  work.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The seed's layout: 30 papers for the first topic, none for the second.
  EXPECT_NE(result.out.find("Keyword: reinforcement learning"), std::string::npos);
  EXPECT_NE(result.out.find("There is no result"), std::string::npos);
  for (const char* file : {"2026-06-18.txt", "2026-06-18.md", "2026-06-18.json",
                           "2026-06-18.html", "2026-06-18.atom", "archive.sqlite",
                           "arxiv-digest.toml", "katex/katex.min.css"})
    EXPECT_TRUE(fs::is_regular_file(work / "demo" / file)) << file;
  // The page uses the KaTeX copied from the installed data folder.
  const std::string page = testing::read_file(work / "demo" / "2026-06-18.html");
  EXPECT_NE(page.find("katex/katex.min.css"), std::string::npos);
  // The demo's own config reads the installed feeds, never the source checkout.
  const std::string config = testing::read_file(work / "demo" / "arxiv-digest.toml");
  EXPECT_NE(config.find((prefix_->path() / "share/arxiv-digest/sample-day").string()),
            std::string::npos)
      << config;
  EXPECT_FALSE(fs::exists(work / "config")) << "the demo wrote into XDG_CONFIG_HOME";

  // A second run of the same day changes nothing: the archive has it, the files are identical.
  const std::string text = testing::read_file(work / "demo" / "2026-06-18.txt");
  const auto again = run_process(binary(), {"demo", "--out", (work / "demo").string(), "-q"}, env,
                                 work.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testing::read_file(work / "demo" / "2026-06-18.txt"), text);
}

TEST_F(InstallTest, ManPageRendersWithoutWarningsAndDocumentsEveryCommandAndOption) {
  const fs::path page = installed("share/man/man1/arxiv-digest.1.gz");
  const auto rendered = run_process("/usr/bin/man", {"--warnings", "-l", page.string()},
                                    {{"MANWIDTH", "100"}, {"MAN_KEEP_FORMATTING", std::nullopt}});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(rendered.err, "") << "groff warnings";
  EXPECT_NE(rendered.out.find("EXIT STATUS"), std::string::npos);

  const std::string source = testing::read_file(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "docs/arxiv-digest.1");
  const auto listing = run_process(binary(), {"completions", "list"});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  std::size_t commands = 0;
  std::istringstream lines(listing.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string path = line.substr(0, line.find('\t'));
    if (path != "-") {
      ++commands;
      // Each command has its own subsection: .SS "run ..." / .SS "config check ...".
      EXPECT_NE(source.find(".SS \"" + path), std::string::npos) << "command " << path;
    }
    std::istringstream names(line.substr(line.find('\t') + 1));
    for (std::string name; names >> name;) {
      if (!name.starts_with("--") || name == "--help" || name == "--version") continue;
      std::string escaped;  // roff writes each '-' as '\-'
      for (const char c : name) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(source.find(escaped), std::string::npos) << path << " " << name;
    }
  }
  EXPECT_GE(commands, 5u);
}

TEST_F(InstallTest, BashCompletionCompletesCommandsOptionsAndChoices) {
  const std::string script = installed("share/bash-completion/completions/arxiv-digest").string();
  // complete() for the words typed so far (the last one being completed).
  auto complete = [&](const std::string& words) {
    return bash("source '" + script + "'; COMP_WORDS=(" + words +
                "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _arxiv_digest; "
                "printf '%s\\n' \"${COMPREPLY[@]}\" | sort");
  };
  EXPECT_EQ(complete("arxiv-digest ma"), "match\n");
  EXPECT_NE(complete("arxiv-digest ''").find("run\n"), std::string::npos);
  EXPECT_EQ(complete("arxiv-digest config ''"), "check\n");
  EXPECT_EQ(complete("arxiv-digest run --ref"), "--refetch\n");
  EXPECT_EQ(complete("arxiv-digest run --format ''"),
            "atom\nemail-html\nhtml\njson\nmarkdown\ntext\n");
  EXPECT_EQ(complete("arxiv-digest fetch --source l"), "listing\n");
  // The value of --config is not mistaken for a command: "run" after it is still completed
  // as run's options.
  EXPECT_EQ(complete("arxiv-digest run --config match --stdo"), "--stdout\n");
  EXPECT_EQ(complete("arxiv-digest run --date ''"), "\n");
}

TEST_F(InstallTest, ZshCompletionParses) {
  const std::string script = installed("share/zsh/vendor-completions/_arxiv-digest").string();
  const auto result = run_process("/usr/bin/zsh", {"-n", script});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string text = testing::read_file(script);
  EXPECT_TRUE(text.starts_with("#compdef arxiv-digest\n"));
  EXPECT_NE(text.find("'--format[Comma-separated formats"), std::string::npos);
}

TEST_F(InstallTest, SystemdUnitsVerify) {
  // systemd-analyze checks the units' syntax and that ExecStart names an executable: point it at
  // the installed binary instead of /usr/bin.
  TempDir units;
  for (const char* name :
       {"arxiv-digest.service", "arxiv-digest.timer", "arxiv-digest-daemon.service"}) {
    std::string text = testing::read_file(installed("lib/systemd/user") / name);
    for (std::size_t at = text.find("/usr/bin/arxiv-digest"); at != std::string::npos;
         at = text.find("/usr/bin/arxiv-digest", at + 1))
      text.replace(at, std::string_view("/usr/bin/arxiv-digest").size(), binary().string());
    testing::write_file(units / name, text);
  }
  const auto result = run_process(
      "/usr/bin/systemd-analyze",
      {"verify", "--man=no", (units / "arxiv-digest.service").string(),
       (units / "arxiv-digest.timer").string(), (units / "arxiv-digest-daemon.service").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.err, "") << "systemd-analyze warnings";
}

}  // namespace
}  // namespace arxiv_digest
