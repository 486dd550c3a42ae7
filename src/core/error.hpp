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

// The archive (database) failed. `code` is the backend's error code (SQLite result code).
class StoreError : public Error {
 public:
  StoreError(int code, const std::string& what);
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// Writing an output (file, stdout) failed.
class OutputError : public Error {
 public:
  using Error::Error;
};

}  // namespace arxiv_digest
