#!/usr/bin/env python3
"""Shards built by --jobs N writers at once: `kommunesoeg-index --shards 2
--jobs N` writes each shard as one writer does, document for document, term
for term, position for position, with the same spelling data, synonyms and
file states (everything tests/tools/ks-dump shows), also when the writers go
on in parts of a few records (KS_PART_RECORDS) and flush every few records
(KS_FLUSH_RECORDS).

Environment (set by meson): KS_INDEX, KS_CORPUS, KS_DUMP, KS_GENCORPUS (40
made-up meetings join the corpus, so that each shard holds hundreds of
records).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from harness import BAD, CORPUS, GENCORPUS, KS_DUMP, count, main, run_index

SHARDS = 2


class ShardsBuild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, os.path.join(cls.docs, "corpus"))
        # A file of the same name in another folder: its ids are told apart
        # from the first file's in file order, which the writers keep.
        os.makedirs(os.path.join(cls.docs, "kopi"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-10-06.txt"),
                    os.path.join(cls.docs, "kopi", "direktionen-2025-10-06.txt"))
        # A file that cannot be parsed is named; the rest is indexed.
        shutil.copy(os.path.join(BAD, "no-items.txt"), os.path.join(cls.docs, "corpus"))
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "40", "--seed", "7",
                        "--out", os.path.join(cls.docs, "generated")],
                       check=True, capture_output=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def build(self, jobs, part_records=None, flush_records=None):
        """The shards built by JOBS writers: the lines of ks-dump of each."""
        db = os.path.join(self.tmp, f"jobs-{jobs}-{part_records}-{flush_records}", "shards")
        env = {}
        if part_records:
            env["KS_PART_RECORDS"] = str(part_records)
        if flush_records:
            env["KS_FLUSH_RECORDS"] = str(flush_records)
        p = run_index("--jobs", str(jobs), "--shards", str(SHARDS), "--db", db, self.docs,
                      env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("no-items.txt", p.stderr)
        self.assertEqual(sorted(os.listdir(db)), [str(k) for k in range(SHARDS)],
                         "the parts are removed")
        parts = re.findall(r"compacting (\d+) parts of (\d+) writers into shard (\d+)",
                           p.stderr)
        if jobs == 1:
            self.assertEqual(parts, [], "one writer writes the shards itself")
        else:
            self.assertEqual([int(k) for _, _, k in parts], list(range(SHARDS)), p.stderr)
            for n_parts, writers, _ in parts:
                self.assertEqual(int(writers), jobs, p.stderr)
                if part_records:
                    # Runs of at most part_records records of both shards.
                    self.assertGreater(int(n_parts), 3 * jobs, p.stderr)
                else:
                    # 8 runs a writer, each a part of every shard, and each
                    # writer's spelling data of the shard.
                    self.assertGreaterEqual(int(n_parts), 5 * jobs, p.stderr)
                    self.assertLessEqual(int(n_parts), 10 * jobs, p.stderr)
        total = 0
        dumps = []
        for k in range(SHARDS):
            shard = os.path.join(db, str(k))
            d = subprocess.run([KS_DUMP, shard], capture_output=True, timeout=120)
            self.assertEqual(d.returncode, 0, d.stderr)
            lines = d.stdout.split(b"\n")
            self.assertEqual(lines[0], f"documents {count(shard)}".encode())
            total += count(shard)
            dumps.append(lines)
        self.assertIn(f" {total} records in {db},", p.stderr, "the summary counts every part")
        return dumps

    def test_any_number_of_writers_write_the_same_shards(self):
        one = self.build(1)
        for k, lines in enumerate(one):
            self.assertGreater(len(lines), 5000, f"shard {k} holds hundreds of records")
        # Also in parts of a few records each (KS_PART_RECORDS), and
        # flushed every few records within a part (KS_FLUSH_RECORDS).
        for jobs, part_records, flush_records in ((2, None, None), (3, None, None),
                                                  (2, 40, None), (3, 15, None), (2, 40, 7)):
            other = self.build(jobs, part_records, flush_records)
            for k in range(SHARDS):
                with self.subTest(jobs=jobs, part_records=part_records,
                                  flush_records=flush_records, shard=k):
                    a, b = one[k], other[k]
                    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y),
                                 None if len(a) == len(b) else min(len(a), len(b)))
                    self.assertIsNone(first, f"line {first}: {a[first:first + 1]} != "
                                             f"{b[first:first + 1]}" if first is not None
                                      else "")

if __name__ == "__main__":
    main("KS_INDEX", "KS_CORPUS", "KS_DUMP", "KS_GENCORPUS")
