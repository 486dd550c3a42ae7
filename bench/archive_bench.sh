#!/usr/bin/env bash
# bench/run archive (issue 11): `arxiv-digest import` of the real bulk corpus
# (../shared/fixtures/arxiv/bulk/*.jsonl.gz or ARXIV_DIGEST_BULK_DIR, 283k papers) against
# `zcat | jq -c .` reading the same files and the Python baseline (bench/python_import.py), in the
# same run; the archive's size (and the full-text index's share); then search latency p50/p99 per
# query kind (bench/archive_queries.txt, each query 5 times) through the command end to end and
# inside the library (the command's --stats), with the hits of each query's first run.
#
# Chinese queries search stored translations, which the bulk corpus has none of: before the
# searches, the real `arxiv-digest run` of the bundled sample day (examples/sample-day, its local
# RSS files) is run against the benchmark archive with the fake OpenAI-compatible server of
# tests/support (arxiv_digest_translation_server on 127.0.0.1), which answers with the seed's real
# Chinese translations of the day's 30 selected papers: the run stores those 60 translations
# (titles and abstracts) in the archive as it would with a real backend. The translation cache is
# keyed by the source text, so every archived paper with the same title or abstract (the bulk's
# copies, at scale N the replicated ones too) finds them. Without that server the Chinese rows
# measure misses, and say so.
#
# Knobs (environment):
#   ARXIV_DIGEST_BENCH_SCALE=N   N copies of the corpus (default 1): copies 1..N-1 are written by
#                                bench/replicate_bulk.py into the temp dir, the same records with
#                                new ids 2701.00001, 2701.00002, ... (years 27..99, which no real
#                                id has); every measurement then reads all N copies. `bench/run
#                                archive-2.7m` is N=10 (2.83 M papers).
#   ARXIV_DIGEST_BENCH_SKIP_PYTHON=1  no Python baseline (its row says "skipped"): at scale 10
#                                it takes about 7 minutes (the import about 3).
#   ARXIV_DIGEST_BIN, ARXIV_DIGEST_TRANSLATION_SERVER  the binaries measured / used (default:
#                                build/src/cli/arxiv-digest, build/tests/support/
#                                arxiv_digest_translation_server, built when missing).
#   TMPDIR                       where the copies and archives go (about 7 GB at scale 10).
#   ARXIV_DIGEST_BENCH_ARCHIVE=FILE  search latency only, on an archive an earlier run imported
#                                (no replication, jq, Python or import; the sample day's
#                                translations are added to FILE).
# Exits 0 with a message when the corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bulk="${ARXIV_DIGEST_BULK_DIR:-../shared/fixtures/arxiv/bulk}"
bin="${ARXIV_DIGEST_BIN:-build/src/cli/arxiv-digest}"
server="${ARXIV_DIGEST_TRANSLATION_SERVER:-build/tests/support/arxiv_digest_translation_server}"
scale="${ARXIV_DIGEST_BENCH_SCALE:-1}"
skip_python="${ARXIV_DIGEST_BENCH_SKIP_PYTHON:-0}"
if ! [[ "$scale" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench/archive_bench.sh: ARXIV_DIGEST_BENCH_SCALE must be a whole number >= 1, not '$scale'" >&2
  exit 2
fi
shopt -s nullglob
files=("$bulk"/*.jsonl.gz)
if [ ${#files[@]} -eq 0 ]; then
  echo "## archive: skipped: no bulk corpus under $bulk (set ARXIV_DIGEST_BULK_DIR)"
  exit 0
fi
[ -x "$bin" ] || cmake --build build --target arxiv-digest
if [ ! -x "$server" ] && [ -z "${ARXIV_DIGEST_TRANSLATION_SERVER:-}" ]; then
  cmake --build build --target arxiv_digest_translation_server_tool >/dev/null 2>&1 || true
fi
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
search_only="${ARXIV_DIGEST_BENCH_ARCHIVE:-}"
if [ -n "$search_only" ]; then
  [ -f "$search_only" ] || { echo "bench/archive_bench.sh: no archive '$search_only'" >&2; exit 2; }
  ln -s "$(realpath "$search_only")" "$work/a.sqlite"
  scale=1
  files=()
fi
if (( scale > 1 )); then
  # The copies' temp files are part of the setup, not of any measurement.
  replicated=$(python3 bench/replicate_bulk.py --copies "$scale" "$work/bulk" "${files[@]}")
  files=("$work"/bulk/*.jsonl.gz)
fi
timed() {  # label command...: appends "label wall user sys maxrss" to $work/times
  local label=$1; shift
  /usr/bin/time -f "$label %e %U %S %M" "$@" 2>>"$work/times" >/dev/null
}
if [ -z "$search_only" ]; then
bytes=$(zcat "${files[@]}" | wc -c)
: >"$work/times"
timed jq bash -c 'zcat "$@" | jq -c . >/dev/null' jq "${files[@]}"
if [ "$skip_python" = 1 ]; then
  echo "python skipped" >>"$work/times"
else
  timed python python3 bench/python_import.py "$work/py.sqlite" "${files[@]}"
fi
timed arxiv-digest "$bin" import -q --archive "$work/a.sqlite" "${files[@]}"
records=$(sqlite3 "$work/a.sqlite" "SELECT count(*) FROM papers")
echo "## archive import ($records records, $((bytes / 1000000)) MB of JSON, ${#files[@]} gzip files)"
if (( scale > 1 )); then
  echo "scale $scale: $scale copies of the bulk corpus ($((${#files[@]} / scale)) files each), written by" \
    "bench/replicate_bulk.py ($replicated): copy 0 is the corpus unchanged, copies" \
    "1..$((scale - 1)) carry new ids (2701.00001 onwards) and every other field of the real records"
  echo
fi
echo "| what | wall | CPU | records/s | MB/s | peak RSS |"
echo "|---|---|---|---|---|---|"
while read -r label wall user sys rss; do
  if [ "$wall" = skipped ]; then
    echo "| $label | skipped (ARXIV_DIGEST_BENCH_SKIP_PYTHON=1) | | | | |"
    continue
  fi
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$records" -v b="$bytes" -v m="$rss" \
    'BEGIN { printf "| %s | %.1f s | %.1f s | %.0f | %.1f | %.0f MB |\n", l, w, u + s, r / w, b / 1e6 / w, m / 1024 }'
done < <(grep -E '^(jq|python|arxiv-digest) ' "$work/times")
python_wall=$(awk '$1 == "python" && $2 != "skipped" { print $2 }' "$work/times")
ours_wall=$(awk '$1 == "arxiv-digest" { print $2 }' "$work/times")
if [ -n "$python_wall" ]; then
  awk -v p="$python_wall" -v o="$ours_wall" \
    'BEGIN { printf "\nimport against the Python baseline: %.2fx as fast (goal: 2x)\n", p / o }'
fi
size=$(stat -c %s "$work/a.sqlite")
fts=$(sqlite3 "$work/a.sqlite" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'papers_fts%'" 2>/dev/null || echo 0)
pysize="skipped"
[ -f "$work/py.sqlite" ] && pysize="$(($(stat -c %s "$work/py.sqlite") / 1000000)) MB"
echo
echo "archive: $((size / 1000000)) MB, of which the full-text index $((fts / 1000000)) MB (Python baseline's file: $pysize)"
fi

# Real Chinese translations in the archive: the sample day's run through the local fake backend.
translations="none stored: the Chinese rows measure misses"
if [ -x "$server" ]; then
  "$server" >"$work/server.url" 2>"$work/server.err" &
  server_pid=$!
  url=
  for _ in $(seq 200); do  # poll for the first line (the server's URL) for up to 10 s
    url=$(head -n 1 "$work/server.url")
    [ -n "$url" ] || ! kill -0 "$server_pid" 2>/dev/null && break
    sleep 0.05
  done
  [ -n "$url" ] || { echo "bench/archive_bench.sh: $server did not start: $(cat "$work/server.err")" >&2; exit 1; }
  sample="$PWD/examples/sample-day"
  cat >"$work/day.toml" <<TOML
[arxiv]
categories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"]
announce_types = ["new", "cross"]
source = "rss"
rss_url = "$sample/rss/"
contact = "bench@example.org"

[[topics]]
name = "reinforcement learning"

[[topics]]
name = "diffusion policy"

[output]
dir = "$work/day"
formats = ["text"]

[store]
path = "$work/a.sqlite"

[translate]
provider = "openai"
base_url = "$url/v1"
model = "deepseek-chat"
api_key_env = "ARXIV_DIGEST_BENCH_TRANSLATE_KEY"
TOML
  start=$(date +%s%N)
  if ! ARXIV_DIGEST_BENCH_TRANSLATE_KEY=local-fake-server XDG_CACHE_HOME="$work/cache" \
      SOURCE_DATE_EPOCH=1781783578 "$bin" run --config "$work/day.toml" --date 2026-06-18 \
      >/dev/null 2>"$work/day.err"; then
    echo "bench/archive_bench.sh: the sample day's run failed:" >&2
    cat "$work/day.err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  stored=$(sqlite3 "$work/a.sqlite" "SELECT count(*) FROM translations")
  translations="$stored stored by the sample day's run (2026-06-18, 30 papers selected, $(( (end - start) / 1000000 )) ms against this archive)"
fi
echo "translations: $translations"

records=$(sqlite3 "$work/a.sqlite" "SELECT count(*) FROM papers")
echo
echo "## search latency ($records papers; each query 5 times; ms)"
echo "hits: of each query's first run, in the order of bench/archive_queries.txt (20+ = the page of 20 is full and more follow)"
echo
echo "| kind | queries | library p50 | library p99 | command p50 | command p99 | hits |"
echo "|---|---|---|---|---|---|---|"
: >"$work/lat"
while IFS=$'\t' read -r kind query; do
  for run in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" search --archive "$work/a.sqlite" --stats --limit 20 "$query" >/dev/null 2>"$work/err" || true
    end=$(date +%s%N)
    lib=$(sed -n 's/.*examined, \([0-9.]*\) ms/\1/p' "$work/err")
    if [ -z "$lib" ]; then
      echo "bench/archive_bench.sh: no --stats line for $kind query '$query':" >&2
      cat "$work/err" >&2
      exit 1
    fi
    hits=-
    if [ "$run" = 1 ]; then
      hits=$(sed -n 's/^search: \([0-9]*\) hit(s)\( (more follow)\)\{0,1\},.*/\1\2/p' "$work/err")
      hits=${hits/ (more follow)/+}
      grep -q 'the search stopped after' "$work/err" && hits="$hits(cut)"
    fi
    echo "$kind $lib $(( (end - start) / 1000 )) $hits" >>"$work/lat"
  done
done <bench/archive_queries.txt
python3 - "$work/lat" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    kind, lib, cmd, hits = line.split()
    rows.setdefault(kind, []).append((float(lib), int(cmd) / 1000, hits))
def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
for kind, samples in rows.items():
    lib = [s[0] for s in samples]
    cmd = [s[1] for s in samples]
    hits = " / ".join(s[2] for s in samples if s[2] != "-")
    print(f"| {kind} | {len(samples) // 5} | {pct(lib, 50):.1f} | {pct(lib, 99):.1f} | {pct(cmd, 50):.1f} "
          f"| {pct(cmd, 99):.1f} | {hits} |")
PY
