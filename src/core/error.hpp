// The typed exception family of arxiv-digest.
//
// Policy (see CONTRIBUTING.md): expected outcomes (304 Not Modified, "arXiv made no
// announcement", "paper filtered out") are values. Failures that abort an operation throw one of
// the types below; each carries the data a user needs to act on it. The CLI maps each type to a
// distinct exit code. Library code never prints, exits or aborts.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace arxiv_digest {

// Base of every error this project throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input data: a feed, page, API response, config value or identifier that cannot be read.
// `source` names where the data came from (URL or path), `line`/`column` are 1-based (0 when
// unknown), `field` names the element or key involved (may be empty).
class ParseError : public Error {
 public:
  ParseError(std::string source, std::size_t line, std::size_t column, std::string field,
             const std::string& what);
  const std::string& source() const noexcept { return source_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }
  const std::string& field() const noexcept { return field_; }

 private:
  std::string source_;
  std::size_t line_;
  std::size_t column_;
  std::string field_;
};

// ParseError at byte `offset` of `body` ("source:line:column: message"; line and column computed
// from the offset, columns counting bytes).
[[nodiscard]] ParseError error_at(std::string_view source, std::string_view body,
                                  std::size_t offset, std::string field,
                                  const std::string& message);

// The configuration file is invalid (unknown key, bad value). Message names file, line and key.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A network transfer failed before an HTTP status was obtained (DNS, connect, timeout, reset).
class TransportError : public Error {
 public:
  TransportError(std::string url, const std::string& what);
  const std::string& url() const noexcept { return url_; }

 private:
  std::string url_;
};

// The server answered with a status that means failure, after any retries.
class HttpStatusError : public Error {
 public:
  HttpStatusError(long status, std::string url, const std::string& what);
  long status() const noexcept { return status_; }
  const std::string& url() const noexcept { return url_; }

 private:
  long status_;
  std::string url_;
};

// A fetch returned fewer (or more) papers than the source itself announced, or was cut short.
// Never reported as a quiet day.
class IncompleteFetchError : public Error {
 public:
  using Error::Error;
};

// What went wrong in the archive, whatever its backend.
enum class StoreErrorKind {
  kUnavailable,   // cannot be opened, locked by another writer past the timeout, I/O, disk full
  kCorrupt,       // not an archive (another file, another application's database) or damaged
  kIncompatible,  // written by a newer arxiv-digest
  kRejected,      // data the archive refuses (a constraint, invalid text, a number out of range)
  kClosed,        // used after close()
  kInternal,      // a bug in arxiv-digest (bad SQL, API misuse)
};

// The archive (database) failed; the operation was rolled back. The message names the archive,
// what was being done and the backend's own words; `kind` is backend-neutral.
class StoreError : public Error {
 public:
  StoreError(StoreErrorKind kind, const std::string& what);
  StoreErrorKind kind() const noexcept { return kind_; }

 private:
  StoreErrorKind kind_;
};

// Writing an output (file, stdout) failed.
class OutputError : public Error {
 public:
  using Error::Error;
};

// A delivery channel (email to one recipient, one webhook) failed after its retries. `channel`
// is the channel's name as reports show it ("email:ana@example.org", "webhook:lab-feishu"): never
// a URL, token or password. `transient` says whether retrying later may succeed (a timeout, 429,
// 5xx, SMTP 4xx) or not (authentication refused, SMTP 5xx, a payload the service rejects).
class DeliveryError : public Error {
 public:
  DeliveryError(std::string channel, const std::string& message, bool transient)
      : Error(message), channel_(std::move(channel)), transient_(transient) {}
  const std::string& channel() const noexcept { return channel_; }
  bool transient() const noexcept { return transient_; }

 private:
  std::string channel_;
  bool transient_;
};

}  // namespace arxiv_digest
