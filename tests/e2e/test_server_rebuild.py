#!/usr/bin/env python3
"""The real kommunesoeg-server while its index is rebuilt under load; SIGHUP;
SIGTERM with a request in flight.

Every group indexes its corpus into a temporary directory, starts its own
server on a free loopback port (harness.py) and stops it with SIGTERM at the
end, asserting exit status 0 and no sanitizer report.  Usage: test_server_rebuild.py [GROUP...]
(one meson test per group).
"""

import http.client
import os
import shutil
import signal
import socket
import threading
import time

from harness import (main, CORPUS, TIMEOUT, run_index, url, request, read_until_closed, wait_for,
                     Server, ServerCase)


class Rebuild(ServerCase):
    """The index is rebuilt under load; SIGHUP; SIGTERM with a request in flight."""

    FILE = "direktionen-2025-11-17.txt"
    GONE = "direktionen-2023-11-06.txt"
    NEW_ITEM = ("\n\nPunkt 15: Nyt punkt om kænguruhop\n\n25-099999\n\n"
                "Beslutning\n\nAnbefales.\n\n"
                "Sagsfremstilling\n\nTekst om kænguruhop og vombatvej.\n")

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        return docs

    def reindex(self):
        p = run_index("--quiet", "--db", self.db, self.docs)
        self.assertEqual(p.returncode, 0, p.stderr)

    def documents(self):
        return self.get("/healthz").json()["documents"]

    def rewrite(self, text, bump):
        path = os.path.join(self.docs, self.FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        t = time.time() + bump
        os.utime(path, (t, t))

    def test_rebuild_under_load(self):
        with open(os.path.join(CORPUS, self.FILE), encoding="utf-8") as f:
            original = f.read()
        old_title = "Punkt 6: Beslutning om hjemløsestrategi\n"
        self.assertIn(old_title, original)
        stop = threading.Event()
        failures, done = [], [0]
        lock = threading.Lock()

        def client(n):
            queries = [{"q": "hjemløse"}, {"q": ""}, {"q": "chikane", "sort": "date_asc"},
                       {"q": "25-002103"}, {"q": "planx", "format": "csv"}, {"type": "budget"}]
            deadline = time.monotonic() + 120
            i = n
            while not stop.is_set() and time.monotonic() < deadline:
                params = queries[i % len(queries)]
                i += 1
                try:
                    r = request(self.port, "GET", url("/api/search", params))
                    if r.status == 503 and r.header("retry-after") and "format" in params:
                        # An export while another is being made (one export
                        # slot per two search threads): try again, as told.
                        time.sleep(0.05)
                        continue
                    ok = r.status == 200 and (params.get("format") == "csv" or
                                              isinstance(r.json()["total"], int))
                    if not ok:
                        with lock:
                            failures.append((params, r.status, r.body[:200]))
                except Exception as e:  # a refused or broken request is a failure too
                    with lock:
                        failures.append((params, repr(e)))
                with lock:
                    done[0] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            # A title changed several times, and an item added: each becomes visible.
            words = ["flamingoplan", "pingvinplanen", "pelikanplanerne", "tukanplanlægning",
                     "ibisplanlæggerne"]
            for n, word in enumerate(words):
                text = original.replace(old_title, f"Punkt 6: Beslutning om {word}\n")
                if n >= 2:
                    text += self.NEW_ITEM
                self.rewrite(text, n + 1)
                self.reindex()
                if n % 2:
                    self.server.send(signal.SIGHUP)
                self.assertTrue(wait_for(lambda: self.ids(word) == ["direktionen-2025-11-17-6"]),
                                f"'{word}' visible without a restart")
                if n:
                    self.assertEqual(self.total(words[n - 1]), 0, words[n - 1])
            self.assertEqual(self.documents(), 66)
            r = self.get("/api/item/direktionen-2025-11-17-15")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["title"], "Nyt punkt om kænguruhop")
            self.assertEqual(self.ids("vombatvej"), ["direktionen-2025-11-17-15"])
            self.assertEqual(self.get("/api/sag/25-099999").status, 200)
            # A file removed: its items go.
            os.remove(os.path.join(self.docs, self.GONE))
            self.reindex()
            self.assertTrue(wait_for(lambda: self.documents() == 55), "55 documents")
            self.assertEqual(self.total('"Ny vejledning fra KL om chikane"'), 0)
            self.assertEqual(self.get("/api/item/direktionen-2023-11-06-5").status, 404)
            self.assertEqual(self.get("/api/sag/23-001310").status, 404)
            self.assertEqual(self.search(q="")["facets"]["year"].get("2023"), None)
            # And back.
            shutil.copy(os.path.join(CORPUS, self.GONE), self.docs)
            self.reindex()
            self.assertTrue(wait_for(lambda: self.documents() == 66), "66 documents")
            self.assertEqual(self.total('"Ny vejledning fra KL om chikane"'), 1)
            time.sleep(0.5)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertEqual(failures, [])
        self.assertGreater(done[0], 30, "the clients ran")
        self.assertTrue(self.server.alive())

    def test_sighup_keeps_serving(self):
        before = self.documents()
        for _ in range(5):
            self.server.send(signal.SIGHUP)
            time.sleep(0.1)
            self.assertTrue(self.server.alive())
            self.assert_healthy()
            self.assertEqual(self.documents(), before)
            self.assertEqual(self.search(q="")["total"], before)

    def test_signal_completes_request_in_flight(self):
        # SIGTERM (systemd) and SIGINT (Ctrl-C) alike: a request that has begun to
        # arrive when the signal comes is still answered, then the server exits 0.
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=sig.name):
                server = Server([self.db], self.web)
                try:
                    with socket.create_connection(("127.0.0.1", server.port),
                                                  timeout=TIMEOUT) as s:
                        s.sendall(b"GET /api/search?q=hjeml%C3%B8se HTTP/1.1\r\n"
                                  b"Host: 127.0.0.1\r\nConnection: close\r\n")
                        time.sleep(0.3)
                        server.send(sig)
                        time.sleep(0.3)
                        s.sendall(b"\r\n")
                        r = read_until_closed(s)
                    self.assertIsNotNone(r, "the request in flight was dropped")
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.json()["total"], 3)
                    self.assertEqual(server.proc.wait(timeout=30), 0, server.log()[-2000:])
                finally:
                    server.kill()

    def test_sigterm_under_load(self):
        # Requests racing SIGTERM are answered completely or refused, never cut off.
        server = Server([self.db], self.web)
        broken = []
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    r = request(server.port, "GET", url("/api/search", q="", per_page=100),
                                timeout=TIMEOUT)
                    body = r.json() if r.status == 200 else {}
                    if r.status != 200 or len(body["results"]) != min(100, body["total"]):
                        broken.append((r.status, r.body[:100]))
                except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError,
                        http.client.RemoteDisconnected):
                    time.sleep(0.01)  # refused before any answer: fine
                    if server.proc.poll() is not None:
                        return
                except Exception as e:  # IncompleteRead, bad JSON: an answer cut off
                    broken.append(repr(e))
        threads = [threading.Thread(target=client) for _ in range(4)]
        try:
            for t in threads:
                t.start()
            time.sleep(0.5)
            self.assertEqual(server.stop(), 0, server.log()[-2000:])
        finally:
            stop.set()
            for t in threads:
                t.join(30)
            server.kill()
        self.assertEqual(broken, [])


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
