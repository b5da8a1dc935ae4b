"""One scanned page (a grey image) → the PDF reader's :class:`~auditor.read.pdf.PageData`.

The page is turned into what a text PDF gives the PDF reader — glyphs with boxes and ruling
segments, in points with y growing upwards — so that the PDF reader's table, line and
furniture logic rebuilds the layout unchanged.  Steps, all with fixed parameters and total
orders (the same image gives the same result in every process):

1. deskew: the rotation (up to :data:`MAX_SKEW` degrees) that makes the ink's row profile
   sharpest is undone;
2. ruling lines: long thin horizontal and vertical runs of ink (morphological opening);
   connected rules form table grids exactly as in the PDF reader;
3. text pieces: inside every table cell (cut at its rules, so text can never run across a
   column line) and in the rest of the page, ink is cut into text lines by its row profile
   and lines into pieces at wide column gaps (an unruled table's columns);
4. every piece is recognised (:mod:`auditor.read.ocr_engine`) and becomes one glyph;
5. a number read with low confidence, or whose width does not fit its ink, is marked (``?``
   appended) so that it is never taken for a number; a cell of digit-like characters that is
   not a clean number is kept as read; ink in a cell that reads as nothing becomes ``?``
   (never a blank); each is noted
   (``ocr-uncertain``) with its page, its cell's box in points from the top left, the raw
   reading and its confidence.  When more than :data:`MAX_FLAGGED_SHARE` of a page's table
   cells are uncertain (a heavily blurred or faint scan), the page is unreliable: every number
   and every blank of its tables is marked and noted too (``unreliable-page``).

A page turned sideways is recognised by its ink's profiles (:func:`sideways`) and turned
upright; an upside-down page reads with low confidence: it is read turned round too, and the
reading with the higher median confidence is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.read.ocr_engine import Reading, recognise
from auditor.read.pdflayout import Glyph, PageData, Seg, _grids, _table_cells

DIGIT_ASPECT = 0.72        # a digit's advance over its ink height (0.5 em over 0.7 em)
MAX_FLAGGED_SHARE = 0.05   # a page with more uncertain table cells than this is unreliable:
                           # its every number and blank is uncertain too
MAX_DARKEST = 128          # a page whose darkest strokes are lighter than this is too faint
                           # or blurred to read: black print scans far darker
MIN_CONTRAST = 48          # grey levels between the page's darkest and lightest pixel: less is blank
MAX_SKEW = 3.0             # degrees searched for the page's skew
MIN_MARGIN = 0.5           # a number with a digit whose value is not this much likelier than
                           # any other digit's is uncertain
UPSIDE_DOWN_BELOW = 0.80   # a page whose median confidence is below this is also read turned round
H_RULE_PT = 24.0           # a horizontal rule is at least this long
V_RULE_PT = 14.0           # a vertical rule is at least this long
MAX_RULE_PT = 4.0          # … and at most this thick
MIN_LINE_PT = 4.5          # a row run of ink shorter than this is part of a neighbouring line
MAX_PIECE_PT = 48.0        # a piece taller than this is a picture or a seal, not text
MIN_PIECE_PT = 1.5         # … and one smaller than this both ways a speck of dust
CELL_GAP = 1.5             # in a table cell, a gap this many line heights wide splits a line
TEXT_GAP = 0.8             # elsewhere (running text, unruled tables), of the page's median line

# The recogniser's confusions that are never the report's text: 丶 (a Kangxi radical) is 、.
_FOLD = str.maketrans({"丶": "、"})
_DIGIT_LIKE = re.compile(r"^[\dOoIl|SBZ.,:;'`/\\\-—~\s]+$")
_CLEAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


@dataclass
class Piece:
    """A text line (or a piece of one) on the page image, in pixels; ``cell`` its table cell box."""
    x0: int
    y0: int
    x1: int
    y1: int
    cell: tuple[int, int, int, int] | None = None
    blank: bool = False               # a table cell without ink (the piece is its centre)


# --------------------------------------------------------------------------
# Ink, skew and rules
# --------------------------------------------------------------------------

def ink_threshold(gray) -> int:
    """Otsu's threshold, kept within sensible bounds for a mostly white page."""
    import cv2
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(min(max(t, 90), 200))


def skew_angle(ink) -> float:
    """The page's rotation in degrees, in :func:`rotate`'s sense (``rotate(page, -angle)``
    straightens it), from the row profile of
    its ink: the angle whose rotated profile has the largest sum of squares, searched
    coarsely over ±MAX_SKEW and then finely around the best coarse angle."""
    import numpy as np
    ys, xs = np.nonzero(ink)
    if len(ys) < 50:
        return 0.0
    step = max(1, len(ys) // 150_000)               # a fixed stride: no randomness
    ys = ys[::step].astype(np.float64)
    xs = xs[::step].astype(np.float64)
    xs -= ink.shape[1] / 2

    def score(deg: float) -> float:
        t = np.deg2rad(deg)
        rows = np.round(ys * np.cos(t) + xs * np.sin(t)).astype(np.int64)
        rows -= rows.min()
        h = np.bincount(rows)
        return float(np.dot(h, h))

    coarse = [round(a * 0.25, 2) for a in range(int(-MAX_SKEW * 4), int(MAX_SKEW * 4) + 1)]
    best = max(coarse, key=lambda a: (score(a), -abs(a)))
    fine = [round(best + k * 0.025, 3) for k in range(-10, 11)]
    return max(fine, key=lambda a: (score(a), -abs(a)))


def rotate(gray, degrees: float):
    """The image rotated about its centre, white filling the corners."""
    import cv2
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _runs(profile, min_value: int = 1) -> list[tuple[int, int]]:
    """Maximal runs [start, end) where the profile is at least ``min_value``."""
    import numpy as np
    on = np.concatenate(([0], (profile >= min_value).astype(np.int8), [0]))
    d = np.diff(on)
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


def rule_segments(dark, dpi: float) -> list[Seg]:
    """Candidate ruling segments (points, y up): long thin runs of dark pixels.  Strokes of
    large characters can qualify; only segments that form a grid are used as rules."""
    import cv2
    import numpy as np
    px = dpi / 72
    h_len, v_len, thick = round(H_RULE_PT * px), round(V_RULE_PT * px), MAX_RULE_PT * px
    hmask = cv2.morphologyEx(cv2.dilate(dark, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vmask = cv2.morphologyEx(cv2.dilate(dark, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    height = dark.shape[0]
    segs: list[Seg] = []
    for horizontal, mask in ((True, hmask), (False, vmask)):
        _n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _area in stats[1:].tolist():
            if horizontal and h <= thick + 2:
                segs.append(Seg(True, (height - y - h / 2) / px, x / px, (x + w) / px))
            elif not horizontal and w <= thick + 2:
                segs.append(Seg(False, (x + w / 2) / px, (height - y - h) / px, (height - y) / px))
    return segs


def grid_mask(grids, shape: tuple[int, int], dpi: float):
    """The pixels of the grids' rules, widened by about a point on each side (uint8 0/1)."""
    import cv2
    import numpy as np
    px = dpi / 72
    mask = np.zeros(shape, np.uint8)
    width = max(3, round(2.5 * px))
    for hs, vs in grids:
        for s in hs + vs:
            if s.horizontal:
                y = round(shape[0] - s.pos * px)
                cv2.line(mask, (round(s.a * px), y), (round(s.b * px), y), 1, width)
            else:
                x = round(s.pos * px)
                cv2.line(mask, (x, round(shape[0] - s.a * px)), (x, round(shape[0] - s.b * px)), 1, width)
    return mask


# --------------------------------------------------------------------------
# Text pieces
# --------------------------------------------------------------------------

def _merge_short(runs: list[tuple[int, int]], min_h: int, max_gap: int) -> list[tuple[int, int]]:
    """Join a run shorter than ``min_h`` (the strokes of 二 or 三 alone on a line) with its
    nearer neighbour when the gap is below ``max_gap``."""
    runs = list(runs)
    changed = True
    while changed:
        changed = False
        for i, (a, b) in enumerate(runs):
            if b - a >= min_h:
                continue
            gaps = [(a - runs[i - 1][1], i - 1) if i > 0 else None,
                    (runs[i + 1][0] - b, i + 1) if i + 1 < len(runs) else None]
            gaps = [g for g in gaps if g is not None and g[0] < max_gap]
            if gaps:
                j = min(gaps)[1]
                lo, hi = min(i, j), max(i, j)
                runs[lo:hi + 1] = [(runs[lo][0], runs[hi][1])]
                changed = True
                break
    return runs


def _split_columns(cols, gap: int) -> list[tuple[int, int]]:
    """Runs of a column profile, joined across gaps narrower than ``gap``."""
    out: list[tuple[int, int]] = []
    for a, b in _runs(cols):
        if out and a - out[-1][1] < gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _rows(ink, dpi: float) -> list[tuple[int, int]]:
    """The text-line row runs of a region's ink."""
    min_h = round(MIN_LINE_PT * dpi / 72)
    return _merge_short(_runs(ink.sum(axis=1)), min_h, min_h)


def line_height(ink, dpi: float) -> int:
    """The median height of the region's text lines (10 pt when it has none)."""
    heights = sorted(b - a for a, b in _rows(ink, dpi))
    return heights[len(heights) // 2] if heights else round(10 * dpi / 72)


def text_pieces(ink, x0: int, y0: int, gap: int, dpi: float, depth: int = 0) -> list[Piece]:
    """Text lines of the ink in a region whose top left is (x0, y0), cut where a gap between
    columns of ink is at least ``gap`` pixels wide.  A piece that still spans several lines
    (a wrapped label beside a one-line value) is cut again on its own."""
    px = dpi / 72
    out: list[Piece] = []
    for ra, rb in _rows(ink, dpi):
        band = ink[ra:rb]
        for ca, cb in _split_columns(band.sum(axis=0), max(2, gap)):
            part = band[:, ca:cb]
            inner = _rows(part, dpi)
            top, bottom = inner[0][0], inner[-1][1]
            if len(inner) > 1 and depth < 3:
                out.extend(text_pieces(part, x0 + ca, y0 + ra, gap, dpi, depth + 1))
            elif bottom - top <= MAX_PIECE_PT * px and max(bottom - top, cb - ca) >= MIN_PIECE_PT * px:
                out.append(Piece(x0 + ca, y0 + ra + top, x0 + cb, y0 + ra + bottom))
    return out


def clean_ink(gray, threshold: int, rules, dpi: float):
    """Text ink (0/1, uint8): dark pixels that are not rules, specks of noise removed."""
    import cv2
    import numpy as np
    dark = (gray < threshold).astype(np.uint8)
    dark[rules > 0] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    min_area = max(3, round(0.12 * (dpi / 72) ** 2))
    keep = (stats[:, cv2.CC_STAT_AREA] >= min_area).astype(np.uint8)
    keep[0] = 0
    return keep[labels]


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------

def _cells_px(hs, vs, height: int, px: float) -> list[tuple[int, int, int, int]]:
    """The grid's merged cells as pixel boxes (x0, y0, x1, y1), in reading order."""
    ys, xs, _cell_of, spans = _table_cells(hs, vs)
    boxes = []
    for r0, c0, r1, c1 in sorted(spans.values()):
        boxes.append((round(xs[c0] * px), round(height - ys[r0] * px),
                      round(xs[c1 + 1] * px), round(height - ys[r1 + 1] * px)))
    return boxes


def _pieces(ink, grids, dpi: float) -> list[Piece]:
    """Every text piece of the page: per table cell first, then the rest of the page."""
    px = dpi / 72
    height = ink.shape[0]
    inset = max(2, round(0.8 * px))
    rest = ink.copy()
    out: list[Piece] = []
    for hs, vs in grids:
        cells = _cells_px(hs, vs, height, px)
        for x0, y0, x1, y1 in cells:
            a, b, c, d = x0 + inset, y0 + inset, x1 - inset, y1 - inset
            if c - a < 3 or d - b < 3:
                continue
            cell = ink[b:d, a:c]
            found = text_pieces(cell, a, b, round(CELL_GAP * line_height(cell, dpi)), dpi)
            for p in found or [Piece((a + c) // 2, (b + d) // 2, (a + c) // 2 + 1, (b + d) // 2 + 1, blank=True)]:
                p.cell = (x0, y0, x1, y1)
                out.append(p)
        tx0, ty0 = min(c[0] for c in cells), min(c[1] for c in cells)
        tx1, ty1 = max(c[2] for c in cells), max(c[3] for c in cells)
        rest[max(ty0, 0):ty1 + 1, max(tx0, 0):tx1 + 1] = 0
    out.extend(text_pieces(rest, 0, 0, round(TEXT_GAP * line_height(rest, dpi)), dpi))
    return out


def _crop(gray, p: Piece):
    """The piece with a margin of white around it (clipped to its cell)."""
    h = p.y1 - p.y0
    my, mx = max(2, round(0.2 * h)), max(3, round(0.35 * h))
    lo_x, lo_y, hi_x, hi_y = (p.cell if p.cell else (0, 0, gray.shape[1], gray.shape[0]))
    return gray[max(p.y0 - my, lo_y + 1, 0):min(p.y1 + my, hi_y - 1, gray.shape[0]),
                max(p.x0 - mx, lo_x + 1, 0):min(p.x1 + mx, hi_x - 1, gray.shape[1])]


def judge(reading: Reading, piece: Piece) -> str | None:
    """Why a reading cannot be trusted as a number: ``low-confidence`` for a clean number with
    a digit whose value is in doubt (:data:`MIN_MARGIN`); in a table cell, ``partial`` for a
    clean number much narrower or wider than its ink (part of the cell was not read: a blurred
    label read as its enumerator "3") and ``not-a-number`` for digit-like text that is no clean
    number; None when it is fine or not a number at all."""
    text = reading.text.replace(" ", "").replace("，", ",").replace("。", ".")
    if not any(ch.isdigit() for ch in text):
        return None
    if _CLEAN_NUMBER.match(text):
        if reading.digit_margin < MIN_MARGIN:
            return "low-confidence"
        aspect = (piece.x1 - piece.x0) / max(piece.y1 - piece.y0, 1)
        if piece.cell and not 0.25 <= aspect / (len(text) * DIGIT_ASPECT) <= 2.0:
            return "partial"
        return None
    if piece.cell and _DIGIT_LIKE.match(reading.text):
        return "not-a-number"
    return None


def _note(number: int, p: Piece, reading: Reading, reason: str, dpi: float) -> dict:
    box = p.cell or (p.x0, p.y0, p.x1, p.y1)
    pt = [round(v * 72 / dpi, 1) for v in box]
    return {"code": "ocr-uncertain", "page": number, "box": pt, "raw": reading.text,
            "confidence": round(reading.confidence, 3), "reason": reason,
            "message": f"第 {number} 页 {pt} 处识别不确定（{reading.text}，置信度 "
                       f"{reading.confidence:.2f}），按未知处理",
            "message_en": f"page {number} at {pt}: uncertain reading {reading.text!r} "
                          f"(confidence {reading.confidence:.2f}), treated as unknown"}


def _verdict(p: Piece, r: Reading) -> tuple[Reading, str | None, str]:
    """(reading, why it is uncertain or None, the glyph text: marked, or "" for none)."""
    if p.blank or (not r.text.strip() and p.cell is None):
        return r, None, ""               # a blank cell; a speck or a picture outside the tables
    reason = judge(r, p)
    text = r.text.translate(_FOLD)
    if not text.strip():                 # ink in a cell that reads as nothing: never a blank
        return r, "unreadable", "?"
    if reason in ("low-confidence", "partial"):
        text += "?"                      # a clean number the parser must not take
    return r, reason, text


def _read_upright(gray, number: int, dpi: float) -> tuple[PageData, list[dict], float]:
    """Read a deskewed page: (page data, uncertain-cell notes, median confidence)."""
    import numpy as np
    threshold = ink_threshold(gray)
    dark = (gray < min(threshold + 40, 215)).astype(np.uint8)
    segs = rule_segments(dark, dpi)
    grids = _grids(segs)
    rules = grid_mask(grids, gray.shape, dpi)
    ink = clean_ink(gray, threshold, rules, dpi)
    page = gray.copy()
    page[rules > 0] = 255
    pieces = _pieces(ink, grids, dpi)
    crops = {i: _crop(page, p) for i, p in enumerate(pieces) if not p.blank}
    keep = [i for i, c in crops.items() if c.shape[0] >= 4 and c.shape[1] >= 4]
    readings = dict(zip(keep, recognise([crops[i] for i in keep])))
    read = [_verdict(p, readings.get(i, Reading("", ()))) for i, p in enumerate(pieces)]
    in_cells = [v for p, v in zip(pieces, read) if p.cell and not p.blank]
    flagged = sum(v[1] is not None for v in in_cells)
    unreliable = flagged >= 3 and flagged >= MAX_FLAGGED_SHARE * len(in_cells)
    px = dpi / 72
    height = gray.shape[0]
    glyphs, notes = [], []
    for p, (r, reason, text) in zip(pieces, read):
        if unreliable and p.cell and reason is None and (p.blank or any(ch.isdigit() for ch in text)):
            reason, text = "unreliable-page", text + "?"
        if reason:
            notes.append(_note(number, p, r, reason, dpi))
        if text:
            glyphs.append(Glyph(text, p.x0 / px, p.x1 / px, (height - p.y1) / px, (height - p.y0) / px,
                                max((p.y1 - p.y0) / px, 1.0)))
    confidences = [r.confidence for p, (r, _, _) in zip(pieces, read) if r.text.strip()]
    glyphs.sort(key=lambda g: (-g.y1, g.x0, g.x1, g.y0, g.text))
    median = float(np.median(confidences)) if confidences else 0.0
    data = PageData(number, gray.shape[1] / px, height / px, glyphs, segs)
    return data, notes, median


def sideways(ink) -> bool:
    """Do the page's text lines run up and down?  Lines of text make the row profile of the ink
    far more uneven than the column profile (squared coefficient of variation 3–6× on report
    pages, tables included); a page turned by 90° has it the other way round."""
    def unevenness(profile) -> float:
        p = profile.astype("float64")
        return float(p.var() / max(p.mean(), 1e-9) ** 2)
    return unevenness(ink.sum(axis=0)) > 1.5 * unevenness(ink.sum(axis=1))


def _straightened_read(gray, number: int, dpi: float):
    """Deskew, then read: (page data, uncertain-cell notes, median confidence, skew notes)."""
    import numpy as np
    notes = []
    angle = skew_angle((gray < ink_threshold(gray)).astype(np.uint8))
    if abs(angle) >= 0.05:
        gray = rotate(gray, -angle)
        notes.append({"code": "ocr-deskewed", "page": number, "degrees": angle,
                      "message": f"第 {number} 页扫描倾斜 {angle}°，已校正",
                      "message_en": f"page {number} was skewed by {angle} degrees and straightened"})
    return (*_read_upright(gray, number, dpi), notes)


def read_page(gray, number: int, dpi: float) -> tuple[PageData, list[dict]]:
    """OCR one grey page image at ``dpi``: its page data and notes (skew, turn, uncertain cells)."""
    import cv2
    import numpy as np
    cv2.setNumThreads(1)
    notes: list[dict] = []
    if int(gray.max()) - int(gray.min()) < MIN_CONTRAST:
        return PageData(number, gray.shape[1] * 72 / dpi, gray.shape[0] * 72 / dpi, [], []), notes
    if int(np.percentile(gray, 0.01)) > MAX_DARKEST:
        notes.append({"code": "ocr-page-unreadable", "page": number,
                      "message": f"第 {number} 页扫描过淡或过于模糊（没有深色笔画），无法可靠识别，已跳过",
                      "message_en": f"page {number} is too faint or blurred to read reliably (no dark "
                                    "strokes) and was skipped"})
        return PageData(number, gray.shape[1] * 72 / dpi, gray.shape[0] * 72 / dpi, [], []), notes
    quarter = 1 if sideways((gray < ink_threshold(gray)).astype(np.uint8)) else 0
    best = _straightened_read(np.ascontiguousarray(np.rot90(gray, quarter)), number, dpi)
    if best[2] < UPSIDE_DOWN_BELOW:
        turned = _straightened_read(np.ascontiguousarray(np.rot90(gray, quarter + 2)), number, dpi)
        if turned[2] > best[2]:
            best, quarter = turned, quarter + 2
    if quarter:
        best[3].append({"code": "ocr-turned", "page": number, "degrees": 90 * quarter,
                        "message": f"第 {number} 页方向不正，已逆时针旋转 {90 * quarter}° 后识别",
                        "message_en": f"page {number} was turned: read rotated {90 * quarter} degrees "
                                      "counter-clockwise"})
    data, cell_notes, _median, turn_notes = best
    notes += turn_notes
    return data, notes + cell_notes
