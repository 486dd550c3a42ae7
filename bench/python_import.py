#!/usr/bin/env python3
"""The Python baseline of `arxiv-digest import` (issue 11): the same JSON Lines records (plain or
gzip) into SQLite with only the standard library: json + sqlite3, one papers table and an FTS5
table over title, abstract and authors, rebuilt once at the end (the cheapest way to index in
bulk). Usage: python_import.py ARCHIVE FILE... ; prints "records seconds" on stdout."""
import gzip
import json
import sqlite3
import sys
import time


def open_any(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rt", encoding="utf-8") if magic == b"\x1f\x8b" else open(path, encoding="utf-8")


def main():
    start = time.monotonic()
    db = sqlite3.connect(sys.argv[1])
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS papers (id TEXT PRIMARY KEY, title TEXT, abstract TEXT,"
               " authors TEXT, categories TEXT, update_date TEXT)")
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(title, abstract, authors,"
               " content='papers', content_rowid='rowid')")
    count = 0
    batch = []
    for path in sys.argv[2:]:
        with open_any(path) as f:
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)
                batch.append((r["id"], r.get("title") or "", r.get("abstract") or "",
                              r.get("authors") or "", r.get("categories") or "",
                              r.get("update_date")))
                if len(batch) >= 10000:
                    db.executemany("INSERT OR REPLACE INTO papers VALUES (?,?,?,?,?,?)", batch)
                    db.commit()
                    count += len(batch)
                    batch = []
    db.executemany("INSERT OR REPLACE INTO papers VALUES (?,?,?,?,?,?)", batch)
    count += len(batch)
    db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
    db.commit()
    print(count, f"{time.monotonic() - start:.3f}")


if __name__ == "__main__":
    main()
