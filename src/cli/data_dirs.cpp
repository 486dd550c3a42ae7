#include "cli/data_dirs.hpp"

#include <system_error>

namespace arxiv_digest {
namespace {

bool is_dir(const std::filesystem::path& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::is_directory(path, ec);
}

}  // namespace

std::filesystem::path installed_data_dir() {
  std::error_code ec;
  // Linux: the running executable, whatever the current directory or argv[0] say.
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = exe.parent_path().parent_path() / "share" / "arxiv-digest";
    if (is_dir(beside)) return beside;
  }
  const std::filesystem::path prefix = ARXIV_DIGEST_INSTALLED_DATA_DIR;
  if (is_dir(prefix)) return prefix;
  return {};
}

std::filesystem::path source_dir() {
  const std::filesystem::path dir = ARXIV_DIGEST_SOURCE_DIR;
  return is_dir(dir) ? dir : std::filesystem::path();
}

}  // namespace arxiv_digest
