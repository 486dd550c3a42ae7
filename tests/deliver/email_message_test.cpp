#include "deliver/email_message.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "deliver/mime_parse.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::crlf_to_lf;
using testing::parse_mail;

constexpr sys_seconds kSent = sys_days{2026y / June / 18} + 11h + 52min + 58s;
const std::string kSubject = "arXiv 每日论文 2026-06-18 · 30 篇";

EmailContent seed_content() {
  static const Digest digest = testing::load_seed_digest();
  EmailContent content;
  content.from = "arXiv digest <digest@lab.example.org>";
  content.to = "ana@example.org";
  content.subject = kSubject;
  content.date = kSent;
  content.message_id = "<arxiv-digest.2026-06-18.0123456789abcdef@lab.example.org>";
  content.list_id = "arxiv-digest.lab.example.org";
  content.text = render_text(digest);
  content.html = render_html_email(digest);
  return content;
}

std::vector<std::string> lines_of(const std::string& message) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < message.size()) {
    const std::size_t end = message.find("\r\n", at);
    if (end == std::string::npos) {
      lines.push_back(message.substr(at));
      break;
    }
    lines.push_back(message.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

TEST(EmailMessage, SeedDigestParsesBackWithBothPartsExact) {
  const EmailContent content = seed_content();
  ASSERT_EQ(testing::load_seed_digest().papers.size(), 30u);
  const std::string message = build_email_message(content);
  const testing::ParsedMail mail = parse_mail(message);

  EXPECT_EQ(mail.header("Subject"), kSubject);
  EXPECT_EQ(mail.from_address, "digest@lab.example.org");
  EXPECT_EQ(mail.from_display, "arXiv digest");
  EXPECT_EQ(mail.header("To"), "ana@example.org");
  EXPECT_EQ(mail.date_iso, "2026-06-18T11:52:58+00:00");
  EXPECT_EQ(mail.header("Message-ID"), content.message_id);
  EXPECT_EQ(mail.header("List-Id"), "<arxiv-digest.lab.example.org>");
  EXPECT_EQ(mail.header("MIME-Version"), "1.0");
  EXPECT_EQ(mail.content_type, "multipart/alternative");
  ASSERT_EQ(mail.parts.size(), 2u);
  // Plain text first, HTML last: clients show the last part they can render.
  EXPECT_EQ(mail.parts[0].content_type, "text/plain");
  EXPECT_EQ(mail.parts[1].content_type, "text/html");
  for (const auto& part : mail.parts) {
    EXPECT_EQ(part.charset, "utf-8");
    EXPECT_EQ(part.transfer_encoding, "base64");
  }
  // The parts are in canonical form (CRLF line breaks); back to LF they are the rendered bytes.
  EXPECT_EQ(crlf_to_lf(mail.parts[0].payload), content.text);
  EXPECT_EQ(crlf_to_lf(mail.parts[1].payload), content.html);
  EXPECT_EQ(testing::count_of(mail.parts[0].payload, "\n"),
            testing::count_of(mail.parts[0].payload, "\r\n"));
  EXPECT_NE(content.text.find("今天共有 30 篇相关文章"), std::string::npos);  // really Chinese
}

TEST(EmailMessage, CrlfEverywhereAndShortBodyLines) {
  const std::string message = build_email_message(seed_content());
  // No bare LF or CR anywhere: libcurl's dot-stuffing matches CRLF sequences only.
  EXPECT_EQ(testing::count_of(message, "\n"), testing::count_of(message, "\r\n"));
  EXPECT_EQ(testing::count_of(message, "\r"), testing::count_of(message, "\r\n"));
  ASSERT_TRUE(message.ends_with("\r\n"));
  const std::vector<std::string> lines = lines_of(message);
  bool in_body = false;
  std::size_t body_lines = 0;
  for (const std::string& line : lines) {
    if (line.empty()) in_body = true;
    EXPECT_LE(line.size(), 998u);  // RFC 5322 2.1.1
    if (in_body) {
      EXPECT_LE(line.size(), 76u) << line;  // RFC 2045 6.8
      EXPECT_FALSE(line.starts_with(".")) << line;
      ++body_lines;
    }
  }
  EXPECT_GT(body_lines, 100u);
  // The Subject header's encoded-word lines are within 76 characters too.
  const std::size_t subject = message.find("Subject: ");
  ASSERT_NE(subject, std::string::npos);
  for (std::size_t at = subject; at < message.size();) {
    const std::size_t end = message.find("\r\n", at);
    EXPECT_LE(end - at, 76u) << message.substr(at, end - at);
    at = end + 2;
    if (message[at] != ' ') break;  // the next header
  }
}

TEST(EmailMessage, BoundaryOccursOnlyAsDelimiters) {
  const std::string message = build_email_message(seed_content());
  // (No std::regex: GCC 12 warns inside it under the sanitizers, and warnings are errors.)
  const std::string parameter = "boundary=\"";
  const std::size_t start = message.find(parameter);
  ASSERT_NE(start, std::string::npos);
  const std::size_t value = start + parameter.size();
  const std::string boundary = message.substr(value, message.find('"', value) - value);
  ASSERT_GT(boundary.size(), 10u);
  // Once in the Content-Type parameter, then two delimiters and the close delimiter.
  EXPECT_EQ(testing::count_of(message, boundary), 4u);
  EXPECT_EQ(testing::count_of(message, "\r\n--" + boundary + "\r\n"), 2u);
  EXPECT_EQ(testing::count_of(message, "\r\n--" + boundary + "--\r\n"), 1u);
}

TEST(EmailMessage, DeterministicBytes) {
  EmailContent content = seed_content();
  EXPECT_EQ(build_email_message(content), build_email_message(content));
  const std::string before = build_email_message(content);
  content.html += "<!-- changed -->";
  EXPECT_NE(build_email_message(content), before);
}

TEST(EmailMessage, SubjectEncodedOnlyWhenNotAscii) {
  EXPECT_EQ(encode_header_text("arXiv digest 2026-06-18 (30 papers)", 9),
            "arXiv digest 2026-06-18 (30 papers)");
  const std::string encoded = encode_header_text(kSubject, 9);
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?"));
  EXPECT_EQ(encoded.find("每"), std::string::npos);
  // Text that looks like an encoded word is encoded, so a reader cannot be fooled into decoding
  // it.
  EXPECT_TRUE(encode_header_text("=?UTF-8?B?5q+P?=", 9).starts_with("=?UTF-8?B?"));
}

TEST(EmailMessage, LongChineseSubjectFoldsOnCodePointBoundaries) {
  // The seed's first Chinese title, repeated: long enough for many encoded words.
  std::string subject = "arXiv 每日论文 ";
  for (int i = 0; i < 8; ++i) subject += "打破求解器瓶颈:可学习前沿的训练任务生成器 · ";
  EmailContent content = seed_content();
  content.subject = subject;
  const std::string message = build_email_message(content);
  EXPECT_EQ(parse_mail(message).header("Subject"), subject);

  const std::string encoded = encode_header_text(subject, 9);
  std::size_t words = 0;
  std::size_t line_start = 0;
  std::size_t line_number = 0;
  while (line_start <= encoded.size()) {
    const std::size_t end = std::min(encoded.find("\r\n", line_start), encoded.size());
    const std::string line = encoded.substr(line_start, end - line_start);
    EXPECT_LE(line.size() + (line_number == 0 ? 9 : 0), 76u) << line;
    if (line_number > 0) {
      EXPECT_TRUE(line.starts_with(" ")) << line;
    }
    // One whole encoded word per line: "=?UTF-8?B?" base64 "?=".
    const std::string word = line_number == 0 ? line : line.substr(1);
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << line;
    const std::string payload = word.substr(10, word.size() - 12);
    EXPECT_EQ(payload.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
              std::string::npos)
        << line;
    EXPECT_LE(word.size(), 75u);  // RFC 2047 2
    ++words;
    ++line_number;
    line_start = end + 2;
  }
  EXPECT_GT(words, 5u);
  // Every word must decode to valid UTF-8 on its own (no code point split across words).
  testing::TempDir dir;
  testing::write_file(dir / "words.txt", encoded);
  const auto result = testing::run_process(
      "/usr/bin/python3",
      {"-c",
       "import re,sys,base64\n"
       "t=open(sys.argv[1]).read()\n"
       "ws=re.findall(r'=\\?UTF-8\\?B\\?([^?]+)\\?=',t)\n"
       "print(''.join(base64.b64decode(w).decode('utf-8','strict') for w in ws),end='')",
       (dir / "words.txt").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, subject);
}

TEST(EmailMessage, NonAsciiDisplayNameIsEncoded) {
  EmailContent content = seed_content();
  content.from = "arXiv 每日论文 <digest@lab.example.org>";
  const std::string message = build_email_message(content);
  EXPECT_EQ(message.find("From: arXiv 每日"), std::string::npos);
  const auto mail = parse_mail(message);
  EXPECT_EQ(mail.from_display, "arXiv 每日论文");
  EXPECT_EQ(mail.from_address, "digest@lab.example.org");
}

TEST(EmailMessage, RfcDate) {
  EXPECT_EQ(rfc5322_date(kSent), "Thu, 18 Jun 2026 11:52:58 +0000");
  EXPECT_EQ(rfc5322_date(sys_days{2024y / February / 29}), "Thu, 29 Feb 2024 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(sys_days{2027y / January / 3} + 23h + 59min + 59s),
            "Sun, 03 Jan 2027 23:59:59 +0000");
}

TEST(EmailMessage, HeaderInjectionIsRefused) {
  const auto refuses = [](auto change, const std::string& header) {
    EmailContent content = seed_content();
    change(content);
    try {
      (void)build_email_message(content);
      ADD_FAILURE() << "accepted a line break in " << header;
    } catch (const ConfigError& error) {
      EXPECT_NE(std::string(error.what()).find(header), std::string::npos) << error.what();
      EXPECT_EQ(std::string(error.what()).find("Bcc"), std::string::npos) << error.what();
    }
  };
  refuses([](EmailContent& c) { c.subject += "\r\nBcc: all@example.org"; }, "Subject");
  refuses([](EmailContent& c) { c.subject += "\nBcc: all@example.org"; }, "Subject");
  refuses([](EmailContent& c) { c.to += "\r\nBcc: all@example.org"; }, "To");
  refuses([](EmailContent& c) { c.from += "\rBcc: all@example.org"; }, "From");
  refuses([](EmailContent& c) { c.list_id += "\nBcc: all@example.org"; }, "List-Id");
  refuses([](EmailContent& c) { c.message_id = "<a@b>\r\nBcc: all@example.org"; }, "Message-ID");
  // Not a single plain address: refused too (two readers must never share a message).
  EmailContent two = seed_content();
  two.to = "ana@example.org, bo@example.org";
  EXPECT_THROW((void)build_email_message(two), ConfigError);
  EmailContent bad_id = seed_content();
  bad_id.message_id = "no-angle-brackets@example.org";
  EXPECT_THROW((void)build_email_message(bad_id), ConfigError);
}

TEST(EmailMessage, AddressHelpers) {
  EXPECT_EQ(address_of("digest@lab.example.org"), "digest@lab.example.org");
  EXPECT_EQ(address_of("arXiv digest <digest@lab.example.org>"), "digest@lab.example.org");
  EXPECT_THROW((void)address_of("arXiv digest"), ConfigError);
  EXPECT_THROW((void)address_of("a@b@c"), ConfigError);
  EXPECT_TRUE(is_plain_address("ana.li+arxiv@example.org"));
  EXPECT_FALSE(is_plain_address("ana li@example.org"));
  EXPECT_FALSE(is_plain_address("<ana@example.org>"));
  EXPECT_FALSE(is_plain_address("@example.org"));
  EXPECT_FALSE(is_plain_address("ana@"));
}

}  // namespace
}  // namespace arxiv_digest
