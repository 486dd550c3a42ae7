// Streaming gzip decompression (see gzip_reader.hpp).
#include "sources/gzip_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "core/error.hpp"

namespace arxiv_digest {

Inflater::Inflater() : stream_(std::make_unique<z_stream>()) {
  if (inflateInit2(stream_.get(), 15 + 32) != Z_OK) {
    stream_.reset();
    throw Error("zlib: cannot initialise inflate");
  }
}

Inflater::~Inflater() {
  if (stream_) inflateEnd(stream_.get());
}

Inflater::Inflater(Inflater&& other) noexcept : stream_(std::exchange(other.stream_, nullptr)) {}

Inflater& Inflater::operator=(Inflater&& other) noexcept {
  if (this != &other) {
    if (stream_) inflateEnd(stream_.get());
    stream_ = std::exchange(other.stream_, nullptr);
  }
  return *this;
}

void Inflater::reset() { inflateReset(stream_.get()); }

GzipReader::GzipReader(std::unique_ptr<ByteSource> compressed)
    : compressed_(std::move(compressed)), in_(std::size_t{1} << 16) {}

bool GzipReader::refill() {
  if (input_done_) return false;
  const std::size_t n = compressed_->read(in_);
  if (n == 0) {
    input_done_ = true;
    return false;
  }
  z_stream& z = inflater_.stream();
  z.next_in = reinterpret_cast<Bytef*>(in_.data());
  z.avail_in = static_cast<uInt>(n);
  return true;
}

std::size_t GzipReader::read(std::span<char> buffer) {
  if (buffer.empty()) return 0;
  z_stream& z = inflater_.stream();
  const auto size = static_cast<uInt>(std::min<std::size_t>(buffer.size(), UINT_MAX));
  z.next_out = reinterpret_cast<Bytef*>(buffer.data());
  z.avail_out = size;
  while (z.avail_out == size) {
    if (z.avail_in == 0 && !refill()) {
      if (in_member_)
        throw ParseError(source(), 0, 0, "", fmt::format("{}: truncated gzip data", source()));
      break;  // the end, between members
    }
    in_member_ = true;
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      inflater_.reset();  // a concatenated member may follow
      in_member_ = false;
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) continue;  // needs more input
    if (rc != Z_OK)
      throw ParseError(source(), 0, 0, "",
                       fmt::format("{}: corrupt gzip data ({})", source(),
                                   z.msg != nullptr ? z.msg : fmt::format("zlib error {}", rc)));
  }
  return size - z.avail_out;
}

}  // namespace arxiv_digest
