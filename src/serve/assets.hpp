// The web UI's own stylesheet and script, compiled in (no file to find at run time).
#pragma once

#include <optional>
#include <string_view>

namespace arxiv_digest::serve {

struct Asset {
  std::string_view content_type;
  std::string_view text;
};

// "serve.css" or "serve.js" (the path under /static/); nullopt for anything else.
std::optional<Asset> builtin_asset(std::string_view name) noexcept;

}  // namespace arxiv_digest::serve
