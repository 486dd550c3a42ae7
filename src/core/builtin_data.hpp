// Internal (not installed, not for other modules): the bundled-data tables that
// src/core/generate_data.cmake generates at configure time from data/. Use the public API in
// calendar.hpp / taxonomy.hpp instead.
#pragma once

#include <span>

#include "core/calendar.hpp"
#include "core/taxonomy.hpp"

namespace arxiv_digest::detail {

// data/holidays.txt: sorted, unique, every date a valid Monday-Friday (checked at compile time).
std::span<const Date> builtin_holiday_table() noexcept;
// data/arxiv_category_def.json: sorted by code, codes unique (checked at compile time). The
// string_views point to static storage.
std::span<const CategoryInfo> category_table() noexcept;

}  // namespace arxiv_digest::detail
