#include "deliver/email_message.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "core/error.hpp"
#include "core/hash.hpp"

namespace arxiv_digest {
namespace {

constexpr std::size_t kMaxLine = 76;
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// Refuses what would end the header line or start a new one (header injection) or confuse a
// reader. The value itself is not quoted: it may come from anywhere.
void check_header_value(std::string_view header, std::string_view value) {
  if (std::any_of(value.begin(), value.end(), is_control)) {
    throw ConfigError(fmt::format(
        "email header {}: the value contains a line break or another control character", header));
  }
}

// Text line breaks in canonical form: every LF, CR or CRLF becomes CRLF.
std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void append_base64_lines(std::string& out, std::string_view bytes) {
  const std::string encoded = base64(bytes);
  for (std::size_t at = 0; at < encoded.size(); at += kMaxLine) {
    out.append(encoded, at, kMaxLine);
    out += "\r\n";
  }
}

std::string display_name(std::string_view name, std::size_t first_line_used) {
  if (is_printable_ascii(name)) {
    std::string quoted = "\"";
    for (const char c : name) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    return quoted + "\"";
  }
  return encode_header_text(name, first_line_used);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

bool is_plain_address(std::string_view address) {
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    return std::string_view("\"<>(),;:\\[]").find(c) == std::string_view::npos;
  });
}

std::string address_of(std::string_view mailbox) {
  std::string_view address = trim(mailbox);
  if (const std::size_t open = address.rfind('<'); open != std::string_view::npos) {
    if (address.back() != '>')
      throw ConfigError("email from: expected \"Name <address>\" or an address");
    address = address.substr(open + 1, address.size() - open - 2);
  }
  if (!is_plain_address(address))
    throw ConfigError(fmt::format("email from: \"{}\" is not a plain e-mail address",
                                  is_printable_ascii(address) ? address : "(non-ASCII)"));
  return std::string(address);
}

std::string encode_header_text(std::string_view text, std::size_t first_line_used) {
  if (is_printable_ascii(text) && text.find("=?") == std::string_view::npos)
    return std::string(text);
  std::string out;
  std::size_t used = first_line_used;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t room = kMaxLine > used + kWordStart.size() + kWordEnd.size()
                                 ? kMaxLine - used - kWordStart.size() - kWordEnd.size()
                                 : 0;
    std::size_t take = std::min(room / 4 * 3, text.size() - at);
    if (take == 0) take = std::min<std::size_t>(3, text.size() - at);  // never loop forever
    // Back off to a code-point boundary: a continuation byte must stay with its lead byte.
    std::size_t boundary = take;
    while (boundary > 0 && at + boundary < text.size() &&
           (static_cast<unsigned char>(text[at + boundary]) & 0xC0) == 0x80)
      --boundary;
    if (boundary > 0) take = boundary;
    if (!out.empty()) out += "\r\n ";
    out += kWordStart;
    out += base64(text.substr(at, take));
    out += kWordEnd;
    at += take;
    used = 1;  // continuation lines start with one space
  }
  return out;
}

std::string rfc5322_date(std::chrono::sys_seconds at) {
  using namespace std::chrono;
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_days day = floor<days>(at);
  const year_month_day ymd(day);
  const hh_mm_ss time(at - day);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[weekday(day).c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::string build_email_message(const EmailContent& content) {
  check_header_value("From", content.from);
  check_header_value("To", content.to);
  check_header_value("Subject", content.subject);
  check_header_value("Message-ID", content.message_id);
  check_header_value("List-Id", content.list_id);
  if (!is_plain_address(content.to))
    throw ConfigError("email recipient: not a plain e-mail address (one address, no name)");
  const std::string from_address = address_of(content.from);
  const std::string_view id = content.message_id;
  if (id.size() < 5 || id.front() != '<' || id.back() != '>' ||
      !is_plain_address(id.substr(1, id.size() - 2)))
    throw ConfigError("email Message-ID: expected <left@right>");

  std::string out;
  // From: "Name <address>" keeps its display name, encoded when not ASCII.
  std::string from_value = from_address;
  if (const std::size_t open = content.from.rfind('<'); open != std::string::npos) {
    const std::string_view name = trim(std::string_view(content.from).substr(0, open));
    if (!name.empty()) from_value = fmt::format("{} <{}>", display_name(name, 6), from_address);
  }
  out += fmt::format("From: {}\r\n", from_value);
  out += fmt::format("To: {}\r\n", content.to);
  out += fmt::format("Subject: {}\r\n", encode_header_text(content.subject, 9));
  out += fmt::format("Date: {}\r\n", rfc5322_date(content.date));
  out += fmt::format("Message-ID: {}\r\n", content.message_id);
  if (!content.list_id.empty()) {
    const std::string_view list_id = content.list_id;
    if (!is_printable_ascii(list_id)) throw ConfigError("email List-Id: must be ASCII");
    out += list_id.find('<') == std::string_view::npos ? fmt::format("List-Id: <{}>\r\n", list_id)
                                                       : fmt::format("List-Id: {}\r\n", list_id);
  }
  // RFC 3834: an automatic message; well-behaved responders do not answer it.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";

  const std::string text = to_crlf(content.text);
  const std::string html = to_crlf(content.html);
  // '_' and '-' never occur in base64 lines, so no part can contain this boundary; deriving it
  // from the parts keeps the message deterministic.
  const std::string boundary = "=_arxiv-digest_" + sha256_hex(text + '\0' + html).substr(0, 24);
  out += fmt::format("Content-Type: multipart/alternative;\r\n boundary=\"{}\"\r\n", boundary);
  out += "\r\n";
  out += "This is a MIME message: a plain-text and an HTML version of the same digest.\r\n";
  // Each part's last base64 line ends in CRLF, which the next delimiter line claims (RFC 2046
  // 5.1.1): the decoded bodies carry no extra line break.
  const auto add_part = [&](std::string_view type, std::string_view body) {
    out += fmt::format("--{}\r\n", boundary);
    out += fmt::format("Content-Type: {}; charset=utf-8\r\n", type);
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    append_base64_lines(out, body);
  };
  add_part("text/plain", text);
  add_part("text/html", html);
  out += fmt::format("--{}--\r\n", boundary);
  return out;
}

}  // namespace arxiv_digest
