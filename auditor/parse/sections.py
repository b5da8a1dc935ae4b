"""Find the six section headings and cut the report into sections.

A heading is a line that begins with a Chinese numeral and ``、`` (or is a
bare canonical heading) and whose words match one section's keywords — so
table 三's own rows (``一、本年新收…``, ``四、结转下年度继续办理``) are never
taken for headings.  The first heading found for each section wins; repeats
are noted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.layout import Line
from auditor.normalize import compact, join_cjk
from auditor.templates import CHINESE_NUMERALS, SECTION_VARIANTS, SECTIONS, Section

_NUMBERED = re.compile(rf"^第?([{CHINESE_NUMERALS}]{{1,2}})(?:部分[、.,:\s]?|[、.,:\s])\s*(.*)$")
_HEADING_WINDOW = 24   # a heading's words sit within this many characters of its numeral


@dataclass
class Heading:
    section: Section
    index: int          # index of the line in the layout
    heading: str        # the heading as printed (normalised)
    rest: str           # text on the heading line after the heading itself
    numeral: int | None


def numeral_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + CHINESE_NUMERALS.index(numeral[1]) + 1
    return CHINESE_NUMERALS.index(numeral[0]) + 1


def match_section(title: str) -> Section | None:
    """The section whose keywords all occur in ``title`` (already compact)."""
    head = title[:_HEADING_WINDOW]
    for section in SECTIONS:
        for words in section.keywords:
            if all(w in head for w in words):
                return section
    return None


def _split_heading(title: str, section: Section) -> tuple[str, str]:
    """Split '总体情况。2023年，我局…' into the heading and the body that follows it."""
    for stop in ("。", ":", "；"):
        pos = title.find(stop)
        if 0 < pos <= _HEADING_WINDOW + 6:
            return title[:pos], title[pos + 1:]
    if len(title) <= _HEADING_WINDOW + 6:
        return title, ""
    ends = [title.find(w, 0, _HEADING_WINDOW + 6) + len(w) for w in ("情况", "事项", "措施")
            if title.find(w, 0, _HEADING_WINDOW + 6) >= 0]
    cut = min(ends) if ends else _HEADING_WINDOW
    return title[:cut], title[cut:]


def heading_of(line: Line, index: int) -> Heading | None:
    if line.cells is not None and sum(1 for c in line.cells if c.strip()) > 1:
        return None            # a table row, not a heading
    text = compact(line.text)
    m = _NUMBERED.match(text)
    if m:
        numeral, title = numeral_value(m.group(1)), m.group(2)
    else:
        numeral, title = None, text
    section = match_section(title)
    if section is None:
        return None
    if numeral is None and title.rstrip(":：") not in SECTION_VARIANTS[section.key]:
        return None            # an unnumbered line is a heading only if it is just the heading
    if numeral is not None and numeral > 6:
        return None
    head, rest = _split_heading(title, section)
    printed = head if numeral is None else text[: len(text) - len(title)] + head
    return Heading(section, index, printed, rest, numeral)


def find_headings(lines: list[Line]) -> tuple[list[Heading], list[dict]]:
    """Headings in document order (first per section), and notes about repeats."""
    found: dict[str, Heading] = {}
    notes = []
    for i, line in enumerate(lines):
        h = heading_of(line, i)
        if h is None:
            continue
        key = h.section.key
        if key in found:
            notes.append({"code": "duplicate-section", "section": key, "line": line.number,
                          "page": line.page,
                          "message": f"第二个“{h.heading}”标题被忽略",
                          "message_en": f"a second heading for section {h.section.number} was ignored"})
            continue
        found[key] = h
    return sorted(found.values(), key=lambda h: h.index), notes


def section_spans(headings: list[Heading], n_lines: int) -> dict[str, tuple[int, int]]:
    """Line index range [start, end) of each section's body."""
    spans = {}
    for i, h in enumerate(headings):
        end = headings[i + 1].index if i + 1 < len(headings) else n_lines
        spans[h.section.key] = (h.index + 1, end)
    return spans


def section_entries(lines: list[Line], headings: list[Heading]) -> dict[str, dict]:
    """The document's ``sections`` object."""
    spans = section_spans(headings, len(lines))
    out = {}
    for h in sorted(headings, key=lambda h: h.section.number):
        start, end = spans[h.section.key]
        body = [h.rest] if h.rest else []
        body += [join_cjk(lines[i].text.replace("\t", " ")) for i in range(start, end)]
        line = lines[h.index]
        out[h.section.key] = {"number": h.section.number, "heading": h.heading,
                              "text": "\n".join(b for b in body if b), "line": line.number,
                              "page": line.page}
    return out
