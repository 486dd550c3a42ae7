// End-to-end delivery: the real arxiv-digest binary runs the sample day (examples/sample-day, real
// arXiv records, served on 127.0.0.1) and delivers it to local fakes of the IM webhook services
// (tests/support/webhook_server.hpp: each checks its service's documented payload shape, size
// limit and signature). A second run sends nothing; a failed channel is the only one retried.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"
#include "support/smtp_server.hpp"
#include "support/webhook_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::WebhookServer;
using testing::WebhookService;

constexpr const char* kSecret = "whsec-5e7a0b";
constexpr const char* kToken = "tok-3f9a1c";

std::size_t count_for(const std::vector<testing::ReceivedWebhook>& got, WebhookService service) {
  return static_cast<std::size_t>(std::count_if(
      got.begin(), got.end(), [&](const auto& r) { return r.service == service; }));
}

class DeliveryRunTest : public ::testing::Test {
 protected:
  DeliveryRunTest() : webhooks_(make_options()) {
    server_.mount("/rss/", testing::kSampleDay / "rss",
                  {"application/rss+xml; charset=utf-8", true, true});
  }

  static testing::WebhookServerOptions make_options() {
    testing::WebhookServerOptions o;
    o.token = kToken;
    o.secret = kSecret;
    return o;
  }

  std::string webhook(const std::string& name, const std::string& kind, WebhookService service,
                      const std::string& extra = "") const {
    // No spacing between messages: the services' rate limits are tested on a fake clock in
    // tests/deliver; here they would only make the test sleep.
    std::string url = webhooks_.url(service);
    return "[[webhooks]]\nname = \"" + name + "\"\nkind = \"" + kind + "\"\nurl = \"" + url +
           "\"\nmin_interval_s = 0\n" + extra;
  }

  // Every service, the signed ones with their secret from the environment.
  std::string all_webhooks() const {
    return webhook("lab-feishu", "feishu", WebhookService::kFeishu, "secret_env = \"WH_SECRET\"\n") +
           webhook("lab-dingtalk", "dingtalk", WebhookService::kDingTalk,
                   "secret_env = \"WH_SECRET\"\n") +
           webhook("lab-wecom", "wecom", WebhookService::kWeCom) +
           webhook("lab-slack", "slack", WebhookService::kSlack) +
           webhook("lab-discord", "discord", WebhookService::kDiscord) +
           webhook("lab-telegram", "telegram", WebhookService::kTelegram,
                   "chat_id = \"-1001234567890\"\n") +
           webhook("archive-hook", "generic", WebhookService::kGeneric,
                   "secret_env = \"WH_SECRET\"\n");
  }

  fs::path write_config(const std::string& delivery, const std::string& output_extra = "") {
    fs::path path = dir_ / "config.toml";
    std::ofstream(path) << "[arxiv]\n"
                        << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "rss_url = \"" << server_.url("/rss/") << "\"\n"
                        << "[[topics]]\nname = \"reinforcement learning\"\n"
                        << "[[topics]]\nname = \"diffusion policy\"\n"
                        << "[output]\ndir = \"out\"\n"
                        << output_extra
                        << "[store]\npath = \"archive.sqlite\"\n"
                        << delivery;
    return path;
  }

  ProcessResult run(const std::string& delivery, std::vector<std::string> more = {},
                    std::optional<std::string> secret = kSecret) {
    std::vector<std::string> args = {"run", "--config", write_config(delivery).string(), "--date",
                                     "2026-06-18"};
    args.insert(args.end(), more.begin(), more.end());
    const std::map<std::string, std::optional<std::string>> env = {
        {"XDG_CACHE_HOME", (dir_ / "cache").string()},
        {"XDG_DATA_HOME", (dir_ / "data-home").string()},
        {"SOURCE_DATE_EPOCH", testing::kSeedEpoch},
        {"WH_SECRET", secret},
    };
    return testing::run_process(ARXIV_DIGEST_BINARY, args, env, dir_.path());
  }

  std::vector<DeliveryRecord> log() {
    SqliteArchive archive(dir_ / "archive.sqlite");
    return archive.deliveries_for(*parse_date("2026-06-18"));
  }

  testing::TempDir dir_;
  testing::FixtureServer server_;
  WebhookServer webhooks_;
};

TEST_F(DeliveryRunTest, EveryWebhookGetsTheDayOnceAndAReRunSendsNothingUnlessResend) {
  const ProcessResult first = run(all_webhooks());
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  const auto got = webhooks_.received();
  for (const auto& r : got) EXPECT_TRUE(r.accepted) << r.rejection << "\n" << r.body.substr(0, 300);
  for (WebhookService s :
       {WebhookService::kFeishu, WebhookService::kDingTalk, WebhookService::kWeCom,
        WebhookService::kSlack, WebhookService::kDiscord, WebhookService::kTelegram,
        WebhookService::kGeneric})
    EXPECT_GE(count_for(got, s), 1u) << static_cast<int>(s);
  // The generic hook carries the digest's JSON: the 30 papers of the sample day.
  const auto generic = std::find_if(got.begin(), got.end(), [](const auto& r) {
    return r.service == WebhookService::kGeneric;
  });
  ASSERT_NE(generic, got.end());
  const auto json = nlohmann::json::parse(generic->body);
  EXPECT_EQ(json["papers"].size(), 30u);
  // Each paper of the day is in the Slack messages once (title and abs link).
  std::string slack;
  for (const auto& r : got)
    if (r.service == WebhookService::kSlack) slack += r.visible;
  EXPECT_NE(slack.find("https://arxiv.org/abs/2606.18284"), std::string::npos);
  // The secret and the token are never printed.
  EXPECT_EQ(first.err.find(kSecret), std::string::npos) << first.err;
  EXPECT_EQ(first.err.find(kToken), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("webhook:lab-feishu: sent"), std::string::npos) << first.err;
  const auto rows = log();
  ASSERT_EQ(rows.size(), 7u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, DeliveryStatus::kSent) << row.channel << ": " << row.detail;
    EXPECT_EQ(row.detail.find(kToken), std::string::npos) << row.detail;
  }

  webhooks_.clear_records();
  const ProcessResult second = run(all_webhooks());
  ASSERT_EQ(second.exit_code, kExitOk) << second.err;
  EXPECT_TRUE(webhooks_.received().empty());
  EXPECT_NE(second.err.find("webhook:lab-slack: already sent"), std::string::npos) << second.err;

  const ProcessResult forced = run(all_webhooks(), {"--resend"});
  ASSERT_EQ(forced.exit_code, kExitOk) << forced.err;
  EXPECT_EQ(webhooks_.received().size(), got.size());
}

TEST_F(DeliveryRunTest, ARefusedWebhookExitsElevenTheOthersDeliverAndOnlyItIsRetried) {
  // The Slack hook's token is wrong: Slack answers 403 invalid_token, which no retry fixes.
  std::string broken = webhook("lab-feishu", "feishu", WebhookService::kFeishu,
                               "secret_env = \"WH_SECRET\"\n");
  std::string slack_url = webhooks_.url(WebhookService::kSlack);
  slack_url.replace(slack_url.find(kToken), std::string(kToken).size(), "tok-wrong");
  broken += "[[webhooks]]\nname = \"lab-slack\"\nkind = \"slack\"\nurl = \"" + slack_url + "\"\n";
  const ProcessResult first = run(broken);
  EXPECT_EQ(first.exit_code, kExitDelivery) << first.err;
  EXPECT_NE(first.err.find("webhook:lab-slack"), std::string::npos) << first.err;
  EXPECT_EQ(first.err.find("tok-wrong"), std::string::npos) << first.err;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "2026-06-18.txt"));  // the outputs are written
  EXPECT_GE(count_for(webhooks_.accepted(), WebhookService::kFeishu), 1u);

  webhooks_.clear_records();
  const std::string fixed = webhook("lab-feishu", "feishu", WebhookService::kFeishu,
                                    "secret_env = \"WH_SECRET\"\n") +
                            webhook("lab-slack", "slack", WebhookService::kSlack);
  const ProcessResult second = run(fixed);
  EXPECT_EQ(second.exit_code, kExitOk) << second.err;
  const auto got = webhooks_.received();
  EXPECT_EQ(count_for(got, WebhookService::kFeishu), 0u);  // not sent twice
  EXPECT_GE(count_for(got, WebhookService::kSlack), 1u);
  for (const auto& row : log()) EXPECT_EQ(row.status, DeliveryStatus::kSent) << row.channel;
}

TEST_F(DeliveryRunTest, ASubscriberGetsOnlyItsTopicsAndSilenceWhenItHasNoPaper) {
  const std::string config =
      webhook("rl-hook", "generic", WebhookService::kGeneric, "secret_env = \"WH_SECRET\"\n") +
      webhook("dp-hook", "discord", WebhookService::kDiscord) +
      "[[subscribers]]\nname = \"rl-group\"\ntopics = [\"reinforcement learning\"]\n"
      "webhooks = [\"rl-hook\"]\n"
      "[[subscribers]]\nname = \"dp-group\"\ntopics = [\"diffusion policy\"]\n"
      "webhooks = [\"dp-hook\"]\non_empty = \"silent\"\n";
  const ProcessResult r = run(config);
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const auto got = webhooks_.accepted();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].service, WebhookService::kGeneric);
  const auto json = nlohmann::json::parse(got[0].body);
  ASSERT_EQ(json["topics"].size(), 1u);
  EXPECT_EQ(json["topics"][0]["name"], "reinforcement learning");
  EXPECT_NE(r.err.find("webhook:dp-hook (dp-group): nothing matched, nothing sent"),
            std::string::npos)
      << r.err;
}

TEST_F(DeliveryRunTest, AnUnsetSecretVariableStopsTheRunBeforeAnyRequest) {
  const ProcessResult r = run(all_webhooks(), {}, std::nullopt);
  EXPECT_EQ(r.exit_code, kExitConfig) << r.err;
  EXPECT_NE(r.err.find("WH_SECRET"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests_for(testing::kSampleDayFeedPath).empty());
  EXPECT_TRUE(webhooks_.received().empty());
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// The "done when": one run on the sample day writes text, Markdown, HTML, JSON and Atom,
// sends the email to a real SMTP server (OpenSMTPD on 127.0.0.1) and posts to every webhook; a
// second run sends nothing.
class EmailRunTest : public DeliveryRunTest {
 protected:
  void SetUp() override {
    if (auto why = testing::SmtpServer::unavailable_reason()) GTEST_SKIP() << *why;
    testing::SmtpServerOptions options;
    options.refused = {"gone@example.org"};
    smtp_.emplace(options);
  }

  std::string email(const std::string& to) const {
    return "[email]\nsmtp_url = \"" + smtp_->url() +
           "\"\nfrom = \"arXiv digest <digest@example.org>\"\nstarttls = false\nto = [" + to +
           "]\n";
  }

  std::optional<testing::SmtpServer> smtp_;
};

TEST_F(EmailRunTest, OneRunWritesEveryFormatMailsEveryReaderPostsEveryWebhookAndNeverTwice) {
  const std::string config =
      email("\"ana@example.org\", \"bo@example.org\"") + all_webhooks() +
      "[[subscribers]]\nname = \"chen\"\ntopics = [\"reinforcement learning\"]\n"
      "email = [\"chen@example.org\"]\n";
  const ProcessResult first = run(config, {"--format", "text,markdown,json,html,atom"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err << smtp_->log();
  for (const char* name : {"2026-06-18.txt", "2026-06-18.md", "2026-06-18.json",
                           "2026-06-18.html", "2026-06-18.atom"})
    EXPECT_TRUE(fs::exists(dir_ / "out" / name)) << name;
  for (const char* reader : {"ana@example.org", "bo@example.org", "chen@example.org"}) {
    const auto mail = smtp_->wait_for_mail(reader, 1);
    ASSERT_EQ(mail.size(), 1u) << reader << "\n" << smtp_->log();
    const std::string& m = mail[0];
    EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << m.substr(0, 800);
    EXPECT_NE(m.find("multipart/alternative"), std::string::npos);
    EXPECT_NE(m.find(std::string("To: ") + reader), std::string::npos) << m.substr(0, 800);
    EXPECT_NE(m.find("Message-ID: <arxiv-digest.2026-06-18."), std::string::npos);
    // Nobody sees the other readers.
    for (const char* other : {"ana@example.org", "bo@example.org", "chen@example.org"}) {
      if (std::string(other) != reader) {
        EXPECT_EQ(m.find(other), std::string::npos) << reader << " sees " << other;
      }
    }
  }
  EXPECT_FALSE(webhooks_.accepted().empty());
  const auto rows = log();
  EXPECT_EQ(rows.size(), 10u);  // 3 readers + 7 webhooks
  for (const auto& row : rows) EXPECT_EQ(row.status, DeliveryStatus::kSent) << row.channel;

  webhooks_.clear_records();
  const ProcessResult second = run(config, {"--format", "text,markdown,json,html,atom"});
  ASSERT_EQ(second.exit_code, kExitOk) << second.err;
  EXPECT_TRUE(webhooks_.received().empty());
  // Give a stray message time to arrive, then check none did.
  EXPECT_EQ(smtp_->wait_for_mail("ana@example.org", 2, std::chrono::milliseconds(1500)).size(), 1u);
  EXPECT_EQ(smtp_->mail_for("chen@example.org").size(), 1u);
}

TEST_F(EmailRunTest, ARefusedRecipientFailsAloneAndIsTheOnlyOneTriedAgain) {
  const std::string config = email("\"ana@example.org\", \"gone@example.org\"");
  const ProcessResult first = run(config);
  EXPECT_EQ(first.exit_code, kExitDelivery) << first.err;
  EXPECT_NE(first.err.find("email:gone@example.org"), std::string::npos) << first.err;
  EXPECT_EQ(smtp_->wait_for_mail("ana@example.org", 1).size(), 1u);
  const ProcessResult second = run(config);
  EXPECT_EQ(second.exit_code, kExitDelivery) << second.err;
  EXPECT_NE(second.err.find("email:ana@example.org: already sent"), std::string::npos)
      << second.err;
  SqliteArchive archive(dir_ / "archive.sqlite");
  const auto gone = archive.find_delivery(*parse_date("2026-06-18"), "", "email:gone@example.org");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, DeliveryStatus::kFailed);
  EXPECT_EQ(gone->attempts, 2);
  EXPECT_EQ(smtp_->mail_for("ana@example.org").size(), 1u);
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// `config check` shows every channel, whether each secret variable is set (never its value), and
// refuses, like `run`, an unset one or a user template that does not parse.
TEST_F(DeliveryRunTest, ConfigCheckShowsTheChannelsAndRefusesWhatRunWouldRefuse) {
  const fs::path config = write_config(all_webhooks() +
                                       "[[subscribers]]\nname = \"rl-group\"\ntopics = "
                                       "[\"reinforcement learning\"]\nwebhooks = [\"lab-slack\"]\n");
  const auto check = [&](std::optional<std::string> secret) {
    return testing::run_process(ARXIV_DIGEST_BINARY, {"config", "check", "--config", config.string()},
                                {{"WH_SECRET", secret}}, dir_.path());
  };
  const ProcessResult ok = check(kSecret);
  ASSERT_EQ(ok.exit_code, kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("webhook lab-feishu: feishu, signed with WH_SECRET (set)"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("subscriber rl-group: topics reinforcement learning; webhooks lab-slack"),
            std::string::npos)
      << ok.out;
  EXPECT_EQ(ok.out.find(kSecret), std::string::npos);
  EXPECT_EQ(ok.out.find(kToken), std::string::npos) << ok.out;  // URLs are never shown
  const ProcessResult unset = check(std::nullopt);
  EXPECT_EQ(unset.exit_code, kExitConfig);
  EXPECT_NE(unset.err.find("WH_SECRET is not set"), std::string::npos) << unset.err;

  fs::create_directories(dir_ / "templates");
  std::ofstream(dir_ / "templates" / "digest.html.mustache") << "<p>{{#topics}}unclosed</p>\n";
  const fs::path broken = write_config("", "templates_dir = \"templates\"\n");
  const ProcessResult bad = testing::run_process(
      ARXIV_DIGEST_BINARY, {"config", "check", "--config", broken.string()}, {}, dir_.path());
  EXPECT_EQ(bad.exit_code, kExitConfig) << bad.out;
  EXPECT_NE(bad.err.find("digest.html.mustache"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// Killed (SIGKILL) while a webhook request is in flight: the next run sends that channel and the
// ones after it, and nothing that the log recorded as sent. The killed request itself may have
// reached the service: webhooks are at-least-once (README "Delivery").
TEST_F(DeliveryRunTest, AKillDuringDeliverySendsTheRestNextRunAndNothingTwiceThatWasLogged) {
  const std::string config =
      webhook("first", "generic", WebhookService::kGeneric, "secret_env = \"WH_SECRET\"\n") +
      webhook("second", "slack", WebhookService::kSlack) +
      webhook("third", "discord", WebhookService::kDiscord);
  webhooks_.inject(testing::WebhookFault::kNone);   // "first" is answered at once,
  webhooks_.inject(testing::WebhookFault::kStall);  // "second" is held for 5 s: killed meanwhile
  std::vector<std::string> args = {"-s", "KILL", "2", ARXIV_DIGEST_BINARY, "run", "--config",
                                   write_config(config).string(), "--date", "2026-06-18"};
  const ProcessResult killed = testing::run_process(
      "/usr/bin/timeout", args,
      {{"XDG_CACHE_HOME", (dir_ / "cache").string()}, {"SOURCE_DATE_EPOCH", testing::kSeedEpoch},
       {"WH_SECRET", kSecret}},
      dir_.path());
  ASSERT_NE(killed.exit_code, kExitOk) << killed.err;
  std::vector<DeliveryRecord> rows = log();
  ASSERT_EQ(rows.size(), 1u);  // only "first" was logged before the kill
  EXPECT_EQ(rows[0].channel, "webhook:first");
  const std::size_t first_sent = count_for(webhooks_.received(), WebhookService::kGeneric);
  EXPECT_EQ(first_sent, 1u);

  const ProcessResult next = run(config);
  ASSERT_EQ(next.exit_code, kExitOk) << next.err;
  const auto got = webhooks_.received();
  EXPECT_EQ(count_for(got, WebhookService::kGeneric), 1u);  // not sent twice
  EXPECT_GE(count_for(got, WebhookService::kSlack), 1u);
  EXPECT_GE(count_for(got, WebhookService::kDiscord), 1u);
  rows = log();
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_EQ(row.status, DeliveryStatus::kSent) << row.channel;
}

// The SMTP server is down: the email channel fails (transient), the webhook still delivers, the
// run exits 11; once the server is back the next run sends only the email.
TEST_F(EmailRunTest, AnSmtpServerDownFailsOnlyTheEmailAndTheNextRunSendsIt) {
  const std::string down =
      "[email]\nsmtp_url = \"smtp://127.0.0.1:" + std::to_string(testing::SmtpServer::free_port()) +
      "\"\nfrom = \"digest@example.org\"\nstarttls = false\nto = [\"ana@example.org\"]\n" +
      webhook("lab", "discord", WebhookService::kDiscord);
  const ProcessResult first = run(down);
  EXPECT_EQ(first.exit_code, kExitDelivery) << first.err;
  EXPECT_NE(first.err.find("email:ana@example.org"), std::string::npos) << first.err;
  EXPECT_GE(count_for(webhooks_.accepted(), WebhookService::kDiscord), 1u);

  webhooks_.clear_records();
  const ProcessResult second = run(email("\"ana@example.org\"") +
                                   webhook("lab", "discord", WebhookService::kDiscord));
  EXPECT_EQ(second.exit_code, kExitOk) << second.err;
  EXPECT_EQ(smtp_->wait_for_mail("ana@example.org", 1).size(), 1u);
  EXPECT_TRUE(webhooks_.received().empty());
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// [delivery] on_no_announcement = "notify": on a Saturday every channel gets one short notice
// (each service's plain-text message, checked by the fake services; the email through the real
// SMTP server), the run exits 4 as on any day without an announcement, and a re-run sends nothing.
TEST_F(EmailRunTest, ASaturdayNoticeReachesEveryChannelOnce) {
  const std::string config = email("\"ana@example.org\"") + all_webhooks() +
                             "[delivery]\non_no_announcement = \"notify\"\n";
  const std::vector<std::string> saturday = {"run", "--config", write_config(config).string(),
                                             "--date", "2026-06-20"};
  const std::map<std::string, std::optional<std::string>> env = {
      {"XDG_CACHE_HOME", (dir_ / "cache").string()}, {"WH_SECRET", kSecret}};
  const ProcessResult first = testing::run_process(ARXIV_DIGEST_BINARY, saturday, env, dir_.path());
  EXPECT_EQ(first.exit_code, kExitNoAnnouncement) << first.err;
  const auto got = webhooks_.received();
  EXPECT_EQ(got.size(), 7u);
  for (const auto& r : got) {
    EXPECT_TRUE(r.accepted) << r.rejection << "\n" << r.body;
    EXPECT_NE(r.visible.find("(Monday)"), std::string::npos) << r.visible;  // the next listing
  }
  const auto mail = smtp_->wait_for_mail("ana@example.org", 1);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("Subject: arXiv: no announcement for 2026-06-20"), std::string::npos)
      << mail[0].substr(0, 600);
  EXPECT_TRUE(server_.requests().empty());  // the calendar knew: arXiv was not asked

  webhooks_.clear_records();
  const ProcessResult again = testing::run_process(ARXIV_DIGEST_BINARY, saturday, env, dir_.path());
  EXPECT_EQ(again.exit_code, kExitNoAnnouncement) << again.err;
  EXPECT_TRUE(webhooks_.received().empty());
  EXPECT_EQ(smtp_->wait_for_mail("ana@example.org", 2, std::chrono::milliseconds(1000)).size(), 1u);
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// A notice that cannot be sent is a failed delivery (exit 11, the channel named), retried by the
// next run of that date.
TEST_F(DeliveryRunTest, ANoticeThatFailsExitsElevenAndIsRetried) {
  std::string slack_url = webhooks_.url(WebhookService::kSlack);
  slack_url.replace(slack_url.find(kToken), std::string(kToken).size(), "tok-wrong");
  const std::string broken = "[[webhooks]]\nname = \"lab\"\nkind = \"slack\"\nurl = \"" +
                             slack_url + "\"\n[delivery]\non_no_announcement = \"notify\"\n";
  const std::string fixed =
      webhook("lab", "slack", WebhookService::kSlack) + "[delivery]\non_no_announcement = \"notify\"\n";
  const auto saturday = [&](const std::string& config) {
    return testing::run_process(ARXIV_DIGEST_BINARY,
                                {"run", "--config", write_config(config).string(), "--date",
                                 "2026-06-20"},
                                {{"XDG_CACHE_HOME", (dir_ / "cache").string()}}, dir_.path());
  };
  const ProcessResult failed = saturday(broken);
  EXPECT_EQ(failed.exit_code, kExitDelivery) << failed.err;
  EXPECT_NE(failed.err.find("webhook:lab"), std::string::npos) << failed.err;
  EXPECT_EQ(failed.err.find("tok-wrong"), std::string::npos) << failed.err;
  webhooks_.clear_records();
  const ProcessResult retried = saturday(fixed);
  EXPECT_EQ(retried.exit_code, kExitNoAnnouncement) << retried.err;
  EXPECT_EQ(webhooks_.accepted().size(), 1u);
}

}  // namespace
}  // namespace arxiv_digest
