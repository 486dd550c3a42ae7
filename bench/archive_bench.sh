#!/usr/bin/env bash
# bench/run archive (issue 11): `arxiv-digest import` of the real bulk corpus
# (../shared/fixtures/arxiv/bulk/*.jsonl.gz or ARXIV_DIGEST_BULK_DIR, 283k papers) against
# `zcat | jq -c .` reading the same files and the Python baseline (bench/python_import.py), in the
# same run; the archive's size (and the full-text index's share); then search latency p50/p99 per
# query kind (bench/archive_queries.txt, each query 5 times) through the command end to end and
# inside the library (the command's --stats). Chinese queries search the stored translations: the
# bulk corpus has none, so they measure the lookup of a miss (the sample day's translations are
# not part of the bulk). Exits 0 with a message when the corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bulk="${ARXIV_DIGEST_BULK_DIR:-../shared/fixtures/arxiv/bulk}"
bin="${ARXIV_DIGEST_BIN:-build/src/cli/arxiv-digest}"
shopt -s nullglob
files=("$bulk"/*.jsonl.gz)
if [ ${#files[@]} -eq 0 ]; then
  echo "## archive: skipped: no bulk corpus under $bulk (set ARXIV_DIGEST_BULK_DIR)"
  exit 0
fi
[ -x "$bin" ] || cmake --build build --target arxiv-digest
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bytes=$(zcat "${files[@]}" | wc -c)
timed() {  # label command...: prints "label wall user+sys"
  local label=$1; shift
  /usr/bin/time -f "$label %e %U %S %M" "$@" 2>>"$work/times" >/dev/null
}
timed jq bash -c "zcat ${files[*]} | jq -c . >/dev/null"
timed python python3 bench/python_import.py "$work/py.sqlite" "${files[@]}"
timed arxiv-digest "$bin" import -q --archive "$work/a.sqlite" "${files[@]}"
records=$(sqlite3 "$work/a.sqlite" "SELECT count(*) FROM papers")
echo "## archive import ($records records, $((bytes / 1000000)) MB of JSON, ${#files[@]} gzip files)"
echo "| what | wall | CPU | records/s | MB/s | peak RSS |"
echo "|---|---|---|---|---|---|"
grep -E '^(jq|python|arxiv-digest) ' "$work/times" | while read -r label wall user sys rss; do
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$records" -v b="$bytes" -v m="$rss" \
    'BEGIN { printf "| %s | %.1f s | %.1f s | %.0f | %.1f | %.0f MB |\n", l, w, u + s, r / w, b / 1e6 / w, m / 1024 }'
done
size=$(stat -c %s "$work/a.sqlite")
fts=$(sqlite3 "$work/a.sqlite" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'papers_fts%'" 2>/dev/null || echo 0)
pysize=$(stat -c %s "$work/py.sqlite")
echo
echo "archive: $((size / 1000000)) MB, of which the full-text index $((fts / 1000000)) MB (Python baseline's file: $((pysize / 1000000)) MB)"
echo
echo "## search latency ($records papers; each query 5 times; ms)"
echo "| kind | queries | library p50 | library p99 | command p50 | command p99 |"
echo "|---|---|---|---|---|---|"
: >"$work/lat"
while IFS=$'\t' read -r kind query; do
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" search --archive "$work/a.sqlite" --stats --limit 20 "$query" >/dev/null 2>"$work/err" || true
    end=$(date +%s%N)
    lib=$(sed -n 's/.*examined, \([0-9.]*\) ms/\1/p' "$work/err")
    echo "$kind $lib $(( (end - start) / 1000 ))" >>"$work/lat"
  done
done <bench/archive_queries.txt
python3 - "$work/lat" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    kind, lib, cmd = line.split()
    rows.setdefault(kind, []).append((float(lib), int(cmd) / 1000))
def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
for kind, samples in rows.items():
    lib = [s[0] for s in samples]
    cmd = [s[1] for s in samples]
    print(f"| {kind} | {len(samples) // 5} | {pct(lib, 50):.1f} | {pct(lib, 99):.1f} | {pct(cmd, 50):.1f} | {pct(cmd, 99):.1f} |")
PY
