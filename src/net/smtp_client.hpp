// SmtpSender: the seam for sending one e-mail message over SMTP (deliver's email channel).
//
// CurlSmtpSender performs one libcurl SMTP session per send() (its own easy handle, so send() may
// be called concurrently from several threads): connect, optional STARTTLS, optional AUTH,
// MAIL FROM, one RCPT TO per recipient, DATA with the message bytes, QUIT. libcurl dot-stuffs the
// body ("CRLF." becomes "CRLF..") itself, matching CRLF sequences only: pass a message whose line
// endings are all CRLF (build_email_message does).
//
// Errors: every failure is a DeliveryError naming `SmtpEnvelope::channel` and the server as
// host:port only (never the password, never a URL with credentials), with the server's reply
// code and text when the server answered. transient() is true for failures that may succeed later
// (no connection, timeout, connection lost, SMTP 4xx) and false for those that will not
// (authentication refused 535, any other 5xx such as a refused recipient, TLS required but not
// offered, certificate problems).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

// Where an SMTP server is, from "smtp://host[:port]" (plain, or STARTTLS when required) or
// "smtps://host[:port]" (implicit TLS). Default ports are libcurl's: 25 and 465.
struct SmtpServerAddress {
  bool implicit_tls = false;  // smtps://
  std::string host;           // a name, an IPv4 address or "[v6]"
  int port = 0;

  std::string host_port() const;  // "host:port", the only form messages show
  std::string url() const;        // "smtp://host:port" or "smtps://host:port"
};

// Parses an smtp_url. Throws ConfigError for another scheme, a missing host, a bad port, a path,
// and for credentials in the URL (they belong in environment variables); the message never
// repeats the URL when it might contain credentials.
SmtpServerAddress parse_smtp_url(std::string_view url);

// One message's transfer: the server, the session options and the SMTP envelope. The envelope
// addresses are bare addr-specs ("ana@example.org", no angle brackets), checked by the caller.
struct SmtpEnvelope {
  std::string channel;  // for DeliveryError ("email:ana@example.org")
  SmtpServerAddress server;
  bool require_starttls = false;  // smtp:// only: fail unless the session upgrades to TLS
  std::string ca_file;            // PEM bundle to verify the server with; "" = the system's
  std::string username;           // "" = no AUTH
  std::string password;
  std::string mail_from;
  std::vector<std::string> recipients;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
};

class SmtpSender {
 public:
  virtual ~SmtpSender() = default;
  // Sends `message` (RFC 5322, CRLF line endings) to every envelope recipient; returns once the
  // server accepted it for delivery. Throws DeliveryError (see the file comment).
  virtual void send(const SmtpEnvelope& envelope, std::string_view message) = 0;
};

namespace curl {
class CurlGlobal;
}

class CurlSmtpSender final : public SmtpSender {
 public:
  // Throws TransportError if libcurl cannot be initialised.
  CurlSmtpSender();
  ~CurlSmtpSender() override;
  CurlSmtpSender(const CurlSmtpSender&) = delete;
  CurlSmtpSender& operator=(const CurlSmtpSender&) = delete;

  void send(const SmtpEnvelope& envelope, std::string_view message) override;

  // A session that sends nothing (`config check --online`): connect, EHLO, STARTTLS and AUTH as
  // send() would with `envelope` (its sender and recipients are ignored), then NOOP and QUIT.
  // Throws DeliveryError as send() does.
  void check(const SmtpEnvelope& envelope);

 private:
  std::unique_ptr<curl::CurlGlobal> global_;
};

}  // namespace arxiv_digest
