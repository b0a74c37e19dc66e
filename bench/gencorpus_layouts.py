"""The layouts bench/gencorpus.py writes a meeting in: plain text, Markdown,
and the text a PDF gives (lines that end in a blank, words hyphenated at the
line end, pages broken by empty lines, list glyphs lost).  A meeting comes as
its header, its table of contents and its items, each a list of blocks
(KIND, VALUE).  Python 3's standard library only.
"""

def plain_block(kind, value):
    if kind == "list":
        return "\n".join("- " + x for x in value)
    if kind == "numbered":
        return "\n".join(f"{k}. {x}" for k, x in enumerate(value, 1))
    if kind == "table":
        return "\n".join(value)
    return value


def render_plain(header, toc, items):
    lines = ["", "", header[0], "", "Mødedato " + header[1], "", "Mødested " + header[2], "",
             "Mødedeltagere " + header[3], "", "Indholdsfortegnelse", ""] + toc + [""]
    blocks = [plain_block(k, v) for blocks in items for k, v in blocks]
    return "\n".join(lines) + "\n" + "\n\n".join(blocks) + "\n"


def render_markdown(rng, header, toc, items):
    """As corpus/direktionen-2025-08-18.md: headings of any level, bold or not."""
    def heading(text, level):
        bold = rng.random() < 0.7
        return "#" * level + " " + (f"**{text}**" if bold else text)

    out = ["", "", "# " + header[0], "", "**Mødedato** " + header[1], "",
           "**Mødested** " + header[2],
           "", "**Mødedeltagere** " + header[3], "", "## Indholdsfortegnelse", ""] + toc + [""]
    for blocks in items:
        for kind, value in blocks:
            if kind == "punkt":
                out += [heading(value, rng.choice([1, 2, 2, 2])), ""]
            elif kind in ("section", "sub"):
                out += [heading(value, rng.choice([2, 3])), ""]
            else:
                out += [plain_block(kind, value), ""]
    return "\n".join(out) + "\n"


# ---- the text a PDF gives ---------------------------------------------------

VOWELS = set("aeiouyæøåé")


def break_points(word):
    """Where a word may be hyphenated: between a consonant and the vowel after
    it, with a vowel before, and two letters at least on either side."""
    return [i for i in range(2, len(word) - 2)
            if word[i].lower() not in VOWELS and word[i + 1] in VOWELS and word[i].isalpha()
            and any(c in VOWELS for c in word[:i].lower())]


def wrap_pdf(rng, text, width):
    """Lines of at most WIDTH characters that end in a blank; a word that does
    not fit is hyphenated where it can be (most of the time)."""
    lines, cur = [], ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            cut = None
            if word.isalpha() and len(word) >= 7 and rng.random() < 0.8:
                fits = [i for i in break_points(word) if len(cur) + 1 + i + 1 <= width]
                cut = fits[-1] if fits else None
            if cut:
                lines.append(f"{cur} {word[:cut]}-")
                cur = word[cut:]
            else:
                lines.append(cur + " ")
                cur = word
    lines.append(cur + rng.choice([" ", " ", "  "]))
    return lines


class PdfPage:
    """Lays lines out on pages: a page break is three empty lines, anywhere,
    also inside a paragraph (the indexer joins it again)."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = [""]
        self.room = rng.randint(44, 50)

    def put(self, line):
        if self.room == 0:
            self.lines += ["", "", ""]
            self.room = self.rng.randint(44, 50)
        self.lines.append(line)
        self.room -= 1

    def paragraph(self, text, width):
        for line in wrap_pdf(self.rng, text, width):
            self.put(line)
        self.put(" ")

    def bullet(self, text, width):
        """A list item whose glyph was lost: the first line starts with one space."""
        lines = wrap_pdf(self.rng, text, width - 1)
        self.put(" " + lines[0])
        for line in lines[1:]:
            self.put(line)
        self.put(" ")

    def heading(self, text):
        self.put(text + " ")


def render_pdf_text(rng, header, toc, items):
    width = rng.randint(88, 98)
    page = PdfPage(rng)
    page.heading(header[0])
    page.put(" ")
    # The header's lines are not wrapped: the indexer reads each as one line.
    for label, value in zip(("Mødedato", "Mødested", "Mødedeltagere"), header[1:]):
        page.put(f"{label} {value} ")
        page.put(" ")
    page.heading("Indholdsfortegnelse")
    for line in toc:
        page.put(line + " ")
    page.put(" ")
    for blocks in items:
        for kind, value in blocks:
            if kind in ("punkt", "case", "section", "sub"):
                page.heading(value)
                page.put(" ")
            elif kind == "list":
                for x in value:
                    page.bullet(x, width)
            elif kind == "numbered":
                for k, x in enumerate(value, 1):
                    page.paragraph(f"{k}. {x}", width)
            elif kind == "table":
                for row in value:
                    page.put(row + " ")
                page.put(" ")
            else:
                page.paragraph(value, width)
    return "\n".join(page.lines) + "\n"
