// Shared pieces of the HttpClient tests (http_*_test.cpp).
#pragma once

#include <chrono>
#include <string>

#include "net/curl_http_client.hpp"
#include "net/polite_http_client.hpp"

namespace arxiv_digest::testing {

inline constexpr const char* kTestUserAgent =
    "arxiv-digest-test/0.1 (+https://example.invalid/arxiv-digest; mailto:tests@example.invalid)";

inline CurlHttpClientOptions test_curl_options() {
  CurlHttpClientOptions options;
  options.user_agent = kTestUserAgent;
  return options;
}

}  // namespace arxiv_digest::testing
