#include "deliver/email_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "deliver/email_message.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kDatePlaceholder = "{date}";
constexpr std::string_view kCountPlaceholder = "{count}";

// Fills {date} and {count}; any other brace is a typo in the configuration, not text to send.
std::string fill_template(std::string_view pattern, const std::string& date,
                          const std::string& count) {
  std::string out;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t brace = pattern.find_first_of("{}", at);
    if (brace == std::string_view::npos) {
      out.append(pattern.substr(at));
      break;
    }
    out.append(pattern.substr(at, brace - at));
    const std::string_view rest = pattern.substr(brace);
    if (rest.starts_with(kDatePlaceholder)) {
      out += date;
      at = brace + kDatePlaceholder.size();
    } else if (rest.starts_with(kCountPlaceholder)) {
      out += count;
      at = brace + kCountPlaceholder.size();
    } else {
      throw ConfigError(fmt::format(
          "email subject_template \"{}\": only {{date}} and {{count}} may appear in braces",
          pattern));
    }
  }
  return out;
}

// The value of the variable `name`; ConfigError naming the variable (never a value) when unset.
std::string credential(const std::string& name, std::string_view role) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr)
    throw ConfigError(fmt::format("email: the {} variable {} is not set", role, name));
  return value;
}

}  // namespace

EmailSink::EmailSink(EmailSettings settings, std::string recipient, std::string audience,
                     SmtpSender& sender, Env& env)
    : settings_(std::move(settings)),
      server_(parse_smtp_url(settings_.smtp_url)),
      from_address_(address_of(settings_.from)),
      from_domain_(from_address_.substr(from_address_.find('@') + 1)),
      recipient_(std::move(recipient)),
      audience_(std::move(audience)),
      sender_(sender),
      env_(env) {
  if (!is_plain_address(recipient_))
    throw ConfigError(fmt::format("email recipient \"{}\": not a plain e-mail address",
                                  std::any_of(recipient_.begin(), recipient_.end(),
                                              [](char c) { return c == '\r' || c == '\n'; })
                                      ? std::string("(contains a line break)")
                                      : recipient_));
  if (!settings_.username_env.empty() && settings_.password_env.empty())
    throw ConfigError("email: username_env is set but password_env is not");
  // A password in plain text over the network is worse than no e-mail.
  if (!settings_.username_env.empty() && !server_.implicit_tls && !settings_.starttls)
    throw ConfigError(
        "email: credentials need TLS: use smtps:// or set starttls = true with smtp://");
  if (settings_.timeout <= std::chrono::seconds::zero())
    throw ConfigError("email timeout: must be positive");
  (void)fill_template(settings_.subject_template, "", "");  // refuse a bad template now
}

std::string EmailSink::message_id(Date listing_date) const {
  const std::string date = format_date(listing_date);
  const std::string digest = sha256_hex(audience_ + "\n" + recipient_ + "\n" + date);
  return fmt::format("<arxiv-digest.{}.{}@{}>", date, digest.substr(0, 16), from_domain_);
}

std::string EmailSink::subject(const Digest& digest) const {
  return fill_template(settings_.subject_template, format_date(digest.listing_date),
                       std::to_string(digest.papers.size()));
}

std::vector<Publication> EmailSink::publish(const Digest& digest, const RenderedSet& set) {
  const RenderedFile* text = set.find(Format::kText);
  const RenderedFile* html = set.find(Format::kEmailHtml);
  if (text == nullptr || html == nullptr)
    throw DeliveryError(
        name(), fmt::format("{}: the rendered set lacks the text or email-html format", name()),
        false);
  send(digest.listing_date, subject(digest), text->bytes, html->bytes);
  return {Publication{name(), recipient_, Format::kEmailHtml}};
}

std::vector<Publication> EmailSink::publish_notice(const Notice& notice) {
  // The same two parts as a digest: the text, and a minimal page with the text escaped.
  const std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                           escape_html(notice.title) + "</title></head><body><p>" +
                           escape_html(notice.text) + "</p></body></html>\n";
  send(notice.listing_date, notice.title, notice.text + "\n", html);
  return {Publication{name(), recipient_, Format::kText}};
}

void EmailSink::send(Date listing_date, const std::string& subject_line, const std::string& text,
                     const std::string& html) {
  EmailContent content;
  content.from = settings_.from;
  content.to = recipient_;
  content.subject = subject_line;
  content.date = env_.now();
  content.message_id = message_id(listing_date);
  content.list_id = settings_.list_id.empty() ? "arxiv-digest." + from_domain_ : settings_.list_id;
  content.text = text;
  content.html = html;
  const std::string message = build_email_message(content);

  SmtpEnvelope envelope;
  envelope.channel = name();
  envelope.server = server_;
  envelope.require_starttls = settings_.starttls;
  envelope.ca_file = settings_.ca_file;
  if (!settings_.username_env.empty()) {
    envelope.username = credential(settings_.username_env, "username_env");
    envelope.password = credential(settings_.password_env, "password_env");
  }
  envelope.mail_from = from_address_;
  envelope.recipients = {recipient_};
  const std::chrono::milliseconds total = settings_.timeout;
  envelope.total_timeout = total;
  envelope.connect_timeout = std::min<std::chrono::milliseconds>(total, std::chrono::seconds(10));
  sender_.send(envelope, message);
}

}  // namespace arxiv_digest
