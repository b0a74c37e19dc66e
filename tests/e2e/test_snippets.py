#!/usr/bin/env python3
"""Snippets (docs/api.rst, RESULT): the passage where the query matched, every
word that matched marked, however it matched — through a synonym, the other
spelling, a field prefix, a compound's part, a stem or a suspended hyphen.

Over made-up minutes (bench/gencorpus.py, a fixed seed), whose texts have
every such form: "Kommunalbestyrelsen" for KB, "hjemløshed" for hjemloeshed,
"hjemløsestrategien" for strategi, "pris- og lønfremskrevet" for
prisfremskrevet.  For each query, every hit among the first whose text has a
word that the query matches must show a <mark>, and every word marked must be
one that the query matches."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MEETINGS = 60
SEED = 17
TOP = 20

# Each query, and the words of a text that it matches: the index's forms of
# the query's words (lib/forms.cc), as a whole-word pattern.
CASES = [
    # Synonyms (indexer/synonyms.txt): "KB = kommunalbestyrelsen = byrådet".
    ("KB", r"kb|kommunalbestyrelse\w*|byråd\w*"),
    ("ØU", r"øu|økonomiudvalg\w*"),
    # The other spelling, and a compound's first part.
    ("hjemloeshed", r"\w*hjemløs\w*"),
    # A field's prefix: the words of the text that the title's word is.
    ("titel:budget", r"\w*budget\w*"),
    # A compound's head ("hjemløsestrategien"), and through a stem.
    ("strategi", r"\w*strategi\w*"),
    ("strategierne", r"\w*strategi\w*"),
    ("skole", r"\w*skole\w*|\w*skoler\w*"),
    # A stem, in whole words and in compounds.
    ("hjemløsheden", r"\w*hjemløs\w*"),
    # A suspended hyphen: "pris- og lønfremskrevet" is "prisfremskrevet".
    ("prisfremskrevet", r"pris|lønfremskrevet|prisfremskrevet"),
]

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


class Snippets(harness.ServerCase):
    @classmethod
    def prepare_corpus(cls):
        out = os.path.join(cls.tmp, "generated")
        harness.generate(out, MEETINGS, SEED)
        return out

    def test_marked(self):
        for q, pattern in CASES:
            with self.subTest(q=q):
                word = re.compile(r"^(?:" + pattern + r")$", re.I)
                anywhere = re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)", re.I)
                hits = self.search(q=q, per_page=TOP)["results"]
                checked = 0
                for hit in hits:
                    text = self.by_id[hit["id"]]["text"]
                    marks = MARK.findall(hit["snippet"])
                    for m in marks:
                        self.assertRegex(m, word, f"{q}: {hit['id']} marks a word that "
                                                  f"did not match: {hit['snippet']!r}")
                    if anywhere.search(text):
                        checked += 1
                        self.assertTrue(marks, f"{q}: {hit['id']} has a word that matched "
                                               f"but no <mark>: {hit['snippet']!r}")
                self.assertGreaterEqual(checked, 5,
                                        f"{q}: too few hits have the word to test")

    def test_marks_only_what_matched(self):
        """A word that merely contains the query's letters is no match:
        "efterretning" is no compound of "ret" (the indexer does not split
        off the particle "efter"), "inden" none of "ind"."""
        for q, wrong in [("ret", "efterretning"), ("ind", "indstiller")]:
            with self.subTest(q=q):
                for hit in self.search(q=q, per_page=TOP)["results"]:
                    for m in MARK.findall(hit["snippet"]):
                        self.assertNotEqual(m.lower(), wrong, f"{q}: {hit['snippet']!r}")

    def test_phrase_and_wildcard(self):
        """What Xapian's snippet marks by itself stays marked: a phrase where
        its words follow each other, a wildcard's words."""
        for q, pattern in [('"taget til efterretning"', r"taget\s+til\s+efterretning"),
                           ("budget*", r"budget\w*")]:
            with self.subTest(q=q):
                hits = self.search(q=q, per_page=TOP)["results"]
                self.assertTrue(hits)
                for hit in hits:
                    marks = MARK.findall(hit["snippet"])
                    self.assertTrue(marks, f"{q}: {hit['snippet']!r}")
                    for m in marks:
                        self.assertRegex(m, re.compile("^(?:" + pattern + ")$", re.I))


if __name__ == "__main__":
    harness.main("KS_SERVER", "KS_INDEX", "KS_GENCORPUS")
