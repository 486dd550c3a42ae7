#include "net/http_url.hpp"

#include <algorithm>
#include <cctype>

namespace arxiv_digest::http_url {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string scheme(std::string_view url) {
  const auto pos = url.find("://");
  if (pos == std::string_view::npos) return {};
  const std::string_view candidate = url.substr(0, pos);
  const bool valid = !candidate.empty() && std::isalpha(static_cast<unsigned char>(candidate[0])) &&
                     std::all_of(candidate.begin(), candidate.end(), [](unsigned char c) {
                       return std::isalnum(c) || c == '+' || c == '-' || c == '.';
                     });
  return valid ? lower(candidate) : std::string();
}

bool is_http(std::string_view url) {
  const std::string s = scheme(url);
  return s == "http" || s == "https";
}

std::string host(std::string_view url) {
  const auto pos = url.find("://");
  if (pos == std::string_view::npos) return {};
  std::string_view rest = url.substr(pos + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    return lower(rest.substr(1, close == std::string_view::npos ? rest.npos : close - 1));
  }
  return lower(rest.substr(0, rest.find(':')));
}

bool host_matches(std::string_view host_name, std::string_view domain) {
  const std::string h = lower(host_name);
  std::string d = lower(domain);
  if (!d.empty() && d.front() == '.') d.erase(0, 1);
  if (h.empty() || d.empty()) return false;
  if (h == d) return true;
  return h.size() > d.size() && h.compare(h.size() - d.size(), d.size(), d) == 0 &&
         h[h.size() - d.size() - 1] == '.';
}

}  // namespace arxiv_digest::http_url
