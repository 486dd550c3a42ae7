// The digest as one e-mail message: RFC 5322 headers and a MIME multipart/alternative body with
// the plain-text rendering first and the HTML rendering last (RFC 2046 5.1.4: clients show the
// last part they can display, so the best one goes last).
//
// Pure functions: no I/O, no clock (the Date header comes from EmailContent::date). Output uses
// CRLF line endings throughout, body lines and encoded-word header lines are at most 76
// characters (other header lines are as long as their values, which RFC 5322 allows up to 998),
// so it can go to libcurl as is (libcurl dot-stuffs "CRLF." itself).
//
// Encoding choices, and why:
//   - Both parts are base64 (RFC 2045 6.8), not quoted-printable: the digest is largely Chinese,
//     which QP triples (=E6=AF=8F per 3 bytes) while base64 costs 4/3; base64 lines never start
//     with '.', never end in whitespace a relay could strip, and never contain '-' or '_', so the
//     boundary (which has both) cannot occur inside a part.
//   - Part bodies are in canonical form (RFC 2046 4.1.1: text line breaks are CRLF): the rendered
//     LF line ends become CRLF before encoding; decoding and turning CRLF back into LF gives the
//     rendered bytes exactly.
//   - The Subject (and a non-ASCII display name in From) become RFC 2047 "B" encoded-words in
//     UTF-8 only when they are not plain ASCII, split on code-point boundaries and folded so that
//     every header line stays within 76 characters.
//
// Header injection is impossible: a CR, LF or other control character in any header value is
// refused (ConfigError naming the header, not quoting the value), as are addresses that are not a
// plain addr-spec.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace arxiv_digest {

struct EmailContent {
  std::string from;     // "ana@example.org" or "Display Name <ana@example.org>"
  std::string to;       // one bare address: one message per reader, nobody sees the others
  std::string subject;  // UTF-8
  std::chrono::sys_seconds date{};
  std::string message_id;  // "<left@right>"
  std::string list_id;     // "label.domain" or "Phrase <label.domain>"; "" = no List-Id header
  std::string text;        // text/plain body as rendered (UTF-8, LF or CRLF line ends)
  std::string html;        // text/html body as rendered
};

// The whole message. Deterministic: the same content gives the same bytes (the boundary is
// derived from the parts), so a re-send after a crash is byte-identical. Throws ConfigError as
// described above.
std::string build_email_message(const EmailContent& content);

// `text` as an unstructured header value: unchanged when printable ASCII, else UTF-8 "B"
// encoded-words separated by CRLF SPACE, the first fitting after `first_line_used` characters
// (e.g. strlen("Subject: ")) and each line at most 76 characters. Invalid UTF-8 is encoded as is
// (never split inside a sequence that looks like one).
std::string encode_header_text(std::string_view text, std::size_t first_line_used);

// "Thu, 18 Jun 2026 11:52:58 +0000" (RFC 5322 3.3, in UTC).
std::string rfc5322_date(std::chrono::sys_seconds at);

// The addr-spec of a From value ("Name <a@b>" or "a@b"); throws ConfigError when there is none.
std::string address_of(std::string_view mailbox);

// True for a plain addr-spec we are willing to put in an envelope and a header: one '@', a
// non-empty local part and domain, printable ASCII without spaces, quotes, angle brackets,
// commas, semicolons or backslashes.
bool is_plain_address(std::string_view address);

}  // namespace arxiv_digest
