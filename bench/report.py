#!/usr/bin/env python3
"""bench/run.sh's helper (Python 3 standard library only).

    report.py percentiles LOG...
        pgbench's per-transaction logs (-l): prints "N P50 P95 P99" (ms).
    report.py render RESULTS COMMANDS RESULTS_MD
        RESULTS: the "key value" lines run.sh noted; COMMANDS: the commands
        it ran.  Rewrites the part of RESULTS_MD between <!-- bench:begin -->
        and <!-- bench:end --> (the whole file's head when they are missing),
        keeping the text around it.
"""

import os
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def percentile(sorted_values, p):
    """The same rank rule as bench/ref-xapian.cc."""
    i = int(p * (len(sorted_values) - 1) + 0.5)
    return sorted_values[min(i, len(sorted_values) - 1)]


def percentiles(paths):
    # pgbench -l: "client_id transaction_no time script_no time_epoch time_us",
    # time (the latency) in microseconds.
    ms = []
    for path in paths:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    ms.append(int(fields[2]) / 1000)
    ms.sort()
    if not ms:
        print("0 0 0 0")
        return
    print(f"{len(ms)} {percentile(ms, 0.50):.2f} {percentile(ms, 0.95):.2f} {percentile(ms, 0.99):.2f}")


class Results:
    def __init__(self, path):
        self.v = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(" ")
                self.v[key] = value

    def s(self, key, default="?"):
        return self.v.get(key, default)

    def f(self, key):
        try:
            return float(self.v[key])
        except (KeyError, ValueError):
            return None


def num(x, digits=0):
    if x is None:
        return "?"
    return f"{x:,.{digits}f}"


def ms(x):
    return "?" if x is None else f"{x:.2f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def times(x):
    return "?" if x is None else f"{x:.2f}×"


def mb(nbytes):
    return "?" if nbytes is None else f"{nbytes / 1e6:,.0f} MB"


def div(a, b):
    return None if a is None or b in (None, 0) else a / b


def render(results_path, commands_path, md_path):
    r = Results(results_path)
    corpora = ["m" + m for m in r.s("run.corpora", "").split()]
    out = []
    w = out.append

    loads = [float(v) for k, v in r.v.items() if k.startswith("load.")]
    minutes = (r.f("run.seconds") or 0) / 60
    w("## Latest run of `bench/run.sh` *(generated; bench/run.sh rewrites this part)*")
    w("")
    w(f"- Run: {r.s('run.date')}, mode `{r.s('run.mode')}` "
      f"({', '.join(f'{c[1:]} meetings' for c in corpora)}), commit `{r.s('run.commit')}`, "
      f"{minutes:.0f} min in all.")
    w(f"- Machine: {r.s('machine.cores')} × {r.s('machine.cpu')}, {r.s('machine.ram')} RAM, "
      f"{r.s('machine.kernel')}, {r.s('machine.os')}; Xapian {r.s('version.xapian')}, "
      f"PostgreSQL {r.s('version.pg')}, wrk {r.s('version.wrk')}.")
    if loads:
        busy = max(loads) > 0.5
        w(f"- Load average (1 min) at the start of each step: {min(loads):.2f}–{max(loads):.2f}"
          + (" — **other work was running on the machine: the figures are rough**" if busy else "")
          + "; the `other CPU` column below is the machine's CPU not used by our server during a wrk "
          "run (wrk itself and anything else).")
    if r.s("run.note", ""):
        w(f"- **Note:** {r.s('run.note')}")
    w(f"- Release build (`build-bench`); corpora: `bench/gencorpus.py --meetings N --seed 1`; "
      f"queries: `bench/queries.txt` "
      f"({r.s('run.queries')} queries, sent as written, each as `GET /api/search?q=`); "
      f"wrk and pgbench runs of {r.s('run.duration')} s after a {r.s('run.warmup')} s warm-up, "
      f"at 1 client and at saturation (wrk `-t2 -c16`, pgbench `-j2 -c16`); "
      f"ref-plain and ref-xapian {r.s('run.rounds')} round(s) over the queries after one of warm-up. "
      "Ratios are always ours ÷ the reference (below 1 is faster for times, above 1 is faster for rates).")
    w("")

    # --- indexing
    w("### Indexing")
    w("")
    w("Fresh index of the whole corpus by `kommunesoeg-index --jobs 2` (two cores). "
      "MB/s: the corpus's bytes over the wall time. "
      "ref-index: plain Xapian in one thread (TermGenerator, Danish stemmer, STEM_SOME, positions, "
      "title + text, add_document, default flush, each record's JSON as data) over the records of "
      "`kommunesoeg-index --dump`. PostgreSQL: `COPY` into a table with a stored "
      "`to_tsvector('danish', title || ' ' || text)` column, then the GIN index (size: the table "
      "with its indexes).")
    w("")
    w("| corpus | indexer | seconds | records/s | MB/s | CPU s | index size | peak RSS | ours ÷ this: records/s, size, RSS |")
    w("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for c in corpora:
        rec = r.f(f"{c}.records")
        nbytes = r.f(f"{c}.bytes")
        label = f"{c} ({num(rec)} records, {num(nbytes / 1e6 if nbytes else None, 1)} MB)"
        iw, isz, irss = r.f(f"{c}.index.wall"), r.f(f"{c}.index.size"), r.f(f"{c}.index.rss")
        rw, rsz, rrss = r.f(f"{c}.ref.wall"), r.f(f"{c}.ref.size"), r.f(f"{c}.ref.rss")
        pw = None
        if r.f(f"{c}.pg.copy") is not None and r.f(f"{c}.pg.gin") is not None:
            pw = r.f(f"{c}.pg.copy") + r.f(f"{c}.pg.gin")
        psz = r.f(f"{c}.pg.size")
        sw = r.f(f"{c}.shards.wall")
        w(f"| {label} | kommunesoeg-index | {num(iw, 1)} | {num(div(rec, iw))} | "
          f"{num(div(nbytes, iw and iw * 1e6), 2)} | {num(r.f(f'{c}.index.cpu'), 1)} | {mb(isz)} | "
          f"{num(irss)} MB | |")
        w(f"| | ref-index (plain Xapian, 1 thread) | {num(rw, 1)} | {num(div(rec, rw))} | "
          f"{num(div(nbytes, rw and rw * 1e6), 2)} | {num(r.f(f'{c}.ref.cpu'), 1)} | {mb(rsz)} | "
          f"{num(rrss)} MB | {times(div(rw, iw))}, {times(div(isz, rsz))}, {times(div(irss, rrss))} |")
        w(f"| | PostgreSQL (COPY {num(r.f(f'{c}.pg.copy'), 1)} s + GIN {num(r.f(f'{c}.pg.gin'), 1)} s) | "
          f"{num(pw, 1)} | {num(div(rec, pw))} | {num(div(nbytes, pw and pw * 1e6), 2)} | | {mb(psz)} | | "
          f"{times(div(pw, iw))}, {times(div(isz, psz))}, |")
        w(f"| | kommunesoeg-index `--shards 2` | {num(sw, 1)} | {num(div(rec, sw))} | "
          f"{num(div(nbytes, sw and sw * 1e6), 2)} | | | | |")
    w("")
    w("What an index holds per document (`bench/index-stats`: distinct terms, boolean ones too, "
      "and positions, means over the documents; size: its files on disk), ours and plain Xapian's "
      "(ref-index) on the same records.")
    w("")
    w("| corpus | index | documents | terms / doc | positions / doc | size on disk | ours ÷ this: terms, positions, size |")
    w("|---|---|--:|--:|--:|--:|--:|")
    for c in corpora:
        st = {k: r.f(f"{c}.stats.{k}") for k in ("documents", "terms_per_doc", "positions_per_doc", "bytes")}
        rs = {k: r.f(f"{c}.refstats.{k}") for k in ("documents", "terms_per_doc", "positions_per_doc", "bytes")}
        w(f"| {c} | ours | {num(st['documents'])} | {num(st['terms_per_doc'], 1)} | "
          f"{num(st['positions_per_doc'], 1)} | {mb(st['bytes'])} | |")
        w(f"| | plain Xapian (ref-index) | {num(rs['documents'])} | {num(rs['terms_per_doc'], 1)} | "
          f"{num(rs['positions_per_doc'], 1)} | {mb(rs['bytes'])} | "
          f"{times(div(st['terms_per_doc'], rs['terms_per_doc']))}, "
          f"{times(div(st['positions_per_doc'], rs['positions_per_doc']))}, {times(div(st['bytes'], rs['bytes']))} |")
    w("")
    w("| corpus | `--dump` (parsing and repair) wall / CPU s | share of the indexing CPU | re-run, nothing changed | one file changed | what the run did |")
    w("|---|--:|--:|--:|--:|---|")
    for c in corpora:
        w(f"| {c} | {num(r.f(f'{c}.dump.wall'), 2)} / {num(r.f(f'{c}.dump.cpu'), 2)} | "
          f"{pct(div(r.f(f'{c}.dump.cpu'), r.f(f'{c}.index.cpu')))} | {num(r.f(f'{c}.rerun.wall'), 2)} s | "
          f"{num(r.f(f'{c}.incr.wall'), 2)} s | {r.s(f'{c}.incr.summary', '').replace(os.getcwd() + os.sep, '')} |")
    w("")

    # --- search
    w("### Search, 1 client")
    w("")
    w("Ours: `/api/search` over HTTP on loopback (wrk, `bench/queries.lua`), `kommunesoeg-server --threads 2`. "
      "(p) ref-plain: a plain in-process Xapian program over plain Xapian's index of the same records "
      "(QueryParser with the Danish stemmer, STEM_SOME, default flags with phrase, boolean, lovehate and "
      "wildcard; top 20 with a snippet each, `MSet::snippet` flags 0; four facets counted exactly, "
      "`ValueCountMatchSpy` ×4 over the whole match set): the reference of issue 18's target. "
      "(a) ref-xapian: in-process plain Xapian doing a request's work on our index (parse, top 20, facet "
      "counts up to `KS_FACETS_EXACT`, snippets). "
      "(b) PostgreSQL: `websearch_to_tsquery('danish', q)` (`AND` dropped, `NOT x` as `-x`), top 20 by "
      "`ts_rank` over the stored tsvector with its GIN index, a random query per transaction (pgbench over "
      "TCP on loopback); the headline variant adds `ts_headline` of each of the 20. "
      "2 shards: the server over two `xapian-tcpsrv` on loopback (`kommunesoeg-index --shards 2`).")
    w("")
    w("| corpus | what | p50 ms | p95 ms | p99 ms | req/s | server RSS (peak) | ÷ (p): p50, p99 | ÷ (a): p50, p99 | ours ÷ this: p50, p99 |")
    w("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for c in corpora:
        o50, o99 = r.f(f"{c}.one.p50"), r.f(f"{c}.one.p99")
        q50, q99 = r.f(f"{c}.refp.p50"), r.f(f"{c}.refp.p99")
        a50, a99 = r.f(f"{c}.refx.p50"), r.f(f"{c}.refx.p99")
        rows = [
            ("ours, `/api/search`", "one", "rps", True),
            ("ours, 2 `xapian-tcpsrv` shards", "shard", "rps", True),
            ("(p) ref-plain, in-process, plain index", "refp", None, False),
            ("(a) ref-xapian, in-process", "refx", None, False),
            ("(b) PostgreSQL, ts_rank top 20", "pg.one", "tps", False),
            ("(b) PostgreSQL, + ts_headline", "pg.headline", "tps", False),
        ]
        for i, (name, key, rate, server) in enumerate(rows):
            p50, p95, p99 = (r.f(f"{c}.{key}.{p}") for p in ("p50", "p95", "p99"))
            rss = f"{num(r.f(f'{c}.{key}.rss'))} ({num(r.f(f'{c}.{key}.hwm'))}) MB" if server else ""
            to_a = f"{times(div(p50, a50))}, {times(div(p99, a99))}" if server else ""
            to_p = f"{times(div(p50, q50))}, {times(div(p99, q99))}" if server else ""
            ours = f"{times(div(o50, p50))}, {times(div(o99, p99))}" if key.startswith("pg.") else ""
            w(f"| {c if i == 0 else ''} | {name} | {ms(p50)} | {ms(p95)} | {ms(p99)} | "
              f"{num(r.f(f'{c}.{key}.{rate}'), 0) if rate else ''} | {rss} | {to_p} | {to_a} | {ours} |")
    w("")
    w("### Search at saturation")
    w("")
    w("| corpus | what | req/s | × 1 client | p50 ms | p99 ms | server RSS (peak) | machine CPU busy / other | ours ÷ PostgreSQL req/s |")
    w("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for c in corpora:
        srps, orps, prps = r.f(f"{c}.sat.rps"), r.f(f"{c}.one.rps"), r.f(f"{c}.pg.sat.tps")
        w(f"| {c} | ours (wrk `-t2 -c16`) | {num(srps)} | {times(div(srps, orps))} | {ms(r.f(f'{c}.sat.p50'))} | "
          f"{ms(r.f(f'{c}.sat.p99'))} | {num(r.f(f'{c}.sat.rss'))} ({num(r.f(f'{c}.sat.hwm'))}) MB | "
          f"{r.s(f'{c}.sat.busy')} % / {r.s(f'{c}.sat.other')} % | {times(div(srps, prps))} |")
        w(f"| | (b) PostgreSQL (pgbench `-j2 -c16`) | {num(prps)} | {times(div(prps, r.f(f'{c}.pg.one.tps')))} | "
          f"{ms(r.f(f'{c}.pg.sat.p50'))} | {ms(r.f(f'{c}.pg.sat.p99'))} | | | |")
    w("")
    w("Queries without hits: ours " + ", ".join(f"{c} {r.s(f'{c}.server.without_hits')}" for c in corpora)
      + "; PostgreSQL " + ", ".join(f"{c} {r.s(f'{c}.pg.without_hits')}" for c in corpora)
      + f" (of {r.s('run.queries')}). Failed requests in the measured wrk runs: "
      + ", ".join(f"{c} {int(sum(r.f(f'{c}.{k}.errors') or 0 for k in ('one', 'sat', 'shard')))}" for c in corpora)
      + ".")
    w("")

    # --- facet estimates
    w("### Facet estimates")
    w("")
    w("`bench/facet-error`: each query as the server runs it (top 20, facets counted up to the bound) and "
      "with every match counted; over the searches that were estimated, the relative error of the five "
      "most frequent values (by the exact counts) of each facet, and of the total. At `KS_FACETS_EXACT` "
      f"(10,000) and at {num(r.f('run.facet_bound'))}, which simulates on a small corpus what 10,000 does "
      "on a large one.")
    w("")
    w("| corpus | bound | queries estimated | values compared | mean error | max error | total: mean, max error |")
    w("|---|--:|--:|--:|--:|--:|--:|")
    for c in corpora:
        for key, bound in (("facet", 10000), ("facetsim", r.f("run.facet_bound"))):
            e = (lambda k: pct(r.f(f"{c}.{key}.{k}"))) if r.f(f"{c}.{key}.estimated") else (lambda k: "—")
            w(f"| {c} | {num(bound)} | {num(r.f(f'{c}.{key}.estimated'))} of {num(r.f(f'{c}.{key}.queries'))} | "
              f"{num(r.f(f'{c}.{key}.values'))} | {e('mean_error')} | {e('max_error')} | "
              f"{e('total_mean_error')}, {e('total_max_error')} |")
    w("")

    # --- targets
    w("### Targets (issue 18; issue 6's that still hold)")
    w("")
    w("| target | corpus | figure | limit | |")
    w("|---|---|--:|--:|---|")

    def target(name, c, value, limit, fmt, ok):
        if value is None:
            w(f"| {name} | {c} | not measured | {limit} | — |")
        else:
            w(f"| {name} | {c} | {fmt(value)} | {limit} | {'met' if ok(value) else '**NOT met**'} |")

    def seconds(v):
        return f"{v:,.0f} s"

    def megabytes(v):
        return f"{v:,.0f} MB"

    def millis(v):
        return f"{v:.2f} ms"

    for c in corpora:
        target("terms per document ÷ plain Xapian's", c,
               div(r.f(f"{c}.stats.terms_per_doc"), r.f(f"{c}.refstats.terms_per_doc")), "≤ 1.3×", times,
               lambda v: v <= 1.3)
        target("index size ÷ plain Xapian's", c,
               div(r.f(f"{c}.stats.bytes"), r.f(f"{c}.refstats.bytes")), "≤ 1.2×", times, lambda v: v <= 1.2)
        target("indexing records/s, 2 cores ÷ plain Xapian, 1 thread", c,
               div(r.f(f"{c}.ref.wall"), r.f(f"{c}.index.wall")), "≥ 1.6×", times, lambda v: v >= 1.6)
        target("indexer peak RSS", c, r.f(f"{c}.index.rss"), "≤ 1,024 MB", megabytes, lambda v: v <= 1024)
        target("`/api/search` p50 ÷ (p) ref-plain, 1 client", c,
               div(r.f(f"{c}.one.p50"), r.f(f"{c}.refp.p50")), "≤ 1.25×", times, lambda v: v <= 1.25)
        target("`/api/search` p99 ÷ (p) ref-plain, 1 client", c,
               div(r.f(f"{c}.one.p99"), r.f(f"{c}.refp.p99")), "≤ 1.25×", times, lambda v: v <= 1.25)
        target("req/s at saturation ÷ 1 client", c,
               div(r.f(f"{c}.sat.rps"), r.f(f"{c}.one.rps")), "≥ 1.7×", times, lambda v: v >= 1.7)
        hwm = max((r.f(f"{c}.{k}.hwm") or 0 for k in ("one", "sat")), default=0) or None
        target("server RSS (peak)", c, hwm, "≤ 100 MB", megabytes, lambda v: v <= 100)
        if r.f(f"{c}.shard.p50") is not None:
            w(f"| 2 `xapian-tcpsrv` shards: `/api/search` p50, p99, 1 client | {c} | "
              f"{ms(r.f(f'{c}.shard.p50'))}, {ms(r.f(f'{c}.shard.p99'))} ms | (reported) | — |")
        else:
            w(f"| 2 `xapian-tcpsrv` shards: p50, p99 | {c} | not measured (above SHARD_MEETINGS) | (reported) | — |")
        def errs(key):
            if not r.f(f"{c}.{key}.estimated"):
                return f"no query estimated ({num(r.f(f'{c}.{key}.queries'))} searched)"
            return (f"{pct(r.f(f'{c}.{key}.mean_error'))}, {pct(r.f(f'{c}.{key}.max_error'))} "
                    f"({num(r.f(f'{c}.{key}.estimated'))} queries estimated)")
        w(f"| facet estimates: mean, max relative error of the top 5 values | {c} | "
          f"at 10,000: {errs('facet')}; at {num(r.f('run.facet_bound'))}: {errs('facetsim')} | (reported) | — |")
        target("req/s at saturation ÷ PostgreSQL's (issue 6)", c,
               div(r.f(f"{c}.sat.rps"), r.f(f"{c}.pg.sat.tps")), "≥ 5×", times, lambda v: v >= 5)
        target("parsing and repair (`--dump`) ÷ indexing CPU (issue 6)", c,
               div(r.f(f"{c}.dump.cpu"), r.f(f"{c}.index.cpu")), "≤ 15 %", pct, lambda v: v <= 0.15)
    big = "m85000"
    if big in corpora:
        target("1M records indexed", big, r.f(f"{big}.index.wall"), "≤ 900 s", seconds, lambda v: v <= 900)
        target("1M records: `/api/search` p99, 1 client", big, r.f(f"{big}.one.p99"), "≤ 50 ms",
               millis, lambda v: v <= 50)
    else:
        w("| 1M records: indexed ≤ 15 min, p99 ≤ 50 ms (and every row above at m85000) | m85000 | "
          "not measured in this mode (`bench/run.sh --long`) | | — |")
    if "m20000" in corpora:
        target("one changed file re-indexed (issue 6)", "m20000", r.f("m20000.incr.wall"), "≤ 2 s",
               lambda v: f"{v:.2f} s", lambda v: v <= 2)
    else:
        c = corpora[-1]
        w(f"| one changed file re-indexed (the target is for m20000) | {c} | "
          f"{num(r.f(f'{c}.incr.wall'), 2)} s | ≤ 2 s at m20000 | — |")
    w("")

    # --- commands
    w("### Commands run")
    w("")
    w("`$URL` is the server's address, `$PGTMP` the temporary directory of PostgreSQL, `$PGPORT` its port.")
    w("")
    w("```")
    root = os.getcwd() + os.sep
    with open(commands_path, encoding="utf-8") as f:
        for line in f:
            w(line.rstrip("\n").replace(root, ""))
    w("```")

    block = BEGIN + "\n" + "\n".join(out) + "\n" + END
    try:
        with open(md_path, encoding="utf-8") as f:
            md = f.read()
    except FileNotFoundError:
        md = "# Benchmark results\n"
    if BEGIN in md and END in md and md.index(BEGIN) < md.index(END):
        md = md[: md.index(BEGIN)] + block + md[md.index(END) + len(END):]
    else:
        head, sep, rest = md.partition("\n")
        md = head + sep + "\n" + block + "\n" + rest
    tmp = md_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(md)
    os.replace(tmp, md_path)


def pct(x):
    return "?" if x is None else f"{100 * x:.1f} %"


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "percentiles":
        percentiles(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "render":
        render(*sys.argv[2:5])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
