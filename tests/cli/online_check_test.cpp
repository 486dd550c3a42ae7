// `config check --online`: each configured endpoint reached once, against servers on 127.0.0.1
// (the fixture server as arXiv, the translation server speaking the real backends' protocols,
// OpenSMTPD), for success and failure of each; no secret printed, nothing sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/app.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/smtp_server.hpp"
#include "support/test_support.hpp"
#include "support/translation_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

constexpr const char* kKey = "sk-online-check-not-a-real-key";

class OnlineCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feeds_.mount("/rss/", testing::kSampleDay / "rss",
                 {"application/rss+xml; charset=utf-8", true, true});
  }
  // The sample day's categories from `rss_url`, translated by the local server, plus `extra`.
  ProcessResult check(const std::string& rss_url, const std::string& extra) const {
    const fs::path config = dir_ / "config.toml";
    testing::write_file(
        config, "[arxiv]\ncategories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                "rss_url = \"" + rss_url + "\"\n[[topics]]\nname = \"robot\"\n"
                "[store]\npath = \"archive.sqlite\"\n"
                "[translate]\nprovider = \"openai\"\nmodel = \"deepseek-chat\"\nbase_url = \"" +
                    backend_.base_url() + "/v1\"\napi_key_env = \"ONLINE_TEST_KEY\"\n" + extra);
    return testing::run_process(ARXIV_DIGEST_BINARY,
                                {"config", "check", "--online", "--config", config.string()},
                                {{"XDG_CACHE_HOME", (dir_ / "cache").string()},
                                 {"ONLINE_TEST_KEY", kKey},
                                 {"ONLINE_SMTP_USER", "digest"},
                                 {"ONLINE_SMTP_PASSWORD", kKey}},
                                dir_.path());
  }
  static void has(const std::string& out, const std::string& text) {
    EXPECT_NE(out.find(text), std::string::npos) << "missing: " << text << "\n" << out;
  }
  testing::TempDir dir_;
  testing::FixtureServer feeds_;
  testing::TranslationServer backend_;
};

TEST_F(OnlineCheckTest, EachEndpointOnceOkAndWebhooksAreNotContacted) {
  const ProcessResult r = check(feeds_.url("/rss/") + "?token=feed-secret",
                                "[[webhooks]]\nname = \"lab\"\nkind = \"slack\"\n"
                                "url = \"" + feeds_.url("/hook") + "\"\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err << r.out;
  has(r.out, ": OK\n");
  has(r.out, "online:\n  arxiv (rss " + feeds_.url(testing::kSampleDayFeedPath) + "?…): ok (");
  has(r.out, "  translate (openai " + backend_.base_url() + "/v1): ok (");
  has(r.out, "  webhook lab (slack): not contacted: ");
  EXPECT_EQ(feeds_.request_count(testing::kSampleDayFeedPath), 1u);
  EXPECT_EQ(feeds_.request_count("/hook"), 0u);
  EXPECT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(r.out.find("feed-secret"), std::string::npos) << "a URL's query is not shown";
  EXPECT_EQ(r.out.find(kKey), std::string::npos);
  EXPECT_EQ(r.err.find(kKey), std::string::npos);
}

TEST_F(OnlineCheckTest, EveryFailureIsNamedAndTheExitCodeIsTheNetworksOne) {
  backend_.inject(testing::TranslationFault::kUnauthorized);
  const int closed = testing::SmtpServer::free_port();
  const ProcessResult r =
      check(feeds_.url("/nothing-here/"),
            "[email]\nsmtp_url = \"smtp://127.0.0.1:" + std::to_string(closed) +
                "\"\nfrom = \"digest@example.org\"\nto = [\"ana@example.org\"]\n"
                "starttls = false\nusername_env = \"ONLINE_SMTP_USER\"\n"
                "password_env = \"ONLINE_SMTP_PASSWORD\"\ntimeout_s = 5\n");
  EXPECT_EQ(r.exit_code, kExitNetwork) << r.err << r.out;
  has(r.out, "  arxiv (rss " + feeds_.url("/nothing-here/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO") +
                 "): FAILED: HTTP 404\n");
  has(r.out, "  translate (openai " + backend_.base_url() + "/v1): FAILED: ");
  has(r.out, "answered HTTP 401 (not authorised)");
  has(r.out, "  smtp (127.0.0.1:" + std::to_string(closed) + "): FAILED: SMTP server 127.0.0.1:" +
                 std::to_string(closed) + ": cannot connect");
  EXPECT_EQ(r.out.find(kKey), std::string::npos);
  EXPECT_EQ(r.err.find(kKey), std::string::npos);
}

TEST_F(OnlineCheckTest, SmtpSessionWithoutAMessage) {
  if (auto why = testing::SmtpServer::unavailable_reason()) GTEST_SKIP() << *why;
  testing::SmtpServer smtp;
  const ProcessResult r =
      check(feeds_.url("/rss/"), "[email]\nsmtp_url = \"" + smtp.url() +
                                     "\"\nfrom = \"digest@example.org\"\nto = [\"ana@example.org\"]\n"
                                     "starttls = false\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err << r.out;
  has(r.out, "  smtp (127.0.0.1:" + std::to_string(smtp.port()) + "): ok (");
  EXPECT_TRUE(smtp.mail_for("ana@example.org").empty()) << "nothing is sent";
}

}  // namespace
}  // namespace arxiv_digest
