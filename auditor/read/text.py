"""Plain text and Markdown → Layout.

Text copied out of PDFs and web pages: the encoding is detected (UTF-8 with
or without BOM, UTF-16 with BOM, else GB18030, the superset of GBK and
GB2312); every source line keeps its line number.  A tab-separated line
becomes a row of cells (empty cells are padding); Markdown heading and bold
marks are dropped.

Markdown tables come in the shapes document converters write (see
:mod:`auditor.read.mdtables`): pipe tables with or without the outer pipes,
grid tables, and HTML ``<table>`` blocks left inside the Markdown.  Each
becomes rows of exact cells, with the converter's padding for merged cells
told apart from the report's own blank cells.
"""
from __future__ import annotations

from auditor.errors import TooLarge
from auditor.layout import Layout, Line
from auditor.normalize import normalize_line, strip_markdown
from auditor.read.decode import decode
from auditor.read.mdtables import BR, INLINE_TAG, table_blocks


def text_line(raw: str, number: int) -> list[Line]:
    """One source line outside a table → its Lines (none for a blank or decorative line;
    several when ``<br>`` breaks it)."""
    raw = raw.rstrip("\r\n")
    out = []
    for piece in BR.split(INLINE_TAG.sub("", raw)):
        # Copied text often carries Markdown marks even in a .txt file.
        stripped = strip_markdown(piece)
        if "\t" in stripped:
            cells = [normalize_line(c) for c in stripped.split("\t")]
            if any(cells):
                out.append(Line("\t".join(cells), number, cells=cells))
            continue
        text = normalize_line(stripped)
        if text and not set(text) <= set("-=*_~ "):
            out.append(Line(text, number))
    return out


# A report's text is well under 1 MB (forty pages of text are ~300 KB); a text of many MB is
# no report, and reading 30 MB would take half a minute and half a gigabyte.
MAX_TEXT_BYTES = 10 * 2**20


def read_text(data: bytes, markdown: bool = False) -> Layout:
    """Plain text or Markdown → Layout; more than :data:`MAX_TEXT_BYTES` is refused unread."""
    if len(data) > MAX_TEXT_BYTES:
        raise TooLarge(f"文本文件过大（{len(data) / 2**20:.1f} MB，上限 {MAX_TEXT_BYTES // 2**20} MB）："
                       "年度报告的文本通常不到 1 MB，这不像一份年度报告",
                       f"the text file is too large ({len(data) / 2**20:.1f} MB; the limit is "
                       f"{MAX_TEXT_BYTES // 2**20} MB): a report's text is usually under 1 MB, so this "
                       "is not a report")
    text, encoding = decode(data)
    raw_lines = text.splitlines()
    tables = {start: (end, rows) for start, end, rows in table_blocks(raw_lines)}
    lines: list[Line] = []
    i, table_no = 0, 0
    while i < len(raw_lines):
        if i in tables:
            end, rows = tables[i]
            lines.extend(Line(l.text, l.number, cells=l.cells, exact_cells=l.exact_cells, table=table_no)
                         for l in rows)
            table_no += 1
            i = end
            continue
        lines.extend(text_line(raw_lines[i], i + 1))
        i += 1
    return Layout(lines=lines, format="markdown" if markdown else "text",
                  meta={"encoding": encoding})
