"""Plain-text tables for a terminal: columns measured in display cells, long text wrapped.

A Chinese character takes two cells of a terminal.  The layout is tabulate's
``simple`` format (headers, a rule of dashes, columns two spaces apart, each
column at least its header plus two wide, trailing spaces cut), which the
scorecards keep using through tabulate.  The findings of a sweep run to tens of
thousands of rows, and tabulate measured and wrapped them string by string through
wcwidth at ~0.7 ms a row (half a second for a 200-report rerun that otherwise takes a
tenth of that); this asks wcwidth once per distinct character.
"""
from __future__ import annotations

from typing import Sequence

from wcwidth import wcwidth


class _CharWidths(dict):
    """Display width of a character, asked of wcwidth (tabulate's own measure) on first sight:
    2 for wide and full-width forms, 0 for combining marks and control characters, else 1."""

    def __missing__(self, ch: str) -> int:
        w = max(wcwidth(ch), 0)
        self[ch] = w
        return w


_WIDTHS = _CharWidths()

# Punctuation that does not begin a line (it hangs past the end of the line instead).
CLOSING = frozenset("，。、；：？！）」』”’》】〕,.;:?!)]}%")


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def wrap(text: str, limit: int | None) -> list[str]:
    """``text`` as lines of at most ``limit`` cells: Latin words and numbers stay whole where
    they fit, Chinese text breaks between any two characters, closing punctuation never starts
    a line (it may hang one character past the limit); line breaks in ``text`` are kept."""
    lines: list[str] = []
    for part in text.split("\n"):
        if limit is None or display_width(part) <= limit:
            lines.append(part)
        else:
            lines.extend(_wrap_line(part, limit))
    return lines


def _units(text: str) -> list[tuple[str, int]]:
    """Breakable units with their widths: runs of narrow non-space characters (a word, a
    number), and single spaces and wide characters."""
    units: list[tuple[str, int]] = []
    word = ""
    for ch in text:
        w = _WIDTHS[ch]
        if w == 1 and ch != " ":
            word += ch
            continue
        if word:
            units.append((word, len(word)))
            word = ""
        units.append((ch, w))
    if word:
        units.append((word, len(word)))
    return units


def _wrap_line(text: str, limit: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for unit, w in _units(text):
        if unit == " ":
            if line:
                line.append(unit)
                used += 1
            continue
        if used + w > limit and line and unit not in CLOSING:     # closing marks hang
            lines.append("".join(line).rstrip())
            line, used = [], 0
        while w > limit:                                   # a word longer than a line
            head = unit[:limit]                            # narrow characters: one cell each
            lines.append(head)
            unit, w = unit[limit:], w - limit
        line.append(unit)
        used += w
    if line:
        lines.append("".join(line).rstrip())
    return lines or [""]


def grid(rows: Sequence[Sequence], headers: Sequence[str],
         wrap_widths: Sequence[int | None] | None = None) -> str:
    """The table as text; ``wrap_widths`` gives a column's maximum width (None: no limit)."""
    limits = list(wrap_widths or [None] * len(headers))
    cells = [[[(line, display_width(line)) for line in wrap("" if value is None else str(value), limits[i])]
              for i, value in enumerate(row)] for row in rows]
    widths = [display_width(h) + 2 for h in headers]
    for row in cells:
        for i, lines in enumerate(row):
            for _, w in lines:
                if w > widths[i]:
                    widths[i] = w
    out = [_line([[(h, display_width(h))] for h in headers], widths, 0),
           "  ".join("-" * w for w in widths)]
    for row in cells:
        for k in range(max(len(lines) for lines in row)):
            out.append(_line(row, widths, k))
    return "\n".join(out)


def _line(row: list[list[tuple[str, int]]], widths: list[int], k: int) -> str:
    parts = []
    for lines, column_width in zip(row, widths):
        text, w = lines[k] if k < len(lines) else ("", 0)
        parts.append(text + " " * (column_width - w))
    return "  ".join(parts).rstrip()
