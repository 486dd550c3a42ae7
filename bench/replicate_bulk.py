#!/usr/bin/env python3
"""Replicates the bulk corpus for the archive benchmark at scale (issue 11: "replicated with new
ids up to 2.7 M"). Standard library only.

    replicate_bulk.py --copies N [--jobs J] OUT_DIR FILE...

FILE... are JSON Lines files (gzip or plain) whose every line starts with `{"id": "<id>"`, as
the bulk corpus's do (../shared/fixtures/arxiv/bulk, sorted by id), or `{"id":"<id>"`, as
arXiv's Kaggle snapshot's do; their names must differ. Writes N copies of them into OUT_DIR
(created if needed), named so that a glob lists them copy by copy, file by file:

  c00-<name>.jsonl.gz  copy 0: the input file's bytes unchanged (gzip inputs are copied as they
                       are, plain ones gzipped);
  cKK-<name>.jsonl.gz  copies 1..N-1: the same lines with only the id's value replaced by a new
                       one (gzip level 1). Every other byte of the line is kept: real titles,
                       abstracts, authors, categories, dates and `source`.

New ids are new-style ids of years 27..99 (2701.00001 ... 9912.99999), which no real arXiv id
has yet: numbers 00001..99999 of 2701, then of 2702, ... assigned in output order (copy 1 file
1 line 1 first), so every file stays sorted by id, the ids of the glob order increase, no two
are equal, and each parses as an ArxivId (YYMM.NNNNN, month 01-12, 5 digits from 2015 on). A
line that does not start so (blank lines included) stops the run with FILE:LINE on stderr and
exit status 1; running out of ids (87.6 M) does too, before anything is written. After a
failure OUT_DIR may hold partial output. Lines are not parsed as JSON: only the id's value is replaced, so the copies cost about
what gzip costs.

J input files (default: one per CPU) are replicated at once, each by its own process.
Prints one line on stdout: "<records written> records in <files> files, <seconds> s".
"""
import argparse
import gzip
import multiprocessing
import os
import shutil
import sys
import time
import zlib

# The bulk corpus writes `{"id": "`, arXiv's Kaggle snapshot `{"id":"`.
PREFIXES = (b'{"id": "', b'{"id":"')
FIRST_YEAR = 27  # the first year no real arXiv id has
PER_MONTH = 99999  # five-digit paper numbers: 00001..99999


class Failure(Exception):
    pass


def read_bytes(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise Failure(f"{path}: not a readable gzip file: {e}") from e
    return data


def split_records(path, data):
    """The lines of `data` as (prefix up to the id's value, the rest after it incl. newline)."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line; it starts no new one
    records = []
    for number, line in enumerate(lines, start=1):
        prefix = next((p for p in PREFIXES if line.startswith(p)), None)
        if prefix is None:
            raise Failure(f"{path}:{number}: the line does not start with {PREFIXES[0].decode()} "
                          f"or {PREFIXES[1].decode()} (it starts with {line[:20]!r}); every "
                          f"record must begin with its id")
        end = line.find(b'"', len(prefix))
        if end < 0:
            raise Failure(f"{path}:{number}: the id's value is not closed by '\"'")
        records.append((prefix, line[end:] + b"\n"))
    return records


def new_id(sequence):
    """The sequence-th (0-based) new id: 2701.00001, ..., 2701.99999, 2702.00001, ..."""
    month, number = divmod(sequence, PER_MONTH)
    year, month = divmod(month, 12)
    year += FIRST_YEAR
    if year > 99:
        raise Failure(f"out of new ids: {sequence + 1:,} records need more than years "
                      f"{FIRST_YEAR}..99 hold")
    return b"%02d%02d.%05d" % (year, month + 1, number + 1)


def output_name(path, copy, width):
    name = os.path.basename(path)
    if name.endswith(".gz"):
        name = name[:-3]
    return f"c{copy:0{width}d}-{name}.gz"


def count_records_in(data):
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def count_records(path):
    return count_records_in(read_bytes(path))


def replicate_file(task):
    """Writes every copy of one input file; returns the records written."""
    path, out_dir, copies, width, count, firsts = task
    out0 = os.path.join(out_dir, output_name(path, 0, width))
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    data = read_bytes(path)
    if gzipped:
        shutil.copyfile(path, out0)
    else:
        with open(out0, "wb") as f:
            f.write(gzip.compress(data, compresslevel=1, mtime=0))
    if copies == 1:
        return count_records_in(data)
    records = split_records(path, data)
    del data
    if len(records) != count:
        raise Failure(f"{path}: changed while being read ({count} then {len(records)} lines)")
    for copy, first in enumerate(firsts, start=1):
        body = b"".join(prefix + new_id(first + i) + rest
                        for i, (prefix, rest) in enumerate(records))
        with open(os.path.join(out_dir, output_name(path, copy, width)), "wb") as f:
            f.write(gzip.compress(body, compresslevel=1, mtime=0))
    return len(records) * copies


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, required=True, help="N: copies to write (>= 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="input files replicated at once (default: the number of CPUs)")
    parser.add_argument("out_dir")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    names = [output_name(path, 0, 1) for path in args.files]
    if len(set(names)) != len(names):
        parser.error("two input files have the same name (their copies would overwrite each other)")
    start = time.monotonic()
    os.makedirs(args.out_dir, exist_ok=True)
    width = max(2, len(str(args.copies - 1)))

    with multiprocessing.Pool(args.jobs) as pool:
        # Copy 1 starts after every record of the input, so the ids of copy k, file j begin at
        # sequence number (k - 1) * total + (records of the files before j): count first.
        counts = pool.map(count_records, args.files) if args.copies > 1 else [0] * len(args.files)
        total = sum(counts)
        new_id(max(0, (args.copies - 1) * total - 1))  # out of ids: fail before writing
        tasks = []
        before = 0
        for path, count in zip(args.files, counts):
            firsts = [(copy - 1) * total + before for copy in range(1, args.copies)]
            tasks.append((path, args.out_dir, args.copies, width, count, firsts))
            before += count
        written = sum(pool.imap(replicate_file, tasks))
    print(f"{written} records in {len(args.files) * args.copies} files, "
          f"{time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Failure as e:
        print(f"replicate_bulk.py: error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"replicate_bulk.py: error: {e}", file=sys.stderr)
        sys.exit(1)
