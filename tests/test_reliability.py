#!/usr/bin/env python3
"""Reliability tests: load, faults, limits and closed items, with figures.

Run by meson (suite "reliability"), one meson test per group, with the
environment of test_server.py plus:
  KS_DBCHECK    tests/ks-dbcheck (counts an index through the binding)
  KS_GENCORPUS  bench/gencorpus.py (a larger corpus of made-up minutes)
  KS_QUERIES    bench/queries.txt (the query mix of the load)
  KS_WRK_SCRIPT bench/queries.lua (wrk's script for that mix)
  KS_LIMITS     server/ks-limits.h (the limits are read from it, not copied)
  KS_SANITIZED  "1" in a sanitizer build
  KS_LOAD_SECONDS  the saturation run (default 60)

Every server listens on 127.0.0.1 with --port 0; every request and every
load run is bounded in time.  The groups print their figures (requests,
errors, memory, executions) on stdout, which meson keeps in its test log.
"""

import csv
import ctypes
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_server import (ATOM, CORPUS, CSV_HEADER, INDEX, TIMEOUT, Server,  # noqa: E402
                         ServerCase, build_index, dump_records, make_web, raw, raw_request,
                         read_until_closed, request, run_index, url, wait_for)

DBCHECK = os.environ.get("KS_DBCHECK", "")
GENCORPUS = os.environ.get("KS_GENCORPUS", "")
QUERIES = os.environ.get("KS_QUERIES", "")
WRK_SCRIPT = os.environ.get("KS_WRK_SCRIPT", "")
LIMITS = os.environ.get("KS_LIMITS", "")
SANITIZED = os.environ.get("KS_SANITIZED") == "1"
LOAD_SECONDS = int(os.environ.get("KS_LOAD_SECONDS", "60"))
WRK_RESULT = re.compile(r"^KSBENCH (.*)$", re.M)


def limit(name):
    """The value of #define NAME in server/ks-limits.h (a number or a product)."""
    with open(LIMITS, encoding="utf-8") as f:
        m = re.search(r"^#define\s+" + name + r"\s+\(?([0-9* ]+)\)?", f.read(), re.M)
    if not m:
        raise AssertionError(f"{name} is not in {LIMITS}")
    value = 1
    for factor in m.group(1).split("*"):
        value *= int(factor)
    return value


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def count(db):
    p = subprocess.run([DBCHECK, db, "count"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"ks-dbcheck {db} count: {p.stderr}")
    return int(p.stdout.split()[0])


def wrk(port, seconds, threads=2, connections=16):
    """wrk over the query mix for SECONDS: its KSBENCH figures as a dict of ints/floats."""
    p = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
                        "--timeout", "10s", "-s", WRK_SCRIPT, f"http://127.0.0.1:{port}",
                        "--", QUERIES], capture_output=True, text=True,
                       timeout=seconds + 60)
    m = WRK_RESULT.search(p.stdout)
    if p.returncode != 0 or not m:
        raise AssertionError(f"wrk failed ({p.returncode}): {p.stdout} {p.stderr}")
    figures = {}
    for pair in m.group(1).split():
        k, _, v = pair.partition("=")
        figures[k] = float(v) if "." in v else int(v)
    figures["errors"] = sum(figures[k] for k in ["connect", "read", "write", "timeout"])
    return figures


def report(group, text):
    print(f"FIGURES {group}: {text}", flush=True)


def generate(out, meetings, seed):
    subprocess.run([sys.executable, GENCORPUS, "--meetings", str(meetings), "--seed", str(seed),
                    "--out", out], check=True, capture_output=True, timeout=300)


def more_files(n=1000):
    """Lets this process hold N more sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n + 200))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


# ---- load ----------------------------------------------------------------------------------

class Load(ServerCase):
    """Saturation on the query mix for LOAD_SECONDS; then 1,000 idle connections.
    The index: the corpus and 100 made-up meetings, in which the mix finds things."""

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, os.path.join(docs, "corpus"))
        generate(os.path.join(docs, "generated"), 100, 2)
        return docs

    def test_0_mix_finds(self):
        """Every query of the mix is answered, and most find something (the
        misspellings and the questions typed as sentences may not)."""
        with open(QUERIES, encoding="utf-8") as f:
            queries = [line.rstrip("\n") for line in f if line.strip()]
        found = 0
        for q in queries:
            r = request(self.port, "GET", url("/api/search", q=q))
            self.assertEqual(r.status, 200, (q, r))
            found += r.json()["total"] > 0
        report("load", f"{found} of the {len(queries)} queries of the mix find something "
               f"in {len(self.records)} records")
        self.assertGreaterEqual(found, len(queries) * 3 // 4)

    def test_1_saturation(self):
        # Both read once the server has been idle a moment: it gives the
        # memory the searches freed back 10 ms after its pool falls idle
        # (server/workers.c), and read at once, racing that, the two
        # figures differed by 16 % when the whole suite loaded the machine.
        warm = wrk(self.port, 10)
        time.sleep(0.5)
        after_warmup = rss_kb(self.server.proc.pid)
        run = wrk(self.port, LOAD_SECONDS)
        time.sleep(0.5)
        after_run = rss_kb(self.server.proc.pid)
        growth = (after_run - after_warmup) / after_warmup
        report("load", f"warm-up 10 s: {warm['requests']} requests; saturation "
               f"{LOAD_SECONDS} s (wrk -t2 -c16): {run['requests']} requests "
               f"({run['rps']:.0f}/s, p99 {run['p99_ms']:.1f} ms), {run['errors']} socket "
               f"errors, {run['non2xx']} non-2xx; RSS after warm-up {after_warmup} kB, after "
               f"the run {after_run} kB ({growth:+.1%})")
        for figures in (warm, run):
            self.assertEqual(figures["errors"], 0, figures)
            self.assertEqual(figures["non2xx"], 0, figures)
        self.assertGreater(run["requests"], LOAD_SECONDS * 10, "the load ran")
        if SANITIZED:
            # ASan keeps freed memory in quarantine (up to 256 MB) to catch
            # use after free: resident memory grows by design.
            report("load", "RSS bound not asserted in a sanitizer build")
        else:
            self.assertLessEqual(abs(growth), 0.10, "RSS within 10% of after the warm-up")
        self.assert_healthy()

    def test_2_idle_connections(self):
        more_files(1100)
        want = self.search(q="hjemløse")["total"]
        self.assertGreater(want, 3, "the corpus's 3 and the made-up meetings'")
        idle = []
        try:
            for i in range(1000):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                idle.append(s)
                if i % 2:
                    s.sendall(b"GET /api/search?q=hjem")  # half a request line
            time.sleep(0.5)
            for _ in range(20):
                r = request(self.port, "GET", url("/api/search", q="hjemløse"), timeout=5)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["total"], want)
            # They are held (the last opened, so that KS_REQUEST_TIMEOUT has not
            # run out for them on a slow machine): each still takes its request.
            for s in idle[-50::2]:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                r = read_until_closed(s)
                self.assertIsNotNone(r)
                self.assertEqual(r.status, 200, r)
            report("load", f"{len(idle)} idle connections held; 20 searches all answered")
        finally:
            for s in idle:
                s.close()
        self.assert_healthy()


# ---- faults --------------------------------------------------------------------------------

RENAME_EXCHANGE = 2


def exchange(a, b):
    """renameat2(A, B, RENAME_EXCHANGE): what the indexer does to swap a rebuilt index in."""
    libc = ctypes.CDLL(None, use_errno=True)
    AT_FDCWD = -100
    if libc.renameat2(AT_FDCWD, a.encode(), AT_FDCWD, b.encode(), RENAME_EXCHANGE) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


class Rebuild(ServerCase):
    """The index rebuilt three times while wrk saturates the server."""

    FILE = "direktionen-2025-11-17.txt"
    TITLE = "Punkt 6: Beslutning om hjemløsestrategi\n"

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        return docs

    def rewrite(self, word, bump):
        path = os.path.join(self.docs, self.FILE)
        with open(os.path.join(CORPUS, self.FILE), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(self.TITLE, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(self.TITLE, f"Punkt 6: Beslutning om {word}\n"))
        t = time.time() + bump
        os.utime(path, (t, t))

    def visible(self, word):
        r = request(self.port, "GET", url("/api/search", q=word))
        return r.status == 200 and [x["id"] for x in r.json()["results"]] == \
            ["direktionen-2025-11-17-6"]

    def test_three_rebuilds_under_load(self):
        seconds = 20
        result = {}
        load = threading.Thread(target=lambda: result.update(wrk(self.port, seconds)))
        start = time.monotonic()
        load.start()
        try:
            time.sleep(2)
            # 1: an update in place (a new revision of the same index).
            self.rewrite("flamingoplanen", 1)
            p = run_index("--quiet", "--db", self.db, self.docs)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(wait_for(lambda: self.visible("flamingoplanen")), "rebuild 1 seen")
            # 2: a file gone and the title again (another revision).
            gone = os.path.join(self.docs, "direktionen-2023-11-06.txt")
            os.rename(gone, os.path.join(self.tmp, "gone.txt"))
            self.rewrite("pingvinplanen", 2)
            p = run_index("--quiet", "--db", self.db, self.docs)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(wait_for(lambda: self.visible("pingvinplanen")), "rebuild 2 seen")
            self.assertFalse(self.visible("flamingoplanen"))
            self.assertEqual(request(self.port, "GET", "/healthz").json()["documents"], 54)
            # 3: a whole new index built beside it and swapped in, as the
            # indexer does after a schema upgrade.
            os.rename(os.path.join(self.tmp, "gone.txt"), gone)
            self.rewrite("pelikanplanen", 3)
            fresh = self.db + ".new"
            build_index(fresh, self.docs)
            exchange(fresh, self.db)
            shutil.rmtree(fresh)
            self.assertTrue(wait_for(lambda: self.visible("pelikanplanen")), "rebuild 3 seen")
            self.assertFalse(self.visible("pingvinplanen"))
            self.assertEqual(request(self.port, "GET", "/healthz").json()["documents"], 65)
            rebuilt = time.monotonic() - start
        finally:
            load.join(seconds + 90)
        report("rebuild", f"3 rebuilds within {rebuilt:.1f} s of a {seconds} s wrk run: "
               f"{result.get('requests')} requests, {result.get('errors')} socket errors, "
               f"{result.get('non2xx')} non-2xx")
        self.assertLess(rebuilt, seconds, "every rebuild happened under load")
        self.assertEqual(result["errors"], 0, result)
        self.assertEqual(result["non2xx"], 0, result)
        self.assertGreater(result["requests"], 100)


class Kill(ServerCase):
    """The indexer killed with SIGKILL at random points while the server serves."""

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        cls.big = os.path.join(cls.tmp, "generated")
        generate(cls.big, 150, 11)
        cls.big_records = len(dump_records(cls.big))
        return docs

    def test_killed_at_random_points(self):
        seed = int(os.environ.get("KS_SEED", random.randrange(1 << 30)))
        rng = random.Random(seed)
        # How long a whole run takes, on a copy: kills fall anywhere within it.
        scratch = os.path.join(self.tmp, "scratch")
        shutil.copytree(self.db, scratch)
        t = time.monotonic()
        run_index("--quiet", "--db", scratch, self.docs, self.big)
        whole = time.monotonic() - t
        shutil.rmtree(scratch)
        outcomes = []
        for round_ in range(8):
            delay = rng.uniform(0.0, whole)
            proc = subprocess.Popen([INDEX, "--quiet", "--db", self.db, self.docs, self.big],
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            records = count(self.db)
            # The index is the old one or the new one, whole, never anything
            # between.  The new one when the run completed before the kill,
            # or when the kill landed after it had committed but before it
            # had exited.
            self.assertIn(records, (65, 65 + self.big_records), f"killed at {delay:.2f} s")
            if finished:
                self.assertEqual(proc.returncode, 0)
                self.assertEqual(records, 65 + self.big_records)
            if records != 65:
                self.assertEqual(records, 65 + self.big_records)
                outcomes.append(f"{delay:.2f}s: had completed" if finished
                                else f"{delay:.2f}s: killed after the new index was in place")
                shutil.rmtree(self.db)
                build_index(self.db, self.docs)
                self.server.send(signal.SIGHUP)
            else:
                outcomes.append(f"{delay:.2f}s: killed, old index kept")
            self.assertEqual(os.listdir(self.tmp).count("index"), 1)
            # The server still answers from the old index.
            self.assertTrue(wait_for(lambda: request(self.port, "GET", "/healthz")
                                     .json()["documents"] == 65), f"round {round_}")
            r = request(self.port, "GET", url("/api/search", q="hjemløse"))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["total"], 3)
        # A re-run completes (a killed writer's lock dies with it).
        p = run_index("--quiet", "--db", self.db, self.docs, self.big)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(self.db), 65 + self.big_records)
        self.assertTrue(wait_for(lambda: request(self.port, "GET", "/healthz")
                                 .json()["documents"] == 65 + self.big_records))
        stale = [n for n in os.listdir(self.tmp) if n.startswith("index.tmp")]
        self.assertEqual(stale, [], "no half-built index left behind")
        report("kill", f"seed {seed}, whole run {whole:.2f} s; " + "; ".join(outcomes) +
               f"; re-run completed with {65 + self.big_records} records")


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


class Slow(unittest.TestCase):
    """Clients that send one byte a second are dropped after KS_REQUEST_TIMEOUT, and hold
    no worker meanwhile: one network thread and one search thread serve everyone else."""

    def test_slow_clients_dropped(self):
        tmp = tempfile.mkdtemp(prefix="ks-slow-")
        self.addCleanup(shutil.rmtree, tmp)
        db = os.path.join(tmp, "index")
        build_index(db, CORPUS)
        server = Server([db], make_web(tmp), threads=1)
        deadline = limit("KS_REQUEST_TIMEOUT")
        slow = 20
        dropped = []
        lock = threading.Lock()

        def dribble(n):
            message = b"GET /api/search?q=" + b"a" * 200 + b" HTTP/1.1\r\n"
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
                start = time.monotonic()
                for i in range(len(message)):
                    try:
                        s.sendall(message[i:i + 1])
                        data = s.recv(1)  # waits up to 2 s
                    except socket.timeout:
                        continue
                    except (BrokenPipeError, ConnectionResetError):
                        data = b""
                    if not data:
                        with lock:
                            dropped.append(time.monotonic() - start)
                        return
                    break  # an answer: not expected

        threads = [threading.Thread(target=dribble, args=(n,)) for n in range(slow)]
        try:
            for t in threads:
                t.start()
            # Everyone else is served meanwhile.
            answered = 0
            t0 = time.monotonic()
            while time.monotonic() - t0 < deadline - 2:
                r = request(server.port, "GET", url("/api/search", q="hjemløse"), timeout=5)
                self.assertEqual(r.status, 200, r)
                answered += 1
                time.sleep(0.2)
        finally:
            for t in threads:
                t.join(deadline + 30)
        report("slow", f"{slow} clients sending a byte a second: {len(dropped)} dropped after "
               f"{min(dropped, default=0):.1f}-{max(dropped, default=0):.1f} s "
               f"(KS_REQUEST_TIMEOUT {deadline} s); {answered} searches answered meanwhile")
        self.assertEqual(len(dropped), slow, "every slow client dropped")
        for elapsed in dropped:
            self.assertGreaterEqual(elapsed, deadline - 1.5)
            self.assertLess(elapsed, deadline + 4)
        self.assertGreater(answered, 5)
        # The server says so (its line may come a moment after the drop).
        self.assertTrue(wait_for(lambda: "that sent no whole request" in server.log()),
                        server.log()[-2000:])
        # A slow client on a kept-alive connection: its second request too.
        with socket.create_connection(("127.0.0.1", server.port), timeout=deadline + 5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            self.assertIn(b" 200 ", first.split(b"\r\n")[0])
            start = time.monotonic()
            s.sendall(b"GET /hea")
            self.assertEqual(s.recv(1), b"")
            self.assertLess(time.monotonic() - start, deadline + 4)
        server.stop_and_check()


# ---- limits --------------------------------------------------------------------------------

class Limits(ServerCase):
    """Every limit of ks-limits.h (and the binding's wildcard limit), reached."""

    ITEMS = 10050  # past KS_MAX_CSV_ROWS
    WORDS = 300    # past KS_MAX_WILDCARD_TERMS

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        os.mkdir(docs)
        # One meeting of ITEMS items.  Item N (N <= WORDS) holds the word
        # "zqxN"; for N <= 256 item 5000 + N holds it too, so the 256 words in
        # two items are the most frequent, the others in one item each.
        lines = ["REFERAT Testudvalget d. 02-01-2025", "", "Mødedato Torsdag d. 2. januar 2025",
                 ""]
        for n in range(1, cls.ITEMS + 1):
            lines += [f"Punkt {n}: Emne nummer {n}", "", f"25-{n:06d}", "", "Sagsfremstilling",
                      ""]
            if n <= cls.WORDS:
                word = f"zqx{n:04d}"
            elif 5000 < n <= 5256:
                word = f"zqx{n - 5000:04d}"
            else:
                word = "fyld"
            lines += [f"Tekst om {word}.", ""]
        with open(os.path.join(docs, "testudvalget-2025-01-02.txt"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(lines))
        return docs

    def assert_4xx(self, r, status, words):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(body["error"]["status"], status)
        self.assertRegex(body["error"]["message"], words)

    def test_fixture(self):
        self.assertEqual(len(self.records), self.ITEMS)

    def test_url(self):
        n = limit("KS_MAX_URL_BYTES")
        ok = "/api/search?q=hjem&x=" + "a" * (n - len("/api/search?q=hjem&x="))
        self.assertEqual(len(ok), n)
        self.assertEqual(request(self.port, "GET", ok).status, 200)
        self.assert_4xx(request(self.port, "GET", ok + "a"), 414, "URL is too long")

    def test_headers(self):
        n = limit("KS_MAX_HEADER_BYTES")
        r = request(self.port, "GET", "/healthz", headers={"X-Fill": "a" * (n + 1)})
        self.assert_4xx(r, 431, "headers are too large")
        r = request(self.port, "GET", "/healthz", headers={"X-Fill": "a" * (n // 2)})
        self.assertEqual(r.status, 200)
        # Past libmicrohttpd's own pool: refused all the same, never a 5xx.
        big = limit("KS_CONNECTION_MEMORY")
        r = raw_request(self.port, "GET", "/healthz", headers=["X-Fill: " + "a" * big])
        self.assertIsNotNone(r)
        self.assertIn(r.status, (413, 414, 431), r)

    def test_query(self):
        n = limit("KS_MAX_QUERY_BYTES")
        r = request(self.port, "GET", url("/api/search", q="a" * n))
        self.assertEqual(r.status, 200, r)
        self.assert_4xx(request(self.port, "GET", url("/api/search", q="a" * (n + 1))), 400,
                        r"\bq\b.*too long")
        self.assert_4xx(request(self.port, "GET", url("/feed", q="å" * n)), 400, "too long")

    def test_message(self):
        # An error message quotes a parameter's name: whole up to KS_MAX_MESSAGE_BYTES,
        # past that cut between two characters (ø is two bytes) and ended with "…".
        n = limit("KS_MAX_MESSAGE_BYTES")
        fixed = "parameter {} is not valid UTF-8 text"
        fits = "ø" * ((n - len(fixed.format("").encode())) // 2)
        for name in [fits, fits + "ø" * 30, "a" + fits + "ø" * 30]:
            r = request(self.port, "GET", "/api/search?" + urllib.parse.quote(name) + "=%FF")
            self.assertEqual(r.status, 400, r)
            message = json.loads(r.body.decode("utf-8"))["error"]["message"]
            self.assertLessEqual(len(message.encode()), n, message)
            if name == fits:
                self.assertEqual(message, fixed.format(name))
                self.assertEqual(len(message.encode()), n)
            else:
                self.assertTrue(message.endswith("…"), message)
                self.assertTrue(name.startswith(message[len("parameter "):-1]), message)

    def test_wildcard_expansion(self):
        # Documented behaviour, not a 4xx: "zqx*" is a real search, and gets the
        # KS_MAX_WILDCARD_TERMS most frequent words; a 4xx would fail a user
        # whose prefix happens to be common.
        with open(os.path.join(os.path.dirname(LIMITS), "..", "lib", "ks-xapian.h")) as f:
            n = int(re.search(r"#define KS_MAX_WILDCARD_TERMS (\d+)", f.read()).group(1))
        self.assertEqual(n, 256, "the fixture is made for 256")
        r = request(self.port, "GET", url("/api/search", q="zqx*", format="csv"))
        self.assertEqual(r.status, 200, r)
        punkte = {int(row["punkt"]) for row in csv.DictReader(io.StringIO(r.body.decode()))}
        # The 256 most frequent words expanded, the rarer 44 left out.
        self.assertEqual(punkte, set(range(1, 257)) | set(range(5001, 5257)))
        self.assertEqual(r.header("x-total-count"), "512")
        # A word of its own still finds its item.
        r = request(self.port, "GET", url("/api/search", q="zqx0300"))
        self.assertEqual([x["punkt"] for x in r.json()["results"]], [300])

    def test_offset(self):
        deepest = limit("KS_MAX_OFFSET")
        per = limit("KS_MAX_PER_PAGE")
        last_page = deepest // per + 1
        r = request(self.port, "GET", url("/api/search", q="", page=last_page, per_page=per))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["results"]), self.ITEMS - deepest, "the deepest page")
        self.assert_4xx(request(self.port, "GET", url("/api/search", q="", page=last_page + 1,
                                                      per_page=per)), 400, "too deep")
        self.assert_4xx(request(self.port, "GET", url("/api/search", page="9" * 9)), 400,
                        "too deep")
        self.assert_4xx(request(self.port, "GET", url("/api/search", page="9" * 10)), 400,
                        "page")
        r = request(self.port, "GET", url("/api/search", q="", per_page=per * 10))
        self.assertEqual(len(r.json()["results"]), per, "per_page is capped")

    def test_csv_rows(self):
        # Documented behaviour, not a 4xx (SPEC: "all hits (up to 10,000)"): the
        # first KS_MAX_CSV_ROWS in the search's order, and X-Total-Count says how
        # many there were, so that a client can tell the export is cut.
        n = limit("KS_MAX_CSV_ROWS")
        r = request(self.port, "GET", url("/api/search", q="", format="csv", sort="date_asc"))
        self.assertEqual(r.status, 200, r)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual(",".join(rows[0]), CSV_HEADER)
        self.assertEqual(len(rows) - 1, n)
        self.assertEqual(r.header("x-total-count"), str(self.ITEMS))
        self.assertEqual([int(x[7]) for x in rows[1:4]], [1, 2, 3], "in the search's order")
        r = request(self.port, "GET", url("/api/search", q="zqx0300", format="csv"))
        self.assertEqual(r.header("x-total-count"), "1")


# ---- closed items --------------------------------------------------------------------------

# Every spelling of the closed mark (issue 15, point 8): the heading after "Punkt N: ",
# whether the item is closed, the title it gets and the warning the indexer gives on
# the heading's line (None: none).
FORMS = [
    ("Lukket: Grundsalg Birkevej", True, "Grundsalg Birkevej", None),
    ("LUKKET: Grundsalg Egevej", True, "Grundsalg Egevej", None),
    ("Lukket punkt: Grundsalg Askevej", True, "Grundsalg Askevej",
     'read "Lukket punkt:" as a closed item'),
    ("Lukket - Grundsalg Bøgevej", True, "Grundsalg Bøgevej", 'read "Lukket -" as a closed item'),
    ("LUKKET - Grundsalg Elmevej", True, "Grundsalg Elmevej", 'read "LUKKET -" as a closed item'),
    ("Lukket : Grundsalg Lindevej", True, "Grundsalg Lindevej",
     'read "Lukket :" as a closed item'),
    # A no-break space is a space to the decoder.
    ("Lukket\u00a0: Grundsalg Pilevej", True, "Grundsalg Pilevej",
     'read "Lukket :" as a closed item'),
    ("Lukket\u202f: Grundsalg Fyrrevej", True, "Grundsalg Fyrrevej",
     'read "Lukket\\u202F:" as a closed item'),
    ("(Lukket) Grundsalg Poppelvej", True, "Grundsalg Poppelvej",
     'read "(Lukket)" as a closed item'),
    ("[Lukket] Grundsalg Rønnevej", True, "Grundsalg Rønnevej",
     'read "[Lukket]" as a closed item'),
    ("Lukket. Grundsalg Tjørnevej", True, "Grundsalg Tjørnevej",
     'read "Lukket." as a closed item'),
    ("~~Lukket:~~ Grundsalg Hyldevej", True, "Grundsalg Hyldevej",
     'read "~~Lukket:~~" as a closed item'),
    ("~~Lukket: Grundsalg Ahornvej~~", True, "Grundsalg Ahornvej",
     'read "~~Lukket:" as a closed item'),
    ("**Lukket punkt:** Grundsalg Skovvej", True, "Grundsalg Skovvej",
     'read "Lukket punkt:" as a closed item'),
    ("Lukket \u2013 Grundsalg Kastanjevej", True, "Grundsalg Kastanjevej",
     'read "Lukket \u2013" as a closed item'),
    ("Lukket \u2014 Grundsalg Valnøddevej", True, "Grundsalg Valnøddevej",
     'read "Lukket \u2014" as a closed item'),
    ("Lukket  punkt:  Grundsalg Granvej", True, "Grundsalg Granvej",
     'read "Lukket  punkt:" as a closed item'),
    ("Lukket punkt", True, "Lukket punkt",
     'read "Lukket punkt" as a closed item without a title'),
    ("Lukket afdeling på Solhjem", True, "Lukket afdeling på Solhjem",
     'read "Lukket afdeling på Solhjem" as a closed item: the title begins with the word '
     '"Lukket"'),
    # Words of their own, and lookalikes that stay open.
    ("Lukketid på rådhuset", False, "Lukketid på rådhuset", None),
    ("Lukkethed i forvaltningen", False, "Lukkethed i forvaltningen", None),
    ("Ulukket vej ved havnen", False, "Ulukket vej ved havnen", None),
    ("Luket: Grundsalg Møllevej", False, "Luket: Grundsalg Møllevej",
     '"Luket:" looks like the closed mark "Lukket:" but is not it: read as an open item'),
    ("Grundsalg Kirkevej (Lukket)", False, "Grundsalg Kirkevej (Lukket)",
     '"(Lukket)" is not at the start of the title: read as an open item'),
]
FORMS_FILE = "teknik-og-miljoeudvalget-2025-12-01.txt"
FORMS_UDVALG = "Teknik- og Miljøudvalget"


def form_words(n):
    """The made-up words of the text under form N: found only when the item is open."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    tag = letters[n // 26] + letters[n % 26]
    return [f"zebrafjer{tag}", f"okapiknap{tag}", f"pelikanrod{tag}"]


def forms_document():
    """The minutes of one meeting with an item per form, each with text under it, and
    the line of each item's heading."""
    lines = [f"REFERAT {FORMS_UDVALG} d. 01-12-2025", "",
             "Mødedato Mandag d. 1. december 2025 kl. 16:00", "", "Mødested Byrådssalen", "",
             "Mødedeltagere Anne Holm, Jens Juul Hansen", ""]
    heading_lines = []
    for n, (heading, _, _, _) in enumerate(FORMS, 1):
        a, b, c = form_words(n)
        heading_lines.append(len(lines) + 1)
        lines += [f"Punkt {n}: {heading}", "", f"25-0900{n:02d}", "", "Beslutning", "",
                  f"Godkendt med {a}.", "", "Sagsfremstilling", "", f"Sagen om {b} og {a}.", "",
                  "Behandling", "", f"{c.capitalize()}udvalget.", "", "Bilag", "",
                  f"Notat om {c}", ""]
    return "\n".join(lines) + "\n", heading_lines


class Closed(ServerCase):
    """Every output, walked: of a closed item nothing but what the published minutes
    print (title, sagsnummer, punkt, the meeting and its committee), its handle and
    its closed mark; none of its text.  Over the corpus and a meeting of its own
    with an item in every spelling of the closed mark (FORMS)."""

    # The year is the date's; id and url are the handle and source the minutes'
    # file (see SECURITY.md).
    ALLOWED = {"id", "type", "url", "title", "sagsnummer", "date", "year", "lukket", "udvalg",
               "punkt", "meeting", "source"}

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        text, cls.heading_lines = forms_document()
        cls.forms_path = os.path.join(docs, FORMS_FILE)
        with open(cls.forms_path, "w", encoding="utf-8") as f:
            f.write(text)
        return docs

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.closed = [r for r in cls.records if r["lukket"]]
        cls.open = [r for r in cls.records if not r["lukket"]]
        stem = FORMS_FILE[:-len(".txt")]
        cls.forms = [cls.by_id[f"{stem}-{n}"] for n in range(1, len(FORMS) + 1)]

    def assert_closed_result(self, result, what):
        record = self.by_id[result["id"]]
        for key, value in result.items():
            if key in self.ALLOWED:
                self.assertEqual(value, record[key], f"{what}: {key}")
            else:
                self.assertIn(value, (None, "", [], {}), f"{what}: {key} of a closed item")
        for key in ["udvalg", "punkt"]:
            self.assertIsNotNone(result[key], f"{what}: {key} of a closed item shows")
        if "meeting" in result:
            self.assertEqual(result["meeting"]["title"], record["meeting"]["title"], what)

    def test_fixture(self):
        self.assertGreater(len(self.closed), 10)
        self.assertTrue(all(r["udvalg"] and r["meeting"] for r in self.closed),
                        "the dump knows the committee and the meeting")

    def test_results_and_snippets(self):
        seen = set()
        queries = [{"q": ""}, {"lukket": "true"}, {"q": "", "sort": "date_asc"}]
        queries += [{"q": r["title"]} for r in self.closed]
        queries += [{"q": r["sagsnummer"]} for r in self.closed]
        for params in queries:
            body = self.search(dict(params, per_page=100))
            for result in body["results"]:
                if result["lukket"]:
                    self.assert_closed_result(result, params)
                    self.assertEqual(result["snippet"], "")
                    seen.add(result["id"])
        self.assertEqual(seen, {r["id"] for r in self.closed}, "every closed item walked")

    def test_committee_filters(self):
        # The filter and the field query find a closed item by its committee, as
        # any item.
        for r in self.closed:
            ids = {x["id"] for x in self.search(q="", udvalg=r["udvalg"], lukket="true",
                                                per_page=100)["results"]}
            self.assertIn(r["id"], ids, r["udvalg"])
            ids = {x["id"] for x in self.search(q=f'udvalg:"{r["udvalg"]}"', lukket="true",
                                                per_page=100)["results"]}
            self.assertIn(r["id"], ids, r["udvalg"])

    def test_facets(self):
        # Closed items count under their committee and year, and for no decision.
        facets = self.search(q="")["facets"]
        expected = {}
        for r in self.records:
            if r["udvalg"]:
                expected[r["udvalg"]] = expected.get(r["udvalg"], 0) + 1
        self.assertEqual(facets["udvalg"], expected)
        total_by_year = sum(facets["year"].values())
        self.assertEqual(total_by_year, len([r for r in self.records if r["year"]]))
        closed_facets = self.search(lukket="true")["facets"]
        self.assertEqual(sum(closed_facets["udvalg"].values()), len(self.closed))
        self.assertEqual(closed_facets["beslutning"], {}, "closed items have no decision")
        total_by_year = sum(facets["year"].values())
        self.assertEqual(total_by_year, len([r for r in self.records if r["year"]]))
        closed_decisions = {r["beslutning"] for r in self.closed if r.get("beslutning")}
        self.assertEqual(closed_decisions, set(), "closed items have no decision")

    def test_csv(self):
        r = self.get("/api/search", q="", format="csv")
        rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"), newline="")))
        closed = [row for row in rows if row["lukket"] == "true"]
        self.assertEqual(len(closed), len(self.closed))
        for row in closed:
            record = self.by_id[row["id"]]
            self.assertEqual((row["udvalg"], row["punkt"], row["beslutning"]),
                             (record["udvalg"], str(record["punkt"]), ""), row)
            self.assertEqual(row["title"], record["title"])

    def test_feed(self):
        r = self.get("/feed", lukket="true")
        root = ET.fromstring(r.body)
        entries = root.findall(ATOM + "entry")
        self.assertEqual(len(entries), min(50, len(self.closed)))
        for e in entries:
            # Title, id, link, date, case number and the closed mark: nothing else.
            self.assertLessEqual({c.tag[len(ATOM):] for c in e},
                                 {"title", "id", "link", "updated", "category", "summary"})
            self.assertEqual(e.find(ATOM + "summary").text, "Lukket punkt")
            record = self.by_id[e.find(ATOM + "link").get("href").rsplit("/", 1)[1]]
            self.assertTrue(record["lukket"])
            self.assertEqual(e.find(ATOM + "title").text, record["title"])
            self.assertEqual([(c.get("label"), c.get("term"))
                              for c in e.findall(ATOM + "category")],
                             [("Sag", record["sagsnummer"])] if record["sagsnummer"] else [])

    def test_item_and_case(self):
        for record in self.closed:
            item = self.get(f"/api/item/{record['id']}").json()
            self.assert_closed_result(item, record["id"])
            if not record["sagsnummer"]:
                continue  # closed items without a case number: no case page
            case = self.get(f"/api/sag/{record['sagsnummer']}").json()
            mine = [x for x in case["items"] if x["id"] == record["id"]]
            self.assertEqual(len(mine), 1)
            self.assert_closed_result(mine[0], record["sagsnummer"])

    def test_suggestions(self):
        # No word found only in closed items is ever suggested.
        def words(text):
            return set(re.findall(r"\w{6,}", (text or "").lower()))
        public = set()
        for r in self.open:
            public |= words(r["title"]) | words(r.get("text"))
            for value in r.get("sections", {}).values():
                public |= words(value)
        only_closed = set()
        for r in self.closed:
            only_closed |= words(r["title"]) - public
        self.assertGreater(len(only_closed), 5)
        for word in sorted(only_closed):
            wrong = word[:-2] + word[-1] + word[-2] if word[-1] != word[-2] else word + "x"
            suggestion = (self.search(q=wrong)["suggestion"] or "").lower()
            self.assertNotIn(word, suggestion.split(), wrong)

    # -- the spellings of the mark --

    def test_forms_read(self):
        for (heading, closed, title, _), r in zip(FORMS, self.forms):
            self.assertEqual((r["lukket"], r["title"]), (closed, title), heading)
            self.assertEqual(r["text"] == "", closed, heading)
            if closed:
                self.assertEqual((r["sections"], r["behandling"], r["bilag"]), ({}, [], []),
                                 heading)

    def test_forms_warned_with_file_and_line(self):
        expected = set()
        for (heading, _, _, warning), line in zip(FORMS, self.heading_lines):
            if warning:
                expected.add(f"{self.forms_path}:{line}: warning: {warning}")
        self.assertGreater(len(expected), 15)
        for args in [["--quiet", "--db", os.path.join(self.tmp, "warned")], ["--dump"]]:
            p = run_index(*args, self.docs)
            self.assertEqual(p.returncode, 0, "a warning is no failure: " + p.stderr)
            warnings = {line for line in p.stderr.splitlines() if ": warning: " in line}
            self.assertEqual(warnings, expected, args)

    def test_forms_text_never_found_nor_shown(self):
        paths = [url("/api/search", q="", per_page=100), url("/api/search", q="", format="csv"),
                 url("/api/search", q="grundsalg", per_page=100), "/feed",
                 url("/feed", q="grundsalg"), url("/api/search", lukket="true", per_page=100)]
        hidden = []
        for n, ((heading, closed, _, _), r) in enumerate(zip(FORMS, self.forms), 1):
            words = form_words(n)
            for word in words:
                found = self.ids(word)
                self.assertEqual(found, [] if closed else [r["id"]], f"{heading}: {word}")
            self.assertEqual(self.ids(f"beslutning:{words[0]}"), [] if closed else [r["id"]])
            if closed:
                hidden += words
                paths += [f"/api/item/{r['id']}", f"/api/sag/{r['sagsnummer']}",
                          url("/api/search", q=r["title"], per_page=100)]
        for path in paths:
            body = self.get(path).body.decode("utf-8").lower()
            for word in hidden:
                self.assertNotIn(word, body, path)
        for word in hidden:
            wrong = word[:-1] + "x"
            self.assertNotIn(word, (self.search(q=wrong)["suggestion"] or "").lower(), wrong)

    def test_forms_show_committee_punkt_and_meeting(self):
        closed = [r for r in self.forms if r["lukket"]]
        for r in closed:
            item = self.get(f"/api/item/{r['id']}").json()
            self.assert_closed_result(item, r["id"])
            self.assertEqual((item["udvalg"], item["punkt"], item["meeting"]["title"],
                              item["meeting"]["place"]),
                             (FORMS_UDVALG, r["punkt"], f"REFERAT {FORMS_UDVALG} d. 01-12-2025",
                              "Byrådssalen"))
        body = self.search(udvalg=FORMS_UDVALG, lukket="true", per_page=100)
        self.assertEqual(sorted(x["id"] for x in body["results"]),
                         sorted(r["id"] for r in closed))
        self.assertEqual(body["facets"]["udvalg"], {FORMS_UDVALG: len(closed)})
        # Only the open items have a decision.
        self.assertEqual(self.search(udvalg=FORMS_UDVALG)["facets"]["beslutning"],
                         {"Godkendt": len(self.forms) - len(closed)})
        for x in body["results"]:
            self.assertEqual((x["udvalg"], x["punkt"], x["snippet"]),
                             (FORMS_UDVALG, self.by_id[x["id"]]["punkt"], ""))


if __name__ == "__main__":
    for name, value in [("KS_SERVER", os.environ.get("KS_SERVER")), ("KS_INDEX", INDEX),
                        ("KS_CORPUS", CORPUS), ("KS_DBCHECK", DBCHECK), ("KS_LIMITS", LIMITS),
                        ("KS_GENCORPUS", GENCORPUS), ("KS_QUERIES", QUERIES)]:
        if not value:
            sys.exit(f"test_reliability.py: {name} is not set (run it through meson test)")
    unittest.main(verbosity=2)
