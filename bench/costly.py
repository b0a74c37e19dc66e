#!/usr/bin/env python3
"""What one costly input file costs the indexer: issue 15, point 2.

    bench/costly.py [--index BIN] [--server BIN] [--mkpdf BIN] [--quick]

Without --index, builds build-bench (release) and uses its binaries.  Makes,
with tests/tools/mkbomb.py, in a temporary directory:
  - time-bomb.pdf: one page drawing two words in turn at two overlapping
    places, 200,000 times (about 18 kB; poppler's text extraction is
    quadratic in it);
  - memory-bomb.pdf: one page drawing one word at one place 600,000 times
    (about 46 kB; poppler keeps every character);
  - long-line.txt: minutes whose one item is a line of 60,000,000 bytes;
and measures, each with GNU time -v (wall time, CPU time, peak RSS of the
indexer and any process it waited for):
  1. --dump of each bomb alone (default flags);
  2. an index of the corpus, one good PDF and both bombs under
     `ulimit -v 600000`: the exit status, the files named on stderr and the
     records indexed;
  3. an index of long-line.txt, then the real server over it: the size of
     its /api/item and the time of a search that hits it (5 runs);
  4. --dump and an index of 200 small PDFs (one meeting each): what
     reading a PDF costs beyond parsing it.
--quick leaves out the time bomb alone (a minute before issue 15).  Prints
the figures and every command as Markdown; bench/RESULTS.md ("Issue 15: one
costly input file") is written by hand from them.  Standard library only.
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
import mkbomb  # noqa: E402

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
SEARCH = "kommunen borgerne"


def build():
    bdir = os.path.join(ROOT, "build-bench")
    setup = ["meson", "setup", bdir, "--buildtype=release"]
    if os.path.isdir(os.path.join(bdir, "meson-private")):
        setup.insert(2, "--reconfigure")
    subprocess.run(setup, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", bdir], check=True, stdout=subprocess.DEVNULL)
    return (os.path.join(bdir, "indexer", "kommunesoeg-index"),
            os.path.join(bdir, "server", "kommunesoeg-server"),
            os.path.join(bdir, "tests", "tools", "mkpdf"))


def timed(cmd, shell_prefix="", stdout=subprocess.DEVNULL):
    """Runs CMD under GNU time -v (after SHELL_PREFIX in a shell, e.g. a
    ulimit); returns (exit status, wall s, CPU s, peak RSS MB, stderr)."""
    q = " ".join("'" + c.replace("'", "'\\''") + "'" for c in cmd)
    script = f"{shell_prefix}exec /usr/bin/time -v -o /dev/fd/3 {q} 3>&2"
    t0 = time.monotonic()
    p = subprocess.run(["bash", "-c", script], stdout=stdout, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    wall = time.monotonic() - t0
    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r": (.*)$", p.stderr, re.M)
        return m.group(1) if m else "0"
    status = int(field("Exit status"))
    if "Command terminated by signal" in p.stderr:
        status = 128 + int(re.search(r"terminated by signal (\d+)", p.stderr).group(1))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    ours = "\n".join(l for l in p.stderr.splitlines()
                     if not l.startswith("\t") and "Command " not in l)
    return status, wall, cpu, rss, ours


def show(cmd, shell_prefix=""):
    return "`" + shell_prefix + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT)
                                         else c for c in cmd) + "`"


def row(label, r):
    status, wall, cpu, rss, _ = r
    return f"| {label} | {status} | {wall:.1f} s | {cpu:.1f} s | {rss:.0f} MB |"


def start_server(server, db):
    proc = subprocess.Popen([server, "--db", db, "--port", "0", "--threads", "2",
                             "--web", os.path.join(ROOT, "web")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    while True:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit("the server did not start")
        m = LISTENING.search(line)
        if m:
            return proc, int(m.group(1))


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t0 = time.monotonic()
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index")
    ap.add_argument("--server")
    ap.add_argument("--mkpdf")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    index, server, mkpdf = a.index, a.server, a.mkpdf
    if not index:
        index, server, mkpdf = build()
    tmp = tempfile.mkdtemp(prefix="ks-costly-")
    out = []
    try:
        time_bomb = os.path.join(tmp, "time-bomb.pdf")
        memory_bomb = os.path.join(tmp, "memory-bomb.pdf")
        with open(time_bomb, "wb") as f:
            f.write(mkbomb.bomb_pdf(200_000, 2))
        with open(memory_bomb, "wb") as f:
            f.write(mkbomb.bomb_pdf(600_000, 1))
        load = os.getloadavg()
        out.append(f"Load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
                   f"time-bomb.pdf {os.path.getsize(time_bomb):,} bytes, memory-bomb.pdf "
                   f"{os.path.getsize(memory_bomb):,} bytes.\n")

        out.append("| run | exit | wall | CPU | peak RSS |\n|---|--:|--:|--:|--:|")
        for bomb in ([] if a.quick else [time_bomb]) + [memory_bomb]:
            cmd = [index, "--dump", bomb]
            r = timed(cmd)
            out.append(row(f"{show(cmd)}", r))
            print(r[4], file=sys.stderr)

        docs = os.path.join(tmp, "docs")
        os.mkdir(docs)
        for n in os.listdir(os.path.join(ROOT, "corpus")):
            shutil.copy(os.path.join(ROOT, "corpus", n), docs)
        subprocess.run([mkpdf, os.path.join(ROOT, "corpus", "direktionen-2025-10-06.txt"),
                        os.path.join(docs, "good.pdf")], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(time_bomb, docs)
        shutil.copy(memory_bomb, docs)
        cmd = [index, "--db", os.path.join(tmp, "index"), docs]
        prefix = "ulimit -v 600000; "
        r = timed(cmd, prefix)
        out.append(row(f"{show(cmd, prefix)} (corpus, good.pdf, both bombs)", r))
        named = [l for l in r[4].splitlines() if l.startswith(docs)]
        summary = [l for l in r[4].splitlines() if l.startswith("kommunesoeg-index:")]
        out.append("\nNamed: " + ("; ".join(l.replace(docs + "/", "") for l in named) or "none")
                   + ". Summary: " + (summary[-1] if summary else "none") + ".\n")
        print(r[4], file=sys.stderr)

        long_txt = os.path.join(tmp, "long-line.txt")
        with open(long_txt, "wb") as f:
            f.write(mkbomb.long_line_minutes(60_000_000))
        db = os.path.join(tmp, "long-index")
        cmd = [index, "--db", db, long_txt]
        r = timed(cmd)
        out.append("| run | exit | wall | CPU | peak RSS |\n|---|--:|--:|--:|--:|")
        out.append(row(show(cmd) + " (60,000,053 bytes, one line)", r))
        print(r[4], file=sys.stderr)
        proc, port = start_server(server, db)
        try:
            status, body, t = get(port, "/api/item/long-line-1")
            item = f"/api/item/long-line-1: {status}, {len(body):,} bytes in {t:.2f} s"
            times = []
            for _ in range(5):
                status, body, t = get(port, "/api/search?q=" + urllib.parse.quote(SEARCH))
                times.append(t)
            out.append(f"\n{item}; `/api/search?q={SEARCH}`: {status}, {len(body):,} bytes, "
                       f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f} s "
                       "(min / median / max of 5).\n")
        finally:
            proc.terminate()
            proc.wait()

        many = os.path.join(tmp, "many")
        os.mkdir(many)
        one = os.path.join(many, "m0.pdf")
        subprocess.run([mkpdf, os.path.join(ROOT, "corpus", "direktionen-2025-11-17.txt"),
                        one], check=True, stdout=subprocess.DEVNULL)
        for i in range(1, 200):
            shutil.copy(one, os.path.join(many, f"m{i}.pdf"))
        out.append("| run | exit | wall | CPU | peak RSS |\n|---|--:|--:|--:|--:|")
        for cmd in ([index, "--dump", many],
                    [index, "--quiet", "--db", os.path.join(tmp, "many-index"), many]):
            r = timed(cmd)
            out.append(row(show(cmd) + " (200 PDFs of 14 items)", r))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(out))


if __name__ == "__main__":
    main()
