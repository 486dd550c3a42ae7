#include "store/open_archive.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "store/sqlite_archive.hpp"

namespace arxiv_digest {

std::unique_ptr<Archive> open_archive(const ArchiveLocation& location, Env* env) {
  if (location.backend == "sqlite") {
    SqliteArchiveOptions options;
    options.env = env;
    return std::make_unique<SqliteArchive>(location.path, options);
  }
  throw StoreError(StoreErrorKind::kUnavailable,
                   fmt::format("the '{}' archive backend is not built into this arxiv-digest",
                               location.backend));
}

}  // namespace arxiv_digest
