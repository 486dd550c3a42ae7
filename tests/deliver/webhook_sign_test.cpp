// Signatures checked against values computed independently: published test vectors (RFC 4231,
// RFC 4648) and the openssl command line / Python's standard library run as subprocesses.
#include "deliver/webhook_sign.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/process.hpp"

namespace arxiv_digest {
namespace {

using testing::run_process;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Base64(HMAC-SHA256(key, message)) by the openssl command line.
std::string openssl_hmac_b64(const std::string& key, const std::string& message) {
  const auto r = run_process(
      "/bin/sh",
      {"-c",
       R"(printf '%s' "$MSG" | openssl dgst -sha256 -hmac "$KEY" -binary | openssl base64 -A)"},
      {{"MSG", message}, {"KEY", key}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return trimmed(r.out);
}

std::string openssl_hmac_hex(const std::string& key, const std::string& message) {
  const auto r =
      run_process("/bin/sh", {"-c", R"(printf '%s' "$MSG" | openssl dgst -sha256 -hmac "$KEY")"},
                  {{"MSG", message}, {"KEY", key}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string out = trimmed(r.out);
  return out.substr(out.rfind(' ') + 1);
}

std::string python(const std::string& code, const std::string& arg) {
  const auto r = run_process("/usr/bin/python3", {"-c", code, arg});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return trimmed(r.out);
}

TEST(WebhookSign, HmacSha256MatchesRfc4231TestCase2) {
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSign, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(WebhookSign, UrlEncodeMatchesPythonQuoteWithNothingSafe) {
  const std::string text = "a+b/c=d e~f_g.h-i&j?k%l中文";
  EXPECT_EQ(
      url_encode(text),
      python("import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=''))", text));
}

TEST(WebhookSign, FeishuSignIsHmacKeyedByTimestampAndSecretOverEmptyMessage) {
  const std::string secret = "demo-Secret/with+chars";
  const std::chrono::sys_seconds ts{std::chrono::seconds{1781790778}};
  EXPECT_EQ(feishu_sign(ts, secret), openssl_hmac_b64("1781790778\n" + secret, ""));
  // A different second gives a different signature (the timestamp is in the key).
  EXPECT_NE(feishu_sign(ts + std::chrono::seconds{1}, secret), feishu_sign(ts, secret));
}

TEST(WebhookSign, DingTalkSignIsHmacOfMillisecondsAndSecretThenUrlEncoded) {
  const std::string secret = "SECa1b2c3d4e5f6";
  const long long ms = 1781790778000;
  const std::string b64 = openssl_hmac_b64(secret, "1781790778000\n" + secret);
  EXPECT_EQ(dingtalk_sign(ms, secret), b64);
  // DingTalk's own sample URL-encodes with quote_plus.
  const std::string encoded =
      python("import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))", b64);
  EXPECT_EQ(dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", ms, secret),
            "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1781790778000&sign=" +
                encoded);
  EXPECT_EQ(dingtalk_signed_url("http://h/send", ms, secret),
            "http://h/send?timestamp=1781790778000&sign=" + encoded);
}

TEST(WebhookSign, GenericSignatureIsHexHmacOfTheExactBody) {
  const std::string body = R"({"schema_version":1,"title":"中文 & <b>"})";
  EXPECT_EQ(generic_signature(body, "s3cret"), "sha256=" + openssl_hmac_hex("s3cret", body));
  EXPECT_NE(generic_signature(body + " ", "s3cret"), generic_signature(body, "s3cret"));
}

}  // namespace
}  // namespace arxiv_digest
