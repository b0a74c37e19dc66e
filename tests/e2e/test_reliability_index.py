#!/usr/bin/env python3
"""Reliability of the index: the indexer on a full disk, and a missing or
corrupt index at start and while the server runs.

Run by meson (suite "reliability"), one meson test per group.  Every server
listens on 127.0.0.1 with --port 0; every request and every load run is
bounded in time.  The groups print their figures (requests, errors, memory,
executions) on stdout, in lines "FIGURES group: ...", which meson keeps in its
test log.  Usage: test_reliability_index.py [GROUP...]
"""

import os
import random
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import (main, INDEX, CORPUS, count, build_index, generate, report, make_web, url,
                     request, wait_for, Server)


class FullDisk(unittest.TestCase):
    """The indexer on a full disk: a 2 MB tmpfs (as root), else a file size limit."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-disk-")
        cls.disk = os.path.join(cls.tmp, "disk")
        os.mkdir(cls.disk)
        cls.mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                                      cls.disk], capture_output=True).returncode == 0
        cls.big = os.path.join(cls.tmp, "generated")
        generate(cls.big, 150, 5)

    @classmethod
    def tearDownClass(cls):
        if cls.mounted:
            subprocess.run(["umount", cls.disk], check=True)
        shutil.rmtree(cls.tmp)

    def index(self, db, *paths):
        """kommunesoeg-index on the full disk: under RLIMIT_FSIZE when no tmpfs."""
        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        return subprocess.run([INDEX, "--quiet", "--db", db, *paths], capture_output=True,
                              text=True, timeout=300,
                              preexec_fn=None if self.mounted else small_files)

    def test_update_on_full_disk(self):
        db = os.path.join(self.disk, "index")
        p = self.index(db, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)
        before = sorted(os.listdir(db))
        p = self.index(db, CORPUS, self.big)
        how = "a 2 MB tmpfs" if self.mounted else "RLIMIT_FSIZE of 1 MB (mount not permitted)"
        report("fulldisk", f"update on {how}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"kommunesoeg-index: .*(No space left on device|File too "
                         r"large)", "the error says what happened")
        self.assertNotIn("Traceback", p.stderr)
        # The previous index, whole and unchanged, and nothing left beside it.
        self.assertEqual(count(db), 65)
        self.assertEqual(sorted(os.listdir(db)), before)
        self.assertEqual(sorted(os.listdir(self.disk)), ["index"])
        web = make_web(self.tmp)
        server = Server([db], web)
        try:
            r = request(server.port, "GET", url("/api/search", q="hjemløse"))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["total"], 3)
        finally:
            server.stop_and_check()

    def test_fresh_build_on_full_disk(self):
        db = os.path.join(self.disk, "fresh")
        p = self.index(db, CORPUS, self.big)
        report("fulldisk", f"fresh build: exit {p.returncode}: {p.stderr.strip()[:300]}")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"No space left on device|File too large")
        self.assertFalse(os.path.exists(db), "no half-built index")
        self.assertEqual([n for n in os.listdir(self.disk) if n.startswith("fresh")], [])


class Corrupt(unittest.TestCase):
    """A missing or corrupt index: at start a clear message; while running the last good
    index keeps serving."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-corrupt-")
        cls.web = make_web(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def corrupt_copy(self, good, dest):
        """A copy of GOOD with every table's blocks overwritten: still a glass index by its
        file names and version file, but its data is garbage."""
        shutil.copytree(good, dest)
        for name in os.listdir(dest):
            if name.endswith(".glass"):
                path = os.path.join(dest, name)
                size = os.path.getsize(path)
                with open(path, "r+b") as f:
                    f.write(random.Random(name).randbytes(size))
        return dest

    def start_fails(self, db, what):
        p = subprocess.run([os.environ["KS_SERVER"], "--db", db, "--port", "0", "--web",
                            self.web], capture_output=True, text=True, timeout=60)
        report("corrupt", f"start with {what}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(f"cannot open the index {db}", p.stderr)
        self.assertNotRegex(p.stderr, r"AddressSanitizer|runtime error|terminate called")
        return p.stderr

    def test_at_start(self):
        good = os.path.join(self.tmp, "good")
        build_index(good, CORPUS)
        self.start_fails(os.path.join(self.tmp, "missing"), "a missing index")
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        self.start_fails(empty, "an empty directory")
        bad = self.corrupt_copy(good, os.path.join(self.tmp, "bad"))
        self.start_fails(bad, "garbage in every table")
        version = os.path.join(self.tmp, "badversion")
        shutil.copytree(good, version)
        with open(os.path.join(version, "iamglass"), "wb") as f:
            f.write(b"not a version file")
        self.start_fails(version, "a damaged version file")

    def test_while_running(self):
        db = os.path.join(self.tmp, "live")
        build_index(db, CORPUS)
        server = Server([db], self.web)
        try:
            def answers():
                r = request(server.port, "GET", url("/api/search", q="hjemløse"))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["total"], 3)
                r = request(server.port, "GET", "/api/item/direktionen-2025-11-17-6")
                self.assertEqual(r.status, 200, r)

            answers()
            outcomes = []
            # Replaced by a corrupt index (as a rename would put it there).
            moved = db + ".good"
            os.rename(db, moved)
            self.corrupt_copy(moved, db)
            for _ in range(5):
                answers()
                time.sleep(0.3)
            outcomes.append("replaced by garbage: the last good index kept serving")
            # Removed altogether.
            shutil.rmtree(db)
            for _ in range(5):
                answers()
                time.sleep(0.3)
            outcomes.append("removed: the last good index kept serving")
            server.send(signal.SIGHUP)  # asked to reopen: still the old one
            time.sleep(0.3)
            answers()
            # A good index again (of one file): picked up.
            one = os.path.join(self.tmp, "one")
            os.mkdir(one)
            shutil.copy(os.path.join(CORPUS, "direktionen-2025-11-17.txt"), one)
            build_index(db, one)
            self.assertTrue(wait_for(lambda: request(server.port, "GET", "/healthz")
                                     .json()["documents"] == 14), "the new index served")
            r = request(server.port, "GET", url("/api/search", q="hjemløse"))
            self.assertEqual(r.json()["total"], 1)
            outcomes.append("a good index again: served")
            self.assertTrue(server.alive())
            self.assertIn("kommunesoeg-server", server.log())
            report("corrupt", "; ".join(outcomes))
        finally:
            server.stop_and_check()


    def test_replaced_before_any_search(self):
        # Every search thread has the index open from the start: one that had
        # served nothing yet has a last good index too.
        db = os.path.join(self.tmp, "early")
        build_index(db, CORPUS)
        server = Server([db], self.web, threads=4)
        try:
            moved = db + ".good"
            os.rename(db, moved)
            self.corrupt_copy(moved, db)
            for _ in range(16):
                r = request(server.port, "GET", url("/api/search", q="hjemløse"))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["total"], 3)
            report("corrupt", "replaced before any search: all 16 searches on 4 threads served")
        finally:
            server.stop_and_check()


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_DBCHECK", "KS_LIMITS", "KS_GENCORPUS",
         "KS_QUERIES")
