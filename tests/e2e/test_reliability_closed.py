#!/usr/bin/env python3
"""Closed items in every output: of a closed item nothing but what the
published minutes show, whichever way the closed mark is spelt.

Run by meson (suite "reliability"), one meson test per group.  Every server
listens on 127.0.0.1 with --port 0; every request and every load run is
bounded in time.  The groups print their figures (requests, errors, memory,
executions) on stdout, in lines "FIGURES group: ...", which meson keeps in its
test log.  Usage: test_reliability_closed.py [GROUP...]
"""

import os
import re
import shutil
import xml.etree.ElementTree as ET

from harness import (main, CORPUS, ATOM, read_csv, run_index, url, ServerCase)


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
            if key == "moede":
                # The meeting's page: its committee and date, which a
                # closed item shows, and nothing of the item.
                self.assertRegex(value or "", rf"^/moede/[a-z0-9-]+/{record['date']}$",
                                 f"{what}: moede")
            elif key in ("previous", "next"):
                # The neighbours in the agenda: what the agenda shows of
                # them, nothing of this item.
                if value is not None:
                    self.assertLessEqual(set(value), {"id", "punkt", "title", "url", "lukket"},
                                         f"{what}: {key}")
            elif key in self.ALLOWED:
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
        rows, _ = read_csv(r.body)
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
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_DBCHECK", "KS_LIMITS", "KS_GENCORPUS",
         "KS_QUERIES")
