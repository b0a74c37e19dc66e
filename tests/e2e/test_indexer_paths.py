#!/usr/bin/env python3
"""The real kommunesoeg-index on the names of files: every name Linux allows
(served by the real server afterwards), and files known by their path under
the PATH they were found in, moved and renamed.

Usage: test_indexer_paths.py [GROUP...] (one meson test per group).
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import (main, INDEX, CORPUS, WEB, run_index, dbcheck, count, ks_dump, without_roots,
                     parsed_count, request, Server)


def served(test, db, ids):
    """Starts the real server on DB and checks that every id of IDS is served,
    as /api/item/ID and as the item page /item/ID."""
    server = Server([db], WEB)
    test.addCleanup(server.kill)
    for i in ids:
        r = request(server.port, "GET", "/api/item/" + i)
        test.assertEqual(r.status, 200, (i, r))
        test.assertEqual(r.json()["id"], i)
        r = request(server.port, "GET", "/item/" + i)
        test.assertEqual(r.status, 200, (i, r))
    server.stop_and_check()


class LongNames(unittest.TestCase):
    """Every name Linux allows: file names of up to 255 bytes, paths of up to
    4,000 bytes, names not in UTF-8.  Their records get ids of at most 200
    characters of a-z 0-9 '-', which the server serves, and their state fits
    Xapian's keys."""

    STEM = b"referat-direktionen-2025-10-06-"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.docs = os.path.join(cls.tmp, "docs")
        os.mkdir(cls.docs)
        stem = cls.STEM
        cls.names = {
            # the most a name may have
            "255": (stem + b"x" * (255 - len(stem) - 4) + b".txt", "direktionen-2025-10-06.txt"),
            # 203-239 bytes: ids over 200 characters
            "220": (stem + b"y" * (220 - len(stem) - 4) + b".txt", "direktionen-2025-11-17.txt"),
            # two names alike but for their last letters
            "a": (stem + b"z" * (255 - len(stem) - 6) + b"-a.txt", "direktionen-2023-11-06.txt"),
            "b": (stem + b"z" * (255 - len(stem) - 6) + b"-b.txt", "direktionen-2023-11-06.txt"),
            # an id twice as long as the name: "ae" for every "æ" (2 bytes)
            "ae": ("æ".encode() * 126 + b".md", "direktionen-2025-08-18.md"),
            # Windows-1252 "ældre", not UTF-8
            "cp1252": (b"referat-\xe6ldre-2025.txt", "direktionen-2025-11-17.txt"),
        }
        for name, source in cls.names.values():
            shutil.copy(os.path.join(CORPUS, source), os.path.join(os.fsencode(cls.docs), name))
        # A path of 4,000 bytes: folders of 250 bytes one in the other.
        base = len(os.fsencode(cls.docs)) + 1
        depth = (4000 - base - 60) // 251
        name = b"budget-2024-oekonomiudvalget-"
        name += b"n" * (4000 - base - 251 * depth - len(name) - 4) + b".txt"
        cls.deep = os.path.join(os.fsencode(cls.docs), *[b"d" * 250] * depth, name)
        assert len(cls.deep) == 4000 and len(name) <= 255, (len(cls.deep), len(name))
        os.makedirs(os.path.dirname(cls.deep))
        shutil.copy(os.path.join(CORPUS, "budget-2024-oekonomiudvalget.txt"), cls.deep)
        cls.records = 11 + 14 + 11 + 11 + 12 + 14 + 17

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def dump_records(self, docs):
        p = subprocess.run([INDEX, "--dump", docs], capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        # Strict: every string of a record is UTF-8, whatever bytes a name has.
        return [json.loads(line.decode("utf-8")) for line in p.stdout.splitlines()]

    def test_ids_fit_and_are_served(self):
        db = os.path.join(self.tmp, "index")
        p = run_index("--db", db, self.docs)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(parsed_count(p.stderr), (7, 0, 0, 0))
        self.assertEqual(count(db), self.records)
        records = self.dump_records(self.docs)
        self.assertEqual(len(records), self.records)
        ids = [r["id"] for r in records]
        self.assertEqual(len(set(ids)), len(ids), "ids are unique")
        for r in records:
            self.assertRegex(r["id"], r"^[a-z0-9-]{1,200}$")
            self.assertEqual(r["url"], "/item/" + r["id"])
            # the index holds the record under the id --dump printed
            self.assertEqual(json.loads(dbcheck(db, "data", r["id"])[0])["id"], r["id"])
        sources = {r["source"] for r in records}
        self.assertIn("referat-ældre-2025.txt", sources)
        self.assertIn(os.fsdecode(os.path.basename(self.deep)), sources)
        # The two names alike get ids apart, each readable from the name.
        by_source = {}
        for r in records:
            by_source.setdefault(r["source"], set()).add(r["id"])
        ids_a, ids_b = (by_source[os.fsdecode(self.names[k][0])] for k in "ab")
        self.assertEqual(len(ids_a), 11)
        self.assertEqual(ids_a & ids_b, set())
        for key in "a", "b", "255", "220":
            for i in by_source[os.fsdecode(self.names[key][0])]:
                self.assertTrue(i.startswith("referat-direktionen-2025-10-06-"), i)
        for i in by_source[os.fsdecode(self.names["ae"][0])]:
            self.assertTrue(i.startswith("aeaeaeae"), i)
        served(self, db, ids)

    def test_rerun_change_and_removal(self):
        docs = os.path.join(self.tmp, "copy")
        shutil.copytree(self.docs, docs, symlinks=True)
        self.addCleanup(shutil.rmtree, docs)
        db = os.path.join(self.tmp, "index-2")
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (7, 0, 0, 0), p.stderr)
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (0, 7, 0, 0), p.stderr)
        deep = os.path.join(os.fsencode(docs), os.path.relpath(self.deep, os.fsencode(self.docs)))
        with open(deep, "ab") as f:
            f.write(b"\n")
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (1, 6, 0, 0), p.stderr)
        os.remove(deep)
        os.remove(os.path.join(os.fsencode(docs), self.names["255"][0]))
        p = run_index("--db", db, docs)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 2, 0))
        self.assertEqual(count(db), self.records - 11 - 17)


class Moved(unittest.TestCase):
    """A file is known by its path under the PATH it was found in: an archive
    moved, mounted elsewhere or renamed is recognised, and nothing in it is
    read again."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "srv", "docs")
        shutil.copytree(CORPUS, self.docs)
        os.mkdir(os.path.join(self.docs, "2023"))
        os.rename(os.path.join(self.docs, "direktionen-2023-11-06.txt"),
                  os.path.join(self.docs, "2023", "direktionen-2023-11-06.txt"))
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, status=0):
        p = run_index("--db", self.db, *paths)
        self.assertEqual(p.returncode, status, p.stderr)
        return parsed_count(p.stderr)

    def test_moved_archive_is_not_read_again(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        before = ks_dump(self.db)
        moved = os.path.join(self.tmp, "mnt", "arkiv")
        os.makedirs(os.path.dirname(moved))
        os.rename(self.docs, moved)
        self.assertEqual(self.index(moved), (0, 5, 0, 0))
        after = ks_dump(self.db)
        self.assertEqual(without_roots(after), without_roots(before))
        self.assertIn(f"metadata root:1 {moved}".encode(), after)
        # And it goes on as before: a change is read, a file gone removed.
        self.assertEqual(self.index(moved), (0, 5, 0, 0))
        with open(os.path.join(moved, "direktionen-2025-10-06.txt"), "a") as f:
            f.write("\n")
        self.assertEqual(self.index(moved), (1, 4, 0, 0))
        os.remove(os.path.join(moved, "2023", "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(moved), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 54)

    def test_renamed_archive_and_the_old_place_still_there(self):
        # Renamed in place; the old folder made again, empty (a mount point).
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        before = without_roots(ks_dump(self.db))
        renamed = self.docs + "-2025"
        os.rename(self.docs, renamed)
        os.mkdir(self.docs)
        self.assertEqual(self.index(renamed), (0, 5, 0, 0))
        self.assertEqual(without_roots(ks_dump(self.db)), before)

    def test_a_copy_is_not_a_move(self):
        # The old archive is still there: the copy is other files, and the
        # old ones stay.
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        copy = os.path.join(self.tmp, "copy")
        shutil.copytree(self.docs, copy)
        self.assertEqual(self.index(copy), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 130)
        self.assertEqual(self.index(self.docs), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 130)

    def test_two_archives_with_the_same_names(self):
        # Two PATHs holding the same relative names are different files; a
        # run over one removes nothing of the other.
        other = os.path.join(self.tmp, "other")
        shutil.copytree(self.docs, other)
        self.assertEqual(self.index(self.docs, other), (10, 0, 0, 0))
        self.assertEqual(count(self.db), 130)
        os.remove(os.path.join(other, "direktionen-2025-10-06.txt"))
        self.assertEqual(self.index(self.docs), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 130)
        self.assertEqual(self.index(other), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 119)

    def test_a_folder_of_the_archive_alone(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        self.assertEqual(self.index(os.path.join(self.docs, "2023")), (0, 1, 0, 0))
        self.assertEqual(self.index(os.path.join(self.docs, "direktionen-2025-10-06.txt")),
                         (0, 1, 0, 0))
        self.assertEqual(count(self.db), 65)
        os.remove(os.path.join(self.docs, "2023", "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(os.path.join(self.docs, "2023")), (0, 0, 1, 0))
        self.assertEqual(count(self.db), 54)

    def test_a_file_moved_in_the_archive_keeps_its_ids(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        os.rename(os.path.join(self.docs, "direktionen-2025-10-06.txt"),
                  os.path.join(self.docs, "2023", "direktionen-2025-10-06.txt"))
        self.assertEqual(self.index(self.docs), (1, 4, 1, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(json.loads(dbcheck(self.db, "data", "direktionen-2025-10-06-3")[0])["id"],
                         "direktionen-2025-10-06-3")


if __name__ == "__main__":
    main("KS_INDEX", "KS_DBCHECK", "KS_DUMP", "KS_CORPUS", "KS_BAD", "KS_GENCORPUS", "KS_SERVER",
         "KS_WEB")
