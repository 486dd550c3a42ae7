// Where the files that ship beside the binary are found: KaTeX, the sample day, the templates
// and prompts (copies for users to start from), the man page.
//
// An installed binary looks first next to itself (<dir of the executable>/../share/arxiv-digest,
// so a relocated install or an unpacked .deb works), then in the install prefix it was built for
// (CMAKE_INSTALL_PREFIX). A binary run from its build folder falls back to the source folder.
#pragma once

#include <filesystem>

namespace arxiv_digest {

// The first existing installed data folder (…/share/arxiv-digest) as described above; empty
// when the binary is not installed.
std::filesystem::path installed_data_dir();

// The source checkout the binary was built from (for a binary run from its build folder); empty
// when that folder no longer exists.
std::filesystem::path source_dir();

}  // namespace arxiv_digest
