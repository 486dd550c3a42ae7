#include "core/error.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/text.hpp"

namespace arxiv_digest {

ParseError::ParseError(std::string source, std::size_t line, std::size_t column, std::string field,
                       const std::string& what)
    : Error(what),
      source_(std::move(source)),
      line_(line),
      column_(column),
      field_(std::move(field)) {}

TransportError::TransportError(std::string url, const std::string& what)
    : Error(what), url_(std::move(url)) {}

HttpStatusError::HttpStatusError(long status, std::string url, const std::string& what)
    : Error(what), status_(status), url_(std::move(url)) {}

StoreError::StoreError(StoreErrorKind kind, const std::string& what) : Error(what), kind_(kind) {}

ParseError error_at(std::string_view source, std::string_view body, std::size_t offset,
                    std::string field, const std::string& message) {
  const TextPosition pos = position_of(body, offset);
  return ParseError(std::string(source), pos.line, pos.column, std::move(field),
                    fmt::format("{}:{}:{}: {}", source, pos.line, pos.column, message));
}

}  // namespace arxiv_digest
