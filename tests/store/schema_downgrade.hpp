// What the migration tests run to turn a current archive back into one an older arxiv-digest
// wrote, one schema version at a time (each undoes one migration of sqlite_archive.cpp), so
// opening it again must migrate it forward with its data kept.
#pragma once

namespace arxiv_digest::testing {

// 7 -> 6 -> 5: no index_builds table; then papers_fts back to one entry per stored version (left empty: the forward migration
// drops it), the SHA-256 columns and their indexes back (empty: dropped again going forward),
// no id_rank.
inline constexpr const char* kBackToSchemaFive = R"sql(
DROP TABLE index_builds;
DROP TABLE papers_fts;
DROP INDEX papers_by_id_rank;
DROP TABLE id_archives;
ALTER TABLE papers DROP COLUMN id_rank;
ALTER TABLE papers ADD COLUMN title_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE papers ADD COLUMN abstract_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX papers_by_title_sha256 ON papers (title_sha256);
CREATE INDEX papers_by_abstract_sha256 ON papers (abstract_sha256);
CREATE VIRTUAL TABLE papers_fts USING fts5 (
  title, abstract, authors, categories, comments,
  content = '', columnsize = 0, detail = column, tokenize = 'unicode61 remove_diacritics 2'
);
PRAGMA user_version = 5;
)sql";

}  // namespace arxiv_digest::testing
