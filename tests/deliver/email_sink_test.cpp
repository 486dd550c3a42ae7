#include "deliver/email_sink.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/env.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "deliver/email_message.hpp"
#include "deliver/mime_parse.hpp"
#include "deliver/tls_smtp_server.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "support/smtp_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::crlf_to_lf;
using testing::EnvVar;
using testing::parse_mail;
using testing::SmtpServer;

constexpr sys_seconds kNow = sys_days{2026y / June / 18} + 12h + 3min + 4s;
const std::string kSubject = "arXiv 每日论文 2026-06-18 · 30 篇";
constexpr std::string_view kPassword = "correct horse battery staple";

const Digest& seed() {
  static const Digest digest = testing::load_seed_digest();
  return digest;
}

RenderedSet seed_set() {
  RenderedSet set;
  set.files.push_back(RenderedFile{Format::kText, render_text(seed()), "", seed().generated_at});
  set.files.push_back(
      RenderedFile{Format::kEmailHtml, render_html_email(seed()), "", seed().generated_at});
  return set;
}

EmailSettings settings_for(std::string url) {
  EmailSettings settings;
  settings.smtp_url = std::move(url);
  settings.from = "arXiv digest <digest@lab.example.org>";
  settings.timeout = seconds(10);
  return settings;
}

// Records what the sink hands to the transport.
class RecordingSender final : public SmtpSender {
 public:
  void send(const SmtpEnvelope& envelope, std::string_view message) override {
    envelopes.push_back(envelope);
    messages.emplace_back(message);
  }
  std::vector<SmtpEnvelope> envelopes;
  std::vector<std::string> messages;
};

std::string expected_id(const std::string& audience, const std::string& recipient) {
  return "<arxiv-digest.2026-06-18." +
         sha256_hex(audience + "\n" + recipient + "\n2026-06-18").substr(0, 16) +
         "@lab.example.org>";
}

// ---- the sink over a recording transport -------------------------------------------------

TEST(EmailSink, NameFormatsAndPublication) {
  RecordingSender sender;
  FakeEnv env(kNow);
  EmailSink sink(settings_for("smtp://127.0.0.1:2525"), "ana@example.org", "lab", sender, env);
  EXPECT_EQ(sink.name(), "email:ana@example.org");
  EXPECT_EQ(sink.formats(), (std::vector<Format>{Format::kText, Format::kEmailHtml}));
  const auto publications = sink.publish(seed(), seed_set());
  ASSERT_EQ(publications.size(), 1u);
  EXPECT_EQ(publications[0].sink, "email:ana@example.org");
  EXPECT_EQ(publications[0].target, "ana@example.org");
  EXPECT_EQ(publications[0].format, Format::kEmailHtml);
  ASSERT_EQ(sender.envelopes.size(), 1u);
  const SmtpEnvelope& envelope = sender.envelopes[0];
  EXPECT_EQ(envelope.channel, "email:ana@example.org");
  EXPECT_EQ(envelope.server.host_port(), "127.0.0.1:2525");
  EXPECT_FALSE(envelope.server.implicit_tls);
  EXPECT_EQ(envelope.mail_from, "digest@lab.example.org");
  EXPECT_EQ(envelope.recipients, std::vector<std::string>{"ana@example.org"});
  EXPECT_TRUE(envelope.username.empty());
  EXPECT_EQ(envelope.total_timeout, seconds(10));
  EXPECT_EQ(envelope.connect_timeout, seconds(10));
  const auto mail = parse_mail(sender.messages[0]);
  EXPECT_EQ(mail.header("Subject"), kSubject);
  EXPECT_EQ(mail.header("Message-ID"), expected_id("lab", "ana@example.org"));
  EXPECT_EQ(mail.header("List-Id"), "<arxiv-digest.lab.example.org>");
  EXPECT_EQ(mail.date_iso, "2026-06-18T12:03:04+00:00");
}

TEST(EmailSink, MessageIdStablePerDigestAndRecipient) {
  RecordingSender sender;
  FakeEnv env(kNow);
  EmailSink ana(settings_for("smtp://127.0.0.1:2525"), "ana@example.org", "lab", sender, env);
  EmailSink bo(settings_for("smtp://127.0.0.1:2525"), "bo@example.org", "lab", sender, env);
  EmailSink ana_other(settings_for("smtp://127.0.0.1:2525"), "ana@example.org", "robotics", sender,
                      env);
  const Date day = seed().listing_date;
  EXPECT_EQ(ana.message_id(day), expected_id("lab", "ana@example.org"));
  EXPECT_NE(ana.message_id(day), bo.message_id(day));
  EXPECT_NE(ana.message_id(day), ana_other.message_id(day));
  EXPECT_NE(ana.message_id(day), ana.message_id(2026y / June / 19));
  // A re-send (after a crash, an hour later) carries the same id.
  ana.publish(seed(), seed_set());
  env.advance(hours(1));
  ana.publish(seed(), seed_set());
  ASSERT_EQ(sender.messages.size(), 2u);
  EXPECT_EQ(parse_mail(sender.messages[0]).header("Message-ID"),
            parse_mail(sender.messages[1]).header("Message-ID"));
}

TEST(EmailSink, SubjectTemplate) {
  RecordingSender sender;
  FakeEnv env(kNow);
  EmailSettings settings = settings_for("smtp://127.0.0.1:2525");
  EXPECT_EQ(EmailSink(settings, "ana@example.org", "lab", sender, env).subject(seed()), kSubject);
  settings.subject_template = "{count} papers for {date}";
  EXPECT_EQ(EmailSink(settings, "ana@example.org", "lab", sender, env).subject(seed()),
            "30 papers for 2026-06-18");
  settings.subject_template = "arXiv {day}";
  EXPECT_THROW(EmailSink(settings, "ana@example.org", "lab", sender, env), ConfigError);
}

TEST(EmailSink, CredentialsFromNamedVariablesAtSendTime) {
  RecordingSender sender;
  FakeEnv env(kNow);
  EmailSettings settings = settings_for("smtp://127.0.0.1:587");
  settings.starttls = true;
  settings.username_env = "ARXIV_DIGEST_TEST_SMTP_USER";
  settings.password_env = "ARXIV_DIGEST_TEST_SMTP_PASSWORD";
  EnvVar user("ARXIV_DIGEST_TEST_SMTP_USER", "digest-bot");
  EnvVar password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", std::nullopt);
  EmailSink sink(settings, "ana@example.org", "lab", sender, env);  // not read yet
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "published without a password";
  } catch (const ConfigError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("ARXIV_DIGEST_TEST_SMTP_PASSWORD"), std::string::npos) << what;
    EXPECT_EQ(what.find("digest-bot"), std::string::npos) << what;
  }
  EXPECT_TRUE(sender.envelopes.empty());
  {
    EnvVar set_password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", std::string(kPassword));
    sink.publish(seed(), seed_set());
  }
  ASSERT_EQ(sender.envelopes.size(), 1u);
  EXPECT_EQ(sender.envelopes[0].username, "digest-bot");
  EXPECT_EQ(sender.envelopes[0].password, kPassword);
  EXPECT_TRUE(sender.envelopes[0].require_starttls);
  EXPECT_EQ(sender.messages[0].find(kPassword), std::string::npos);
}

TEST(EmailSink, ConfigurationErrorsAtConstruction) {
  RecordingSender sender;
  FakeEnv env(kNow);
  const auto refuses = [&](EmailSettings settings, std::string recipient) {
    EXPECT_THROW(EmailSink(std::move(settings), std::move(recipient), "lab", sender, env),
                 ConfigError);
  };
  refuses(settings_for("http://127.0.0.1:25"), "ana@example.org");
  refuses(settings_for("smtp://127.0.0.1:25"), "Ana <ana@example.org>");
  refuses(settings_for("smtp://127.0.0.1:25"), "ana@example.org\r\nBcc: x@example.org");
  EmailSettings no_from = settings_for("smtp://127.0.0.1:25");
  no_from.from = "nobody";
  refuses(no_from, "ana@example.org");
  // A password must never travel in plain text.
  EmailSettings plain = settings_for("smtp://mail.example.org:587");
  plain.username_env = "U";
  plain.password_env = "P";
  refuses(plain, "ana@example.org");
  plain.smtp_url = "smtps://mail.example.org";
  EXPECT_NO_THROW(EmailSink(plain, "ana@example.org", "lab", sender, env));
  EmailSettings user_only = settings_for("smtps://mail.example.org");
  user_only.username_env = "U";
  refuses(user_only, "ana@example.org");
}

TEST(EmailSink, MissingFormatIsANonTransientDeliveryError) {
  RecordingSender sender;
  FakeEnv env(kNow);
  EmailSink sink(settings_for("smtp://127.0.0.1:2525"), "ana@example.org", "lab", sender, env);
  RenderedSet text_only = seed_set();
  text_only.files.pop_back();
  try {
    sink.publish(seed(), text_only);
    ADD_FAILURE() << "published without email-html";
  } catch (const DeliveryError& error) {
    EXPECT_EQ(error.channel(), "email:ana@example.org");
    EXPECT_FALSE(error.transient());
  }
}

TEST(SmtpUrl, Parses) {
  const auto plain = parse_smtp_url("smtp://mail.example.org:587");
  EXPECT_FALSE(plain.implicit_tls);
  EXPECT_EQ(plain.host_port(), "mail.example.org:587");
  EXPECT_EQ(plain.url(), "smtp://mail.example.org:587");
  EXPECT_EQ(parse_smtp_url("smtp://mail.example.org").port, 25);
  const auto tls = parse_smtp_url("SMTPS://mail.example.org/");
  EXPECT_TRUE(tls.implicit_tls);
  EXPECT_EQ(tls.port, 465);
  EXPECT_EQ(parse_smtp_url("smtp://[::1]:2525").host_port(), "[::1]:2525");
  for (const char* bad : {"mail.example.org", "smtp://", "smtp://:25", "smtp://h:0",
                          "smtp://h:99999", "smtp://h:x", "smtp://h/path", "smtp://h:"}) {
    EXPECT_THROW((void)parse_smtp_url(bad), ConfigError) << bad;
  }
  try {
    (void)parse_smtp_url("smtp://bot:hunter2@mail.example.org:587");
    ADD_FAILURE() << "accepted credentials in the URL";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
  }
}

// ---- over the network: libcurl against closed ports and a silent server ------------------------

TEST(CurlSmtpSender, ServerDownIsTransientAndQuick) {
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  const int port = SmtpServer::free_port();
  EmailSink sink(settings_for("smtp://127.0.0.1:" + std::to_string(port)), "ana@example.org", "lab",
                 sender, env);
  const auto start = steady_clock::now();
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "delivered to a closed port";
  } catch (const DeliveryError& error) {
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(error.channel(), "email:ana@example.org");
    const std::string what = error.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << what;
    EXPECT_NE(what.find("cannot connect"), std::string::npos) << what;
  }
  EXPECT_LT(steady_clock::now() - start, seconds(5));
}

TEST(CurlSmtpSender, SilentServerTimesOutTransient) {
  // A socket that listens but never speaks: the kernel completes the connection, no greeting
  // ever comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);

  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSettings settings = settings_for("smtp://127.0.0.1:" + std::to_string(port));
  settings.timeout = seconds(1);
  EmailSink sink(settings, "ana@example.org", "lab", sender, env);
  const auto start = steady_clock::now();
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "delivered to a silent server";
  } catch (const DeliveryError& error) {
    EXPECT_TRUE(error.transient());
    EXPECT_NE(std::string(error.what()).find("timed out"), std::string::npos) << error.what();
  }
  EXPECT_GE(steady_clock::now() - start, milliseconds(900));  // the timeout was honoured
  EXPECT_LT(steady_clock::now() - start, seconds(10));
  ::close(fd);
}

// ---- against a real SMTP server (OpenSMTPD) --------------------------------------------------

class RealSmtpServer : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto reason = SmtpServer::unavailable_reason()) GTEST_SKIP() << *reason;
  }
};

TEST_F(RealSmtpServer, DeliversTheSeedDigestToTwoRecipients) {
  SmtpServer server;
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  const RenderedSet set = seed_set();
  for (const std::string recipient : {"ana@example.org", "bo@lab.example.cn"}) {
    EmailSink sink(settings_for(server.url()), recipient, "lab", sender, env);
    sink.publish(seed(), set);
  }
  for (const std::string recipient : {"ana@example.org", "bo@lab.example.cn"}) {
    const auto delivered = server.wait_for_mail(recipient, 1);
    ASSERT_EQ(delivered.size(), 1u) << recipient << "\n" << server.log();
    const auto mail = parse_mail(delivered[0]);
    EXPECT_EQ(mail.from_address, "digest@lab.example.org");
    EXPECT_EQ(mail.from_display, "arXiv digest");
    EXPECT_EQ(mail.header("To"), recipient);  // only this reader: nobody sees the others
    EXPECT_EQ(mail.headers.count("Cc") + mail.headers.count("Bcc"), 0u);
    EXPECT_EQ(mail.header("Delivered-To"), recipient);  // added by the server: the envelope
    EXPECT_EQ(mail.header("Subject"), kSubject);
    EXPECT_EQ(mail.date_iso, "2026-06-18T12:03:04+00:00");
    EXPECT_EQ(mail.header("Message-ID"), expected_id("lab", recipient));
    EXPECT_EQ(mail.header("List-Id"), "<arxiv-digest.lab.example.org>");
    ASSERT_EQ(mail.parts.size(), 2u);
    EXPECT_EQ(mail.parts[0].content_type, "text/plain");
    EXPECT_EQ(mail.parts[1].content_type, "text/html");
    EXPECT_EQ(crlf_to_lf(mail.parts[0].payload), set.find(Format::kText)->bytes);
    EXPECT_EQ(crlf_to_lf(mail.parts[1].payload), set.find(Format::kEmailHtml)->bytes);
  }
}

TEST_F(RealSmtpServer, RefusedRecipientFailsOnlyItsOwnChannel) {
  SmtpServer server({.refused = {"gone@example.org"}});
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSink refused(settings_for(server.url()), "gone@example.org", "lab", sender, env);
  EmailSink accepted(settings_for(server.url()), "ana@example.org", "lab", sender, env);
  try {
    refused.publish(seed(), seed_set());
    ADD_FAILURE() << "the server accepted a refused recipient";
  } catch (const DeliveryError& error) {
    EXPECT_FALSE(error.transient());
    EXPECT_EQ(error.channel(), "email:gone@example.org");
    const std::string what = error.what();
    EXPECT_NE(what.find("550 Invalid recipient"), std::string::npos) << what;  // server's words
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos) << what;
  }
  EXPECT_NO_THROW(accepted.publish(seed(), seed_set()));
  EXPECT_EQ(server.wait_for_mail("ana@example.org", 1).size(), 1u);
  EXPECT_TRUE(server.mail_for("gone@example.org").empty());
}

TEST_F(RealSmtpServer, RequiredStartTlsNotOfferedFailsWithoutSendingThePassword) {
  // This server offers no STARTTLS: with starttls = true the sink must stop, not fall back to
  // plain text with the password (CURLUSESSL_ALL, not CURLUSESSL_TRY).
  SmtpServer server;
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSettings settings = settings_for(server.url());
  settings.starttls = true;
  settings.username_env = "ARXIV_DIGEST_TEST_SMTP_USER";
  settings.password_env = "ARXIV_DIGEST_TEST_SMTP_PASSWORD";
  EnvVar user("ARXIV_DIGEST_TEST_SMTP_USER", "digest-bot");
  EnvVar password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", std::string(kPassword));
  EmailSink sink(settings, "ana@example.org", "lab", sender, env);
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "sent without TLS";
  } catch (const DeliveryError& error) {
    EXPECT_FALSE(error.transient());
    const std::string what = error.what();
    EXPECT_NE(what.find("STARTTLS"), std::string::npos) << what;
    EXPECT_EQ(what.find(kPassword), std::string::npos) << what;
  }
  EXPECT_EQ(server.log().find("AUTH"), std::string::npos) << server.log();
  EXPECT_TRUE(server.wait_for_mail("ana@example.org", 1, milliseconds(300)).empty());
}

// ---- STARTTLS and AUTH (a minimal Python server: OpenSMTPD's TLS is broken on Debian 12) --------

class StartTlsAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto reason = testing::TlsSmtpServer::unavailable_reason()) GTEST_SKIP() << *reason;
    server_.emplace("digest-bot", std::string(kPassword));
  }
  EmailSettings settings() const {
    EmailSettings settings = settings_for(server_->url());
    settings.starttls = true;
    settings.ca_file = server_->ca_file();
    settings.username_env = "ARXIV_DIGEST_TEST_SMTP_USER";
    settings.password_env = "ARXIV_DIGEST_TEST_SMTP_PASSWORD";
    return settings;
  }
  std::optional<testing::TlsSmtpServer> server_;
  EnvVar user_{"ARXIV_DIGEST_TEST_SMTP_USER", "digest-bot"};
};

TEST_F(StartTlsAuth, DeliversWithCredentialsFromTheEnvironment) {
  EnvVar password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", std::string(kPassword));
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSink sink(settings(), "ana@example.org", "lab", sender, env);
  sink.publish(seed(), seed_set());
  const auto messages = server_->messages();
  ASSERT_EQ(messages.size(), 1u);
  const auto mail = parse_mail(messages[0]);
  EXPECT_EQ(mail.header("Subject"), kSubject);
  ASSERT_EQ(mail.parts.size(), 2u);
  EXPECT_EQ(crlf_to_lf(mail.parts[1].payload), render_html_email(seed()));
}

TEST_F(StartTlsAuth, RefusedPasswordIsNotTransientAndNotQuoted) {
  EnvVar password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", "not the password");
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSink sink(settings(), "ana@example.org", "lab", sender, env);
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "delivered with a wrong password";
  } catch (const DeliveryError& error) {
    EXPECT_FALSE(error.transient());
    const std::string what = error.what();
    EXPECT_NE(what.find("authentication refused"), std::string::npos) << what;
    EXPECT_NE(what.find("535 5.7.8 Authentication credentials invalid"), std::string::npos) << what;
    EXPECT_EQ(what.find("not the password"), std::string::npos) << what;
    EXPECT_EQ(what.find("digest-bot"), std::string::npos) << what;
  }
  EXPECT_TRUE(server_->messages().empty());
}

TEST_F(StartTlsAuth, UntrustedCertificateIsRefused) {
  EnvVar password("ARXIV_DIGEST_TEST_SMTP_PASSWORD", std::string(kPassword));
  CurlSmtpSender sender;
  FakeEnv env(kNow);
  EmailSettings untrusting = settings();
  untrusting.ca_file.clear();  // the system's CAs do not know the test certificate
  EmailSink sink(untrusting, "ana@example.org", "lab", sender, env);
  try {
    sink.publish(seed(), seed_set());
    ADD_FAILURE() << "trusted a self-signed certificate";
  } catch (const DeliveryError& error) {
    EXPECT_FALSE(error.transient());
    EXPECT_NE(std::string(error.what()).find("certificate"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(server_->messages().empty());
}

}  // namespace
}  // namespace arxiv_digest
