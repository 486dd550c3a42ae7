// Reading back a digest's JSON file (docs/json-schema.md) into the core Digest.
//
// The archive records which files a run wrote (Archive::digests_for) but not the digest itself:
// which papers each topic selected, why, and their translations live only in the digest's files.
// The JSON one is the complete, documented copy, so the web UI reads it back instead of
// re-matching the day (which would need the configuration of the run that made it).
#pragma once

#include <string_view>

#include "core/topic.hpp"

namespace arxiv_digest::serve {

// Parses a JSON digest of schema version 1. `source` names the file in errors. Throws ParseError
// (source, the offending key as field) for text that is not JSON, another schema version, a
// missing or mistyped key, a bad id or date, or a topic naming a paper that is not in `papers`.
// Keys it does not know are ignored (the schema's compatibility rule).
Digest digest_from_json(std::string_view text, std::string_view source);

}  // namespace arxiv_digest::serve
