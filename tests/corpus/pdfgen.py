"""Draw a known report as a PDF with reportlab, in the layouts real reports use.

Only reportlab's built-in ``STSong-Light`` CID font is used (no font files).  The
layout engine is deliberately small: paragraphs wrapped character by character,
tables drawn cell by cell (merged cells as one box), rows moved to the next page
when they do not fit (a merged cell then goes on as an empty box, as Word does),
page furniture in the footer and an optional running header.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from tests.corpus.document import Block, Report, Table

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0


@dataclass
class Style:
    ruled: bool = True              # grid lines around every cell; False: a table set as plain text
    rules: str = "lines"            # "lines" (LTLine) | "rects" (stroked rectangles)
    body_size: float = 12
    table_size: float = 8
    margin: float = 72
    page_h: float = PAGE_H
    furniture: str | None = "dash"  # "dash": - 3 - | "cn": 第 3 页 共 5 页 | "slash": 第3页/共5页 | None
    header: str | None = None       # a running header on every page
    review_col: float | None = None  # table 四 column width; ~14pt breaks its header into single characters
    label_scale: float = 1.0        # widen (>1) or narrow (<1) the label columns of table 三
    fake_bold: bool = False         # headings drawn twice, slightly offset (Word/WPS bold)
    space_before_requests: int = 0  # extra paragraphs before table 三 (to push it over a page break)
    encrypt: dict | None = None     # {"user": "...", "owner": "..."}


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return stringWidth(text, FONT, size)


def wrap(text: str, width: float, size: float, indent: float = 0) -> list[str]:
    """Break text into lines no wider than ``width`` (character by character, as CJK text)."""
    lines, cur, w = [], "", indent
    for ch in text:
        cw = _width(ch, size)
        if cur and w + cw > width:
            lines.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur or not lines:
        lines.append(cur)
    return lines


class Pages:
    """Pages as lists of drawing operations, so that footers know the page count."""

    def __init__(self, style: Style):
        self.style = style
        self.pages: list[list] = [[]]
        self.y = style.page_h - style.margin

    @property
    def bottom(self) -> float:
        return self.style.margin

    def new_page(self):
        self.pages.append([])
        self.y = self.style.page_h - self.style.margin

    def need(self, height: float):
        if self.y - height < self.bottom:
            self.new_page()

    def op(self, fn):
        self.pages[-1].append(fn)


@functools.cache
def pdfium_reads_text() -> bool:
    """Does PDFium's text page hold the generated PDFs' text on this machine?  Their font
    (STSong-Light) is not embedded: without a CJK font installed, PDFium's text page skips its
    glyphs (seen: a text object of one character), and the PDFium engine hands such pages to
    pdfminer.  Asked of PDFium itself, not of the engine under test."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(render_pdf(Report("甲", 2023, "2021", {}, [Block("title", "国")])))
    try:
        textpage = doc[0].get_textpage()
        return "国" in textpage.get_text_range()
    finally:
        doc.close()


def _register():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _text_op(x, y, text, size, centred=False, bold=False):
    def draw(c):
        c.setFont(FONT, size)
        for dx in ((0, 0.35) if bold else (0,)):
            (c.drawCentredString if centred else c.drawString)(x + dx, y, text)
    return draw


def _para(pages: Pages, text: str, size: float, indent_chars: int = 2):
    s = pages.style
    width = PAGE_W - 2 * s.margin
    leading = size * 1.7
    for i, line in enumerate(wrap(text, width, size, indent=indent_chars * size)):
        pages.need(leading)
        pages.y -= leading
        pages.op(_text_op(s.margin + (indent_chars * size if i == 0 else 0), pages.y + size * 0.3, line, size))


def _heading(pages: Pages, text: str, size: float, centred=False):
    s = pages.style
    leading = size * 2.0
    pages.need(leading * 2)
    pages.y -= leading
    x = PAGE_W / 2 if centred else s.margin
    pages.op(_text_op(x, pages.y + size * 0.4, text, size, centred, s.fake_bold))


def _col_widths(table: Table, style: Style) -> list[float]:
    width = PAGE_W - 2 * style.margin
    rel = list(table.widths)
    if table.key == "requests":
        rel = [w * style.label_scale for w in rel[:3]] + rel[3:]
    if table.key == "review_litigation" and style.review_col:
        return [style.review_col] * len(rel)
    total = sum(rel)
    return [width * w / total for w in rel]


def _place(table: Table):
    """Cells with grid positions: (row, col, cell)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def _table(pages: Pages, table: Table):
    s = pages.style
    size = s.table_size
    pad = 2.0 if s.review_col and table.key == "review_litigation" else 3.0
    leading = size * 1.35
    widths = _col_widths(table, s)
    xs = [s.margin]
    for w in widths:
        xs.append(xs[-1] + w)
    placed = _place(table)
    nrows = len(table.rows)
    lines_of = {}
    heights = [leading + 2 * pad] * nrows
    for r, c, cell in placed:
        w = xs[c + cell.colspan] - xs[c] - 2 * pad
        lines_of[(r, c)] = wrap(cell.text, w, size)
        need = len(lines_of[(r, c)]) * leading + 2 * pad
        if cell.rowspan == 1:
            heights[r] = max(heights[r], need)
    for r, c, cell in placed:            # a merged cell taller than its rows stretches the last one
        if cell.rowspan > 1:
            need = len(lines_of[(r, c)]) * leading + 2 * pad
            have = sum(heights[r:r + cell.rowspan])
            if need > have:
                heights[r + cell.rowspan - 1] += need - have
    pages.y -= 4
    rows_at = []                          # (page index, top, bottom) per row
    for r in range(nrows):
        pages.need(heights[r])
        rows_at.append((len(pages.pages) - 1, pages.y, pages.y - heights[r]))
        pages.y -= heights[r]
    for r, c, cell in placed:
        span = rows_at[r:r + cell.rowspan]
        x0, x1 = xs[c], xs[c + cell.colspan]
        for k, page in enumerate(sorted({p for p, _, _ in span})):
            part = [(t, b) for p, t, b in span if p == page]
            top, bottom = part[0][0], part[-1][1]
            if s.ruled:
                pages.pages[page].append(_box_op(x0, top, x1, bottom, s.rules))
            if k == 0:
                lines = lines_of[(r, c)]
                block = len(lines) * leading
                y = (top + bottom) / 2 + block / 2 - size * 0.95
                for i, line in enumerate(lines):
                    pages.pages[page].append(_text_op((x0 + x1) / 2, y - i * leading, line, size, centred=True))
    pages.y -= 6


def _box_op(x0, top, x1, bottom, mode):
    def draw(c):
        c.setLineWidth(0.5)
        if mode == "rects":
            c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        else:
            c.line(x0, top, x1, top)
            c.line(x0, bottom, x1, bottom)
            c.line(x0, bottom, x0, top)
            c.line(x1, bottom, x1, top)
    return draw


def _furniture(style: Style, page: int, total: int) -> list:
    ops = []
    text = {"dash": f"- {page} -", "cn": f"第 {page} 页 共 {total} 页",
            "slash": f"第{page}页/共{total}页"}.get(style.furniture or "")
    if text:
        ops.append(_text_op(PAGE_W / 2, 36, text, 10, centred=True))
    if style.header:
        ops.append(_text_op(PAGE_W / 2, style.page_h - 40, style.header, 9, centred=True))
    return ops


def layout(report: Report, style: Style) -> Pages:
    _register()                                   # the font's metrics measure every line
    pages = Pages(style)
    for block in report.blocks:
        if block.kind == "title":
            _heading(pages, block.text, 16, centred=True)
        elif block.kind == "heading":
            if block.text.startswith("三、"):
                for _ in range(style.space_before_requests):
                    _para(pages, "（本段为版面填充文字，用于使表格跨页。）" * 3, style.body_size)
            _heading(pages, block.text, 13)
        elif block.kind == "para":
            _para(pages, block.text, style.body_size)
        elif block.kind == "table":
            _table(pages, block.table)
    return pages


def render_pdf(report: Report, style: Style | None = None) -> bytes:
    """The report as PDF bytes."""
    from reportlab.pdfgen.canvas import Canvas
    _register()
    style = style or Style()
    pages = layout(report, style)
    buf = io.BytesIO()
    kwargs = {}
    if style.encrypt:
        from reportlab.lib.pdfencrypt import StandardEncryption
        kwargs["encrypt"] = StandardEncryption(style.encrypt.get("user", ""),
                                               style.encrypt.get("owner", "owner"), strength=128)
    c = Canvas(buf, pagesize=(PAGE_W, style.page_h), invariant=1, **kwargs)
    total = len(pages.pages)
    for n, ops in enumerate(pages.pages, start=1):
        for op in ops + _furniture(style, n, total):
            op(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A one-page 'scan': an image and no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas
    img = Image.new("L", (60, 80), 255)
    for x in range(10, 50):
        img.putpixel((x, 20), 0)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.drawImage(ImageReader(img), 50, 50, width=495, height=742)
    c.showPage()
    c.save()
    return buf.getvalue()


def blocks_only(report: Report, kinds: tuple[str, ...]) -> Report:
    """A copy of the report keeping only some kinds of blocks (for small targeted PDFs)."""
    return Report(report.agency, report.year, report.template, report.tables,
                  [b for b in report.blocks if b.kind in kinds])


__all__ = ["Style", "render_pdf", "scanned_pdf", "wrap", "Block"]
