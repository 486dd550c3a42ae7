#include "net/caching_http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <iterator>
#include <system_error>
#include <thread>

#include "core/error.hpp"
#include "net/http_url.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kMagic = "arxiv-digest-cache 1";

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

bool has_header(const HttpRequest& request, std::string_view lower_name) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& header) {
    const std::string& name = header.first;
    return name.size() == lower_name.size() &&
           std::equal(name.begin(), name.end(), lower_name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

bool single_line(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

// Splits "key value" header lines of an entry; nullopt if the line is not of that form.
std::optional<std::pair<std::string_view, std::string_view>> split_field(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return std::pair{line.substr(0, space), line.substr(space + 1)};
}

}  // namespace

CachingHttpClient::CachingHttpClient(HttpClient& inner, CachingHttpClientOptions options)
    : inner_(inner), options_(std::move(options)) {
  if (options_.directory.empty()) {
    throw ConfigError("CachingHttpClient: the cache directory must not be empty");
  }
}

std::filesystem::path CachingHttpClient::entry_path(std::string_view url) const {
  return options_.directory / fmt::format("{:016x}.entry", fnv1a64(url));
}

void CachingHttpClient::warn(const std::string& message) const {
  if (options_.on_warning) options_.on_warning(message);
}

std::optional<CachingHttpClient::Entry> CachingHttpClient::load(const std::string& url) const {
  std::ifstream in(entry_path(url), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;

  std::string_view rest(data);
  const auto next_line = [&rest]() -> std::optional<std::string_view> {
    const auto newline = rest.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    const std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    return line;
  };
  if (next_line() != kMagic) return std::nullopt;

  Entry entry;
  std::optional<std::string_view> stored_url;
  std::optional<std::size_t> length;
  std::optional<std::uint64_t> checksum;
  for (;;) {
    const auto line = next_line();
    if (!line) return std::nullopt;  // header never ended
    if (line->empty()) break;
    const auto field = split_field(*line);
    if (!field) return std::nullopt;
    const auto& [key, value] = *field;
    if (key == "url") {
      stored_url = value;
    } else if (key == "etag") {
      entry.etag = std::string(value);
    } else if (key == "last-modified") {
      entry.last_modified = std::string(value);
    } else if (key == "body-length") {
      std::size_t n = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
      length = n;
    } else if (key == "body-fnv1a64") {
      std::uint64_t n = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n, 16);
      if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
      checksum = n;
    } else {
      return std::nullopt;
    }
  }
  if (stored_url != url || !length || !checksum || rest.size() != *length ||
      fnv1a64(rest) != *checksum || (entry.etag.empty() && entry.last_modified.empty())) {
    return std::nullopt;
  }
  entry.body = std::string(rest);
  return entry;
}

void CachingHttpClient::store(const std::string& url, const Entry& entry) const {
  if (!single_line(url) || !single_line(entry.etag) || !single_line(entry.last_modified)) return;
  std::error_code ec;
  std::filesystem::create_directories(options_.directory, ec);
  if (ec) {
    warn(fmt::format("cannot create directory {}: {}", options_.directory.string(), ec.message()));
    return;
  }
  static std::atomic<std::uint64_t> counter{0};
  const std::filesystem::path target = entry_path(url);
  const std::filesystem::path temp =
      target.string() + fmt::format(".tmp.{:x}.{}",
                                    std::hash<std::thread::id>{}(std::this_thread::get_id()),
                                    ++counter);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << kMagic << '\n' << "url " << url << '\n';
    if (!entry.etag.empty()) out << "etag " << entry.etag << '\n';
    if (!entry.last_modified.empty()) out << "last-modified " << entry.last_modified << '\n';
    out << "body-length " << entry.body.size() << '\n'
        << "body-fnv1a64 " << fmt::format("{:016x}", fnv1a64(entry.body)) << "\n\n";
    out.write(entry.body.data(), static_cast<std::streamsize>(entry.body.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temp, ec);
      warn(fmt::format("cannot write {}", temp.string()));
      return;
    }
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    warn(fmt::format("cannot rename {} to {}: {}", temp.string(), target.string(), ec.message()));
    std::filesystem::remove(temp, ec);
  }
}

void CachingHttpClient::remove(const std::string& url) const {
  std::error_code ec;
  const std::filesystem::path target = entry_path(url);
  std::filesystem::remove(target, ec);
  if (ec) warn(fmt::format("cannot remove {}: {}", target.string(), ec.message()));
}

HttpResponse CachingHttpClient::get(const HttpRequest& request) {
  if (!http_url::is_http(request.url) || has_header(request, "if-none-match") ||
      has_header(request, "if-modified-since")) {
    return inner_.get(request);
  }
  std::optional<Entry> entry = load(request.url);
  HttpRequest conditional = request;
  if (entry) {
    if (!entry->etag.empty()) conditional.headers.emplace_back("If-None-Match", entry->etag);
    if (!entry->last_modified.empty()) {
      conditional.headers.emplace_back("If-Modified-Since", entry->last_modified);
    }
  }
  HttpResponse response = inner_.get(conditional);

  if (response.status == 304 && entry) {
    response.status = 200;
    response.body = std::move(entry->body);
    response.from_cache = true;
    if (!entry->etag.empty()) response.headers.try_emplace("etag", entry->etag);
    if (!entry->last_modified.empty()) {
      response.headers.try_emplace("last-modified", entry->last_modified);
    }
    return response;
  }
  if (response.status == 200) {
    Entry fresh{response.header("etag"), response.header("last-modified"), {}};
    if (fresh.etag.empty() && fresh.last_modified.empty()) {
      if (entry) remove(request.url);
    } else {
      fresh.body = response.body;
      store(request.url, fresh);
    }
  }
  return response;
}

}  // namespace arxiv_digest
