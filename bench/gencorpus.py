#!/usr/bin/env python3
"""Made-up council documents in the layouts of corpus/, for the tests and the benchmark.

    bench/gencorpus.py --meetings N --out DIR [--seed S] [--jobs J]
                       [--budget-every K] [--words FILE] [--corpus DIR]

Writes N meeting minutes (referater) into DIR/YEAR/: most as plain text like
corpus/direktionen-2025-10-06.txt, some as Markdown like
corpus/direktionen-2025-08-18.md, some as the text a PDF gives (lines that end
in a blank, words hyphenated at the line end, pages broken by empty lines),
and one file of budget remarks (budgetbemærkninger) per K meetings (default
50), as extracted from a PDF like corpus/budget-2024-oekonomiudvalget.txt.

The minutes have what the indexer reads in corpus/: the header, a table of
contents, "Punkt N: title", closed items ("Lukket: ", now and then in another
spelling), case numbers (some with a letter suffix, some recurring across
meetings), the sections Beslutning, Resume og sagens baggrund, Indstillinger,
Behandling, Sagsfremstilling (with sub-headings, lists, numbered lists and
tables), Økonomiske konsekvenser and Bilag, and decisions in the formulas the
decision facet reads ("Anbefales.", "Taget til efterretning.", ...).  The
budget remarks have areas with "Samlet nettobudget for området: N kr." and
Budgetgrundlag / Beskrivelse af området / Udvikling og udfordringer, lost
bullet glyphs and truncation hyphens ("pris- og lønfremskrevet").

Sentences are built from patterns (gencorpus_words.py), filled with words of three
kinds, each word drawn with a Zipf-like frequency (the r-th most frequent
about 1/r as often as the first): the themes and their words written there;
the words of corpus/ (most frequent first); and, for a vocabulary that grows
with the corpus as a real archive's does, the Danish word forms of
--words (default /usr/share/dict/danish, Debian's wdanish, GPL-2+; read, not
copied) that inflect or compound a corpus word, and new compounds of two.

The output depends only on the arguments, corpus/ and the word list: the
same arguments give the same bytes on any machine and for any --jobs.  The
last line says what was written, with a digest of the vocabulary it was drawn
from.  Python 3's standard library only.
"""

import argparse
import datetime
import multiprocessing
import os
import random
import re
import time

# The modules beside this file.
from gencorpus_layouts import PdfPage, render_markdown, render_pdf_text, render_plain
from gencorpus_words import (
    COMMITTEES, FAGUDVALG, THEMES, TITLE_VERBS, CLOSED_VERBS, CLOSED_MARKS, DECISIONS,
    NO_ECONOMY, ROLES, ORGS, TOWNS, ADJECTIVES, FIRST_NAMES, MIDDLE_NAMES, LAST_NAMES,
    BUDGET_AREAS, POOLS, WEEKDAYS, MONTHS, FREE_SHARE, DETERMINERS, PREPOSITIONS, ACTIVE_VERBS,
    PASSIVE_VERBS, BODY, ECONOMY, RECOMMEND, BUDGET_BODY, BUDGET_BASIS, Vocabulary, FIRST_YEAR,
    LAST_YEAR)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "corpus"))
DEFAULT_WORDS = "/usr/share/dict/danish"

VOCAB = None

# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def fmt_kr(v):
    return f"{v:,}".replace(",", ".")


def millions(rng):
    return f"{rng.lognormvariate(1.3, 1.3):.1f}".replace(".", ",") + " mio. kr."


def danish_date(d):
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def random_date(rng, year):
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def cap(s):
    return s[:1].upper() + s[1:]


class Writer:
    """Fills patterns for one document: its year, its theme, its own random numbers."""

    def __init__(self, rng, year, theme):
        self.rng, self.year, self.theme = rng, year, theme

    def fill(self, pattern, capital=True):
        rng, y = self.rng, self.year

        def slot(m):
            k = m.group(1)
            if k == "t":
                return VOCAB.themes[self.theme][1].draw(rng)
            if k == "n":
                return VOCAB.content(rng, self.theme)
            if k == "a":
                return rng.choice(ADJECTIVES)
            if k == "T":
                return THEMES[self.theme][0]
            if k in ("org", "org2"):
                return rng.choice(ORGS)
            if k == "udv":
                return rng.choice([c[0] for c in COMMITTEES])
            if k in ("amt", "amt2"):
                return millions(rng)
            if k == "kr":
                return fmt_kr(int(rng.lognormvariate(13.0, 1.6))) + " kr."
            if k == "pct":
                return f"{rng.uniform(0.5, 12.0):.1f}".replace(".", ",") + " %"
            if k in ("num", "num2"):
                return str(int(rng.lognormvariate(3.0, 1.0)) + 1)
            if k == "small":
                return str(rng.randint(2, 9))
            if k in ("y0", "y", "y1", "y2"):
                # Both offsets are drawn for every year, whichever it is:
                # the corpora measured in bench/RESULTS.md were made so.
                back, ahead = rng.randint(1, 4), rng.randint(2, 4)
                return str(y + {"y0": -back, "y": 0, "y1": 1, "y2": ahead}[k])
            if k in ("date", "date2"):
                return danish_date(random_date(rng, y + (k == "date2")))
            if k == "month":
                return rng.choice(MONTHS)
            if k == "case":
                return case_number(rng, y - rng.randint(0, 3))
            if k == "town":
                return rng.choice(TOWNS)
            if k == "person":
                return person(rng)
            raise KeyError(k)

        text = re.sub(r"\{(\w+)\}", slot, pattern)
        return cap(text) if capital else text

    def sentence(self, patterns=BODY):
        if patterns is not ECONOMY and self.rng.random() < FREE_SHARE:
            return self.free_sentence()
        return self.fill(self.rng.choice(patterns))

    def phrase(self):
        """A noun phrase: a determiner, perhaps an adjective, a content word."""
        rng = self.rng
        det = rng.choice(DETERMINERS)
        adj = rng.choice(ADJECTIVES) + " " if rng.random() < 0.35 else ""
        return f"{det} {adj}{VOCAB.content(rng, self.theme)}".lstrip()

    def free_sentence(self):
        """A sentence of the grammar below, most of its words content words."""
        rng = self.rng
        np1, np2 = self.phrase(), self.phrase()
        pp = f"{rng.choice(PREPOSITIONS)} {self.phrase()}"
        form = rng.randrange(5)
        if form == 0:
            s = f"{np1} {rng.choice(ACTIVE_VERBS)} {np2} {pp}"
        elif form == 1:
            s = f"{np1} {rng.choice(PASSIVE_VERBS)} {pp}"
            if rng.random() < 0.5:
                s += f", og {self.phrase()} {rng.choice(PASSIVE_VERBS)}"
        elif form == 2:
            s = f"der {rng.choice(PASSIVE_VERBS)} {np1} {pp}"
        elif form == 3:
            s = f"{pp} {rng.choice(ACTIVE_VERBS)} {np1} {np2}"
        else:
            lead = rng.choice(["vigtigt", "afgørende", "nødvendigt", "forventningen"])
            s = f"det er {lead}, at {np1} {rng.choice(ACTIVE_VERBS)} {np2} {pp}"
        if rng.random() < 0.3:
            s += f" {rng.choice(PREPOSITIONS)} {self.phrase()}"
        return cap(s) + "."

    def paragraph(self, lo, hi, patterns=BODY):
        return " ".join(self.sentence(patterns) for _ in range(self.rng.randint(lo, hi)))


def case_number(rng, year, suffix_chance=0.03):
    nr = f"{year % 100:02d}-{rng.randint(100, 19999):06d}"
    if rng.random() < suffix_chance:
        nr += rng.choice("ABCDEFGHKLMNPRS")
    return nr


def person(rng):
    return rng.choice(FIRST_NAMES) + " " + rng.choice(MIDDLE_NAMES) + rng.choice(LAST_NAMES)


def slug(name):
    s = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "", s)


# ---------------------------------------------------------------------------
# The plan: every meeting's committee, date, items and case numbers, made in
# one pass from the seed; each file is then written from its own part of it.
# ---------------------------------------------------------------------------


class Planner:
    def __init__(self, rng, layout):
        self.rng = rng
        self.layout = layout    # None: each meeting's own
        self.recent = []        # cases that may come back: (number, theme, title)
        self.members = {}       # (committee, election period) -> names
        self.used_numbers = set()

    def new_case(self, year):
        rng = self.rng
        if VOCAB.cases and rng.random() < 0.01:
            return rng.choice(VOCAB.cases)
        while True:
            nr = case_number(rng, year)
            if nr.upper() not in self.used_numbers:
                self.used_numbers.add(nr.upper())
                return nr

    def participants(self, committee, size, year):
        key = (committee, (year - 2006) // 4)
        if key not in self.members:
            names = []
            while len(names) < size:
                p = person(self.rng)
                if p not in names:
                    names.append(p)
            self.members[key] = names
        people = list(self.members[key])
        self.rng.shuffle(people)
        if len(people) > 4 and self.rng.random() < 0.5:
            people.pop()
        return people

    def title(self, theme, closed, year, date, committee):
        rng = self.rng
        if not closed and rng.random() < 0.05:
            q = rng.choice([(31, 3), (31, 5), (31, 8), (30, 9), (30, 11)])
            area = "Samlet for alle udvalg" if rng.random() < 0.5 else f"{committee}s eget område"
            return f"Budgetopfølgning pr. {q[0]}. {MONTHS[q[1] - 1]} {date.year} - {area}", 2
        verb = weighted(rng, CLOSED_VERBS if closed else TITLE_VERBS)
        t = f"{verb} {THEMES[theme][0]}"
        if rng.random() < 0.15:
            t += f" {year}"
        elif rng.random() < 0.1:
            t += f" i {rng.choice(TOWNS)}"
        return t, theme

    def item(self, date, committee, closed):
        rng = self.rng
        if self.recent and rng.random() < 0.3:
            # A case comes back to another meeting, mostly under its old title.
            back = int(min(len(self.recent), 300) * rng.random() ** 1.6)
            nr, theme, title = self.recent[-1 - back]
            if rng.random() > 0.6:
                title, theme = self.title(theme, closed, date.year, date, committee)
        else:
            theme = rng.randrange(len(THEMES))
            title, theme = self.title(theme, closed, date.year, date, committee)
            nr = self.new_case(date.year - (0 if rng.random() < 0.7 else rng.randint(1, 3)))
            self.recent.append((nr, theme, title))
            if len(self.recent) > 1500:
                del self.recent[:500]
        mark = weighted(rng, CLOSED_MARKS) if closed else ""
        return {"title": title, "case": nr, "closed": closed, "mark": mark, "theme": theme}

    def meeting(self, date, committee):
        rng = self.rng
        info = next(c for c in COMMITTEES if c[0] == committee)
        direktion = committee == "Direktionen"
        items = []
        if not direktion and rng.random() < 0.7:
            items.append({"standing": "agenda", "title": "Godkendelse af dagsorden"})
        n = max(3, min(22, round(rng.gauss(9.6, 3.0))))
        for _ in range(n):
            items.append(self.item(date, committee, rng.random() < (0.42 if direktion else 0.36)))
        if direktion:
            for t in ("Orientering om sager på vej til udvalgsbehandling",
                      "Orientering om sager på vej til Direktionen",
                      "Formidling af Direktionens drøftelser og beslutninger til organisationen"):
                items.append({"standing": "closed", "title": t, "mark": "Lukket: ",
                              "closed": True})
        elif rng.random() < 0.5:
            items.append({"standing": "news", "title": "Meddelelser"})
        items.append({"standing": "misc", "title": "Eventuelt"})
        x = rng.random()
        layout = self.layout or ("txt" if x < 0.8 else "md" if x < 0.92 else "pdf")
        return {"date": date.isoformat(), "committee": committee, "place": rng.choice(info[2]),
                "time": f"{rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17])}:"
                        f"{rng.choice(['00', '00', '15', '30', '30'])}",
                "people": self.participants(committee, info[3], date.year), "items": items,
                "layout": layout, "rseed": rng.getrandbits(64)}


def plan(seed, n_meetings, budget_every, layout=None):
    rng = random.Random(f"kommunesoeg-gencorpus:{seed}")
    first = datetime.date(FIRST_YEAR, 1, 1).toordinal()
    last = datetime.date(LAST_YEAR, 12, 31).toordinal()
    dates = []
    while len(dates) < n_meetings:
        d = datetime.date.fromordinal(rng.randint(first, last))
        if d.weekday() < 5:
            dates.append(d)
    dates.sort()
    planner = Planner(rng, layout)
    weights = [(c[0], c[1]) for c in COMMITTEES]
    meetings, names = [], set()
    for d in dates:
        committee = weighted(rng, weights)
        m = planner.meeting(d, committee)
        # A committee that meets twice a day (in a large corpus) gets -2, -3.
        base = f"{d.year}/referat-{slug(committee)}-{d.isoformat()}"
        name, k = base, 1
        while name in names:
            k += 1
            name = f"{base}-{k}"
        names.add(name)
        m["name"] = name + (".md" if m["layout"] == "md" else ".txt")
        meetings.append(m)
    budgets = []
    if budget_every > 0:
        for j in range(n_meetings // budget_every):
            d = dates[min(len(dates) - 1, j * budget_every + budget_every // 2)]
            committee = rng.choice(["Økonomiudvalget"] + FAGUDVALG)
            budgets.append({"name": f"{d.year}/budget-{d.year}-{slug(committee)}-{j + 1}.txt",
                            "year": d.year, "committee": committee,
                            "rseed": rng.getrandbits(64)})
    return meetings, budgets


# ---------------------------------------------------------------------------
# Writing a meeting: blocks of (kind, text), then laid out as text, Markdown
# or the text a PDF gives.
# ---------------------------------------------------------------------------

def item_blocks(no, it, year, rng):
    """The blocks of one item: ('punkt', title), ('case', nr), ('section', name),
    ('sub', heading), ('par', text), ('list', [items]), ('numbered', [items]),
    ('table', [rows])."""
    mark = it.get("mark", "")
    out = [("punkt", f"Punkt {no}: {mark}{it['title']}")]
    standing = it.get("standing")
    if standing is None:
        out.append(("case", it["case"]))
    if it.get("closed"):
        return out
    if standing == "agenda":
        return out + [("section", "Beslutning"), ("par", "Godkendt.")]
    if standing == "misc":
        return out + [("section", "Beslutning"),
                      ("par", rng.choice(["Ingen bemærkninger.", "Intet."]))]
    theme = it.get("theme", rng.randrange(len(THEMES)))
    w = Writer(rng, year, theme)
    if standing == "news":
        out += [("section", "Beslutning"), ("par", "Taget til efterretning."),
                ("section", "Sagsfremstilling")]
        return out + [("par", w.paragraph(1, 3)) for _ in range(rng.randint(1, 3))]
    decision = weighted(rng, DECISIONS)
    if decision is None:
        decision = w.paragraph(1, 2)
    elif rng.random() < 0.2:
        decision += " " + w.sentence()
    out += [("section", "Beslutning"), ("par", decision), ("section", "Sagsfremstilling"),
            ("section", "Resume og sagens baggrund")]
    actor = rng.choice(["Administrationen", "Økonomistaben", "Fagcentret", "Sekretariatet",
                        "Forvaltningen", "Direktionen"])
    purpose = rng.choice(["til godkendelse", "til orientering", "til drøftelse",
                          "med henblik på beslutning"])
    out.append(("par", f"{actor} fremlægger sagen om {THEMES[theme][0]} {purpose}. "
                + w.paragraph(0, 3)))
    out.append(("section", "Indstillinger"))
    role = rng.choice(ROLES)
    if rng.random() < 0.25:
        picks = rng.sample(RECOMMEND, rng.randint(2, 4))
        out.append(("par", f"{role} indstiller, at"))
        out.append(("numbered", [w.fill(p, capital=False) + "." for p in picks]))
    else:
        clause = w.fill(rng.choice(RECOMMEND), capital=False)
        out.append(("par", f"{role} indstiller, at {clause}."))
    bodies = ["Direktionen"] if rng.random() < 0.8 else []
    bodies += sorted(rng.sample(FAGUDVALG, rng.randint(0, 3)), key=FAGUDVALG.index)
    bodies += ["Økonomiudvalget"] if rng.random() < 0.4 else []
    bodies += ["Kommunalbestyrelsen"] if rng.random() < 0.25 else []
    bodies = list(dict.fromkeys(bodies or ["Direktionen"]))
    out += [("section", "Behandling"), ("par", ", ".join(bodies) + ".")]
    if rng.random() < 0.85:
        out.append(("section", "Sagsfremstilling"))
        for _ in range(max(1, min(40, int(rng.lognormvariate(1.8, 0.7))))):
            x = rng.random()
            if x < 0.1:
                out.append(("sub", cap(VOCAB.content(rng, theme)) if rng.random() < 0.5
                            else cap(THEMES[rng.randrange(len(THEMES))][0])))
                out.append(("par", w.paragraph(1, 4)))
            elif x < 0.18:
                out.append(("list", [w.sentence() for _ in range(rng.randint(2, 6))]))
            elif x < 0.22:
                out.append(("par", w.sentence().rstrip(".") + ":"))
                out.append(("numbered", [w.sentence() for _ in range(rng.randint(2, 5))]))
            elif x < 0.24:
                out.append(("table", budget_table(rng, year)))
            else:
                out.append(("par", w.paragraph(2, 6)))
    out.append(("section", "Økonomiske konsekvenser"))
    if rng.random() < 0.5:
        out.append(("par", rng.choice(NO_ECONOMY)))
    else:
        out += [("par", w.paragraph(1, 2, ECONOMY)) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.7:
        out.append(("section", "Bilag"))
        for _ in range(rng.randint(1, 3)):
            y = rng.random()
            if y < 0.4:
                out.append(("par", f"{cap(THEMES[theme][0])} - bilag {rng.randint(1, 9)}"))
            elif y < 0.7:
                out.append(("par", f"Notat om {VOCAB.content(rng, theme)} {year}.pdf"))
            else:
                out.append(("par", f"{it['title'][:60]}.pdf"))
    return out


def budget_table(rng, year):
    head = "\t".join(["Kalundborg Kommune", f"Oprindeligt budget {year} (mio. kr.)",
                      f"Korrigeret budget {year} (mio. kr.)",
                      f"Forventet forbrug {year} (mio. kr.)",
                      "Afvigelse (mio. kr.)"])
    rows = [head]
    for label in ("Netto", "Indtægter", "Brutto"):
        sign = "-" if label == "Indtægter" else ""
        cells = [sign + f"{rng.lognormvariate(4, 1):.1f}".replace(".", ",") for _ in range(4)]
        rows.append(label + "\t" + "\t".join(cells))
    return rows


def toc_line(rng, text, page):
    if len(text) > 93:
        return f"{text[:93]}\t{page}" if rng.random() < 0.5 else f"{text[:94]}..\t{page}"
    return f"{text}.....\t{page}"


def render_meeting(m):
    rng = random.Random(m["rseed"])
    d = datetime.date.fromisoformat(m["date"])
    items = [item_blocks(no, it, d.year, rng) for no, it in enumerate(m["items"], 1)]
    toc, page = [], 3
    for it, blocks in zip(m["items"], items):
        toc.append(toc_line(rng, it.get("mark", "") + it["title"], page))
        page += 1 + sum(len(str(b[1])) for b in blocks) // 3500
    header = [f"REFERAT {m['committee']} d. {d.day:02d}-{d.month:02d}-{d.year}",
              f"{WEEKDAYS[d.weekday()]} d. {d.day:02d}. {MONTHS[d.month - 1]} {d.year} "
              f"kl. {m['time']}",
              m["place"], ", ".join(m["people"])]
    layout = m["layout"]
    if layout == "md":
        text = render_markdown(rng, header, toc, items)
    elif layout == "pdf":
        text = render_pdf_text(rng, header, toc, items)
    else:
        text = render_plain(header, toc, items)
    n_closed = sum(1 for it in m["items"] if it.get("closed"))
    return text, len(m["items"]), n_closed


def render_budget(b):
    """Budget remarks as corpus/budget-2024-oekonomiudvalget.txt: from a PDF."""
    rng = random.Random(b["rseed"])
    year = b["year"]
    width = rng.randint(90, 97)
    page = PdfPage(rng)
    page.heading(f"Bemærkninger - {b['committee']}")
    page.put(" ")
    areas = rng.sample(BUDGET_AREAS, rng.randint(8, 15)) + rng.sample(POOLS, rng.randint(0, 2))
    rng.shuffle(areas)
    for area in areas:
        w = Writer(rng, year, rng.randrange(len(THEMES)))
        page.put(area + rng.choice([" ", "  "]))
        page.put(" ")
        pool = area.startswith("Demografipulje")
        amount = rng.choice([5, 9, 10, 12]) * 1_000_000 if pool else \
            int(rng.lognormvariate(16.5, 1.0)) // 100 * 100
        page.put(f"Samlet nettobudget for området: {fmt_kr(amount)} kr. ")
        page.put(" ")
        if pool:
            page.paragraph(w.paragraph(1, 2, BUDGET_BODY), width)
            continue
        page.heading(rng.choice(["Budgetgrundlag", "Budgetgrundlag "]))
        page.paragraph(w.fill(BUDGET_BASIS), width)
        if rng.random() < 0.5:
            page.paragraph(w.paragraph(1, 2, BUDGET_BODY), width)
        for head in ("Beskrivelse af området", "Udvikling og udfordringer"):
            page.heading(head)
            for _ in range(rng.randint(2, 6)):
                if rng.random() < 0.2:
                    if rng.random() < 0.4:
                        page.heading(cap(VOCAB.themes[w.theme][1].draw(rng)))
                    for _ in range(rng.randint(2, 6)):
                        page.bullet(w.sentence(BUDGET_BODY + BODY), width)
                else:
                    page.paragraph(w.paragraph(1, 5, BUDGET_BODY + BODY), width)
    return "\n".join(page.lines) + "\n", len(areas)


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------

OUT = None


def start_worker(corpus_dir, words_file, out):
    global VOCAB, OUT
    if VOCAB is None:
        VOCAB = Vocabulary(corpus_dir, words_file)
    OUT = out


def write(name, text):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def work(task):
    kind, spec = task
    if kind == "meeting":
        text, n_items, n_closed = render_meeting(spec)
        return kind, write(spec["name"], text), n_items, n_closed
    text, n_areas = render_budget(spec)
    return kind, write(spec["name"], text), n_areas, 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meetings", type=int, required=True, help="how many meeting minutes")
    ap.add_argument("--out", required=True, help="the directory to write (files in YEAR/)")
    ap.add_argument("--seed", default="1", help="the random seed (default 1)")
    ap.add_argument("--budget-every", type=int, default=50,
                    help="one file of budget remarks per this many meetings (default 50; 0: none)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes writing at once (the output is the same)")
    ap.add_argument("--layout", choices=["txt", "md", "pdf"],
                    help="every meeting in one layout (default: 80%% text, 12%% Markdown, "
                         "8%% from a PDF); the same meetings whichever")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="the documents whose words are used")
    ap.add_argument("--words", default=DEFAULT_WORDS,
                    help="the Danish word list (default: Debian's wdanish)")
    a = ap.parse_args()
    if a.meetings < 1:
        ap.error("--meetings needs at least 1")
    if a.jobs < 1:
        ap.error("--jobs needs at least 1")
    if a.budget_every < 0:
        ap.error("--budget-every needs 0 or more")
    started = time.monotonic()
    start_worker(a.corpus, a.words, a.out)
    meetings, budgets = plan(a.seed, a.meetings, a.budget_every, a.layout)
    os.makedirs(a.out, exist_ok=True)
    tasks = [("meeting", m) for m in meetings] + [("budget", b) for b in budgets]
    totals = {"meeting": 0, "budget": 0, "bytes": 0, "items": 0, "closed": 0, "areas": 0}

    def add(result):
        kind, size, n, closed = result
        totals[kind] += 1
        totals["bytes"] += size
        totals["items" if kind == "meeting" else "areas"] += n
        totals["closed"] += closed

    if a.jobs > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            for result in pool.imap_unordered(work, tasks, chunksize=32):
                add(result)
    else:
        for t in tasks:
            add(work(t))
    head, tail = VOCAB.sizes
    print(f"gencorpus: seed {a.seed}: {totals['meeting']} meetings with {totals['items']} items "
          f"({totals['closed']} closed) and {totals['budget']} budget files with "
          f"{totals['areas']} areas, {totals['bytes'] / 1e6:.1f} MB, in {a.out} "
          f"({time.monotonic() - started:.1f} s; vocabulary {head} + {tail} words, "
          f"digest {VOCAB.digest})")


if __name__ == "__main__":
    main()
