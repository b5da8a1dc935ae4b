"""PDF pages of glyphs and ruling segments → :class:`auditor.layout.Layout`, whatever engine read them.

The PDF engines (:mod:`auditor.read.pdf`, pdfminer.six; :mod:`auditor.read.pdfium`, PDFium) only
extract, per page, the glyphs (text, box, size) and the axis-parallel ruling segments of the
drawn paths, in a page space whose origin is the lower-left corner of the (rotated) media box —
pdfminer's device space.  Everything above the glyph level is done here, with total orders only,
so that both engines give the same Layout:

* ruling lines (thin rectangles, stroked rectangle and path edges) are merged into segments;
  connected horizontal + vertical segments form a ruled table; its grid slots are unioned into
  cells wherever a rule is missing (merged cells), and every glyph inside the table goes to the
  cell under its centre.  One table row → one :class:`Line` with ``cells``; a merged cell is
  emitted once, in the row where it starts; lines wrapped inside a cell are joined into one
  cell text;
* glyphs outside tables are grouped into visual lines by vertical overlap and ordered left to
  right; a wide gap splits a line into cells (an unruled table row), a small one becomes a space;
* page furniture (``- 4 -``, ``第 2 页``, ``共 5 页``, running headers and footers repeated in the
  page margins) is dropped, and a table that goes on at the top of the next page keeps its
  table index.
"""
from __future__ import annotations

import bisect
import gc
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

from auditor.errors import CorruptFile, EmptyFile, EncryptedPDF, ScannedPDF
from auditor.layout import Layout, Line

from auditor.normalize import normalize_line as clean  # one normaliser for every reader


# --------------------------------------------------------------------------
# Geometry primitives
# --------------------------------------------------------------------------

@dataclass(slots=True)
class Glyph:
    """One character drawn on a page, in page space (not frozen: a page makes thousands, and
    a frozen dataclass costs four times as much to build)."""
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float


@dataclass(slots=True)
class Seg:
    """An axis-parallel ruling segment: ``pos`` is y (horizontal) or x (vertical)."""
    horizontal: bool
    pos: float
    a: float      # start along the segment (x0 or y0)
    b: float      # end along the segment (x1 or y1)


@dataclass
class PageData:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    segs: list[Seg]
    images: int = 0


@dataclass
class Item:
    """A line of a page before numbering: running text or one table row."""
    top: float
    bottom: float
    x0: float
    text: str
    cells: list[str] | None = None
    exact: bool = False
    table: int | None = None          # page-local table id until renumbered
    furniture: bool = False


@dataclass
class Table:
    local: int                        # id within the page
    x0: float
    x1: float
    top: float
    bottom: float
    items: list[Item] = field(default_factory=list)


RULE_TOL = 1.5          # points: rules closer than this are one rule
THIN = 2.0              # a rectangle thinner than this is a rule
MIN_SEG = 3.0           # shorter strokes are decoration, not rules
CROSS_TOL = 2.0         # points: a rule ending this close to another crosses it
GAP_TOL = 0.001         # points: a gap this close to a threshold is not over it (float noise)


@contextmanager
def few_collections():
    """While a document is read, the garbage collector's first threshold raised (restored
    afterwards): a page makes thousands of small objects and no garbage cycles, and each
    collection would walk them all."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


# --------------------------------------------------------------------------
# What every engine says about bad input
# --------------------------------------------------------------------------

def check_pdf_bytes(data: bytes) -> None:
    """Raise the errors that the bytes alone show: an empty file, a file cut short."""
    if not data.strip():
        raise EmptyFile("文件为空", "the file is empty")
    if b"%%EOF" not in data[-4096:]:
        raise CorruptFile("PDF 文件不完整（缺少文件结尾，可能下载中断），请重新下载原文件",
                          "the PDF is truncated (no end-of-file marker; the download may have "
                          "been cut short): download the original file again")


def encrypted() -> EncryptedPDF:
    return EncryptedPDF("PDF 已加密，需要密码才能打开：请取得未加密的文件",
                        "the PDF is encrypted and needs a password to open: "
                        "obtain an unencrypted copy")


def corrupt() -> CorruptFile:
    return CorruptFile("PDF 文件已损坏或不完整，无法读取：请重新下载原文件",
                       "the PDF is corrupt or truncated and cannot be read: "
                       "download the original file again")


def path_rules(pts: list[tuple[float, float]], stroke: bool, rect: bool) -> list[Seg]:
    """The ruling segments one drawn subpath contributes, from its points in page space
    (``rect``: a rectangle, all four edges rule).  A thin shape is one rule whether stroked or
    filled; a filled area of any other shape (cell shading, a highlight) rules nothing."""
    if len(pts) == 2:                   # a line (most rules): min() and max() written out
        (ax, ay), (bx, by) = pts
        x0, x1 = (bx if bx < ax else ax), (bx if bx > ax else ax)
        y0, y1 = (by if by < ay else ay), (by if by > ay else ay)
    else:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    if (h if h > w else w) < MIN_SEG:   # max(w, h), written out
        return []
    if h <= THIN:
        return [Seg(True, (y0 + y1) / 2, x0, x1)]
    if w <= THIN:
        return [Seg(False, (x0 + x1) / 2, y0, y1)]
    if not stroke:
        return []
    if rect:
        return [Seg(True, y0, x0, x1), Seg(True, y1, x0, x1),
                Seg(False, x0, y0, y1), Seg(False, x1, y0, y1)]
    out = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_SEG:
            out.append(Seg(True, ay, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_SEG:
            out.append(Seg(False, ax, min(ay, by), max(ay, by)))
    return out


# --------------------------------------------------------------------------
# Ruled tables
# --------------------------------------------------------------------------

def _merge_segs(segs: list[Seg]) -> list[Seg]:
    """Join collinear segments that touch or overlap (Word draws each cell border apart)."""
    out: list[Seg] = []
    for horizontal in (True, False):
        # (pos, a, b) tuples: a page has hundreds of segments, and tuples sort natively
        group = sorted([(s.pos, s.a, s.b) for s in segs if s.horizontal == horizontal])
        rows: list[list[tuple[float, float, float]]] = []
        for seg in group:
            if rows and seg[0] - rows[-1][0][0] <= RULE_TOL:
                rows[-1].append(seg)
            else:
                rows.append([seg])
        for row in rows:
            pos = sum(seg[0] for seg in row) / len(row)
            row.sort(key=_SPAN)
            a, b = row[0][1], row[0][2]
            for _, sa, sb in row[1:]:
                if sa <= b + RULE_TOL:
                    b = max(b, sb)
                else:
                    out.append(Seg(horizontal, pos, a, b))
                    a, b = sa, sb
            out.append(Seg(horizontal, pos, a, b))
    return out


_SPAN = itemgetter(1, 2)


def _grids(segs: list[Seg]) -> list[tuple[list[Seg], list[Seg]]]:
    """Connected groups of rules that form a grid: (horizontals, verticals)."""
    merged = _merge_segs(segs)
    hs = [s for s in merged if s.horizontal]
    vs = [s for s in merged if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):              # which rules cross (within CROSS_TOL): per pair
        ha, hb, hpos = h.a - CROSS_TOL, h.b + CROSS_TOL, h.pos
        for j, v in enumerate(vs):
            if ha <= v.pos <= hb and v.a - CROSS_TOL <= hpos <= v.b + CROSS_TOL:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for key in sorted(groups):
        g_h, g_v = groups[key]
        if len(_positions(g_h)) >= 2 and len(_positions(g_v)) >= 2:
            out.append((g_h, g_v))
    return out


def _positions(segs: list[Seg]) -> list[float]:
    """Distinct rule positions, clustered within RULE_TOL, ascending."""
    out: list[float] = []
    for p in sorted(s.pos for s in segs):
        if out and p - out[-1] <= RULE_TOL:
            continue
        out.append(p)
    return out


def _rules_at(segs: list[Seg], positions: list[float]) -> list[list[Seg]]:
    """For each position, the rules lying at it (within RULE_TOL)."""
    return [[s for s in segs if abs(s.pos - pos) <= RULE_TOL] for pos in positions]


def _covers(rules: list[Seg], at: float) -> bool:
    """Does one of ``rules`` (those at one position) pass through ``at``?"""
    return any(s.a - RULE_TOL <= at <= s.b + RULE_TOL for s in rules)


def _table_cells(hs: list[Seg], vs: list[Seg]):
    """Grid → merged cells: (ys top→bottom, xs left→right, cell id per slot, cell spans)."""
    ys = _positions(hs)[::-1]            # top to bottom (PDF y grows upwards)
    xs = _positions(vs)
    nr, nc = len(ys) - 1, len(xs) - 1
    rows_at, cols_at = _rules_at(hs, ys), _rules_at(vs, xs)
    parent = list(range(nr * nc))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for r in range(nr):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not _covers(cols_at[c + 1], ymid):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _covers(rows_at[r + 1], xmid):
                union(r * nc + c, (r + 1) * nc + c)
    cell_of = [find(i) for i in range(nr * nc)]
    spans: dict[int, list[int]] = {}            # cell id → [r0, c0, r1, c1]
    for r in range(nr):                         # row by row: a cell's last row is the latest
        for c in range(nc):
            s = spans.get(cell_of[r * nc + c])
            if s is None:
                spans[cell_of[r * nc + c]] = [r, c, r, c]
                continue
            s[2] = r
            if c < s[1]:
                s[1] = c
            elif c > s[3]:
                s[3] = c
    return ys, xs, cell_of, spans


def _build_table(local: int, hs: list[Seg], vs: list[Seg], glyphs: list[Glyph]) -> tuple[Table, set[int]]:
    """Rebuild one ruled table; returns it and the indices of the glyphs it consumed."""
    ys, xs, cell_of, spans = _table_cells(hs, vs)
    nc = len(xs) - 1
    neg_ys = [-y for y in ys]
    members: dict[int, list[Glyph]] = {}
    used: set[int] = set()
    left, right, bottom, top = xs[0], xs[-1], ys[-1], ys[0]
    last_row, last_col = len(ys) - 2, nc - 1
    bisect_right = bisect.bisect_right
    last_cy = row_start = None                # the row of the glyph before (a line's glyphs share it)
    for i, g in enumerate(glyphs):
        cx = (g.x0 + g.x1) / 2                # the glyph's centre (per glyph of the page)
        if not left <= cx <= right:
            continue
        cy = (g.y0 + g.y1) / 2
        if not bottom <= cy <= top:
            continue
        if cy != last_cy:
            r = bisect_right(neg_ys, -cy) - 1
            row_start = (0 if r < 0 else last_row if r > last_row else r) * nc
            last_cy = cy
        c = bisect_right(xs, cx) - 1
        cid = cell_of[row_start + (0 if c < 0 else last_col if c > last_col else c)]
        cell = members.get(cid)
        if cell is None:
            members[cid] = [g]
        else:
            cell.append(g)
        used.add(i)
    table = Table(local, left, right, top, bottom)
    starts: dict[int, list[tuple[int, int]]] = {}
    for cid, (r0, c0, _r1, _c1) in spans.items():
        starts.setdefault(r0, []).append((c0, cid))
    for r in sorted(starts):
        row = sorted(starts[r])
        texts = [cell_text(members.get(cid, [])) for _, cid in row]
        multi = [spans[cid][2] > spans[cid][0] for _, cid in row]
        # An empty cell spanning several rows before the row's first text is the tail of a
        # merged label (e.g. a group label continued from the previous page): not a cell.
        while texts and not texts[0] and multi[0]:
            texts.pop(0)
            multi.pop(0)
        if not any(texts):
            continue
        table.items.append(Item(ys[r], ys[r + 1], xs[0], "\t".join(texts), texts, True, local))
    return table, used


# --------------------------------------------------------------------------
# Glyphs → lines of text
# --------------------------------------------------------------------------

def group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into visual lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list] = []          # [top, bottom, glyphs]
    recent: list[list] = []         # the last four lines, newest first
    for g in sorted(glyphs, key=_top_down):
        y0, y1 = g.y0, g.y1
        h = y1 - y0
        for line in recent:
            top, bottom = line[0], line[1]
            # min() and max() written out (the same picks, ties included): this is per glyph
            overlap = (y1 if y1 < top else top) - (y0 if y0 > bottom else bottom)
            tall = top - bottom
            if overlap >= 0.5 * (tall if tall < h else h):
                line[2].append(g)
                line[0], line[1] = (y1 if y1 > top else top), (y0 if y0 < bottom else bottom)
                break
        else:
            lines.append([y1, y0, [g]])
            recent = [lines[-1], *recent[:3]]
    out = []
    for top, bottom, members in sorted(lines, key=lambda l: (-l[0], l[2][0].x0)):
        members.sort(key=_left_right)
        out.append(_dedupe(members))
    return out


def _top_down(g: Glyph) -> tuple:
    return -((g.y0 + g.y1) / 2), g.x0, g.text


def _left_right(g: Glyph) -> tuple:
    return g.x0, -g.y1, g.text


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop a glyph drawn twice at (almost) the same place — fake bold in Word/WPS PDFs."""
    out: list[Glyph] = []
    for g in glyphs:
        if out and g.text == out[-1].text and abs(g.x0 - out[-1].x0) < 0.3 * (g.x1 - g.x0) \
                and abs(g.y0 - out[-1].y0) < 0.3 * g.size:
            continue
        out.append(g)
    return out


def _cjk_pair(a: Glyph, b: Glyph) -> bool:
    return _is_cjk(a.text[-1]) and _is_cjk(b.text[0])


def _is_cjk(ch: str) -> bool:
    """Is ``ch`` a Chinese character, CJK punctuation or a full-width form?"""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF


def _numeric_pair(a: Glyph, b: Glyph) -> bool:
    """A number on either side: in an unruled table a narrow gap already separates cells
    (measured: the space Word puts between Chinese text and a number is < 0.3 em)."""
    return a.text[-1] in _NUMERIC_END or b.text[0] in _NUMERIC_START


_NUMERIC_END = set("0123456789%/-—–")
_NUMERIC_START = set("0123456789-—–/")


def segments(line: list[Glyph]) -> list[str]:
    """A visual line → text segments, split at gaps wide enough to be column gaps: over 1.5
    font sizes, or 0.6 next to a number.  A gap over a quarter size is a space, except between
    Chinese characters (letter-spaced text in justified cells), where it takes a whole size."""
    segs: list[str] = []
    cur: list[str] = []
    prev: Glyph | None = None
    for g in line:
        if prev is not None:
            # a gap of exactly a quarter size is common (a space glyph of 250/1000 between two
            # runs of text): within GAP_TOL of a threshold it counts as not over it, whichever
            # engine's float arithmetic measured it
            gap = g.x0 - prev.x1 - GAP_TOL
            size = g.size if g.size < prev.size else prev.size      # sizes are ≥ 1
            if gap > 0.25 * size:
                if gap > 1.5 * size or (gap > 0.6 * size and _numeric_pair(prev, g)):
                    segs.append("".join(cur))
                    cur = []
                elif gap > size or not _cjk_pair(prev, g):
                    cur.append(" ")
        cur.append(g.text)
        prev = g
    segs.append("".join(cur))
    return segs


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of one cell: no space between Chinese text or between the pieces of a
    number wrapped in a narrow cell, one space between other words."""
    out = ""
    for p in parts:
        if not p:
            continue
        digits = out[-1:].isdigit() and p[0].isdigit()
        if out and not (digits or _is_cjk(out[-1]) or _is_cjk(p[0])):
            out += " "
        out += p
    return out


def cell_text(glyphs: list[Glyph]) -> str:
    """The text of one table cell: its wrapped lines joined into one string."""
    if len(glyphs) < 2:                 # most cells: nothing to group or join
        return clean(glyphs[0].text) if glyphs else ""
    first = glyphs[0]
    y0, y1 = first.y0, first.y1
    if y1 >= y0 and all(g.y0 == y0 and g.y1 == y1 for g in glyphs):
        # one line, as group_lines makes it: left to right (already, if the x0 rise)
        if not all(a.x0 < b.x0 for a, b in zip(glyphs, glyphs[1:])):
            glyphs = sorted(glyphs, key=_left_right)
        lines = [_dedupe(glyphs)]
    else:
        lines = group_lines(glyphs)
    return clean(_join_wrapped([" ".join(segments(line)) for line in lines]))


def _text_item(line: list[Glyph]) -> Item:
    segs = [clean(s) for s in segments(line)]
    segs = [s for s in segs if s]
    top = max(g.y1 for g in line)
    bottom = min(g.y0 for g in line)
    if len(segs) > 1:
        return Item(top, bottom, line[0].x0, "\t".join(segs), segs, False)
    return Item(top, bottom, line[0].x0, segs[0] if segs else "")


# --------------------------------------------------------------------------
# Pages → items, furniture, table continuation
# --------------------------------------------------------------------------

_FURNITURE = [re.compile(p) for p in (
    r"[-—–~·•]*\s*\d{1,4}\s*[-—–~·•]*",                    # - 4 -, —4—, 4
    r"第\s*\d{1,4}\s*页\s*[,，/、]?\s*(共\s*\d{1,4}\s*页)?",   # 第 2 页, 第2页/共5页
    r"共\s*\d{1,4}\s*页\s*[,，/、]?\s*(第\s*\d{1,4}\s*页)?",   # 共 5 页
    r"\d{1,4}\s*/\s*\d{1,4}",                               # 2/5
    r"(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?",          # Page 2 of 5
)]


def is_page_number(text: str) -> bool:
    t = text.strip().lower()
    return any(p.fullmatch(t) for p in _FURNITURE)


def _page_items(page: PageData) -> tuple[list[Item], list[Table]]:
    glyphs = page.glyphs
    tables: list[Table] = []
    used: set[int] = set()
    for local, (hs, vs) in enumerate(_grids(page.segs)):
        table, taken = _build_table(local, hs, vs, glyphs)
        if table.items:
            tables.append(table)
            used |= taken
    rest = [g for i, g in enumerate(glyphs) if i not in used]
    items = [_text_item(line) for line in group_lines(rest)]
    items = [it for it in items if it.text]
    for t in tables:
        items.extend(t.items)
    items.sort(key=lambda it: (-round(it.top, 1), it.x0))
    return items, tables


def _mark_furniture(pages: list[PageData], page_items: list[list[Item]]) -> None:
    """Page numbers anywhere outside tables; repeated lines in the top or bottom margin."""
    margin_texts: Counter = Counter()
    for page, items in zip(pages, page_items):
        seen = set()
        for it in items:
            if it.table is None and _in_margin(it, page):
                seen.add(re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text)))
        margin_texts.update(seen)
    repeat = max(2, (len(pages) + 1) // 2)
    for page, items in zip(pages, page_items):
        for it in items:
            if it.table is not None:
                continue
            if is_page_number(it.text):
                it.furniture = True
            elif len(pages) >= 2 and _in_margin(it, page) and \
                    margin_texts[re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text))] >= repeat:
                it.furniture = True


def _in_margin(it: Item, page: PageData) -> bool:
    return it.bottom > page.height * 0.92 or it.top < page.height * 0.08


def _continues(prev_items: list[Item], items: list[Item]) -> bool:
    """Does the page's first table go on from the previous page's last table?"""
    last = next((it for it in reversed(prev_items) if not it.furniture), None)
    first = next((it for it in items if not it.furniture), None)
    return last is not None and first is not None and last.table is not None and \
        first.table is not None


def _drop_continued_blanks(it: Item) -> None:
    """The first row of a table going on from the previous page: when it holds no number
    it is a header row split by the page break, and its empty cells are the tails of
    cells begun on the previous page, not blanks of the report."""
    if it.cells and not any(re.search(r"\d", c) for c in it.cells):
        it.cells = [c for c in it.cells if c]
        it.text = "\t".join(it.cells)


def _unmapped(glyphs: list[Glyph]) -> int:
    """How many glyphs were read as ``(cid:N)`` (looked for one by one only on a page that
    has one)."""
    if "(cid:" not in "".join([g.text for g in glyphs]):
        return 0
    return sum(g.text.startswith("(cid:") for g in glyphs)


def build_layout(pages: list[PageData], extractor: str) -> Layout:
    """The Layout of a PDF's pages; :class:`ScannedPDF` when there is no text to read (no glyph,
    or more than half of them without a Unicode mapping, read as ``(cid:N)``)."""
    glyph_count = sum(len(p.glyphs) for p in pages)
    if glyph_count == 0:
        raise ScannedPDF("PDF 没有文字层（扫描件或图片），无法读取其中的表格和文字：请先做 OCR 文字识别，"
                         "或取得可复制文字的版本",
                         "the PDF has no text layer (a scan or images): run OCR first "
                         "or obtain a version with selectable text")
    unmapped = sum(_unmapped(p.glyphs) for p in pages)
    if unmapped > glyph_count / 2:
        raise ScannedPDF("PDF 的文字无法识别（字体缺少 Unicode 映射）：请先做 OCR 文字识别",
                         "the PDF's text cannot be decoded (fonts without a Unicode map): "
                         "run OCR first")
    page_items = [_page_items(p)[0] for p in pages]
    _mark_furniture(pages, page_items)

    lines: list[Line] = []
    table_index = -1
    prev: list[Item] = []
    for page, items in zip(pages, page_items):
        remap: dict[int, int] = {}
        number = 0
        for k, it in enumerate(i for i in items if not i.furniture):
            if it.table is not None and it.table not in remap:
                if not (k == 0 and not remap and _continues(prev, items)):
                    table_index += 1
                remap[it.table] = table_index
            if k == 0 and it.table is not None and remap[it.table] == table_index and \
                    _continues(prev, items):
                _drop_continued_blanks(it)
            number += 1
            lines.append(Line(it.text, number, page.number, it.cells, it.exact,
                              None if it.table is None else remap[it.table]))
        prev = items
    notes = []
    if unmapped:
        notes.append({"code": "pdf-unmapped-glyphs",
                      "message": f"{unmapped} glyphs without a Unicode mapping were read as (cid:N)"})
    empty_pages = [p.number for p in pages if not p.glyphs]
    if empty_pages:
        notes.append({"code": "pdf-pages-without-text",
                      "message": f"pages without a text layer (images only?): {empty_pages}"})
    return Layout(lines=lines, format="pdf", pages=len(pages),
                  meta={"extractor": extractor}, notes=notes)
