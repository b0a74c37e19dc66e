#!/usr/bin/env python3
"""The relevance test set: judged queries against the real server on the corpus.

Run by meson (suite "relevance") with the environment:
  KS_SERVER, KS_INDEX  the two programs
  KS_CORPUS            the repository's corpus/
  KS_RELEVANCE         this directory: judgments.tsv and docs/ (small documents
                       for cases the corpus lacks)

The corpus and docs/ are indexed into a temporary directory, a server is
started on a free loopback port, and every judged query of judgments.tsv is
asked through GET /api/search (the first 20 hits).  A judgment holds when
every id it names is among the first K hits and no id it names with a "!" is;
an id named with a "~" must also have a <mark> in its snippet (the passage
that matched, the word marked).

Printed: one line per query that does not hold, then hits@k (the share of
judged queries that hold, each at its own k) and MRR (the mean of 1/rank of
the first wanted id, 0 when none is in the first 20), for all and for each
category.  Exit status 1 when any
judgment does not hold.

  relevance.py [--list]   --list prints every query with the ranks found
"""

import os
import sys
import tempfile
import urllib.parse

# The programs are run and the server started by the end-to-end tests' harness.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import CORPUS, Server, build_index, request  # noqa: E402

HERE = os.environ.get("KS_RELEVANCE", os.path.dirname(os.path.abspath(__file__)))
DEPTH = 20  # hits asked for each query; the rank of anything deeper is "not found"


def read_judgments(path):
    """[(line, category, q, params, k, wanted, unwanted)] from the TSV file:
    category, query, extra parameters (a URL query string or "-"), k, ids."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                sys.exit(f"{path}:{n}: expected 5 tab-separated columns, found {len(cols)}")
            category, q, params, k, ids = cols
            if not k.isdigit() or not 1 <= int(k) <= DEPTH:
                sys.exit(f"{path}:{n}: k must be a number from 1 to {DEPTH}")
            ids = ids.split()
            marked = [i[1:] for i in ids if i.startswith("~")]
            wanted = [i for i in ids if not i.startswith("!") and not i.startswith("~")] + marked
            unwanted = [i[1:] for i in ids if i.startswith("!")]
            if not wanted:
                sys.exit(f"{path}:{n}: no id that must appear")
            extra = urllib.parse.parse_qsl(params) if params != "-" else []
            out.append((n, category, q, extra, int(k), wanted, unwanted, marked))
    return out


def search(port, q, extra):
    """The ids of the first hits and the set of those whose snippet marks a
    word, or an error."""
    params = [("q", q), ("per_page", str(DEPTH))] + extra
    r = request(port, "GET", "/api/search?" + urllib.parse.urlencode(params))
    if r.status != 200:
        return [], set(), f"HTTP {r.status}"
    hits = r.json()["results"]
    return ([hit["id"] for hit in hits],
            {hit["id"] for hit in hits if "<mark>" in (hit.get("snippet") or "")}, None)


def main():
    listing = "--list" in sys.argv[1:]
    judgments = read_judgments(os.path.join(HERE, "judgments.tsv"))
    with tempfile.TemporaryDirectory(prefix="ks-relevance-") as tmp:
        db = os.path.join(tmp, "index")
        build_index(db, CORPUS, os.path.join(HERE, "docs"))
        web = os.path.join(tmp, "web")
        os.makedirs(web)
        server = Server([db], web)
        port = server.port
        try:
            failed = []
            scores = {}  # category → [judged, held, sum of 1/rank]
            for n, category, q, extra, k, wanted, unwanted, marked in judgments:
                ids, with_mark, error = search(port, q, extra)
                ranks = {i: ids.index(i) + 1 for i in wanted if i in ids}
                first = min(ranks.values(), default=0)
                ok = (not error and len(ranks) == len(wanted) and max(ranks.values()) <= k
                      and not any(i in ids[:k] for i in unwanted)
                      and all(i in with_mark for i in marked))
                for key in ("all", category):
                    score = scores.setdefault(key, [0, 0, 0.0])
                    score[0] += 1
                    score[1] += ok
                    score[2] += 1 / first if first else 0
                shown = extra and "&" + urllib.parse.urlencode(extra) or ""
                report = (f"line {n} [{category}] {q!r}{shown} k={k}: "
                          + (error or " ".join(f"{i}@{ranks.get(i, '-')}" for i in wanted))
                          + "".join(f" !{i}@{ids.index(i) + 1}" for i in unwanted if i in ids)
                          + "".join(f" ~{i}:no-mark" for i in marked if i not in with_mark))
                if not ok:
                    failed.append(report)
                if listing:
                    print(("ok   " if ok else "FAIL ") + report + f"  top: {ids[:k + 2]}")
        finally:
            server.stop()
    for f in failed:
        print("does not hold: " + f)
    total, held, _ = scores["all"]
    print(f"{total} judged queries, {held} hold, {total - held} do not")
    for key in ["all"] + sorted(k for k in scores if k != "all"):
        n, ok, rr = scores[key]
        print(f"{key:12} {n:4} queries  hits@k = {ok / n:.3f}  MRR = {rr / n:.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
