#include "core/error.hpp"

#include <utility>

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

StoreError::StoreError(int code, const std::string& what) : Error(what), code_(code) {}

}  // namespace arxiv_digest
