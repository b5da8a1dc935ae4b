"""PDF → :class:`auditor.layout.Layout` with pdfminer.six, the reference engine.

pdfminer.six is used only to interpret the page content: it is run *without*
layout analysis (``laparams=None``), which is both the cheapest mode and
deterministic — pdfminer's own layout analysis groups and orders text boxes
differently from one process to the next on table pages (see
``docs/architecture.md``, known pitfalls).  This module turns each page
into glyphs and ruling segments; :mod:`auditor.read.pdflayout` rebuilds lines
and tables from them, as it does for the PDFium engine (:mod:`auditor.read.pdfium`).

Cheaper than pdfminer's defaults, with identical output: glyphs are built
directly in ``render_char`` (no ``LTChar`` objects), pdfminer's ``log.debug``
calls are no-ops while a document is read, and the garbage collector's
thresholds are raised meanwhile (a page makes tens of thousands of small
objects and no reference cycles worth collecting).
"""
from __future__ import annotations

import io
import logging
import sys
from contextlib import contextmanager

from auditor.read.pdflayout import (  # noqa: F401  (is_page_number: this module's public API)
    Glyph, PageData, Seg, build_layout, check_pdf_bytes, corrupt, encrypted, few_collections,
    is_page_number, path_rules)
from auditor.layout import Layout

EXTRACTOR = "pdfminer.six (no layout analysis) + rule grid"

_PDFMINER_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError,
                    AssertionError, EOFError, OverflowError, ZeroDivisionError, RecursionError)


# --------------------------------------------------------------------------
# Quiet, lean reading
# --------------------------------------------------------------------------

class _QuietLog:
    """A module logger whose ``debug`` does nothing (pdfminer calls it over 100 000 times a
    report); everything else goes to the real logger."""

    def __init__(self, log: logging.Logger):
        self._log = log

    def debug(self, *args, **kwargs) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self._log, name)


MAX_CID = 0xFFFF


def _clamped_ranges(seq, size: int) -> list:
    """A CID font's ``/W`` (``size`` 3: first last width) or ``/W2`` (5) array with every range
    clamped to the CID space: a damaged array can name a range of 10**30 codes, which pdfminer
    would fill one code at a time."""
    from pdfminer.pdftypes import resolve1
    out, run = [], []
    for v in seq:
        v = resolve1(v)
        if isinstance(v, (int, float)):
            run.append(v)
            if len(run) == size:
                if isinstance(run[0], int) and isinstance(run[1], int):
                    run[0], run[1] = min(max(run[0], 0), MAX_CID), min(max(run[1], -1), MAX_CID)
                out += run
                run = []
        else:
            out += run + [v]
            run = []
    return out + run


def _bounded(get_widths, size: int):
    return lambda seq: get_widths(_clamped_ranges(seq, size))


@contextmanager
def _lean():
    """While a document is read: pdfminer's debug logging off (unless someone asked for it) and
    CID width ranges bounded; both restored afterwards.  (The collector's threshold is raised by
    the engines' callers, :func:`read_pdf` and the PDFium engine, around layout too.)"""
    from pdfminer import pdffont
    widths = pdffont.get_widths, pdffont.get_widths2
    pdffont.get_widths, pdffont.get_widths2 = _bounded(widths[0], 3), _bounded(widths[1], 5)
    swapped = []
    if not logging.getLogger("pdfminer").isEnabledFor(logging.DEBUG):
        for name, module in list(sys.modules.items()):
            log = getattr(module, "log", None) if name.startswith("pdfminer.") else None
            if isinstance(log, logging.Logger):
                module.log = _QuietLog(log)
                swapped.append((module, log))
    try:
        yield
    finally:
        pdffont.get_widths, pdffont.get_widths2 = widths
        for module, log in swapped:
            module.log = log


# --------------------------------------------------------------------------
# pdfminer: bytes → pages of glyphs and segments
# --------------------------------------------------------------------------

def _open_document(data: bytes):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    check_pdf_bytes(data)
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise encrypted() from None
    except (PSException,) + _PDFMINER_ERRORS:
        raise corrupt() from None


def _glyph_device(manager):
    """A pdfminer device that records glyphs as :class:`Glyph` directly (the geometry of
    ``LTChar``, without the object) and paths as pdfminer's own curve objects."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class GlyphDevice(PDFPageAggregator):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.glyphs: list[Glyph] = []

        def begin_page(self, page, ctm):
            self.glyphs = []
            super().begin_page(page, ctm)

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"
            adv = font.char_width(cid) * fontsize * scaling
            vertical = font.is_vertical()
            if vertical:
                vx, vy = font.char_disp(cid)
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = font.get_descent() * fontsize
                bbox = (0, descent + rise, adv, descent + rise + fontsize)
            x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
            if text.strip() and x1 > x0:
                size = x1 - x0 if vertical else y1 - y0
                self.glyphs.append(Glyph(text, x0, x1, y0, y1, max(size, y1 - y0, 1.0)))
            return adv

    return GlyphDevice(manager, laparams=None)


def _iter_pages(data: bytes, direct: bool = True, numbers: set[int] | None = None):
    """Yield a :class:`PageData` per page, or per page of ``numbers`` (pdfminer without layout
    analysis; ``direct``: glyphs built by the device rather than from ``LTChar`` objects — the
    same glyphs)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException

    document = _open_document(data)
    manager = PDFResourceManager(caching=True)
    device = _glyph_device(manager) if direct else PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if numbers is not None and number not in numbers:
                continue
            interpreter.process_page(page)
            yield _page_data(number, device.get_result(), getattr(device, "glyphs", []))
    except PDFEncryptionError:
        raise encrypted() from None
    except (PSException,) + _PDFMINER_ERRORS:
        raise corrupt() from None


def read_pages(data: bytes, numbers: set[int] | None = None, direct: bool = True) -> dict[int, PageData]:
    """The pages of a PDF by number (only ``numbers`` when given: the others are not
    interpreted; a page's glyphs do not depend on the pages before it)."""
    out = {}
    with _lean():
        for page in _iter_pages(data, direct, numbers):
            out[page.number] = page
            if numbers is not None and len(out) == len(numbers):
                break
    return out


def _page_data(number: int, ltpage, glyphs: list[Glyph]) -> PageData:
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTRect

    glyphs = list(glyphs)
    segs: list[Seg] = []
    images = 0
    stack = list(ltpage)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if text.strip() and obj.x1 > obj.x0:
                glyphs.append(Glyph(text, obj.x0, obj.x1, obj.y0, obj.y1,
                                    max(obj.size, obj.y1 - obj.y0, 1.0)))
        elif isinstance(obj, LTCurve):       # LTLine and LTRect are LTCurves
            x0, y0, x1, y1 = obj.bbox
            pts = list(obj.pts or []) or [(x0, y0), (x1, y1)]
            segs.extend(path_rules(pts, bool(obj.stroke), isinstance(obj, LTRect)))
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    x0, y0, x1, y1 = ltpage.bbox
    glyphs.sort(key=lambda g: (-g.y1, g.x0, g.x1, g.y0, g.text))
    return PageData(number, x1 - x0, y1 - y0, glyphs, segs, images)


def read_pdf(data: bytes) -> Layout:
    """Read a PDF's bytes into a Layout (raises ScannedPDF, EncryptedPDF, CorruptFile, EmptyFile)."""
    with few_collections():
        pages = read_pages(data)
        return build_layout([pages[n] for n in sorted(pages)], EXTRACTOR)
