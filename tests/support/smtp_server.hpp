// SmtpServer: a real SMTP server (OpenSMTPD, Debian package "opensmtpd") on 127.0.0.1 for the
// delivery tests, so e-mail is checked against a real implementation of the protocol instead of
// a fake that agrees with our own reading of the RFCs.
//
// Lifetime: the constructor writes a configuration into its own temporary directory, starts
// `smtpd -d` on a free port and returns once the port accepts connections (it throws
// std::runtime_error, with smtpd's log, when the server exits or does not listen within 5 s).
// The destructor terminates the server's whole process group and waits for it: no process is
// left behind.
//
// Every accepted recipient is delivered by an `mda` to <dir>/mail/<recipient>.<n> (the message
// as received, plus the Received/Return-Path/Delivered-To lines smtpd adds). Recipients in
// SmtpServerOptions::refused are answered "550 Invalid recipient" at RCPT time.
//
// Isolation: smtpd has a compiled-in spool (/var/spool/smtpd) and control socket
// (/var/run/smtpd.sock). Where the kernel allows it (root, CAP_SYS_ADMIN), the server runs in its
// own mount namespace with private directories bound over /var/spool and /run, so several
// servers (ctest -j) run side by side and nothing outside the temporary directory changes.
// Otherwise servers are serialised through a lock file in the temp dir and use the real paths.
//
// Needs root (smtpd refuses to run otherwise) and /usr/sbin/smtpd; see unavailable_reason().
// Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace arxiv_digest::testing {

struct SmtpServerOptions {
  std::vector<std::string> refused;  // recipients refused with 550
};

class SmtpServer {
 public:
  // Why no server can be started here ("install the Debian package opensmtpd ..."), or nullopt.
  static std::optional<std::string> unavailable_reason();

  explicit SmtpServer(SmtpServerOptions options = {});
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:<port>"

  // The messages delivered to `recipient` so far, oldest first.
  std::vector<std::string> mail_for(const std::string& recipient) const;
  // Waits until at least `count` messages were delivered to `recipient` (delivery is
  // asynchronous: the server accepts, then its queue hands the message to the mda), and returns
  // them; returns what there is after `timeout`.
  std::vector<std::string> wait_for_mail(
      const std::string& recipient, std::size_t count,
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  std::string log() const;  // smtpd's output so far

  // A 127.0.0.1 port that nothing listens on at the time of the call.
  static int free_port();

 private:
  void stop() noexcept;

  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  int lock_fd_ = -1;
};

}  // namespace arxiv_digest::testing
