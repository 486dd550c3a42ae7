// Content hashes: translation cache keys and the record of written digests.
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest {

// Lower-case hex SHA-256 of `bytes`. Throws Error only if the crypto library fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace arxiv_digest
