#!/usr/bin/env python3
"""Facet counts past the bound of exact counting (issue 18), end to end.

Run by meson (suite "e2e", test "server-facets") with the environment of
harness.py.  The bound is 10,000 matches by default; the server's
--facets-exact lowers it, so that the corpus's 65 records are enough to pass
it: a match set larger than the bound is answered with "facets_estimated":
true, a total and counts scaled from the matches Xapian checked, and the
same ten best hits.  Over 10,000 records without the flag: tests/unit/test-hits.c.
"""

import subprocess
import unittest

from harness import dbcheck, main, SERVER, ServerCase

# Below every query's match set here that Xapian can stop early on.
BOUND = 5


class Estimated(ServerCase):
    """A server with --facets-exact BOUND on corpus/."""

    @classmethod
    def server_args(cls):
        return ("--facets-exact", str(BOUND))

    def test_past_the_bound_estimated(self):
        body = self.search(q="kommune", per_page=10)
        self.assertGreater(body["total"], BOUND)
        self.assertIs(body["facets_estimated"], True)
        # Scaled to the estimated total: each facet sums to about it.
        for name in ("type", "udvalg", "year"):
            counted = sum(body["facets"][name].values())
            self.assertLessEqual(abs(counted - body["total"]), len(body["facets"][name]), name)

    def test_hits_as_without_the_bound(self):
        # The page is Xapian's best whatever it counted: the ids of a
        # search without facets (ks-dbcheck), which counts nothing.
        body = self.search(q="til", per_page=5)
        self.assertIs(body["facets_estimated"], True)
        expected = dbcheck(self.db, "search", "til", "5")[1:]
        self.assertEqual([r["id"] for r in body["results"]], expected)

    def test_within_the_bound_exact(self):
        body = self.search(q="hjemløse")
        self.assertLessEqual(body["total"], BOUND)
        self.assertIs(body["facets_estimated"], False)
        self.assertEqual(body["facets"]["type"], {"punkt": 2, "budget": 1})

    def test_walked_whole_exact(self):
        # A browse sorted by date is walked whole: exact whatever the bound.
        body = self.search(q="", sort="date_desc")
        self.assertEqual(body["total"], 65)
        self.assertIs(body["facets_estimated"], False)


class Flag(unittest.TestCase):
    """--facets-exact's bad values."""

    def test_bad_values(self):
        for value in ["0", "-1", "x", "", "100000001"]:
            p = subprocess.run([SERVER, "--facets-exact", value, "--port", "0"],
                               capture_output=True, text=True, timeout=30,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 2, value)
            self.assertIn("--facets-exact", p.stderr, value)

    def test_help(self):
        p = subprocess.run([SERVER, "--help"], capture_output=True, text=True, timeout=30)
        self.assertIn("--facets-exact", p.stdout)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX")
