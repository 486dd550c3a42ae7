// The one place that picks the archive's backend. Callers (the cli, the daemon, the web UI) pass
// what the configuration says; nothing else names a backend class.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "core/env.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

struct ArchiveLocation {
  std::string_view backend = "sqlite";  // "sqlite" (a file, or ":memory:")
  std::filesystem::path path;           // sqlite: the file
};

// Opens (creating and migrating when needed) the archive. `env` (may be null: the system's)
// stamps recorded times and must outlive the archive. Throws StoreError (kind kUnavailable for
// a backend this build does not have) as the backend's constructor does.
std::unique_ptr<Archive> open_archive(const ArchiveLocation& location, Env* env = nullptr);

}  // namespace arxiv_digest
