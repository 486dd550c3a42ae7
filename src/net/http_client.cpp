#include "net/http_client.hpp"

namespace arxiv_digest {

std::string HttpResponse::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

}  // namespace arxiv_digest
