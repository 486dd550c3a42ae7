#include "support/fixture_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace arxiv_digest::testing {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::chrono::sys_seconds when) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(when);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss time{when - day};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
                     kDays[std::chrono::weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::string gzip(std::string_view input) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(input.size())), '\0');
  // zlib's API is not const-correct; it does not modify the input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::optional<std::string> read_whole(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Sends `body` declaring `declared` bytes; drops the connection after the body when shorter.
void send_body(httplib::Response& res, std::string body, const std::string& content_type,
               std::optional<std::size_t> declared) {
  const std::size_t length = declared.value_or(body.size());
  if (length == 0) {
    res.set_content("", content_type);
    return;
  }
  // A provider with a known length is sent as is (cpp-httplib never compresses it).
  auto bytes = std::make_shared<const std::string>(std::move(body));
  res.set_content_provider(
      length, content_type,
      [bytes, length](std::size_t offset, std::size_t, httplib::DataSink& sink) {
        const std::size_t end = std::min(bytes->size(), length);
        if (offset < end && !sink.write(bytes->data() + offset, end - offset)) return false;
        return end >= length;  // false: cpp-httplib closes the connection mid-body
      });
}

struct Route {
  std::optional<std::filesystem::path> file;
  std::string bytes;
  ServeOptions options;
};

struct Mount {
  std::string prefix;
  std::filesystem::path directory;
  ServeOptions options;
};

}  // namespace

std::string RecordedRequest::header(std::string_view lower_name) const {
  const auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

struct FixtureServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = -1;

  mutable std::mutex mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::map<std::string, std::deque<ScriptedResponse>> scripted;
  std::map<std::string, Route> routes;
  std::vector<Mount> mounts;
  std::vector<RecordedRequest> records;
  std::map<std::string, std::size_t, std::less<>> counts;

  void handle(const httplib::Request& req, httplib::Response& res);
  void answer_scripted(ScriptedResponse response, httplib::Response& res);
  void answer_content(const httplib::Request& req, httplib::Response& res, std::string bytes,
                      const std::string& last_modified, const ServeOptions& options);
};

void FixtureServer::Impl::handle(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest record;
  record.arrived = std::chrono::steady_clock::now();
  record.path = req.path;
  record.target = req.target;
  for (const auto& [name, value] : req.headers) record.headers.emplace(lower(name), value);

  std::optional<ScriptedResponse> one_shot;
  std::optional<Route> route;
  std::optional<Mount> mount;
  {
    const std::lock_guard lock(mutex);
    records.push_back(record);
    ++counts[req.path];
    for (const std::string& key : {req.target, req.path}) {
      auto it = scripted.find(key);
      if (it != scripted.end() && !it->second.empty()) {
        one_shot = std::move(it->second.front());
        it->second.pop_front();
        break;
      }
    }
    if (!one_shot) {
      if (auto it = routes.find(req.target); it != routes.end()) {
        route = it->second;
      } else if (it = routes.find(req.path); it != routes.end()) {
        route = it->second;
      } else {
        for (const Mount& candidate : mounts) {
          if (req.path.rfind(candidate.prefix, 0) == 0 &&
              (!mount || candidate.prefix.size() > mount->prefix.size())) {
            mount = candidate;
          }
        }
      }
    }
  }

  if (one_shot) {
    answer_scripted(std::move(*one_shot), res);
  } else if (route && route->file) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(*route->file, ec);
    auto bytes = read_whole(*route->file);
    if (!bytes || ec) {
      res.status = 404;
      res.set_content(fmt::format("fixture file missing: {}", route->file->string()), "text/plain");
      return;
    }
    answer_content(
        req, res, std::move(*bytes),
        http_date(std::chrono::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(mtime))),
        route->options);
  } else if (route) {
    answer_content(req, res, route->bytes, "Mon, 02 Feb 2026 01:00:00 GMT", route->options);
  } else if (mount) {
    const std::filesystem::path relative(req.path.substr(mount->prefix.size()));
    const bool escapes =
        std::any_of(relative.begin(), relative.end(),
                    [](const std::filesystem::path& part) { return part == ".."; });
    const std::filesystem::path file = mount->directory / relative.relative_path();
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(file, ec);
    auto bytes = escapes || ec ? std::nullopt : read_whole(file);
    if (!bytes) {
      res.status = 404;
      res.set_content(fmt::format("no fixture for {}", req.target), "text/plain");
      return;
    }
    answer_content(
        req, res, std::move(*bytes),
        http_date(std::chrono::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(mtime))),
        mount->options);
  } else {
    res.status = 404;
    res.set_content(fmt::format("no fixture for {}", req.target), "text/plain");
  }
}

void FixtureServer::Impl::answer_scripted(ScriptedResponse response, httplib::Response& res) {
  if (response.delay > std::chrono::milliseconds{0}) {
    std::unique_lock lock(mutex);
    stop_cv.wait_for(lock, response.delay, [this] { return stopping; });
  }
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  send_body(res, std::move(response.body), response.content_type, response.declared_length);
}

void FixtureServer::Impl::answer_content(const httplib::Request& req, httplib::Response& res,
                                         std::string bytes, const std::string& last_modified,
                                         const ServeOptions& options) {
  if (options.validators) {
    const std::string etag = fmt::format("\"{:016x}\"", fnv1a64(bytes));
    res.set_header("ETag", etag);
    res.set_header("Last-Modified", last_modified);
    const std::string if_none_match = req.get_header_value("If-None-Match");
    const bool not_modified =
        !if_none_match.empty()
            ? (if_none_match == "*" || if_none_match.find(etag) != std::string::npos)
            : req.get_header_value("If-Modified-Since") == last_modified;
    if (not_modified) {
      res.status = 304;
      return;
    }
  }
  res.status = 200;
  if (options.gzip &&
      lower(req.get_header_value("Accept-Encoding")).find("gzip") != std::string::npos) {
    bytes = gzip(bytes);
    res.set_header("Content-Encoding", "gzip");
    res.set_header("Vary", "Accept-Encoding");
  }
  send_body(res, std::move(bytes), options.content_type, std::nullopt);
}

FixtureServer::FixtureServer(int port) : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.server.Get(".*", [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.handle(req, res);
  });
  if (port == 0) {
    impl.port = impl.server.bind_to_any_port("127.0.0.1");
  } else if (impl.server.bind_to_port("127.0.0.1", port)) {
    impl.port = port;
  }
  if (impl.port <= 0) {
    throw std::runtime_error(fmt::format("FixtureServer: cannot bind 127.0.0.1:{}", port));
  }
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  for (int i = 0; i < 500 && !impl.server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }
}

FixtureServer::~FixtureServer() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int FixtureServer::port() const { return impl_->port; }

std::string FixtureServer::base_url() const {
  return fmt::format("http://127.0.0.1:{}", impl_->port);
}

std::string FixtureServer::url(std::string_view target) const {
  return base_url() + std::string(target);
}

void FixtureServer::mount(std::string url_prefix, std::filesystem::path directory,
                          ServeOptions options) {
  const std::lock_guard lock(impl_->mutex);
  impl_->mounts.push_back({std::move(url_prefix), std::move(directory), std::move(options)});
}

void FixtureServer::serve_file(std::string target, std::filesystem::path file,
                               ServeOptions options) {
  const std::lock_guard lock(impl_->mutex);
  impl_->routes[std::move(target)] = Route{std::move(file), {}, std::move(options)};
}

void FixtureServer::serve_bytes(std::string target, std::string body, ServeOptions options) {
  const std::lock_guard lock(impl_->mutex);
  impl_->routes[std::move(target)] = Route{std::nullopt, std::move(body), std::move(options)};
}

void FixtureServer::enqueue(std::string target_or_path, ScriptedResponse response) {
  const std::lock_guard lock(impl_->mutex);
  impl_->scripted[std::move(target_or_path)].push_back(std::move(response));
}

std::size_t FixtureServer::pending_scripted() const {
  const std::lock_guard lock(impl_->mutex);
  std::size_t total = 0;
  for (const auto& [key, queue] : impl_->scripted) total += queue.size();
  return total;
}

std::size_t FixtureServer::request_count(std::string_view path) const {
  const std::lock_guard lock(impl_->mutex);
  const auto it = impl_->counts.find(path);
  return it == impl_->counts.end() ? 0 : it->second;
}

std::vector<RecordedRequest> FixtureServer::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::vector<RecordedRequest> FixtureServer::requests_for(std::string_view path) const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<RecordedRequest> out;
  std::copy_if(impl_->records.begin(), impl_->records.end(), std::back_inserter(out),
               [&](const RecordedRequest& r) { return r.path == path; });
  return out;
}

void FixtureServer::clear_records() {
  const std::lock_guard lock(impl_->mutex);
  impl_->records.clear();
  impl_->counts.clear();
}

}  // namespace arxiv_digest::testing
