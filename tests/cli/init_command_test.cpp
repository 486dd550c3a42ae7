// `arxiv-digest init`: the file it writes passes the real reader and `config check` for every
// documented flag combination; answers come from stdin; nothing is overwritten or half written.
#include "cli/init_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"
#include "support/translation_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

class InitTest : public ::testing::Test {
 protected:
  std::map<std::string, std::optional<std::string>> env() const {
    return {{"XDG_CONFIG_HOME", (dir_ / "config-home").string()},
            {"XDG_DATA_HOME", (dir_ / "data-home").string()},
            {"XDG_CACHE_HOME", (dir_ / "cache").string()},
            {"HOME", dir_.path().string()},
            {"INIT_TEST_KEY", "sk-init-test-not-a-real-key"},
            {"INIT_SMTP_USER", "digest"},
            {"INIT_SMTP_PASSWORD", "hunter2-not-real"}};
  }
  ProcessResult run(std::vector<std::string> args) const {
    return testing::run_process(ARXIV_DIGEST_BINARY, args, env(), dir_.path());
  }
  testing::TempDir dir_;
};

// Every flag combination the README documents: init --yes writes a file `config check` accepts.
TEST_F(InitTest, EveryDocumentedFlagCombinationWritesAFileConfigCheckAccepts) {
  const std::vector<std::vector<std::string>> combinations = {
      {"--categories", "cs.LG,cs.AI", "--topic", "diffusion policy"},
      {"--categories", "cs.RO math", "--topic", "world model", "--topic", "grasping",
       "--out", "digests", "--formats", "text,html,atom", "--timezone", "Europe/Berlin"},
      {"--categories", "cs.CL", "--topic", "translation", "--translate", "openai", "--model",
       "deepseek-chat", "--base-url", "https://api.deepseek.com", "--key-env", "INIT_TEST_KEY"},
      {"--categories", "cs.CL", "--topic", "translation", "--translate", "deepl", "--key-env",
       "INIT_TEST_KEY"},
      {"--categories", "cs.CL", "--topic", "translation", "--translate", "libretranslate",
       "--base-url", "http://127.0.0.1:5000", "--key-env", "none"},
      {"--categories", "cs.LG", "--topic", "bandits", "--email", "ana@example.org"},
      {"--categories", "cs.LG", "--topic", "bandits", "--email", "ana@example.org", "--smtp-url",
       "smtps://mail.example.org:465", "--from", "digest@example.org", "--smtp-user-env",
       "INIT_SMTP_USER", "--smtp-password-env", "INIT_SMTP_PASSWORD"},
      {"--categories", "cs.LG", "--topic", "bandits", "--email", "ana@example.org", "--smtp-url",
       "smtp://mail.example.org:587"},
  };
  int n = 0;
  for (const auto& flags : combinations) {
    const fs::path path = dir_ / ("c" + std::to_string(n++) + ".toml");
    std::vector<std::string> args = {"init", "--yes", "--config", path.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    const ProcessResult init = run(args);
    ASSERT_EQ(init.exit_code, kExitOk) << ::testing::PrintToString(flags) << init.err;
    EXPECT_NE(init.out.find("wrote " + path.string()), std::string::npos) << init.out;
    const ProcessResult check = run({"config", "check", "--config", path.string()});
    EXPECT_EQ(check.exit_code, kExitOk) << ::testing::PrintToString(flags) << check.err
                                        << testing::read_file(path);
    const std::string text = testing::read_file(path);
    // Commented, and no secret in it: the variables are named, their values never written.
    EXPECT_NE(text.find("# "), std::string::npos);
    EXPECT_EQ(text.find("sk-init-test"), std::string::npos);
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
  }
}

TEST_F(InitTest, TheFileSaysWhatWasAskedFor) {
  const fs::path path = dir_ / "c.toml";
  std::istringstream no_input;
  std::ostringstream out, err;
  InitOptions o;
  o.yes = true;
  o.config_path = path.string();
  o.categories = "cs.LG, cs.AI";
  o.topics = {"diffusion policy", "\"flow matching\" -survey"};
  o.translate = "openai";
  o.key_env = "INIT_TEST_KEY";
  o.email = "ana@example.org";
  o.out_dir = "rel/out";
  ASSERT_EQ(command_init(o, no_input, out, err), kExitOk) << err.str();
  const std::string text = testing::read_file(path);
  EXPECT_NE(text.find("#   cs.LG (Machine Learning)"), std::string::npos) << text;
  EXPECT_NE(text.find("api_key_env = \"INIT_TEST_KEY\""), std::string::npos) << text;
  const Config c = load_config(path);
  EXPECT_EQ(c.arxiv.categories, (std::vector<std::string>{"cs.LG", "cs.AI"}));
  ASSERT_EQ(c.topics.size(), 2u);
  EXPECT_EQ(c.topics[1].name, "\"flow matching\" -survey");  // TOML-escaped and read back
  EXPECT_EQ(c.translate.provider, "openai");
  EXPECT_EQ(c.translate.model, "gpt-4o-mini");
  EXPECT_TRUE(c.email.present);
  EXPECT_EQ(c.email.to, (std::vector<std::string>{"ana@example.org"}));
  EXPECT_EQ(c.email.smtp_url, "smtp://localhost:25");
  EXPECT_FALSE(c.email.starttls);  // a local relay
  EXPECT_EQ(c.arxiv.contact, "ana@example.org");
  // A relative --out is meant from the working folder, not from the file's.
  EXPECT_EQ(c.output.dir, (fs::current_path() / "rel/out").lexically_normal());
  EXPECT_EQ(err.str(), "");
}

TEST_F(InitTest, AnswersComeFromStdinOneALineAndWrongOnesAreAskedAgain) {
  const fs::path path = dir_ / "asked.toml";
  InitOptions o;
  o.config_path = path.string();
  // categories (a typo first, then a listing request), two topics, no translation, the
  // defaults for output, formats and zone, an e-mail address, then its server and so on.
  std::istringstream in(
      "cs.LGG\n"
      "cs.R?\n"
      "cs.LG cs.RO\n"
      "reinforcement learning\n"
      "world model\n"
      "\n"
      "deeppl\n"
      "none\n"
      "\n"
      "text,pdf\n"
      "text,html\n"
      "Mars/Olympus\n"
      "UTC\n"
      "not-an-address\n"
      "bo@example.org\n"
      "smtp://user:pw@mail.example.org\n"
      "smtp://mail.example.org:587\n"
      "\n"
      "none\n");
  std::ostringstream out, err;
  ASSERT_EQ(command_init(o, in, out, err), kExitOk) << err.str() << out.str();
  const std::string said = out.str();
  EXPECT_NE(said.find("unknown arXiv category 'cs.LGG'; did you mean cs.LG (Machine Learning)?"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("    cs.RO "), std::string::npos) << said;
  EXPECT_NE(said.find("Robotics"), std::string::npos) << said;
  EXPECT_NE(said.find("'deeppl': expected openai, deepl, libretranslate or none"), std::string::npos);
  EXPECT_NE(said.find("unknown format 'pdf'"), std::string::npos);
  EXPECT_NE(said.find("'Mars/Olympus' is not a time zone"), std::string::npos);
  EXPECT_NE(said.find("'not-an-address' is not an e-mail address"), std::string::npos);
  EXPECT_EQ(said.find("pw@"), std::string::npos) << "a URL with credentials is not repeated";
  const Config c = load_config(path);
  EXPECT_EQ(c.arxiv.categories, (std::vector<std::string>{"cs.LG", "cs.RO"}));
  ASSERT_EQ(c.topics.size(), 2u);
  EXPECT_EQ(c.topics[1].name, "world model");
  EXPECT_EQ(c.translate.provider, "none");
  EXPECT_EQ(c.output.formats, (std::vector<std::string>{"text", "html"}));
  EXPECT_EQ(c.output.timezone, "UTC");
  EXPECT_EQ(c.email.smtp_url, "smtp://mail.example.org:587");
  EXPECT_TRUE(c.email.starttls);  // a remote server: TLS required
  EXPECT_EQ(c.email.from, "bo@example.org");
}

TEST_F(InitTest, TheEndOfInputBeforeARequiredAnswerWritesNothing) {
  const fs::path path = dir_ / "none.toml";
  InitOptions o;
  o.config_path = path.string();
  std::istringstream in("cs.LG\n");  // no topic
  std::ostringstream out, err;
  EXPECT_EQ(command_init(o, in, out, err), kExitUsage);
  EXPECT_NE(err.str().find("end of input"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("--topic"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(InitTest, RefusedFlagsAndAnExistingFileAreUsageErrorsAndChangeNothing) {
  const fs::path path = dir_ / "config-home" / "arxiv-digest" / "config.toml";
  // No --config: the XDG path.
  ProcessResult r = run({"init", "--yes", "--categories", "cs.LG", "--topic", "bandits"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string first = testing::read_file(path);

  r = run({"init", "--yes", "--categories", "cs.LG", "--topic", "other"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("already exists; pass --force"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(path), first);

  r = run({"init", "--yes", "--force", "--categories", "cs.LGG", "--topic", "other"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("--categories: unknown arXiv category 'cs.LGG'; did you mean cs.LG"),
            std::string::npos)
      << r.err;
  r = run({"init", "--yes", "--force", "--topic", "other"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("--categories is required with --yes"), std::string::npos) << r.err;
  r = run({"init", "--yes", "--force", "--categories", "cs.LG"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("at least one --topic"), std::string::npos) << r.err;
  r = run({"init", "--yes", "--force", "--categories", "cs.LG", "--topic", "x", "--translate",
           "openai", "--key-env", "sk-abc123"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("never paste the key itself"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(path), first);
  // No temporary file left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path.parent_path())) ++files;
  EXPECT_EQ(files, 1u);

  r = run({"init", "--yes", "--force", "--categories", "cs.LG", "--topic", "other"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(testing::read_file(path), first);
}

// --check-key: one tiny request through the real backend, against the local fake.
TEST_F(InitTest, CheckKeySendsOneTinyRequestAndAFailureStillWritesTheFile) {
  testing::TranslationServer backend;
  const std::vector<std::string> common = {
      "init",       "--yes",          "--categories", "cs.CL",  "--topic", "translation",
      "--translate", "openai",        "--model",      "deepseek-chat", "--base-url",
      backend.base_url() + "/v1",     "--key-env",    "INIT_TEST_KEY",  "--check-key"};
  std::vector<std::string> args = common;
  args.insert(args.end(), {"--config", (dir_ / "ok.toml").string()});
  ProcessResult r = run(args);
  ASSERT_EQ(r.exit_code, kExitOk) << r.err << r.out;
  EXPECT_NE(r.out.find(": ok ("), std::string::npos) << r.out;
  EXPECT_EQ(backend.request_count(), 1u);
  ASSERT_EQ(backend.auth_headers().size(), 1u);
  EXPECT_NE(backend.auth_headers()[0].find("sk-init-test-not-a-real-key"), std::string::npos);

  backend.inject(testing::TranslationFault::kUnauthorized);
  args = common;
  args.insert(args.end(), {"--config", (dir_ / "rejected.toml").string()});
  r = run(args);
  EXPECT_EQ(r.exit_code, kExitTranslation) << r.err << r.out;
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("sk-init-test"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "rejected.toml"));
}

// The optional key check is the last question: input ending before it means no check.
TEST_F(InitTest, AnUnansweredKeyCheckIsANo) {
  const fs::path path = dir_ / "openai.toml";
  InitOptions o;
  o.config_path = path.string();
  std::istringstream in("cs.LG\nbandits\n\nopenai\n\n\nINIT_TEST_KEY\n\n\n\nnone\n");
  std::ostringstream out, err;
  ASSERT_EQ(command_init(o, in, out, err), kExitOk) << err.str() << out.str();
  EXPECT_NE(out.str().find("Check the key now"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("translate (openai"), std::string::npos) << "no request was made";
  const Config c = load_config(path);
  EXPECT_EQ(c.translate.provider, "openai");
  EXPECT_EQ(c.translate.model, "gpt-4o-mini");
  EXPECT_EQ(c.translate.api_key_env, "INIT_TEST_KEY");
  EXPECT_EQ(c.translate.base_url, "");
}

// README "First run: init": the piped answers it shows work as they are.
TEST_F(InitTest, TheReadmesPipedAnswersWork) {
  const std::string readme = testing::read_file(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  const std::size_t at = readme.find("`printf '");
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = at + 9;
  const std::string escaped = readme.substr(begin, readme.find("' | arxiv-digest init`", begin) - begin);
  std::string answers;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped.compare(i, 2, "\\n") == 0) {
      answers += '\n';
      ++i;
    } else {
      answers += escaped[i];
    }
  }
  InitOptions o;
  o.config_path = (dir_ / "piped.toml").string();
  std::istringstream in(answers);
  std::ostringstream out, err;
  ASSERT_EQ(command_init(o, in, out, err), kExitOk) << err.str() << out.str();
  EXPECT_EQ(in.peek(), std::char_traits<char>::eof()) << "every answer was used";
  const Config c = load_config(dir_ / "piped.toml");
  EXPECT_EQ(c.arxiv.categories, (std::vector<std::string>{"cs.LG"}));
  EXPECT_FALSE(c.email.present);
}

// README "Commands": each row of the commands this branch adds names exactly the command's flags.
TEST_F(InitTest, TheCommandsTableRowsNameEveryFlagAndOnlyThose) {
  const std::string readme = testing::read_file(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  const auto flags_in = [](std::string_view text) {
    std::set<std::string> flags;
    for (std::size_t at = text.find("--"); at != std::string_view::npos; at = text.find("--", at + 2)) {
      std::size_t end = at + 2;
      while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '-'))
        ++end;
      if (end > at + 2) flags.insert(std::string(text.substr(at, end - at)));
      at = end - 2;
    }
    flags.erase("--help");
    flags.erase("--version");
    return flags;
  };
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"init"}, {"doctor"}, {"config", "check"}}) {
    std::string head = "| `arxiv-digest";
    for (const auto& word : command) head += " " + word;
    const std::size_t row = readme.find(head + " [");
    ASSERT_NE(row, std::string::npos) << head;
    const std::size_t cell_end = readme.find("` |", row);
    const std::set<std::string> documented = flags_in(std::string_view(readme).substr(row, cell_end - row));
    std::vector<std::string> args = command;
    args.push_back("--help");
    const ProcessResult help = run(args);
    ASSERT_EQ(help.exit_code, kExitOk);
    std::set<std::string> offered = flags_in(help.out);
    EXPECT_EQ(documented, offered) << head;
  }
}

}  // namespace
}  // namespace arxiv_digest
