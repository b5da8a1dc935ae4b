"""Layout lines → a stream of tokens: label text and cell values, with provenance.

A value is a number (``0``, ``3,985,758``, ``4068.208``, ``+12``, ``251000元``)
or a blank/placeholder (``/``, ``—``, ``无`` …, or an empty cell of an exact
table row), which becomes ``None`` with its raw text kept.  Everything else is
label text.  A number directly followed by a unit word (``保留 4 位小数``,
``共 3 件``) is text, not a cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.layout import Line
from auditor.normalize import CELL_NUMBER as _NUMBER
from auditor.normalize import PLACEHOLDERS

_COUNT_IN_CELL = re.compile(r"^(\d+)(件|个|项|宗|次)$")   # "3件" alone in a table cell
_ENUMERATOR = re.compile(r"^\(?[0-9]{1,2}[.、)]$|^\(?[一二三四五六七八九十]+[)、]$")
_UNIT_START = re.compile(r"^[年月日件条个项篇位次人家期份%％万亿元]")
_PAGE_FURNITURE = re.compile(
    r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[/,，]?\s*共\s*\d{1,3}\s*页)?|共\s*\d{1,3}\s*页"
    r"|\d{1,3}\s*/\s*\d{1,3})$")


@dataclass
class Token:
    kind: str                 # "text" | "value"
    raw: str
    value: int | float | None = None
    line: int | None = None
    page: int | None = None
    ref: dict | None = None   # the cell's place in the source (Line.refs), when the reader knows it


def parse_number(raw: str) -> int | float | None:
    """The number a cell holds, or None when it holds none."""
    m = _NUMBER.match(raw.replace(" ", ""))
    if not m:
        return None
    sign, digits, frac, _unit = m.groups()
    digits = digits.replace(",", "")
    if frac:
        return float(f"{sign}{digits}{frac}")
    return int(f"{sign}{digits}")


def is_page_furniture(text: str) -> bool:
    return bool(_PAGE_FURNITURE.match(text.strip()))


def classify(raw: str) -> str:
    """"value", "blank" (placeholder) or "text"."""
    s = raw.strip()
    if parse_number(s) is not None and not _ENUMERATOR.match(s):
        return "value"
    if s in PLACEHOLDERS:
        return "blank"
    return "text"


@lru_cache(maxsize=8192)
def _cell(raw: str) -> tuple[str, int | float | None]:
    """(kind, number) of a stripped piece; cells repeat across reports ("0", "1", "/")."""
    kind = classify(raw)
    return kind, parse_number(raw) if kind == "value" else None


_UNCERTAIN = re.compile(r"^[0-9０-９.,，/／!]*[?？]$")


def line_tokens(line: Line) -> list[Token]:
    """The tokens of one line: its cells when known, else its whitespace-separated words."""
    if is_page_furniture(line.text):
        return []
    if line.cells is not None:
        pieces, from_cells = line.cells, True
    else:
        pieces, from_cells = line.text.split(), False
    refs = line.refs if from_cells and line.refs and len(line.refs) == len(pieces) else None
    tokens: list[Token] = []
    for i, raw in enumerate(pieces):
        raw = raw.strip()
        ref = refs[i] if refs else None
        if not raw:
            if line.exact_cells:
                tokens.append(Token("value", "", None, line.number, line.page, ref))
            continue
        if from_cells and line.exact_cells and _UNCERTAIN.match(raw):
            # a reader that could not read a number surely (OCR) marks it with "?": a value of
            # the row whose number is unknown, its text kept — never a number, never a row's end
            tokens.append(Token("value", raw, None, line.number, line.page, ref))
            continue
        if from_cells and _COUNT_IN_CELL.match(raw):
            tokens.append(Token("value", raw, int(_COUNT_IN_CELL.match(raw).group(1)), line.number, line.page,
                                ref))
            continue
        kind, value = _cell(raw)
        if kind == "value" and not from_cells and i + 1 < len(pieces) \
                and _UNIT_START.match(pieces[i + 1]):
            kind = "text"             # "保留 4 位小数", "共 3 件": a number in a sentence
        if kind == "text":
            tokens.append(Token("text", raw, None, line.number, line.page, ref))
        else:
            tokens.append(Token("value", raw, value, line.number, line.page, ref))
    return tokens


def tokens_of(lines: list[Line]) -> list[Token]:
    out: list[Token] = []
    for line in lines:
        out.extend(line_tokens(line))
    return out


@dataclass
class Group:
    """Label text followed by the run of values after it."""
    label: str
    label_tokens: list[Token]
    values: list[Token]


def value_groups(tokens: list[Token]) -> list[Group]:
    """Split a token stream into (label text, values) groups.

    Values that run on across lines without text between them stay in one
    group: that is how a row's last number wrapped onto the next line reads.
    """
    groups: list[Group] = []
    label: list[Token] = []
    values: list[Token] = []
    for tok in tokens:
        if tok.kind == "text":
            if values:
                groups.append(Group(" ".join(t.raw for t in label), label, values))
                label, values = [], []
            label.append(tok)
        else:
            values.append(tok)
    if values or label:
        groups.append(Group(" ".join(t.raw for t in label), label, values))
    return groups
