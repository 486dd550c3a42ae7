#include "net/smtp_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/error.hpp"
#include "net/curl_handles.hpp"
#include "net/http_client.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kSmtp = "SMTP";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
}

// The message bytes handed to libcurl's read callback, in pieces as it asks.
struct UploadSource {
  std::string_view data;
  std::size_t offset = 0;
};

// A server reply line, made safe to quote in a message: no control characters, bounded.
std::string clean_reply(std::string_view line) {
  std::string out;
  for (const char c : line) {
    if (out.size() >= 300) break;
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// 4xx: the server asks to try later; anything else without a 4xx/5xx reply is judged by what
// libcurl saw: losing the network is transient, a refusal or a misconfiguration is not.
bool is_transient(CURLcode code, long reply_code) {
  if (reply_code >= 400 && reply_code < 500) return true;
  if (reply_code >= 500) return false;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return true;
    default:
      return false;
  }
}

std::string_view describe(CURLcode code, long reply_code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "cannot resolve the host";
    case CURLE_COULDNT_CONNECT:
      return "cannot connect";
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out";
    case CURLE_LOGIN_DENIED:
      return "authentication refused";
    case CURLE_USE_SSL_FAILED:
      return "TLS is required but the server does not offer STARTTLS";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return "cannot verify the server's TLS certificate";
    case CURLE_SSL_CONNECT_ERROR:
      return "TLS handshake failed";
    default:
      return reply_code >= 400 ? "refused the message" : "failed";
  }
}

// The session options send() and check() share (TLS, CA, credentials), then the transfer; a
// failure becomes the DeliveryError described in the header.
void run_session(curl::CurlEasy& easy, const SmtpEnvelope& envelope) {
  const std::string url = envelope.server.url();
  const std::string where = envelope.server.host_port();
  using curl::set_option;
  set_option(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps", kSmtp, url);
  if (!envelope.server.implicit_tls) {
    // CURLUSESSL_ALL, not _TRY: _TRY would quietly go on in plain text, password included.
    set_option(easy, CURLOPT_USE_SSL,
               static_cast<long>(envelope.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE),
               kSmtp, url);
  }
  if (!envelope.ca_file.empty())
    set_option(easy, CURLOPT_CAINFO, envelope.ca_file.c_str(), kSmtp, url);
  if (!envelope.username.empty()) {
    set_option(easy, CURLOPT_USERNAME, envelope.username.c_str(), kSmtp, url);
    set_option(easy, CURLOPT_PASSWORD, envelope.password.c_str(), kSmtp, url);
  }

  curl::ResponseSink sink;
  // The last failure reply (4xx/5xx) is the refusal; the QUIT exchange that follows it would
  // otherwise hide it.
  std::string refusal;
  sink.on_line = [&refusal](std::string_view line) {
    if (line.size() >= 3 && (line[0] == '4' || line[0] == '5') &&
        std::isdigit(static_cast<unsigned char>(line[1])) != 0 &&
        std::isdigit(static_cast<unsigned char>(line[2])) != 0)
      refusal = clean_reply(line);
  };
  try {
    curl::perform(easy, sink, kSmtp, url, envelope.connect_timeout, envelope.total_timeout);
  } catch (const TransportError&) {
    long reply_code = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &reply_code);
    const CURLcode code = sink.result;
    std::string message_text =
        fmt::format("{}: SMTP server {}: {}", envelope.channel, where, describe(code, reply_code));
    if (!refusal.empty()) {
      message_text += fmt::format(": \"{}\"", refusal);
    } else if (reply_code != 0) {
      message_text += fmt::format(" (reply {})", reply_code);
    }
    message_text +=
        fmt::format(" (curl error {}: {})", static_cast<int>(code), curl_easy_strerror(code));
    throw DeliveryError(envelope.channel, message_text, is_transient(code, reply_code));
  }
}

}  // namespace

extern "C" size_t arxiv_digest_smtp_read(char* buffer, size_t size, size_t count, void* user) {
  auto* source = static_cast<UploadSource*>(user);
  const std::size_t n = std::min(size * count, source->data.size() - source->offset);
  std::memcpy(buffer, source->data.data() + source->offset, n);
  source->offset += n;
  return n;
}

std::string SmtpServerAddress::host_port() const { return fmt::format("{}:{}", host, port); }

std::string SmtpServerAddress::url() const {
  return fmt::format("{}://{}:{}", implicit_tls ? "smtps" : "smtp", host, port);
}

SmtpServerAddress parse_smtp_url(std::string_view url) {
  SmtpServerAddress address;
  std::string_view rest;
  if (starts_with_nocase(url, "smtps://")) {
    address.implicit_tls = true;
    address.port = 465;
    rest = url.substr(8);
  } else if (starts_with_nocase(url, "smtp://")) {
    address.port = 25;
    rest = url.substr(7);
  } else {
    throw ConfigError(
        "smtp_url: expected smtp://host[:port] (STARTTLS with starttls = true) or "
        "smtps://host[:port] (implicit TLS)");
  }
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  // Checked before anything is quoted: "user:password@host" must never reach a message.
  if (authority.find('@') != std::string_view::npos) {
    throw ConfigError(
        "smtp_url: credentials do not belong in the URL; name environment variables in "
        "username_env and password_env instead");
  }
  if (end != std::string_view::npos && rest.substr(end) != "/") {
    throw ConfigError(
        fmt::format("smtp_url \"{}\": a path, query or fragment is not allowed", url));
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      throw ConfigError(fmt::format("smtp_url \"{}\": unclosed [", url));
    address.host = std::string(authority.substr(0, close + 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw ConfigError(fmt::format("smtp_url \"{}\": bad host", url));
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    address.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (!std::all_of(address.host.begin(), address.host.end(), is_host_char))
      throw ConfigError(fmt::format("smtp_url \"{}\": bad host", url));
  }
  if (address.host.empty()) throw ConfigError(fmt::format("smtp_url \"{}\": no host", url));
  if (has_port) {
    int port = 0;
    const auto [ptr, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 1 || port > 65535)
      throw ConfigError(fmt::format("smtp_url \"{}\": bad port", url));
    address.port = port;
  }
  return address;
}

CurlSmtpSender::CurlSmtpSender() : global_(std::make_unique<curl::CurlGlobal>()) {}

CurlSmtpSender::~CurlSmtpSender() = default;

void CurlSmtpSender::send(const SmtpEnvelope& envelope, std::string_view message) {
  const std::string url = envelope.server.url();
  const std::string where = envelope.server.host_port();
  if (envelope.recipients.empty())
    throw DeliveryError(envelope.channel,
                        fmt::format("{}: SMTP {}: no recipient", envelope.channel, where), false);

  curl::CurlEasy easy;
  curl::CurlSlist recipients;
  for (const std::string& recipient : envelope.recipients) recipients.append("<" + recipient + ">");
  const std::string mail_from = "<" + envelope.mail_from + ">";
  UploadSource upload{message, 0};

  using curl::set_option;
  set_option(easy, CURLOPT_UPLOAD, 1L, kSmtp, url);
  set_option(easy, CURLOPT_READFUNCTION, &arxiv_digest_smtp_read, kSmtp, url);
  set_option(easy, CURLOPT_READDATA, static_cast<void*>(&upload), kSmtp, url);
  set_option(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()), kSmtp, url);
  set_option(easy, CURLOPT_MAIL_FROM, mail_from.c_str(), kSmtp, url);
  set_option(easy, CURLOPT_MAIL_RCPT, recipients.get(), kSmtp, url);
  run_session(easy, envelope);
}

void CurlSmtpSender::check(const SmtpEnvelope& envelope) {
  curl::CurlEasy easy;
  // Without MAIL FROM, recipients or an upload, libcurl sends this one command after EHLO (and
  // STARTTLS and AUTH when asked), then QUIT: a session that proves everything but sends nothing.
  curl::set_option(easy, CURLOPT_CUSTOMREQUEST, "NOOP", kSmtp, envelope.server.url());
  run_session(easy, envelope);
}

}  // namespace arxiv_digest
