// Internal to the render library: the default templates of templates/, compiled in. The
// definition is generated at configure time by src/render/CMakeLists.txt (editing a template
// re-runs CMake), the way src/core/generate_data.cmake embeds data/.
#pragma once

#include <string_view>

namespace arxiv_digest::render_detail {

// File names of the HTML templates, in templates/ and in a user's HtmlOptions::templates_dir.
inline constexpr std::string_view kPageTemplate = "digest.html.mustache";
inline constexpr std::string_view kEmailTemplate = "digest.email.html.mustache";

// The built-in text of template `name` (static storage); empty when there is no such template.
std::string_view builtin_template(std::string_view name) noexcept;

}  // namespace arxiv_digest::render_detail
