#include "serve/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <mutex>

#include "core/error.hpp"

namespace arxiv_digest::serve {

ListenAddress parse_listen(std::string_view text) {
  auto fail = [&](std::string_view why) -> ConfigError {
    return ConfigError(fmt::format("--listen '{}': {} (expected HOST:PORT like 127.0.0.1:8080)", text, why));
  };
  ListenAddress address;
  std::string_view port_text = text;
  if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) throw fail("the host is empty");
    if (host.find_first_of(" /[]") != std::string_view::npos) throw fail("the host is not a name or address");
    address.host = std::string(host);
  }
  int port = -1;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535)
    throw fail("the port is not a number from 0 to 65535");
  address.port = port;
  return address;
}

struct WebServer::Impl {
  Site& site;
  ServerOptions options;
  httplib::Server server;
  std::mutex site_mutex;  // Site::handle uses the archive, which is not thread-safe
  int port = 0;

  Impl(Site& s, ServerOptions o) : site(s), options(std::move(o)) {}
};

WebServer::WebServer(Site& site, ServerOptions options)
    : impl_(std::make_unique<Impl>(site, std::move(options))) {
  Impl& impl = *impl_;
  impl.server.set_read_timeout(impl.options.read_timeout.count(), 0);
  impl.server.set_write_timeout(impl.options.write_timeout.count(), 0);
  impl.server.set_keep_alive_max_count(100);
  impl.server.set_payload_max_length(1024);
  // httplib's default also sets SO_REUSEPORT, which would let a second server (any process of the
  // same user) bind the same port and take part of the requests; keep SO_REUSEADDR only, so a
  // port in use is an error.
  impl.server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Every method and path goes to the Site (which answers 405 to anything but GET/HEAD), before
  // httplib would read a request body.
  impl.server.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    Request request;
    request.method = req.method;
    request.path = req.path;
    for (const auto& [key, value] : req.params) request.params.emplace_back(key, value);
    // httplib keeps params in a multimap (sorted by key); the first value of a key is what counts.
    Response response;
    {
      const std::lock_guard lock(impl.site_mutex);
      response = impl.site.handle(request);
    }
    res.status = response.status;
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    res.set_content(std::move(response.body), response.content_type);
    return httplib::Server::HandlerResponse::Handled;
  });
  const ListenAddress& listen = impl.options.listen;
  if (listen.port == 0) {
    impl.port = impl.server.bind_to_any_port(listen.host);
  } else if (impl.server.bind_to_port(listen.host, listen.port)) {
    impl.port = listen.port;
  } else {
    impl.port = -1;
  }
  if (impl.port <= 0)
    throw TransportError(fmt::format("http://{}:{}", listen.host, listen.port),
                         fmt::format("cannot listen on {}:{} (address in use or not local?)",
                                     listen.host, listen.port));
}

WebServer::~WebServer() { stop(); }

int WebServer::port() const noexcept { return impl_->port; }

std::string WebServer::url() const {
  const std::string& host = impl_->options.listen.host;
  return host.find(':') != std::string::npos ? fmt::format("http://[{}]:{}", host, impl_->port)
                                             : fmt::format("http://{}:{}", host, impl_->port);
}

bool WebServer::run() { return impl_->server.listen_after_bind(); }

void WebServer::stop() { impl_->server.stop(); }

}  // namespace arxiv_digest::serve
