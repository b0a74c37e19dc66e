#!/usr/bin/env python3
"""What one costly request can do to the server: the attacks of issue 15, points 1 and 7.

    bench/attack.py --server BUILD/server/kommunesoeg-server --db INDEX [--web web]
                    [--part queries|exports|both]

Starts the server (--threads 2) on a free loopback port over INDEX and, for
each query below, measures the answer's status and time and how far the
server's peak resident memory grew (VmHWM, reset before each request through
/proc/PID/clear_refs); then a plain search while two costly ones run, a plain
search after eight costly ones whose clients hung up after 0.3 s, and how long
the server takes to exit on SIGTERM with a costly request in flight.  The
exports part: one export of every record (format=csv, up to 10,000 rows) —
its time, the server's CPU time and peak memory growth — then four at once
with a plain search among them.  Prints Markdown tables (what
bench/RESULTS.md holds).  Python's standard library only;
loopback only; each request's client gives up after --timeout seconds.
"""

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

PLAIN = "kommune"


def wildcards(n):
    return " ".join(["s*"] * n)


def letters_or():
    return " OR ".join(c + "*" for c in "abcdefghijklmnopqrstuv")


def two_letter_or():
    firsts, seconds = "bdfghklmnprstv", "aeiou"
    prefixes = [a + b for a in firsts for b in seconds][:68]
    return " OR ".join(p + "*" for p in prefixes)


# The costliest queries found within the wildcard budget: four one-letter
# wildcards, and a phrase of the commonest words (1 KB).
HEAVY = "s* OR t* OR b* OR d*"
COMMON = ("og at i af til for på med er som det en den de kommune budget udvalget sag "
          "plan ").split()
PHRASE = " ".join(COMMON * 20)
while len(PHRASE.encode()) > 1022:
    PHRASE = PHRASE.rsplit(" ", 1)[0]
PHRASE = '"' + PHRASE + '"'


# (name, path): every attack of the issue, and the same through the export,
# the feed and every sort.
def attacks():
    q = urllib.parse.quote
    s40 = q(wildcards(40))
    return [
        ("`s*` × 256 (768 bytes)", "/api/search?q=" + q(wildcards(256))),
        ("`s*` × 40", "/api/search?q=" + s40),
        ("`a* OR … OR v*` (21 wildcards)", "/api/search?q=" + q(letters_or())),
        ("OR of 68 two-letter prefixes", "/api/search?q=" + q(two_letter_or())),
        ("`s*` × 40, `format=csv`", "/api/search?format=csv&q=" + s40),
        ("`s*` × 40, `/feed`", "/feed?q=" + s40),
        ("`s*` × 40, `sort=date_desc`", "/api/search?sort=date_desc&q=" + s40),
        ("`s*` × 40, `sort=date_asc`", "/api/search?sort=date_asc&q=" + s40),
        ("`s*` × 40, `sort=nettobudget_desc`", "/api/search?sort=nettobudget_desc&q=" + s40),
        ("`s*` × 40, `sort=nettobudget_asc`", "/api/search?sort=nettobudget_asc&q=" + s40),
        ("within the budget: `" + HEAVY + "`", "/api/search?q=" + q(HEAVY)),
        ("within the budget: `" + HEAVY + "`, `format=csv`",
         "/api/search?format=csv&q=" + q(HEAVY)),
        ("a phrase of 242 common words (1 KB)", "/api/search?q=" + q(PHRASE)),
    ]


class Server:
    def __init__(self, binary, db, web, threads):
        self.proc = subprocess.Popen(
            [binary, "--db", db, "--web", web, "--port", "0", "--threads", str(threads)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"listening on http://[^:]+:(\d+)", line)
        if not m:
            self.proc.kill()
            sys.exit("attack.py: the server did not start: " + line.strip())
        self.port = int(m.group(1))
        # Keep reading its log, so that it never blocks on a full pipe.
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024  # MB
        return 0

    def reset_peak(self):
        with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
            f.write("5")

    def get(self, path, timeout):
        """(status, seconds); status None when the client gave up."""
        start = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            return resp.status, time.monotonic() - start
        except (socket.timeout, TimeoutError):
            return None, time.monotonic() - start
        finally:
            conn.close()

    def abandon(self, path, after):
        """Sends a request and hangs up after AFTER seconds."""
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        time.sleep(after)
        s.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def show(status, secs):
    return ("gave up" if status is None else str(status)), f"{secs:.2f} s"


def exports(srv, timeout):
    """One export, then four at once with a plain search among them."""
    path = "/api/search?q=&format=csv"
    rows = []
    srv.get(path, timeout)  # warm
    time.sleep(0.5)
    srv.reset_peak()
    before, cpu = srv.status("VmRSS"), srv.cpu_seconds()
    status, secs = srv.get(path, timeout)
    rows.append(("one export of 10,000 rows", *show(status, secs),
                 f"{srv.status('VmHWM') - before} MB",
                 f"{srv.cpu_seconds() - cpu:.2f} s"))
    print(rows[-1], file=sys.stderr)
    time.sleep(0.5)
    srv.reset_peak()
    before = srv.status("VmRSS")
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(srv.get(path, timeout)))
               for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    status, secs = srv.get("/api/search?q=" + PLAIN, timeout)
    for t in threads:
        t.join()
    codes = sorted(str(a[0]) for a in answers)
    rows.append(("four exports at once: statuses; peak RSS growth",
                 " ".join(codes), f"{max(a[1] for a in answers):.2f} s",
                 f"{srv.status('VmHWM') - before} MB", ""))
    rows.append(("plain `q=kommune` among them", *show(status, secs), "", ""))
    print(rows[-2:], file=sys.stderr)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--web", default=os.path.join(os.path.dirname(__file__), "..", "web"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=150.0)
    ap.add_argument("--part", choices=["queries", "exports", "both"], default="both")
    args = ap.parse_args()

    srv = Server(args.server, args.db, args.web, args.threads)
    rows, export_rows = [], []
    try:
        if args.part != "queries":
            export_rows = exports(srv, args.timeout)
        if args.part == "exports":
            return print_exports(export_rows)
        srv.get("/api/search?q=" + PLAIN, args.timeout)  # warm
        base = srv.status("VmRSS")
        print(f"server RSS after a plain search: {base} MB", file=sys.stderr)
        for name, path in attacks():
            srv.reset_peak()
            before = srv.status("VmRSS")
            status, secs = srv.get(path, args.timeout)
            grew = srv.status("VmHWM") - before
            rows.append((name, *show(status, secs), f"{grew} MB"))
            print(rows[-1], file=sys.stderr)
            time.sleep(0.5)

        for name, query in [("`s*` × 40", wildcards(40)), ("`" + HEAVY + "`", HEAVY)]:
            costly = "/api/search?q=" + urllib.parse.quote(query)
            # A plain search while two costly ones run.
            threads = [threading.Thread(target=srv.get, args=(costly, args.timeout))
                       for _ in range(2)]
            for t in threads:
                t.start()
            time.sleep(0.02)
            status, secs = srv.get("/api/search?q=" + PLAIN, args.timeout)
            rows.append((f"plain `q=kommune` beside two {name}", *show(status, secs), ""))
            print(rows[-1], file=sys.stderr)
            for t in threads:
                t.join()

            # Eight costly ones whose clients hung up after 0.3 s, then a plain search.
            threads = [threading.Thread(target=srv.abandon, args=(costly, 0.3))
                       for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            status, secs = srv.get("/api/search?q=" + PLAIN, args.timeout)
            rows.append((f"plain `q=kommune` after eight abandoned {name}", *show(status, secs),
                         ""))
            print(rows[-1], file=sys.stderr)

        # SIGTERM with a costly request in flight.
        time.sleep(1.0)
        t = threading.Thread(target=srv.get,
                             args=("/api/search?q=" + urllib.parse.quote(wildcards(200)),
                                   args.timeout), daemon=True)
        t.start()
        time.sleep(0.5)
        start = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        try:
            srv.proc.wait(timeout=args.timeout)
            code = srv.proc.returncode
        except subprocess.TimeoutExpired:
            code = "still running"
        rows.append(("SIGTERM with `s*` × 200 in flight: exit", str(code),
                     f"{time.monotonic() - start:.2f} s", ""))
        print(rows[-1], file=sys.stderr)
    finally:
        srv.stop()

    print("| request | status | time | peak RSS growth |")
    print("|---|--:|--:|--:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if export_rows:
        print()
        print_exports(export_rows)


def print_exports(rows):
    print("| export | status | time | peak RSS growth | server CPU |")
    print("|---|--:|--:|--:|--:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
