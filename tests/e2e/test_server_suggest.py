#!/usr/bin/env python3
"""Search as you type and several values of one facet, through the real
server over the corpus (docs/api.rst):

- Suggest: /api/suggest completes the last word of q from the index's own
  words, most frequent first, in any letter case and with or without Danish
  letters; its OpenSearch form, and the OpenSearch description that names it.
- FacetsOr: udvalg=, type=, year= and beslutning= given more than once match
  any of their values, and the facets together all of theirs, in the JSON,
  the CSV export and the feed.

Usage: test_server_suggest.py [GROUP...] (one meson test per group).
"""

import csv
import io
import urllib.parse
import xml.etree.ElementTree as ET

from harness import limit, main, request, ServerCase

MAX_SUGGESTIONS = 8


class Suggest(ServerCase):
    """/api/suggest and the OpenSearch suggestions."""

    def suggest(self, q, **kw):
        r = self.get("/api/suggest", q=q, **kw)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/json;charset=utf-8", r)
        body = r.json()
        self.assertEqual(set(body), {"q", "suggestions"}, body)
        self.assertEqual(body["q"], q)
        self.assertLessEqual(len(body["suggestions"]), MAX_SUGGESTIONS, body)
        return body["suggestions"]

    def test_the_last_word_is_completed_most_frequent_first(self):
        got = self.suggest("hjem")
        self.assertGreaterEqual(len(got), 5, got)
        for s in got:
            self.assertTrue(s.startswith("hjem"), got)
            self.assertNotIn(" ", s)
        # The corpus has "hjemløshed" and "hjemløse" (also as the part of
        # "hjemløsestrategi", "hjemløseindsatsen", …) most often of the
        # words so begun, "hjemmehjælp" less.
        self.assertEqual(set(got[:2]), {"hjemløse", "hjemløshed"}, got)
        self.assertLess(got.index("hjemløshed"), got.index("hjemmehjælp"), got)
        self.assertIn("hjemløsestrategi", got)
        self.assertEqual(len(set(got)), len(got), got)
        # Every completion finds something.
        for s in got:
            self.assertGreater(self.total(s), 0, s)

    def test_the_words_before_it_are_kept(self):
        got = self.suggest("budget hjem")
        self.assertEqual(got, ["budget " + s for s in self.suggest("hjem")])
        # An operator stays in capitals, a field prefix stays.
        self.assertEqual(self.suggest("budget OR hjem")[0], "budget OR " + self.suggest("hjem")[0])
        self.assertEqual(self.suggest("titel:budgetopf")[0], "titel:budgetopfølgning")

    def test_letter_case_never_matters(self):
        lower = self.suggest("hjem")
        for typed in ["Hjem", "HJEM", "hJeM"]:
            with self.subTest(typed=typed):
                self.assertEqual(self.suggest(typed), lower)
        self.assertEqual(self.suggest("Budget Hjem"), self.suggest("budget hjem"))

    def test_danish_letters_and_their_ascii_spellings(self):
        self.assertIn("økonomiudvalget", self.suggest("økonomiu"))
        self.assertIn("økonomiudvalget", self.suggest("Økonomiu"))
        # "oe" for ø, "aa" for å: the completions are spelt as the
        # documents spell them, once.
        got = self.suggest("oekonomiu")
        self.assertIn("økonomiudvalget", got)
        self.assertNotIn("oekonomiudvalget", got)
        self.assertIn("hjemløshed", self.suggest("hjemloe"))
        self.assertEqual(self.suggest("hjemloe"), self.suggest("hjemlø"))

    def test_nothing_to_complete(self):
        for q in ["", "   ", "hjem ", "budget -", "zzzzqx", "\"hjem"[:1]]:
            with self.subTest(q=q):
                self.assertEqual(self.suggest(q), [])
        # No q at all is an empty list too.
        r = self.get("/api/suggest")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"q": "", "suggestions": []})

    def test_one_letter_is_bounded(self):
        for q in ["s", "b", "Ø", "1"]:
            with self.subTest(q=q):
                got = self.suggest(q)
                for s in got:
                    self.assertTrue(s.startswith(q.lower()), got)
        self.assertEqual(len(self.suggest("s")), MAX_SUGGESTIONS)

    def test_bad_input_is_400_naming_it(self):
        longest = limit("KS_MAX_QUERY_BYTES")
        self.suggest("a" * longest)
        self.assert_error(self.get("/api/suggest", q="a" * (longest + 1)), 400, "q")
        self.assert_error(self.get("/api/suggest", q="hjem", format="xml"), 400, "format")
        self.assert_error(request(self.port, "GET", "/api/suggest?q=%C3"), 400, "q")

    def test_opensearch_suggestions(self):
        r = self.get("/api/suggest", q="Hjem", format="opensearch")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/x-suggestions+json;charset=utf-8", r)
        self.assertEqual(r.json(), ["Hjem", self.suggest("hjem")])
        r = self.get("/api/suggest", q="", format="opensearch")
        self.assertEqual(r.json(), ["", []])

    def test_the_opensearch_description_names_the_suggestions(self):
        r = self.get("/opensearch.xml")
        self.assertEqual(r.status, 200, r)
        ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
        root = ET.fromstring(r.body)
        urls = root.findall("os:Url", ns)
        found = [u for u in urls if u.get("type") == "application/x-suggestions+json"]
        self.assertEqual(len(found), 1, [u.attrib for u in urls])
        self.assertEqual(found[0].get("rel"), "suggestions")
        template = found[0].get("template")
        parts = urllib.parse.urlsplit(template)
        self.assertEqual(parts.scheme, "http")
        self.assertEqual(parts.path, "/api/suggest")
        self.assertEqual(urllib.parse.parse_qs(parts.query),
                         {"q": ["{searchTerms}"], "format": ["opensearch"]})
        # The template answers as the description says.
        filled = template.replace("{searchTerms}", "hjem").split("/", 3)[3]
        r = self.get("/" + filled)
        self.assertEqual(r.json(), ["hjem", self.suggest("hjem")])


class FacetsOr(ServerCase):
    """Several values of one facet: any of them; the facets: all."""

    def ids_of(self, params):
        """The ids of every hit of the search of PARAMS (a list of pairs)."""
        params = list(params) + [("per_page", "100")]
        r = self.get("/api/search?" + urllib.parse.urlencode(params))
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertLessEqual(body["total"], 100, "the test needs every hit on one page")
        return body["total"], {x["id"] for x in body["results"]}

    def test_two_values_of_one_facet_give_the_union(self):
        for name in ["udvalg", "year", "beslutning", "type"]:
            values = list(self.search(q="", per_page=1)["facets"][name])
            self.assertGreaterEqual(len(values), 2, name)
            a, b = values[0], values[1]
            with self.subTest(facet=name, values=(a, b)):
                total_a, ids_a = self.ids_of([("q", ""), (name, a)])
                total_b, ids_b = self.ids_of([("q", ""), (name, b)])
                total, ids = self.ids_of([("q", ""), (name, a), (name, b)])
                self.assertGreater(total_a, 0)
                self.assertGreater(total_b, 0)
                self.assertEqual(ids, ids_a | ids_b)
                self.assertEqual(total, len(ids_a | ids_b))
                # The same value twice, or an empty one, changes nothing.
                self.assertEqual(self.ids_of([("q", ""), (name, a), (name, a), (name, "")]),
                                 (total_a, ids_a))

    def test_facets_together_give_the_intersection(self):
        udvalg = list(self.search(q="", per_page=1)["facets"]["udvalg"])
        both = [("q", ""), ("udvalg", udvalg[0]), ("udvalg", udvalg[1])]
        for extra in [("type", "budget"), ("type", "punkt"), ("year", "2025")]:
            with self.subTest(extra=extra):
                total, ids = self.ids_of(both + [extra])
                _, union = self.ids_of(both)
                _, narrowed = self.ids_of([("q", ""), extra])
                self.assertEqual(ids, union & narrowed)
                self.assertGreater(total, 0)
        # With a query too.
        total, ids = self.ids_of([("q", "budget"), ("udvalg", udvalg[0]), ("udvalg", udvalg[1]),
                                  ("year", "2024"), ("year", "2025")])
        self.assertGreater(total, 0)
        self.assertEqual(ids, self.ids_of([("q", "budget")])[1] &
                         self.ids_of([("q", ""), ("year", "2024"), ("year", "2025")])[1] &
                         self.ids_of(both)[1])

    def test_the_facet_counts_are_of_the_union(self):
        udvalg = list(self.search(q="", per_page=1)["facets"]["udvalg"])
        r = self.get("/api/search?" + urllib.parse.urlencode(
            [("q", ""), ("udvalg", udvalg[0]), ("udvalg", udvalg[1])]))
        facets = r.json()["facets"]
        self.assertEqual(set(facets["udvalg"]), {udvalg[0], udvalg[1]})
        self.assertEqual(sum(facets["type"].values()), r.json()["total"])

    def test_the_csv_export_and_the_feed_carry_every_value(self):
        udvalg = list(self.search(q="", per_page=1)["facets"]["udvalg"])
        params = [("q", ""), ("udvalg", udvalg[0]), ("udvalg", udvalg[1])]
        total, ids = self.ids_of(params)
        r = self.get("/api/search?" + urllib.parse.urlencode(params + [("format", "csv")]))
        self.assertEqual(r.status, 200, r)
        text = r.body.decode("utf-8-sig")
        sep = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        rows = list(csv.DictReader(io.StringIO(text), delimiter=sep))
        self.assertEqual(len(rows), total)
        self.assertEqual({row["udvalg"] for row in rows}, {udvalg[0], udvalg[1]})
        r = self.get("/feed?" + urllib.parse.urlencode(params))
        self.assertEqual(r.status, 200, r)
        body = r.body.decode("utf-8")
        for value in udvalg[:2]:
            self.assertIn(value, body)

    def test_bad_values_are_400_naming_the_facet(self):
        for params, name in [([("type", "punkt"), ("type", "nope")], "type"),
                             ([("year", "2025"), ("year", "20x5")], "year")]:
            with self.subTest(params=params):
                r = self.get("/api/search?" + urllib.parse.urlencode([("q", "")] + params))
                self.assert_error(r, 400, name)
        many = [("udvalg", f"u{i}") for i in range(limit("KS_MAX_FACET_VALUES") + 1)]
        r = self.get("/api/search?" + urllib.parse.urlencode([("q", "")] + many))
        self.assert_error(r, 400, "udvalg")
        fits = many[:limit("KS_MAX_FACET_VALUES")]
        r = self.get("/api/search?" + urllib.parse.urlencode([("q", "")] + fits))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["total"], 0)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
