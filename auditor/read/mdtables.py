"""Tables in Markdown as document converters write them → rows of exact cells.

Word/HTML → Markdown converters (pandoc, markitdown, html2text, the copies people paste
into systems) cannot express merged cells.  They write

- **pipe tables**, with or without the outer pipes, where a merged cell becomes its text in
  the first cell and empty cells for the rest (the header over two or three rows, the
  勾稽关系 note as the first header cell, row labels over two or three columns with a group
  label such as （三）不予公开 only on the group's first row), or where the merged cells are
  simply left out so that rows have different lengths;
- **grid tables** (``+----+----+`` borders), a cell's text running over several lines;
- the table as **HTML** (``<table>`` … ``</table>``) inside the Markdown;
- ``<br>`` inside a cell where the source broke a label.

A table row holding at least one value (a number or a blank placeholder) is a *data row*:
its label is the text of the cells before its values, whatever columns the converter spread
it over, and the cells from its *value width* on are its values, empty ones being the
report's blanks.  The value width is the table's: the run of cells after the last label
cell that most data rows have (a label spread over fewer columns leaves empty cells that are
the converter's, not values).  A row holding no value is a header row: its empty cells are the
converter's padding and are dropped.
"""
from __future__ import annotations

import re
from collections import Counter

from auditor.layout import Line
from auditor.normalize import is_cell_value, normalize_line, strip_markdown

BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Inline HTML that converters keep inside Markdown (Word's <span style=…>, <font>, <strong>).
INLINE_TAG = re.compile(r"</?(?:span|font|b|strong|i|em|u|sup|sub|a|p|div|o:p)\b[^>]*>", re.IGNORECASE)
_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_HTML_LOOKAHEAD = 5000         # lines to look for the </table> of an HTML table (converters wrap every attribute)


def split_row(raw: str) -> list[str] | None:
    """``| a | b |`` or ``a | b`` → ``["a", "b"]``; None when the line has no pipe."""
    s = raw.strip()
    if "|" not in s:
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def is_separator(cells: list[str]) -> bool:
    """The ``---|:---:`` line under a pipe table's header."""
    return any(cells) and all(_SEPARATOR_CELL.match(c) for c in cells if c) \
        and sum(1 for c in cells if c) >= max(1, len(cells) - 1)


def _clean(cell: str) -> str:
    return normalize_line(strip_markdown(INLINE_TAG.sub("", BR.sub("", cell))))


def _last_label(cells: list[str]) -> int:
    """Index of a row's last label (non-value, non-empty) cell, or -1."""
    return max((i for i, c in enumerate(cells) if c and not is_cell_value(c)), default=-1)


def table_lines(rows: list[tuple[int, list[str]]]) -> list[Line]:
    """Rows of raw cells (source line number, cell texts) → the table's Lines."""
    rows = [(n, [_clean(c) for c in cells]) for n, cells in rows]
    data = [cells for _, cells in rows if any(c and is_cell_value(c) for c in cells)]
    widths = Counter(len(c) - _last_label(c) - 1 for c in data)
    width = min(widths, key=lambda w: (-widths[w], w)) if widths else 0
    out = []
    for number, cells in rows:
        if not any(cells):
            continue
        if any(c and is_cell_value(c) for c in cells):
            cut = _last_label(cells) + 1
            while cut < len(cells) - width and not cells[cut]:
                cut += 1            # the converter's padding after a label spread over fewer columns
            label = " ".join(c for c in cells[:cut] if c)
            row = ([label] if label else []) + cells[cut:]
            out.append(Line("\t".join(row), number, cells=row, exact_cells=True))
        else:
            row = [c for c in cells if c]
            out.append(Line("\t".join(row), number, cells=row))
    return out


def _pipe_table(raw_lines: list[str], i: int) -> tuple[int, list] | None:
    """A pipe table starting at line ``i``: (end, rows) or None.

    A line opens one when it starts with a pipe, or when the next line is a separator
    (``---|---``, the GFM form that converters without outer pipes write)."""
    first = split_row(raw_lines[i]) or _single_cell_header(raw_lines, i)
    if first is None or is_separator(first):
        return None
    nxt = split_row(raw_lines[i + 1]) if i + 1 < len(raw_lines) else None
    bare_rule = i + 1 < len(raw_lines) and _SEPARATOR_CELL.match(raw_lines[i + 1].strip())
    if not (raw_lines[i].strip().startswith("|") and len(first) >= 2) \
            and not (nxt and is_separator(nxt)) and not bare_rule:
        return None
    rows, j = [(i + 1, first)], i + 1
    while j < len(raw_lines):
        cells = split_row(raw_lines[j]) or ([raw_lines[j].strip()] if j == i + 1 or (
            j + 1 < len(raw_lines) and split_row(raw_lines[j + 1]) is not None) else None)
        if cells is None or not raw_lines[j].strip():
            break
        if not is_separator(cells):
            rows.append((j + 1, cells))
        j += 1
    return j, rows


def _single_cell_header(raw_lines: list[str], i: int) -> list[str] | None:
    """A table whose first row is one merged cell, as html2text writes it: the cell's text
    alone on a line, a bare ``---`` under it, then rows with pipes."""
    if i + 2 < len(raw_lines) and raw_lines[i].strip() and _SEPARATOR_CELL.match(raw_lines[i + 1].strip()) \
            and split_row(raw_lines[i + 2]) is not None:
        return [raw_lines[i].strip()]
    return None


def _join_parts(parts: list[str]) -> str:
    """A grid-table cell's lines joined: no space between CJK text, one between words."""
    out = ""
    for p in (p.strip() for p in parts):
        if not p:
            continue
        out = p if not out else out + (" " if out[-1].isascii() and p[0].isascii() else "") + p
    return out


def _grid_table(raw_lines: list[str], i: int) -> tuple[int, list] | None:
    """A grid table (``+---+`` borders) starting at line ``i``: (end, rows) or None."""
    if not _GRID_BORDER.match(raw_lines[i]):
        return None
    rows, parts, first, j = [], [], None, i + 1
    while j < len(raw_lines):
        line = raw_lines[j]
        if _GRID_BORDER.match(line):
            if parts:
                rows.append((first, [_join_parts(col) for col in parts]))
            parts, first = [], None
        elif line.strip().startswith("|"):
            cells = split_row(line) or []
            if first is None:
                first = j + 1
            parts += [[] for _ in range(len(cells) - len(parts))]
            for k, c in enumerate(cells):
                parts[k].append(c)
        else:
            break
        j += 1
    return (j, rows) if rows else None


def _html_table(raw_lines: list[str], i: int) -> tuple[int, list[Line]] | None:
    """An HTML table inside Markdown, read by the HTML reader: (end, Lines) or None."""
    if not _TABLE_OPEN.search(raw_lines[i]):
        return None
    end = next((j for j in range(i, min(len(raw_lines), i + _HTML_LOOKAHEAD))
                if _TABLE_CLOSE.search(raw_lines[j])), None)
    if end is None:
        return None
    from auditor.errors import InputError
    from auditor.read.html import read_html
    fragment = "<html><body>" + "\n".join(raw_lines[i:end + 1]) + "</body></html>"
    try:
        layout = read_html(fragment.encode("utf-8"))
    except InputError:
        return None
    lines = [Line(l.text, (l.number or 1) + i, cells=l.cells, exact_cells=l.exact_cells)
             for l in layout.lines if l.cells is not None]
    return (end + 1, lines) if lines else None


def table_blocks(raw_lines: list[str]):
    """Every table of a Markdown text: (first line index, end index, Lines)."""
    i = 0
    while i < len(raw_lines):
        html = _html_table(raw_lines, i)
        if html:
            yield i, html[0], html[1]
            i = html[0]
            continue
        found = _grid_table(raw_lines, i) or _pipe_table(raw_lines, i)
        if found:
            yield i, found[0], table_lines(found[1])
            i = found[0]
            continue
        i += 1
