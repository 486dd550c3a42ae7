// ByteSource: a stream of bytes read in chunks (a file, standard input, or a decoder over another
// source), so that inputs of any size are read with bounded memory.
//
// Errors: read() throws ParseError naming the source (`source()`, a path or "<stdin>") for an
// I/O failure or corrupt data; the source is then unusable (further reads may throw again).
// Thread-safety: none; one thread reads a source at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace arxiv_digest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills a prefix of `buffer` and returns its size; 0 only at the end of the input (or for an
  // empty buffer). Throws ParseError (see above).
  virtual std::size_t read(std::span<char> buffer) = 0;
  // The name used in error messages.
  virtual const std::string& source() const noexcept = 0;
};

// Opens `path` for reading ("-" = standard input, named "<stdin>"; it is not closed). Throws
// ParseError "<path>: cannot open the file (<reason>)" or "<path>: is a directory". The file is
// read as is; see open_input() for gzip detection.
std::unique_ptr<ByteSource> open_file(const std::string& path);

// open_file(), then a GzipReader over it when the input starts with the gzip magic bytes
// (1f 8b). The returned source yields the decompressed bytes; its name is the path's.
std::unique_ptr<ByteSource> open_input(const std::string& path);

// `bytes` as a source named `source` (tests, fuzzers). Does not copy: `bytes` must outlive it.
std::unique_ptr<ByteSource> memory_source(std::string_view bytes, std::string source);

}  // namespace arxiv_digest
