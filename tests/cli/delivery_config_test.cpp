// [email], [[webhooks]], [[subscribers]] and [delivery] (cli/delivery_config.hpp): every key read,
// every cross-check refused with file:line:column, no secret ever quoted.
#include <gtest/gtest.h>

#include "cli/config.hpp"
#include "core/error.hpp"

namespace arxiv_digest {
namespace {

const std::string kBase =
    "[arxiv]\ncategories = [\"cs.LG\"]\n[[topics]]\nname = \"rl\"\nquery = \"\\\"reinforcement "
    "learning\\\"\"\n[[topics]]\nname = \"diffusion\"\n";
const std::string kEmail =
    "[email]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"arXiv digest <digest@example.org>\"\n";

Config parse(const std::string& text) { return parse_config(kBase + text, "test.toml", "/tmp"); }

std::string error_of(const std::string& text) {
  try {
    (void)parse(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DeliveryConfig, NothingConfiguredMeansNoChannel) {
  const Config c = parse("");
  EXPECT_FALSE(c.email.present);
  EXPECT_TRUE(c.webhooks.empty());
  EXPECT_TRUE(c.subscribers.empty());
  EXPECT_TRUE(c.delivery.send_empty);
  EXPECT_FALSE(c.delivery.notify_no_announcement);
}

TEST(DeliveryConfig, EveryKeyIsRead) {
  const Config c = parse(
      kEmail +
      "to = [\"ana@example.org\", \"bo@example.org\", \"ana@example.org\"]\n"
      "username_env = \"SMTP_USER\"\npassword_env = \"SMTP_PASSWORD\"\nstarttls = false\n"
      "subject = \"arXiv {date}: {count}\"\nlist_id = \"digest.example.org\"\ntimeout_s = 20\n"
      "[delivery]\non_empty = \"silent\"\non_no_announcement = \"notify\"\n"
      "[[webhooks]]\nname = \"lab-feishu\"\nkind = \"feishu\"\n"
      "url = \"https://open.feishu.cn/open-apis/bot/v2/hook/abc\"\nsecret_env = \"FEISHU_SECRET\"\n"
      "[[webhooks]]\nname = \"tg\"\nkind = \"telegram\"\nurl_env = \"TG_URL\"\nchat_id = \"-100\"\n"
      "timeout_s = 5\nabstracts = true\nmin_interval_s = 1.5\n"
      "[[subscribers]]\nname = \"ana\"\ntopics = [\"rl\"]\nemail = [\"ana@example.org\"]\n"
      "webhooks = [\"lab-feishu\"]\non_empty = \"send\"\non_no_announcement = \"silent\"\n");
  EXPECT_TRUE(c.email.present);
  EXPECT_EQ(c.email.smtp_url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(c.email.from, "arXiv digest <digest@example.org>");
  EXPECT_EQ(c.email.to, (std::vector<std::string>{"ana@example.org", "bo@example.org"}));
  EXPECT_EQ(c.email.username_env, "SMTP_USER");
  EXPECT_EQ(c.email.password_env, "SMTP_PASSWORD");
  EXPECT_FALSE(c.email.starttls);
  EXPECT_EQ(c.email.subject, "arXiv {date}: {count}");
  EXPECT_EQ(c.email.list_id, "digest.example.org");
  EXPECT_EQ(c.email.timeout_s, 20);
  EXPECT_FALSE(c.delivery.send_empty);
  EXPECT_TRUE(c.delivery.notify_no_announcement);
  ASSERT_EQ(c.webhooks.size(), 2u);
  EXPECT_EQ(c.webhooks[0].kind, "feishu");
  EXPECT_EQ(c.webhooks[0].secret_env, "FEISHU_SECRET");
  EXPECT_EQ(c.webhooks[1].url_env, "TG_URL");
  EXPECT_EQ(c.webhooks[1].chat_id, "-100");
  EXPECT_EQ(c.webhooks[1].timeout_s, 5);
  EXPECT_EQ(c.webhooks[1].abstracts, true);
  EXPECT_EQ(c.webhooks[1].min_interval_s, 1.5);
  EXPECT_FALSE(c.webhooks[0].abstracts);
  ASSERT_EQ(c.subscribers.size(), 1u);
  EXPECT_EQ(c.subscribers[0].topics, (std::vector<std::string>{"rl"}));
  EXPECT_EQ(c.subscribers[0].webhooks, (std::vector<std::string>{"lab-feishu"}));
  EXPECT_EQ(c.subscribers[0].send_empty, true);
  EXPECT_EQ(c.subscribers[0].notify_no_announcement, false);
}

TEST(DeliveryConfig, MistakesAreNamedWithTheirPosition) {
  const auto expect = [](const std::string& text, const std::string& part) {
    const std::string e = error_of(text);
    EXPECT_NE(e.find(part), std::string::npos) << "for:\n" << text << "\ngot: " << e;
    EXPECT_NE(e.find("test.toml:"), std::string::npos) << e;
  };
  expect("[email]\nfrom = \"a@b.org\"\n", "'smtp_url' is required");
  expect("[email]\nsmtp_url = \"http://x\"\nfrom = \"a@b.org\"\n", "smtp:// (STARTTLS) or smtps://");
  expect("[email]\nsmtp_url = \"smtp://u:p@x\"\nfrom = \"a@b.org\"\n", "must not carry credentials");
  expect(kEmail + "to = [\"ana\"]\n", "'ana' is not an email address");
  expect(kEmail + "to = [\"a@b.org\\r\\nBcc: x@y.org\"]\n", "is not an email address");
  expect(kEmail + "username_env = \"U\"\n", "'username_env' needs 'password_env'");
  expect(kEmail + "subject = \"a\\nBcc: x\"\n", "'subject' must be one line");
  expect("[delivery]\non_empty = \"maybe\"\n", "'on_empty' = 'maybe' is not one of: send, silent");
  expect("[delivery]\non_no_announcement = \"mail\"\n",
         "'on_no_announcement' = 'mail' is not one of: silent, notify");
  expect("[[webhooks]]\nname = \"x\"\nkind = \"wechat\"\nurl = \"https://h/\"\n",
         "'kind' = 'wechat' is not one of");
  expect("[[webhooks]]\nname = \"x\"\nkind = \"slack\"\n", "set either 'url' or 'url_env'");
  expect("[[webhooks]]\nname = \"x\"\nkind = \"telegram\"\nurl = \"https://h/\"\n",
         "'chat_id' is required");
  expect("[[webhooks]]\nname = \"x\"\nkind = \"slack\"\nurl = \"https://h/\"\nsecret_env = \"S\"\n",
         "slack webhooks are not signed");
  expect("[[webhooks]]\nname = \"x\"\nkind = \"slack\"\nurl = \"https://h/\"\n"
         "[[webhooks]]\nname = \"x\"\nkind = \"slack\"\nurl = \"https://h/\"\n",
         "webhook 'x' is defined twice");
  expect("[[subscribers]]\nname = \"ana\"\n", "subscriber 'ana' has no channel");
  expect("[[subscribers]]\nname = \"ana\"\nemail = [\"a@b.org\"]\n", "need an [email] table");
  expect(kEmail + "[[subscribers]]\nname = \"ana\"\nemail = [\"a@b.org\"]\ntopics = [\"robotics\"]\n",
         "no [[topics]] entry is named 'robotics'");
  expect("[[subscribers]]\nname = \"ana\"\nwebhooks = [\"lab\"]\n",
         "no [[webhooks]] entry is named 'lab'");
  expect(kEmail + "[[subscribers]]\nname = \"a\"\nemail = [\"a@b.org\"]\n"
                  "[[subscribers]]\nname = \"a\"\nemail = [\"a@b.org\"]\n",
         "subscriber 'a' is defined twice");
  expect(kEmail + "[[subscribers]]\nname = \"a\"\nemail = [\"a@b.org\"]\nchannels = []\n",
         "unknown key 'channels'");
}

TEST(DeliveryConfig, SecretsInTheFileAreRefusedWithoutBeingQuoted) {
  const std::string password = error_of(kEmail + "password = \"hunter2-secret\"\n");
  EXPECT_NE(password.find("password_env"), std::string::npos) << password;
  EXPECT_EQ(password.find("hunter2-secret"), std::string::npos) << password;
  const std::string pasted = error_of(kEmail + "password_env = \"hunter2 secret\"\n");
  EXPECT_NE(pasted.find("must name an environment variable"), std::string::npos) << pasted;
  EXPECT_EQ(pasted.find("hunter2"), std::string::npos) << pasted;
  const std::string secret = error_of(
      "[[webhooks]]\nname = \"x\"\nkind = \"dingtalk\"\nurl = \"https://h/\"\nsecret = \"SEC123\"\n");
  EXPECT_NE(secret.find("secret_env"), std::string::npos) << secret;
  EXPECT_EQ(secret.find("SEC123"), std::string::npos) << secret;
  const std::string url = error_of(
      "[[webhooks]]\nname = \"x\"\nkind = \"slack\"\nurl = \"hooks.slack.com/T0/B0/tok3n\"\n");
  EXPECT_NE(url.find("http or https URL"), std::string::npos) << url;
  EXPECT_EQ(url.find("tok3n"), std::string::npos) << url;
}

}  // namespace
}  // namespace arxiv_digest
