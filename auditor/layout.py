"""The one intermediate form every reader produces and the parser consumes.

A :class:`Layout` is a list of :class:`Line` s in reading order.  A line is a
run of text with its provenance (source line number, PDF page).  Where the
reader knows cell boundaries (a tab-separated text row, an HTML ``<tr>``, a
row rebuilt from a ruled PDF table) it also gives ``cells``; the parser then
uses them instead of splitting on whitespace.

``exact_cells`` says whether an empty cell is meaningful: in an HTML or
ruled-PDF table row an empty ``<td>`` is a blank cell of the report (``null``
in the document); in a tab-separated text row empty cells are mostly padding
left by copy and paste, so the parser ignores them.

Readers never know about rules or the report document; the parser never
knows which reader made the layout.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    text: str                          # the line's text, normalised (cells joined by "\t")
    number: int | None = None          # 1-based line number in the source file (text/HTML), or on the page (PDF)
    page: int | None = None            # 1-based page (PDF only)
    cells: list[str] | None = None     # cell texts, normalised, when the reader knows them
    exact_cells: bool = False          # empty cells are blanks of the report, not padding
    table: int | None = None           # index of the source table (HTML/PDF), None for running text
    refs: list[dict] | None = None     # where each cell sits in the source, when the reader knows
                                       # (DOCX: {"table", "row", "column"} of the Word document, 1-based)


@dataclass
class Layout:
    lines: list[Line]
    format: str                        # "pdf" | "text" | "markdown" | "html" | "docx"
    path: str = ""
    sha256: str = ""
    pages: int | None = None           # PDF only
    published: str | None = None       # ISO date of publication, when the source states it (HTML meta)
    meta: dict = field(default_factory=dict)   # anything else the reader learned (encoding, url, …)
    notes: list[dict] = field(default_factory=list)  # what the reader had to guess
