#!/usr/bin/env python3
"""The real kommunesoeg-index updating an index: incremental runs, atomic
swaps that readers never see half done, --jobs N writers at once, and
runs bounded to KS_UPDATE_RECORDS changed records per transaction.

Usage: test_indexer_update.py [GROUP...] (one meson test per group).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from harness import (main, INDEX, CORPUS, KS_DUMP, BAD, GENCORPUS, run_index, dump, dbcheck, count,
                     read_text, ks_dump, parsed_count)


def search(db, query, n=10):
    lines = dbcheck(db, "search", query, str(n))
    return int(lines[0]), lines[1:]


class Incremental(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, self.docs)
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, status=0):
        p = run_index("--db", self.db, *(paths or [self.docs]))
        self.assertEqual(p.returncode, status, p.stderr)
        return parsed_count(p.stderr)

    def test_only_changes_are_read(self):
        self.assertEqual(self.index(), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(self.index(), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 65)

        path = os.path.join(self.docs, "direktionen-2025-10-06.txt")
        text = read_text(path)
        self.assertIn("Ingen bemærkninger.", text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("Ingen bemærkninger.", "Ingen bemærkninger. Zebrafinke."))
        self.assertEqual(self.index(), (1, 4, 0, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "zebrafinke")[1], ["direktionen-2025-10-06-11"])

        phrase = '"Ny vejledning fra KL om chikane"'
        self.assertEqual(search(self.db, phrase)[0], 1)
        os.remove(os.path.join(self.docs, "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 54)
        self.assertEqual(search(self.db, phrase)[0], 0)

        # Touched but unchanged: read again, not re-indexed.
        os.utime(path, (time.time() + 10, time.time() + 10))
        self.assertEqual(self.index(), (0, 4, 0, 0))
        self.assertEqual(count(self.db), 54)

    def test_files_outside_the_paths_stay(self):
        other = os.path.join(self.tmp, "other")
        os.mkdir(other)
        shutil.move(os.path.join(self.docs, "budget-2024-oekonomiudvalget.txt"), other)
        self.assertEqual(self.index(self.docs, other), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)
        # Indexing only docs/ again removes nothing of other/.
        self.assertEqual(self.index(self.docs), (0, 4, 0, 0))
        self.assertEqual(count(self.db), 65)

    def test_failing_file_keeps_its_last_good_records(self):
        self.index()
        path = os.path.join(self.docs, "direktionen-2025-11-17.txt")
        with open(path, "w") as f:
            f.write("")
        p = run_index("--db", self.db, self.docs)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{path}:1: empty file", p.stderr)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)

    def test_update_without_changes_reads_no_word_list(self):
        # The timer's usual run changes nothing and needs no word list: given one
        # that reading would wait on for ever (a FIFO), it finishes.  A run with a
        # change reads it, and is stopped here after a few seconds.
        self.assertEqual(self.index(), (5, 0, 0, 0))
        fifo = os.path.join(self.tmp, "words.fifo")
        os.mkfifo(fifo)
        p = run_index("--db", self.db, "--words", fifo, self.docs, timeout=20)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 0, 0))
        with open(os.path.join(self.docs, "direktionen-2025-10-06.txt"), "a",
                  encoding="utf-8") as f:
            f.write("\nTilføjet: en bemærkning.\n")
        with self.assertRaises(subprocess.TimeoutExpired):
            run_index("--db", self.db, "--words", fifo, self.docs, timeout=3)
        self.assertEqual(self.index(), (1, 4, 0, 0))

    def test_links_and_paths_named_twice(self):
        # A link back up the tree is not followed; a file reached twice
        # (by a link, or named again on the command line) is read once.
        os.symlink(self.docs, os.path.join(self.docs, "loop"))
        os.symlink(os.path.join(self.docs, "direktionen-2025-10-06.txt"),
                   os.path.join(self.docs, "link.txt"))
        again = os.path.join(self.docs, "direktionen-2025-11-17.txt")
        self.assertEqual(self.index(self.docs, again), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)
        # The folder named through a link, and a file of it by its own path.
        alias = os.path.join(self.tmp, "alias")
        os.symlink(self.docs, alias)
        self.db = os.path.join(self.tmp, "index-alias")
        self.assertEqual(self.index(alias, again), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)

    def test_other_schema_rebuilt_beside_and_swapped(self):
        # An index of another schema version is rebuilt from every file into a new
        # directory that takes the old one's place in one step: the same records, a
        # new directory, nothing left beside it, and the next run reads nothing.
        self.assertEqual(self.index(), (5, 0, 0, 0))
        subprocess.run(["xapian-metadata", "set", self.db, "schema", "0"], check=True)
        before = os.stat(self.db).st_ino
        self.assertEqual(self.index(), (5, 0, 0, 0))
        self.assertNotEqual(os.stat(self.db).st_ino, before)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["docs", "index"])
        self.assertEqual(self.index(), (0, 5, 0, 0))

    def test_other_synonyms_rebuild(self):
        # The records carry the synonym groups' terms: a changed synonym file
        # indexes every record anew (beside the old index, swapped in), an
        # unchanged one nothing.
        synonyms = os.path.join(self.tmp, "synonyms.txt")
        with open(synonyms, "w", encoding="utf-8") as f:
            f.write("KB = kommunalbestyrelsen\n")
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (5, 0, 0, 0))
        self.assertEqual(search(self.db, "fællesskabsudvalget")[0], 0)
        before = os.stat(self.db).st_ino
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 0, 0))
        with open(synonyms, "a", encoding="utf-8") as f:
            f.write("fællesskabsudvalget = Social- og Boligstyrelsen\n")
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (5, 0, 0, 0))
        self.assertNotEqual(os.stat(self.db).st_ino, before)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "fællesskabsudvalget")[0], 2)
        self.assertEqual(search(self.db, "KB")[0], search(self.db, "kommunalbestyrelsen")[0])

    def test_same_file_name_in_two_folders(self):
        os.mkdir(os.path.join(self.docs, "kopi"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-11-17.txt"),
                    os.path.join(self.docs, "kopi"))
        self.index()
        self.assertEqual(count(self.db), 79)
        ids = search(self.db, "hjemløsestrategi", 10)[1]
        self.assertIn("direktionen-2025-11-17-6", ids)
        self.assertTrue(any(re.fullmatch(r"direktionen-2025-11-17-6-[0-9a-f]{6}", i) for i in ids),
                        ids)


class Atomic(unittest.TestCase):
    """Readers see the old index or the new one; a killed run changes nothing."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.big = os.path.join(cls.tmp, "generated")
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "300", "--seed", "3",
                        "--out", cls.big], check=True, capture_output=True, timeout=120)
        p, records = dump(cls.big)
        assert p.returncode == 0, p.stderr
        cls.big_records = len(records)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.db = os.path.join(self.tmp, "index")
        shutil.rmtree(self.db, ignore_errors=True)
        p = run_index("--db", self.db, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_killed_run_leaves_old_index(self):
        proc = subprocess.Popen([INDEX, "--quiet", "--db", self.db, self.big],
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if finished:
            # Too fast to be killed mid-run: then it must have completed.
            self.assertEqual(proc.returncode, 0)
            self.assertEqual(count(self.db), 65 + self.big_records)
            return
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)
        # The lock died with the writer: the next run completes.
        p = run_index("--quiet", "--db", self.db, self.big)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(self.db), 65 + self.big_records)

    def test_killed_fresh_build_leaves_nothing(self):
        fresh = os.path.join(self.tmp, "fresh", "index")
        proc = subprocess.Popen([INDEX, "--quiet", "--db", fresh, self.big],
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if finished:
            self.assertEqual(proc.returncode, 0)
            self.assertEqual(count(fresh), self.big_records)
            shutil.rmtree(fresh)
        self.assertFalse(os.path.exists(fresh))
        p = run_index("--quiet", "--db", fresh, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(fresh), 65)
        self.assertEqual(os.listdir(os.path.dirname(fresh)), ["index"], "stale build removed")

    def test_reader_sees_old_or_new(self):
        proc = subprocess.Popen([INDEX, "--quiet", "--db", self.db, self.big],
                                stderr=subprocess.DEVNULL)
        seen = set()
        deadline = time.time() + 240
        while proc.poll() is None and time.time() < deadline:
            seen.add(count(self.db))
            time.sleep(0.05)
        self.assertEqual(proc.wait(timeout=60), 0)
        seen.add(count(self.db))
        self.assertEqual(seen - {65, 65 + self.big_records}, set())
        self.assertIn(65 + self.big_records, seen)


class Parallel(unittest.TestCase):
    """A fresh index is written by --jobs N writers at once, which take runs
    of the inputs in turn, each into a part of its own, and the parts are
    compacted into one: it holds exactly what one writer's index holds,
    document for document, term for term, position for position, with the
    same spelling data, synonyms and file states."""

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
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "40", "--seed", "5",
                        "--out", os.path.join(cls.docs, "generated")],
                       check=True, capture_output=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def build(self, jobs, part_records=None, flush_records=None):
        db = os.path.join(self.tmp, f"jobs-{jobs}-{part_records}-{flush_records}", "index")
        env = {}
        if part_records:
            env["KS_PART_RECORDS"] = str(part_records)
        if flush_records:
            env["KS_FLUSH_RECORDS"] = str(flush_records)
        p = run_index("--jobs", str(jobs), "--db", db, self.docs, env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("no-items.txt", p.stderr)
        self.assertEqual(os.listdir(os.path.dirname(db)), ["index"], "the parts are removed")
        parts = re.search(r"compacting (\d+) parts of (\d+) writers", p.stderr)
        if jobs == 1:
            self.assertIsNone(parts, "one writer writes the index itself")
        elif part_records:
            self.assertEqual(int(parts[2]), jobs, p.stderr)
            # Runs of at most part_records records, each a part of its
            # own (the two files of the same name in one).
            self.assertGreater(int(parts[1]), 3 * jobs, p.stderr)
        else:
            # Runs of about the same number of records, 8 a writer, each
            # taken by whichever writer is free, into a part of its own;
            # and each writer's spelling data.
            self.assertEqual(int(parts[2]), jobs, p.stderr)
            self.assertGreaterEqual(int(parts[1]), 5 * jobs, p.stderr)
            self.assertLessEqual(int(parts[1]), 10 * jobs, p.stderr)
        # Bytes: the values of numbers are binary.
        d = subprocess.run([KS_DUMP, db], capture_output=True, timeout=120)
        self.assertEqual(d.returncode, 0, d.stderr)
        lines = d.stdout.split(b"\n")
        self.assertEqual(lines[0], f"documents {count(db)}".encode())
        self.assertIn(f" {count(db)} records in {db},", p.stderr, "the summary counts every part")
        return lines

    def test_any_number_of_writers_write_the_same_index(self):
        one = self.build(1)
        self.assertGreater(len(one), 10000)
        ids = [line.split()[1] for line in one if line.startswith(b"document ")]
        self.assertIn(b"Qdirektionen-2025-10-06-3", ids)
        self.assertEqual(len([i for i in ids if i.startswith(b"Qdirektionen-2025-10-06-3-")]),
                         1, "the copy's id gets its file's hash")
        # Also in parts of a few records each (KS_PART_RECORDS), each
        # writer going on in a new database that the end compacts, and
        # flushed every few records within a part (KS_FLUSH_RECORDS).
        for jobs, part_records, flush_records in ((2, None, None), (3, None, None),
                                                  (2, 40, None), (3, 15, None), (2, 40, 7)):
            with self.subTest(jobs=jobs, part_records=part_records, flush_records=flush_records):
                other = self.build(jobs, part_records, flush_records)
                first = next((i for i, (a, b) in enumerate(zip(one, other)) if a != b),
                             None if len(one) == len(other) else min(len(one), len(other)))
                self.assertIsNone(first, f"line {first}: {one[first:first + 1]} != "
                                         f"{other[first:first + 1]}" if first is not None
                                  else "")

    def test_more_writers_than_runs(self):
        # Two small files are two runs: a writer that takes none still
        # writes its (empty) part, and the index is one writer's.
        docs = os.path.join(self.tmp, "two-files")
        os.makedirs(docs)
        for name in ("direktionen-2025-10-06.txt", "direktionen-2025-08-18.md"):
            shutil.copy(os.path.join(CORPUS, name), docs)
        dumps = []
        for jobs in (1, 3):
            db = os.path.join(self.tmp, f"two-files-{jobs}", "index")
            p = run_index("--jobs", str(jobs), "--db", db, docs)
            self.assertEqual(p.returncode, 0, p.stderr)
            if jobs > 1:
                # Two runs' parts, one or two writers' empty one, and the
                # three writers' spelling data.
                self.assertRegex(p.stderr, "compacting [67] parts of 3 writers")
            d = subprocess.run([KS_DUMP, db], capture_output=True, timeout=120)
            self.assertEqual(d.returncode, 0, d.stderr)
            dumps.append(d.stdout)
        self.assertGreater(dumps[0].count(b"\ndocument "), 5)
        self.assertEqual(dumps[0], dumps[1])

    def test_bad_part_size(self):
        for name in ("KS_PART_RECORDS", "KS_FLUSH_RECORDS"):
            for bad in ("0", "ti", "-5"):
                with self.subTest(name=name, bad=bad):
                    p = run_index("--jobs", "2", "--db", os.path.join(self.tmp, "bad"),
                                  self.docs, env={name: bad})
                    self.assertEqual(p.returncode, 2)
                    self.assertIn(f"{name} needs a number of records from 1 to", p.stderr)
                    self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))

    def test_bad_number_of_writers(self):
        for bad in ("0", "65", "zwei", ""):
            with self.subTest(jobs=bad):
                p = run_index("--jobs", bad, "--db", os.path.join(self.tmp, "bad"), self.docs)
                self.assertEqual(p.returncode, 2)
                self.assertIn("--jobs needs a number of writers from 1 to 64", p.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))

    def test_update_after_a_parallel_build(self):
        db = os.path.join(self.tmp, "update", "index")
        p = run_index("--quiet", "--jobs", "2", "--db", db, self.docs)
        self.assertEqual(p.returncode, 1, p.stderr)
        before = count(db)
        self.assertEqual(search(db, "zebrafinker")[0], 0)
        changed = os.path.join(self.docs, "kopi", "direktionen-2025-10-06.txt")
        text = read_text(changed)
        try:
            with open(changed, "w", encoding="utf-8") as f:
                f.write(text.replace("Fællesskaber for alle", "Fællesskaber for zebrafinker"))
            p = run_index("--quiet", "--jobs", "2", "--db", db, self.docs)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(count(db), before)
            self.assertEqual(search(db, "zebrafinker")[0], 1)
        finally:
            with open(changed, "w", encoding="utf-8") as f:
                f.write(text)


class Bounded(unittest.TestCase):
    """No run holds more than KS_UPDATE_RECORDS changed records in one
    transaction: past it, the index is built anew beside the old one and
    swapped in, with the files of every PATH it holds."""

    BOUND = 30

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, self.docs)
        # a PATH indexed in an earlier run only
        self.other = os.path.join(self.tmp, "other")
        os.mkdir(self.other)
        os.rename(os.path.join(self.docs, "budget-2024-oekonomiudvalget.txt"),
                  os.path.join(self.other, "budget-2024-oekonomiudvalget.txt"))
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, jobs="1", bound=None):
        env = {"KS_UPDATE_RECORDS": str(bound or self.BOUND)}
        p = run_index("--jobs", jobs, "--db", self.db, *paths, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def add(self, source, name):
        shutil.copy(os.path.join(CORPUS, source), os.path.join(self.docs, name))

    def check_large_change(self, jobs):
        self.index(self.docs, self.other, jobs=jobs)
        self.assertEqual(count(self.db), 65)
        inode = os.stat(self.db).st_ino
        # 25 records (of two new files): one update, in place.
        self.add("direktionen-2025-10-06.txt", "a-2025-10-06.txt")
        self.add("direktionen-2025-11-17.txt", "a-2025-11-17.txt")
        p = self.index(self.docs, jobs=jobs)
        self.assertEqual(parsed_count(p.stderr), (2, 4, 0, 0))
        self.assertNotIn("anew", p.stderr)
        self.assertEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(count(self.db), 90)
        # 37 records: built anew and swapped in, the other PATH's file too.
        self.add("direktionen-2025-10-06.txt", "b-2025-10-06.txt")
        self.add("direktionen-2025-11-17.txt", "b-2025-11-17.txt")
        self.add("direktionen-2025-08-18.md", "b-2025-08-18.md")
        p = self.index(self.docs, jobs=jobs)
        self.assertIn(f"37 records change, more than {self.BOUND} (KS_UPDATE_RECORDS): "
                      "building the index anew", p.stderr)
        self.assertNotEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["docs", "index", "other"])
        self.assertEqual(count(self.db), 127)
        self.assertEqual(search(self.db, "type:budget")[0], 17)
        # What it holds is what a new index of the same files holds.
        fresh = os.path.join(self.tmp, "fresh")
        p = run_index("--jobs", jobs, "--db", fresh, self.docs, self.other)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(ks_dump(self.db), ks_dump(fresh))
        shutil.rmtree(fresh)
        # Nothing changed: nothing read.
        p = self.index(self.docs, jobs=jobs)
        self.assertEqual(parsed_count(p.stderr), (0, 9, 0, 0))
        # Removing 37 records is as large a change.
        inode = os.stat(self.db).st_ino
        for name in "b-2025-10-06.txt", "b-2025-11-17.txt", "b-2025-08-18.md":
            os.remove(os.path.join(self.docs, name))
        p = self.index(self.docs, jobs=jobs)
        self.assertIn("building the index anew", p.stderr)
        self.assertEqual(parsed_count(p.stderr)[2], 3, p.stderr)
        self.assertNotEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(count(self.db), 90)
        self.assertEqual(search(self.db, "type:budget")[0], 17)

    def test_large_change_one_writer(self):
        self.check_large_change("1")

    def test_large_change_two_writers(self):
        self.check_large_change("2")

    def test_bad_bound(self):
        for bad in ("0", "many", "-1"):
            with self.subTest(bound=bad):
                p = run_index("--db", self.db, self.docs, env={"KS_UPDATE_RECORDS": bad})
                self.assertEqual(p.returncode, 2)
                self.assertIn("KS_UPDATE_RECORDS needs a number of records from 1 to", p.stderr)
                self.assertFalse(os.path.exists(self.db))


if __name__ == "__main__":
    main("KS_INDEX", "KS_DBCHECK", "KS_DUMP", "KS_CORPUS", "KS_BAD", "KS_GENCORPUS")
