// Small URL helpers shared by the HttpClient layers (no percent-decoding, no validation).
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest::http_url {

// Lower-cased scheme before "://" ("http", "file", ...); "" when the URL has no "://" (a plain
// local path).
std::string scheme(std::string_view url);

// True for http:// and https:// URLs.
bool is_http(std::string_view url);

// Lower-cased host of an http(s) URL, without userinfo, port or brackets ("export.arxiv.org",
// "127.0.0.1", "::1"); "" when there is none.
std::string host(std::string_view url);

// True when `host` equals `domain` or is a subdomain of it ("export.arxiv.org" matches
// "arxiv.org"; "notarxiv.org" does not). Both compared case-insensitively.
bool host_matches(std::string_view host, std::string_view domain);

}  // namespace arxiv_digest::http_url
