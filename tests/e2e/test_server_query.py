#!/usr/bin/env python3
"""The query language as people type it, through /api/search on the real
server over the corpus: letter case never matters (a phone capitalises the
first word), field prefixes in any case and "aar:" as "år:", and a query of
only -words is everything but those words (kommunesoeg-query(7)).

Usage: test_server_query.py [GROUP...] (one meson test per group).
"""

import unittest

from harness import main, ServerCase


def capitalised(q):
    return q[:1].upper() + q[1:]


class Typed(ServerCase):
    """Capitals, prefixes in any case, aar:, a lone -word."""

    def found(self, q):
        """(total, ids of every hit, suggestion) of Q."""
        body = self.search(q=q, per_page=100)
        return body["total"], [r["id"] for r in body["results"]], body["suggestion"]

    def assert_same(self, typed, lower):
        """TYPED finds what LOWER finds, in the same order, and LOWER finds something."""
        total, ids, _ = self.found(lower)
        self.assertGreater(total, 0, lower)
        self.assertEqual(self.found(typed)[:2], (total, ids), f"{typed!r} as {lower!r}")

    def test_capitalised_words_are_stemmed(self):
        # Each is found through its stem alone: no document has the form typed.
        for word in ["beredskabsplanerne", "flygtningeboligerne", "sprogskolen", "hjemløshed",
                     "borgerne", "økonomistaben", "budget", "strategi", "byrådet"]:
            for typed in [capitalised(word), word.upper()]:
                with self.subTest(typed=typed):
                    self.assert_same(typed, word)
        self.assert_same("Hjemløshed Budget", "hjemløshed budget")

    def test_operators_phrases_synonyms_in_capitals(self):
        for typed, lower in [("Budget OR Strategi", "budget OR strategi"),
                             ("Budget NOT Strategi", "budget NOT strategi"),
                             ("Budget AND Hjemløshed", "budget AND hjemløshed"),
                             ("Budget -Strategi", "budget -strategi"),
                             ('"Vital Infrastruktur"', '"vital infrastruktur"'),
                             ("KB", "kb"), ("Kb", "kb"), ("ØU", "øu"),
                             ("Kommunernes Landsforening", "kommunernes landsforening"),
                             ("Budget*", "budget*")]:
            with self.subTest(typed=typed):
                self.assert_same(typed, lower)
        # AND, OR and NOT in capitals are operators, not words.
        either = self.found("budget OR strategi")[0]
        self.assertGreater(either, max(self.found("budget")[0], self.found("strategi")[0]))
        self.assertLess(self.found("budget NOT strategi")[0], self.found("budget")[0])

    def test_prefixes_in_any_case(self):
        for typed, lower in [("Titel:budget", "titel:budget"), ("TITEL:Budget", "titel:budget"),
                             ("Type:budget", "type:budget"), ("TYPE:Budget", "type:budget"),
                             ("Udvalg:Direktionen", "udvalg:direktionen"),
                             ("Sag:25-002452", "sag:25-002452"), ("År:2024", "år:2024"),
                             ("ÅR:2024", "år:2024"), ("Beslutning:Anbefales",
                                                      "beslutning:anbefales"),
                             ("Oekonomi:mindreforbrug", "oekonomi:mindreforbrug"),
                             ("Nettobudget:10000000..", "nettobudget:10000000.."),
                             ("Lukket:False Budget", "lukket:false budget"),
                             # "aar:" is "år:" and "økonomi:" is "oekonomi:".
                             ("aar:2024", "år:2024"), ("Aar:2024", "år:2024"),
                             ("AAR:2024", "år:2024"),
                             ("økonomi:mindreforbrug", "oekonomi:mindreforbrug"),
                             ("år:2024 aar:2025", "år:2024 år:2025")]:
            with self.subTest(typed=typed):
                self.assert_same(typed, lower)
                # Nothing to correct: a prefix is never taken for a misspelt word.
                self.assertIsNone(self.found(typed)[2], typed)

    def test_suggestion_keeps_a_capital(self):
        for lower in ["budgetopfølgnig", "hjemløshed strateg"]:
            with self.subTest(q=lower):
                suggestion = self.found(lower)[2]
                self.assertIsNotNone(suggestion)
                self.assertEqual(self.found(capitalised(lower))[2], capitalised(suggestion))

    def test_no_suggestion_for_another_form_of_a_word(self):
        # "beredskabsplanerne" is not in the corpus, "beredskabsplaner" is:
        # found through the stem, it is no misspelling to correct.
        for q in ["beredskabsplanerne", "Beredskabsplanerne", "Flygtningeboligerne"]:
            with self.subTest(q=q):
                total, _, suggestion = self.found(q)
                self.assertGreater(total, 0)
                self.assertIsNone(suggestion)

    def test_lone_minus_word_is_everything_else(self):
        everything = self.found("")[0]
        for excluded, words in [("-budget", ["budget"]), ("-Budget", ["budget"]),
                                ("-budget -drift", ["budget", "drift"]),
                                ('-"vital infrastruktur"', ['"vital infrastruktur"']),
                                ("-titel:budget", ["titel:budget"]),
                                ("-lukket:true", ["lukket:true"])]:
            with self.subTest(q=excluded):
                total, ids, suggestion = self.found(excluded)
                nots = " ".join("NOT " + w for w in words)
                self.assertEqual(self.found(nots)[:2], (total, ids))
                either = self.found(" OR ".join(words))
                self.assertGreater(either[0], 0)
                self.assertEqual(total, everything - either[0])
                self.assertFalse(set(ids) & set(either[1]))
                self.assertIsNone(suggestion)
        # With a word to find, -word leaves out as it always did.
        self.assertEqual(self.found("budget -drift")[:2], self.found("budget NOT drift")[:2])
        self.assertLess(self.found("budget -drift")[0], self.found("budget")[0])


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
