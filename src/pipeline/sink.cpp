#include "pipeline/sink.hpp"

#include <fmt/format.h>

#include <ostream>
#include <system_error>

#include "core/error.hpp"
#include "render/output_writer.hpp"

namespace arxiv_digest {

const RenderedFile* RenderedSet::find(Format format) const {
  for (const RenderedFile& file : files)
    if (file.format == format) return &file;
  return nullptr;
}

FileSink::FileSink(std::filesystem::path dir, std::vector<Format> formats, Archive& archive)
    : dir_(std::move(dir)), formats_(std::move(formats)), archive_(archive) {}

std::filesystem::path FileSink::path_for(Date listing_date, Format format) const {
  return dir_ / fmt::format("{}.{}", format_date(listing_date), file_extension(format));
}

std::vector<Publication> FileSink::publish(const Digest& digest, const RenderedSet& set) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    throw OutputError(
        fmt::format("cannot create the output folder {}: {}", dir_.string(), ec.message()));

  // Phase 1: every file under a temporary name. A throw here removes the staged files.
  std::vector<const RenderedFile*> files;
  for (Format format : formats_) {
    const RenderedFile* file = set.find(format);
    if (file == nullptr)
      throw OutputError(fmt::format("files: the {} format was not rendered", to_string(format)));
    files.push_back(file);
  }
  std::vector<StagedFile> staged;
  staged.reserve(files.size());
  for (const RenderedFile* file : files)
    staged.emplace_back(path_for(digest.listing_date, file->format), file->bytes);
  // Phase 2: the renames, then the record.
  std::vector<Publication> published;
  for (StagedFile& file : staged) file.commit();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const RenderedFile& file = *files[i];
    DigestRecord record;
    record.listing_date = digest.listing_date;
    record.format = std::string(to_string(file.format));
    record.path = staged[i].path().string();
    record.sha256 = file.sha256;
    record.paper_count = digest.papers.size();
    record.generated_at = file.generated_at;
    archive_.record_digest(record);
    published.push_back({name(), record.path, file.format});
  }
  return published;
}

std::vector<Publication> StreamSink::publish(const Digest&, const RenderedSet& set) {
  const RenderedFile* file = set.find(format_);
  if (file == nullptr)
    throw OutputError(fmt::format("{}: the {} format was not rendered", name(), to_string(format_)));
  out_ << file->bytes;
  out_.flush();
  if (!out_) throw OutputError(fmt::format("cannot write the digest to {}", name()));
  return {Publication{name(), "stdout", format_}};
}

}  // namespace arxiv_digest
