#!/usr/bin/env python3
"""What one request may cost the server (issue 15, points 1 and 7), end to end.

Run by meson (suite "reliability", test "reliability-cost") with the
environment of harness.py.  One index is built for the whole file:
a meeting of ITEMS agenda items whose texts draw on a vocabulary of VOCABULARY
made-up words, so that every one-letter prefix has hundreds of words (a
wildcard expands as far as Xapian lets it) and an export can reach
KS_MAX_CSV_ROWS.  Each case starts its own kommunesoeg-server on a free
loopback port with the flags it needs:
  - the wildcard budget: the costly queries of the issue answered 400 in
    Danish through every route and sort, the same wildcard repeated merged;
  - the match time limit (--search-timeout);
  - requests whose clients hung up dropped, not searched;
  - SIGTERM drains within KS_DRAIN_SECONDS whatever is queued;
  - exports: one at a time per two search threads (503 with Retry-After),
    plain searches never refused, and memory that does not grow with the rows.
Nothing here asserts a speed: the figures are bench/attack.py's.
"""

import os
import random
import re
import shutil
import signal
import socket
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from harness import (ATOM, SANITIZED, TIMEOUT, WRAP, Server, build_index, limit, main, make_web,
                     more_files, read_csv, read_until_closed, report, request, url, wait_for)

ITEMS = 10050  # past KS_MAX_CSV_ROWS
VOCABULARY = 20000
WORDS_PER_ITEM = 24
# Each item's decision (in every CSV row): long enough that an export of
# every item (9 MB) is more than the kernel takes into a socket's buffers
# (4 MB at most), so that a client that does not read holds it.
DECISION_WORDS = 100


def made_up_words(rng, n):
    consonants, vowels = "bdfghjklmnprstv", "aeiouy"
    words = set()
    while len(words) < n:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) +
                          (rng.choice(consonants) if rng.random() < 0.5 else "")
                          for _ in range(syllables)))
    return sorted(words)


def write_corpus(docs):
    rng = random.Random(15)
    words = made_up_words(rng, VOCABULARY)
    rng.shuffle(words)
    # Word frequencies as in real text (Zipf's law): a few words in most
    # items, most words in a few, so that a wildcard's most frequent words
    # have long posting lists.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    lines = ["REFERAT Testudvalget d. 02-01-2025", "", "Mødedato Torsdag d. 2. januar 2025", ""]
    for n in range(1, ITEMS + 1):
        text = " ".join(rng.choices(words, weights, k=WORDS_PER_ITEM))
        decision = " ".join(rng.choices(words, weights, k=DECISION_WORDS))
        lines += [f"Punkt {n}: Emne nummer {n}", "", f"25-{n:06d}", "", "Sagsfremstilling", "",
                  f"Kommunen drøfter {text}.", "", "Beslutning", "",
                  f"Udvalget besluttede {decision}.", ""]
    os.makedirs(docs)
    with open(os.path.join(docs, "testudvalget-2025-01-02.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def wildcards(n):
    return " ".join(["s*"] * n)


def letters_or():
    """The issue's "a* OR b* OR ... OR v*": 21 wildcards."""
    return " OR ".join(c + "*" for c in "abcdefghijklmnopqrstuv")


def two_letter_or():
    """An OR of 68 two-letter prefixes."""
    prefixes = [a + b for a in "bdfghklmnprstv" for b in "aeiou"][:68]
    return " OR ".join(p + "*" for p in prefixes)


# Every route and sort a costly query can come through.
ROUTES = [("/api/search", {}), ("/api/search", {"format": "csv"}), ("/feed", {})] + [
    ("/api/search", {"sort": s}) for s in
    ["relevance", "date_desc", "date_asc", "nettobudget_desc", "nettobudget_asc"]]

ACCESS = re.compile(r"^GET (\S+) (\d{3}) \d+ [\d.]+ms$")


def statuses(server, path):
    """The statuses the access log gives for requests of PATH."""
    return [int(m.group(2)) for m in map(ACCESS.match, server.log_lines())
            if m and m.group(1) == path]


class Cost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-cost-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.web = make_web(cls.tmp)
        docs = os.path.join(cls.tmp, "docs")
        write_corpus(docs)
        cls.db = os.path.join(cls.tmp, "index")
        build_index(cls.db, docs)

    def serve(self, *flags, threads=2):
        server = Server([self.db], self.web, *flags, threads=threads)
        self.addCleanup(server.kill)
        return server

    def assert_too_costly(self, r, what, words):
        self.assertEqual(r.status, 400, f"{what}: {r}")
        self.assertTrue(r.content_type.startswith("application/json"), f"{what}: {r}")
        body = r.json()
        self.assertEqual(body["error"]["status"], 400)
        self.assertRegex(body["error"]["message"], words, what)

    def test_wildcard_budget(self):
        server = self.serve()
        budget = limit("KS_MAX_QUERY_EXPANSION")
        shown = f"{budget:,}".replace(",", ".")  # Danish thousands
        for name, q in [("21 wildcards", letters_or()), ("68 prefixes", two_letter_or())]:
            for path, params in ROUTES:
                r = request(server.port, "GET", url(path, q=q, **params))
                what = f"{name} via {path} {params}"
                self.assert_too_costly(r, what, r"\*")
                self.assertIn(shown, r.json()["error"]["message"], what)
                self.assertRegex(r.json()["error"]["message"], "[Ss]øgningen", what)
        # One wildcard repeated is one wildcard: answered, as "s*" alone is.
        alone = request(server.port, "GET", url("/api/search", q="s*")).json()
        self.assertGreater(alone["total"], 1000)
        for n in (40, 256):
            r = request(server.port, "GET", url("/api/search", q=wildcards(n)))
            self.assertEqual(r.status, 200, f"s* x {n}: {r}")
            self.assertEqual(r.json()["total"], alone["total"], f"s* x {n}")
            self.assertEqual([x["id"] for x in r.json()["results"]],
                             [x["id"] for x in alone["results"]], f"s* x {n}")
        # Within the budget: four one-letter wildcards.
        r = request(server.port, "GET", url("/api/search", q="s* OR t* OR b* OR d*"))
        self.assertEqual(r.status, 200, r)
        # The feed of a refused query is an error, never a broken feed.
        r = request(server.port, "GET", url("/feed", q=letters_or()))
        self.assertEqual(r.status, 400)
        r = request(server.port, "GET", url("/feed", q="s*"))
        ET.fromstring(r.body).find(ATOM + "title")
        server.stop_and_check()

    def test_match_time_limit(self):
        server = self.serve("--search-timeout", "1")
        r = request(server.port, "GET", url("/api/search", q="s* OR t* OR b* OR d*"))
        self.assert_too_costly(r, "a long match with --search-timeout 1", "[Ss]øgningen")
        self.assertRegex(r.json()["error"]["message"], r"tid|lang")
        # A search that checks few documents is answered, however slow the
        # machine: its match never reaches a look at the clock, and a
        # spelling suggestion past the limit is left out, not the answer.
        r = request(server.port, "GET", url("/api/search", q="emne 17"))
        self.assertEqual(r.status, 200, r)
        server.stop_and_check()
        # The flag's values are checked.
        for bad in ["0", "-1", "x", "3600001"]:
            with self.assertRaises(AssertionError, msg=bad):
                Server([self.db], self.web, "--search-timeout", bad)

    def costly(self, i):
        """A query within the budget that makes the match work: two wildcards
        of many words and a third that differs each time (so that no two
        requests are the same)."""
        letters = "bdfghjklmnprstv"
        return f"{letters[i % 15]}* OR {letters[(i + 5) % 15]}* OR s*"

    def time_one(self, server):
        """How long a costly search takes, warm: the best of three."""
        best = None
        for i in range(4):
            start = time.monotonic()
            r = request(server.port, "GET", url("/api/search", q=self.costly(i)))
            self.assertEqual(r.status, 200, r)
            took = time.monotonic() - start
            best = took if i and (best is None or took < best) else best
        return best

    def test_abandoned_requests_dropped(self):
        # Costly searches queued on one search thread, three times as many
        # as it answers before their clients hang up after 0.3 s: those
        # taken after that are dropped unsearched.
        server = self.serve(threads=1)
        one = self.time_one(server)
        n = min(400, max(8, int(3 * 0.3 / one)))
        more_files(n + 100)
        socks = []
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
            p = url("/api/search", q=self.costly(i), sort="date_asc")
            s.sendall(f"GET {p} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            socks.append(s)
        time.sleep(0.3)
        for s in socks:
            s.close()
        self.assertTrue(wait_for(lambda: len(statuses(server, "/api/search")) >= n + 4,
                                 timeout=n * one * 2 + 10), server.log()[-3000:])
        r = request(server.port, "GET", url("/api/search", q="emne"))
        self.assertEqual(r.status, 200, r)
        answered = statuses(server, "/api/search")[4:4 + n]
        report("cost", f"{n} searches (one takes {one * 1000:.0f} ms) whose clients hung up "
               f"after 0.3 s, on one search thread: {answered.count(499)} dropped unsearched "
               "(499)")
        self.assertGreaterEqual(answered.count(499), n // 3, server.log()[-3000:])
        self.assertEqual(set(answered) - {200, 499}, set(), server.log()[-3000:])
        server.stop_and_check()

    def test_sigterm_drains_what_is_queued(self):
        # More searches queued on one search thread than it can answer within
        # KS_DRAIN_SECONDS: on SIGTERM, the server answers what it can and
        # refuses the rest with 503, and exits within the drain.
        drain = limit("KS_DRAIN_SECONDS")
        server = self.serve(threads=1)
        one = self.time_one(server)
        n = min(900, max(100, int(drain * 3 / one)))
        more_files(n + 100)
        socks = []
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=drain * 4)
            s.sendall(f"GET {url('/api/search', q=self.costly(i))} HTTP/1.1\r\n"
                      "Host: x\r\n\r\n".encode())
            socks.append(s)
        time.sleep(0.5)
        start = time.monotonic()
        server.send(signal.SIGTERM)
        self.assertTrue(wait_for(lambda: "stopping: finishing" in server.log(), timeout=drain),
                        server.log()[-2000:])
        # A connection made while it drains is closed unanswered: nothing new
        # is taken on once the server is stopping.
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=drain) as late:
                late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                late_answer = read_until_closed(late)
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError):
            late_answer = None
        self.assertIsNone(late_answer, "a connection made after SIGTERM")
        rc = server.stop(timeout=drain * 3)
        took = time.monotonic() - start
        answers = []
        for s in socks:
            r = read_until_closed(s)
            answers.append(r.status if r else None)
            s.close()
        report("cost", f"SIGTERM with {n} searches queued on one search thread (one takes "
               f"{one * 1000:.0f} ms): exit {rc} after {took:.1f} s; {answers.count(200)} x 200, "
               f"{answers.count(503)} x 503, {answers.count(None)} unanswered")
        self.assertEqual(rc, 0)
        self.assertLess(took, drain + 2.5, "drained within KS_DRAIN_SECONDS")
        self.assertGreater(answers.count(503), 0, "what was left was refused, not searched")
        self.assertEqual(set(answers) - {200, 503}, set(), "every one answered")

    def export(self, port, q="", format="csv", **params):
        return request(port, "GET", url("/api/search", q=q, format=format, **params))

    def test_export_slots(self):
        server = self.serve(threads=2)
        # A client that asks for an export and does not read it holds the
        # one export slot of two search threads.
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.settimeout(TIMEOUT)
        slow.connect(("127.0.0.1", server.port))
        slow.sendall(f"GET {url('/api/search', q='', format='csv')} HTTP/1.1\r\n"
                     "Host: x\r\n\r\n".encode())
        self.assertIn(b" 200 ", slow.recv(64))
        r = self.export(server.port, sort="date_asc")
        self.assertEqual(r.status, 503, r)
        self.assertRegex(r.header("retry-after") or "", r"^[1-9][0-9]*$", r)
        self.assertRegex(r.json()["error"]["message"], "[Ee]ksport", r)
        # Plain searches are never refused for it.
        for q in ["emne", "s*", ""]:
            self.assertEqual(request(server.port, "GET", url("/api/search", q=q)).status, 200)
        self.assertEqual(request(server.port, "GET", url("/feed", q="emne")).status, 200)
        slow.close()
        # The slot is free again once the slow client has gone.
        self.assertTrue(any(self.export(server.port).status == 200 or time.sleep(0.2)
                            for _ in range(50)), "an export after the slot was freed")
        r = self.export(server.port)
        rows, note = read_csv(r.body)
        self.assertEqual(len(rows), limit("KS_MAX_CSV_ROWS"))
        self.assertIsNotNone(note, "cut at the cap, and says so")
        # A client's exports one after another, each asked for as soon as
        # the last byte of the one before has come, are never refused: the
        # slot is free before the client has that byte.
        for n in range(60):
            r = self.export(server.port, q=f"emne {n + 1}" if n % 10 else "")
            self.assertEqual(r.status, 200, f"export {n + 1} of 60: {r}")
        server.stop_and_check()

    @unittest.skipIf(SANITIZED or WRAP, "memory is measured without a sanitizer or valgrind")
    def test_export_memory_does_not_grow_with_rows(self):
        server = self.serve(threads=2)
        pid = server.proc.pid

        def peak_growth(**params):
            time.sleep(0.3)  # idle: the memory searches freed has gone back
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")  # resets VmHWM to the current resident size
            before = vm(pid, "VmRSS")
            r = self.export(server.port, **params)
            self.assertEqual(r.status, 200, r)
            return vm(pid, "VmHWM") - before, len(r.body)

        for fmt in ["csv", "xlsx"]:
            self.export(server.port, format=fmt)  # warm
            small, small_bytes = peak_growth(q="emne 17*", format=fmt)
            large, large_bytes = peak_growth(q="", format=fmt)
            report("cost", f"export peak RSS growth: {small} kB for {small_bytes} bytes, "
                   f"{large} kB for {large_bytes} bytes of {fmt}")
            self.assertGreater(large_bytes, 10 * small_bytes)
            if fmt == "csv":
                self.assertLess(large - small, 8 * 1024,
                                "an export's memory does not grow with its rows")
            else:
                # A workbook's rows go to disk as they come, but libxlsxwriter
                # keeps each hyperlink until it zips the workbook: bounded by
                # the cap of rows, not by the rows' text.
                self.assertLess(large - small, 64 * 1024, "a workbook's memory is bounded")
        server.stop_and_check()


def vm(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_LIMITS")
