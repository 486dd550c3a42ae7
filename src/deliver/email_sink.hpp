// EmailSink: the digest by e-mail to ONE recipient (a DigestSink: DailyRun publishes it like the
// file sink). One sink per recipient, so a refused address fails only its own channel, the other
// readers still get their copy, and the run report (and a delivery log) is keyed per recipient.
//
// publish() builds the message from the RenderedSet's text and email-html files (never renders
// itself: every channel carries the same bytes) and sends it through the SmtpSender:
//   From            EmailSettings::from;   To: the recipient (nobody sees the other readers)
//   Subject         subject_template with {date} (listing date, YYYY-MM-DD) and {count} (papers)
//   Date            Env::now() at publish time
//   Message-ID      <arxiv-digest.<listing-date>.<16 hex>@<domain of from>>, the hex being the
//                   start of sha256(audience "\n" recipient "\n" listing-date): the same digest
//                   to the same reader always has the same id, so a re-send after a crash is
//                   recognised as a duplicate by mail clients
//   List-Id         EmailSettings::list_id, or "arxiv-digest.<domain of from>" when empty
// Credentials are read from the environment variables named by username_env/password_env at
// send time (never stored in the configuration, never in a message).
//
// Errors: the constructor throws ConfigError for a bad smtp_url, from, recipient or template, or
// credentials over a connection that is not TLS. publish() throws ConfigError naming the
// VARIABLE when a named credential variable is unset, DeliveryError (from the sender) when the
// server fails or refuses, and DeliveryError (not transient) when the set lacks text or
// email-html. Not thread-safe; the SmtpSender and Env must outlive the sink.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "net/smtp_client.hpp"
#include "pipeline/sink.hpp"

namespace arxiv_digest {

class Env;

struct EmailSettings {
  std::string smtp_url;      // smtp://host:port (STARTTLS when starttls) or smtps://host:port
  std::string from;          // "arXiv digest <digest@lab.example.org>" or a bare address
  std::string username_env;  // name of the variable holding the SMTP user; "" = no AUTH
  std::string password_env;  // name of the variable holding the password (required with a user)
  bool starttls = false;     // smtp:// only: require the STARTTLS upgrade (CURLUSESSL_ALL)
  std::string subject_template = "arXiv 每日论文 {date} · {count} 篇";
  std::string list_id;               // "" = "arxiv-digest.<domain of from>"
  std::chrono::seconds timeout{60};  // whole session; connecting gets at most 10 s of it
  std::string ca_file;  // PEM bundle to verify the server with (a self-hosted CA); "" = system
};

class EmailSink final : public DigestSink {
 public:
  EmailSink(EmailSettings settings, std::string recipient, std::string audience, SmtpSender& sender,
            Env& env);

  std::string name() const override { return "email:" + recipient_; }
  std::vector<Format> formats() const override { return {Format::kText, Format::kEmailHtml}; }
  // One Publication{name(), recipient, Format::kEmailHtml}.
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override;
  // The notice as a message of its own: Subject = notice.title, the text and an escaped HTML
  // copy as the two parts, the Message-ID of its listing date. One Publication (kText).
  std::vector<Publication> publish_notice(const Notice& notice) override;

  // The Message-ID the digest of `listing_date` gets for this sink's recipient.
  std::string message_id(Date listing_date) const;
  // The subject of `digest` (decoded form).
  std::string subject(const Digest& digest) const;

 private:
  void send(Date listing_date, const std::string& subject_line, const std::string& text,
            const std::string& html);

  EmailSettings settings_;
  SmtpServerAddress server_;
  std::string from_address_;
  std::string from_domain_;
  std::string recipient_;
  std::string audience_;
  SmtpSender& sender_;
  Env& env_;
};

}  // namespace arxiv_digest
