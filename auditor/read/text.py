"""Plain text and Markdown → Layout.

Text copied out of PDFs and web pages: the encoding is detected (UTF-8 with
or without BOM, UTF-16 with BOM, else GB18030, the superset of GBK and
GB2312); every source line keeps its line number.  A tab-separated line
becomes a row of cells (empty cells are padding); a Markdown pipe-table row
becomes a row of exact cells; Markdown heading and bold marks are dropped.
"""
from __future__ import annotations

import codecs

from auditor.errors import CorruptFile
from auditor.layout import Layout, Line
from auditor.normalize import (is_markdown_table_separator, normalize_line, split_markdown_row,
                               strip_markdown)


def decode(data: bytes) -> tuple[str, str]:
    """Decode report text; returns (text, encoding name)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 20):
        raise CorruptFile("无法识别文件的文字编码（不是 UTF-8 或 GBK 文本）",
                          "cannot decode the file: it is neither UTF-8 nor GBK text")
    return text, "utf-8 (with replacements)"


def text_line(raw: str, number: int) -> Line | None:
    """One source line → a Line, or None for a blank or decorative line."""
    raw = raw.rstrip("\r\n")
    cells = split_markdown_row(raw)
    if cells is not None:
        if is_markdown_table_separator(cells):
            return None
        cells = [normalize_line(strip_markdown(c)) for c in cells]
        return Line("\t".join(cells), number, cells=cells, exact_cells=True)
    # Copied text often carries Markdown marks even in a .txt file.
    stripped = strip_markdown(raw)
    if "\t" in stripped:
        cells = [normalize_line(c) for c in stripped.split("\t")]
        if any(cells):
            return Line("\t".join(cells), number, cells=cells)
        return None
    text = normalize_line(stripped)
    if not text or set(text) <= set("-=*_~ "):
        return None
    return Line(text, number)


def read_text(data: bytes, markdown: bool = False) -> Layout:
    text, encoding = decode(data)
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = text_line(raw, number)
        if line is not None:
            lines.append(line)
    return Layout(lines=lines, format="markdown" if markdown else "text",
                  meta={"encoding": encoding})
