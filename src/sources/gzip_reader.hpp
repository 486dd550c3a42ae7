// Streaming gzip (and zlib) decompression: GzipReader turns a ByteSource of compressed bytes into
// a ByteSource of the decompressed bytes, chunk by chunk, so a compressed corpus of any size is
// read with bounded memory (two 64 KiB buffers). Concatenated gzip members (as `cat a.gz b.gz`
// or pigz produce) are read as one stream.
//
// Errors: read() throws ParseError naming the source for corrupt data ("corrupt gzip data"),
// input that ends inside a member ("truncated gzip data"), and whatever the inner source throws.
// Bytes returned before the error stay valid: a reader may use everything up to the failure.
// Thread-safety: none (one thread at a time); instances are movable, not copyable.
#pragma once

#include <zlib.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sources/byte_source.hpp"

namespace arxiv_digest {

// zlib's inflate state, owned: move-only RAII wrapper over z_stream (inflateInit2 in the
// constructor, inflateEnd in the destructor). A moved-from Inflater holds nothing.
class Inflater {
 public:
  // Accepts gzip and zlib headers (window bits 15 + 32). Throws Error when zlib cannot
  // allocate its state.
  Inflater();
  ~Inflater();
  Inflater(Inflater&& other) noexcept;
  Inflater& operator=(Inflater&& other) noexcept;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  z_stream& stream() noexcept { return *stream_; }
  // Starts a new member (after Z_STREAM_END); keeps the allocated state.
  void reset();

 private:
  // Heap-allocated: zlib keeps a pointer back to the z_stream, so it must not move.
  std::unique_ptr<z_stream> stream_;
};

class GzipReader final : public ByteSource {
 public:
  // Reads compressed bytes from `compressed` (owned). Throws Error if zlib cannot initialise.
  explicit GzipReader(std::unique_ptr<ByteSource> compressed);

  std::size_t read(std::span<char> buffer) override;
  const std::string& source() const noexcept override { return compressed_->source(); }

 private:
  bool refill();  // false at the end of the compressed input

  std::unique_ptr<ByteSource> compressed_;
  Inflater inflater_;
  std::vector<char> in_;
  bool in_member_ = false;   // inside a gzip member (its end not yet seen)
  bool input_done_ = false;  // the compressed source is exhausted
};

}  // namespace arxiv_digest
