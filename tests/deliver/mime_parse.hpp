// Reads an e-mail message back with a real, independent MIME implementation: Python 3's `email`
// package (strict policy: any defect is an error), run as a subprocess. Used by the deliver tests
// so that what we build is checked by someone else's reading of RFC 5322/2045/2047, not ours.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::testing {

struct ParsedPart {
  std::string content_type;  // "text/plain"
  std::string charset;
  std::string transfer_encoding;
  std::string payload;  // decoded bytes
};

struct ParsedMail {
  std::map<std::string, std::vector<std::string>> headers;  // decoded values, in order
  std::string content_type;
  std::string date_iso;      // the Date header as ISO 8601 ("2026-06-18T11:52:58+00:00")
  std::string from_address;  // addr-spec of From
  std::string from_display;  // decoded display name of From
  std::vector<ParsedPart> parts;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() || it->second.empty() ? std::string() : it->second.front();
  }
};

inline constexpr const char* kMimeParser = R"PY(
import sys, json, email, email.policy
data = open(sys.argv[1], 'rb').read()
policy = email.policy.default.clone(raise_on_defect=True)
msg = email.message_from_bytes(data, policy=policy)
if msg.defects:
    raise SystemExit('defects: %r' % msg.defects)
out = {'headers': {}, 'content_type': msg.get_content_type(), 'parts': []}
for name in msg.keys():
    out['headers'].setdefault(name, []).extend(str(v) for v in msg.get_all(name))
if msg['Date'] is not None:
    out['date_iso'] = msg['Date'].datetime.isoformat()
if msg['From'] is not None:
    address = msg['From'].addresses[0]
    out['from_address'] = address.addr_spec
    out['from_display'] = address.display_name
if msg.is_multipart():
    for part in msg.iter_parts():
        if part.defects:
            raise SystemExit('part defects: %r' % part.defects)
        out['parts'].append({
            'content_type': part.get_content_type(),
            'charset': part.get_content_charset() or '',
            'cte': part.get('Content-Transfer-Encoding', ''),
            'payload_hex': part.get_payload(decode=True).hex()})
print(json.dumps(out))
)PY";

inline std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

// Parses `message` with Python's email package. Fails the current test (and returns an empty
// ParsedMail) when python3 is missing or the message does not parse strictly.
inline ParsedMail parse_mail(const std::string& message) {
  TempDir dir;
  write_file(dir / "parse.py", kMimeParser);
  write_file(dir / "message.eml", message);
  const ProcessResult result = run_process(
      "/usr/bin/python3", {(dir / "parse.py").string(), (dir / "message.eml").string()});
  ParsedMail mail;
  if (result.exit_code != 0) {
    ADD_FAILURE() << "python3 email could not parse the message: " << result.err;
    return mail;
  }
  const auto json = nlohmann::json::parse(result.out);
  for (const auto& [name, values] : json.at("headers").items())
    mail.headers[name] = values.get<std::vector<std::string>>();
  mail.content_type = json.at("content_type").get<std::string>();
  mail.date_iso = json.value("date_iso", "");
  mail.from_address = json.value("from_address", "");
  mail.from_display = json.value("from_display", "");
  for (const auto& part : json.at("parts")) {
    mail.parts.push_back(ParsedPart{
        part.at("content_type").get<std::string>(), part.at("charset").get<std::string>(),
        part.at("cte").get<std::string>(), from_hex(part.at("payload_hex").get<std::string>())});
  }
  return mail;
}

// `text` with every CRLF turned back into LF (the rendered form of a canonical text part).
inline std::string crlf_to_lf(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace arxiv_digest::testing
