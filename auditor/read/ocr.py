"""Scanned reports: image-only PDF pages and page images → :class:`auditor.layout.Layout` by OCR.

Needs the optional extra ``ocr`` (``pip install 'disclosure-auditor[ocr]'``: rapidocr-onnxruntime,
whose wheel ships the PP-OCR models, and pypdfium2 to render PDF pages).  Each page image is read
by :func:`auditor.read.ocr_page.read_page` into the same page data a text PDF gives, and the PDF
reader's own table, line and furniture logic builds the layout — the parser cannot tell a scan
from a text PDF, except by the notes: ``ocr-uncertain`` for each cell that was not read with
confidence (its text carries a ``?`` or is no clean number, so it is never taken for a number),
``ocr-deskewed`` and ``ocr-turned`` for pages straightened or turned round.

Limits keep a worker bounded: at most :data:`MAX_PAGES` pages, at most :data:`MAX_PIXELS` pixels
per page image (a decompression bomb is refused before it is decoded), pages rendered at
:data:`PDF_DPI` at most.
"""
from __future__ import annotations

import io
from typing import Iterable, Iterator

from auditor.errors import CorruptFile, InputError, ScannedPDF
from auditor.read.pdflayout import _continues, _drop_continued_blanks, _mark_furniture, _page_items
from auditor.layout import Layout, Line

MAX_PAGES = 40                 # a report is a few pages (at ~3 s a page, 40 stay well within the
                               # sweep's 300 s per file); a 300-page scan is something else
MAX_PIXELS = 60_000_000        # per page image (A3 at 400 dpi is 31 Mpx)
PDF_DPI = 200                  # PDF pages are rendered at their scan's resolution, capped here
MIN_PDF_DPI = 150              # … and at least here
ASSUMED_PAGE_INCHES = 11.69    # an image without a believable resolution is taken as an A4 page
MAX_PAGE_INCHES = 17.0         # a resolution making the page larger than A3 is not believed
EXTRA = "pip install 'disclosure-auditor[ocr]'"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


class OCRUnavailable(ScannedPDF):
    """A scan, and the OCR extra is not installed."""


class TooManyPages(InputError):
    kind = "too-large"


class ImageTooLarge(InputError):
    kind = "too-large"


def available() -> bool:
    """Is the OCR extra installed?"""
    from importlib.util import find_spec
    return find_spec("rapidocr_onnxruntime") is not None and find_spec("pypdfium2") is not None


def unavailable(cause: InputError | None = None) -> OCRUnavailable:
    """The error for a scan when the extra is missing: the reader's own reason (``cause``: no
    text layer, fonts without a Unicode map …; else "an image") and the extra to install."""
    zh = cause.zh.rstrip("。") if cause else "这是图片（扫描的页面），需要 OCR 文字识别"
    en = cause.en if cause else "the file is an image (a scanned page) and needs OCR"
    return OCRUnavailable(f"{zh}。可安装 OCR 扩展后直接读取：{EXTRA}",
                          f"{en}; or install the OCR extra to read it: {EXTRA}")


def _check_pages(count: int) -> None:
    if count > MAX_PAGES:
        raise TooManyPages(f"扫描件共 {count} 页，超过 OCR 上限 {MAX_PAGES} 页：请只提交年度报告本身",
                           f"the scan has {count} pages, more than the OCR limit of {MAX_PAGES}: "
                           "submit the annual report alone")


def _too_large(width: int = 0, height: int = 0) -> ImageTooLarge:
    size_zh, size_en = (f"（{width}×{height} 像素）", f" ({width}×{height} pixels)") if width else ("", "")
    return ImageTooLarge(f"图片过大{size_zh}，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限",
                         f"the image is too large{size_en}: more than {MAX_PIXELS // 1_000_000} megapixels")


# --------------------------------------------------------------------------
# Pages → Layout
# --------------------------------------------------------------------------

def assemble(pages: list) -> list[Line]:
    """Page data of consecutive pages → numbered lines, the PDF reader's way: furniture dropped,
    tables numbered through the document, a table going on over a page break keeps its index."""
    page_items = [_page_items(p)[0] for p in pages]
    _mark_furniture(pages, page_items)
    lines: list[Line] = []
    table_index = -1
    prev: list = []
    for page, items in zip(pages, page_items):
        remap: dict[int, int] = {}
        kept = [i for i in items if not i.furniture]
        goes_on = _continues(prev, items)
        for k, it in enumerate(kept):
            if it.table is not None and it.table not in remap:
                if not (k == 0 and goes_on):
                    table_index += 1
                remap[it.table] = table_index
                if k == 0 and goes_on:
                    _drop_continued_blanks(it)
            lines.append(Line(it.text, k + 1, page.number, it.cells, it.exact,
                              None if it.table is None else remap[it.table]))
        prev = items
    return lines


def read_pages(pages: Iterable[tuple[object, float, int]]) -> tuple[list[Line], list[dict]]:
    """OCR grey page images, given as (image, dpi, page number) one at a time (only one page
    image is held at once): (lines, notes)."""
    from auditor.read.ocr_page import read_page

    done, notes = [], []
    for image, dpi, number in pages:
        data, page_notes = read_page(image, number, dpi)
        done.append(data)
        notes.extend(page_notes)
    empty = [p.number for p in done if not p.glyphs]
    if empty:
        notes.append({"code": "ocr-pages-without-text", "pages": empty,
                      "message": f"OCR 在这些页上没有识别到文字：{empty}",
                      "message_en": f"OCR found no text on pages {empty}"})
    return assemble(done), notes


def _layout(lines: list[Line], notes: list[dict], fmt: str, pages: int, meta: dict) -> Layout:
    if not any(l.text for l in lines):
        raise ScannedPDF("扫描件经 OCR 文字识别后没有找到任何文字（空白页或图片过于模糊）",
                         "OCR found no text in the scan (blank pages, or images too blurred to read)")
    from importlib.metadata import version
    meta = {**meta, "ocr": f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')} "
                           "(PP-OCRv4 recognition, 1 thread) + rule grid"}
    return Layout(lines=lines, format=fmt, pages=pages, meta=meta, notes=notes)


# --------------------------------------------------------------------------
# PDF pages
# --------------------------------------------------------------------------

def _page_dpi(page) -> float:
    """The resolution of the page's largest image (its scan), within [MIN_PDF_DPI, PDF_DPI]."""
    import pypdfium2.raw as raw
    best, dpi = 0, float(PDF_DPI)
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            meta = obj.get_metadata()
        except Exception:                      # an image pdfium cannot describe: keep the default
            continue
        if meta.width * meta.height > best and meta.horizontal_dpi > 0:
            best, dpi = meta.width * meta.height, float(meta.horizontal_dpi)
    return min(max(dpi, MIN_PDF_DPI), PDF_DPI)


def _render(page, dpi: float):
    """A PDF page as a grey numpy image, its pixel count capped."""
    import numpy as np
    w, h = page.get_size()
    scale = dpi / 72
    if w * h * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (w * h)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    image = np.array(bitmap.to_pil().convert("L"))
    return image, scale * 72


def textless_pages(data: bytes) -> list[int]:
    """The 1-based numbers of a PDF's pages that carry no text (pdfium's text layer)."""
    doc = _open_pdf(data)
    try:
        out = []
        for i in range(len(doc)):
            page = _page(doc, i + 1)
            text = page.get_textpage().get_text_range()
            if not text.strip():
                out.append(i + 1)
        return out
    finally:
        doc.close()


def _open_pdf(data: bytes):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise CorruptFile("PDF 文件已损坏或加密，无法渲染页面以做 OCR",
                          "the PDF is corrupt or encrypted: its pages cannot be rendered for OCR") from None


def _page(doc, number: int):
    """Page ``number`` (1-based) of an open PDF; CorruptFile when PDFium cannot load it (a page
    tree that counts more pages than it holds, a broken page dictionary)."""
    import pypdfium2 as pdfium
    try:
        return doc[number - 1]
    except pdfium.PdfiumError:
        raise CorruptFile(f"PDF 第 {number} 页已损坏，无法渲染以做 OCR：请重新下载原文件",
                          f"page {number} of the PDF is damaged and cannot be rendered for OCR: "
                          "download the original file again") from None


def _rendered(doc, numbers: list[int]) -> Iterator[tuple[object, float, int]]:
    """(grey image, dpi, page number) of each page, rendered as it is needed."""
    for number in numbers:
        page = _page(doc, number)
        yield (*_render(page, _page_dpi(page)), number)


def read_scanned_pdf(data: bytes, pages: list[int] | None = None) -> Layout:
    """OCR a PDF's pages (all, or the 1-based ``pages``) into a Layout of format ``pdf``."""
    doc = _open_pdf(data)
    try:
        total = len(doc)
        numbers = pages or list(range(1, total + 1))
        _check_pages(len(numbers))
        lines, notes = read_pages(_rendered(doc, numbers))
    finally:
        doc.close()
    return _layout(lines, notes, "pdf", total, {"extractor": "OCR of rendered pages"})


# --------------------------------------------------------------------------
# Page images
# --------------------------------------------------------------------------

def _frames(data: bytes) -> Iterator[tuple[object, float]]:
    """The grey frames of an image file (a multi-page TIFF has several) with their resolution,
    decoded one at a time, each checked against :data:`MAX_PIXELS` before it is decoded."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        im = Image.open(io.BytesIO(data))           # reads the header only
        for frame in ImageSequence.Iterator(im):
            w, h = frame.size
            if w * h > MAX_PIXELS:
                raise _too_large(w, h)
            dpi = float((frame.info.get("dpi") or (0, 0))[1] or 0)
            if dpi < 100 or max(w, h) / dpi > MAX_PAGE_INCHES:   # none, or a default like 72
                dpi = max(w, h) / ASSUMED_PAGE_INCHES
            yield np.array(frame.convert("L")), dpi
    except Image.DecompressionBombError:            # Pillow's own cap, far above ours
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise CorruptFile("图片文件已损坏或格式无法识别", "the image is corrupt or of an unknown format") from None


def _normalised(image, dpi: float):
    """A page image scaled down to PDF_DPI when it is finer (OCR needs no more)."""
    import cv2
    if dpi <= PDF_DPI * 1.1:
        return image, dpi
    f = PDF_DPI / dpi
    size = (max(1, round(image.shape[1] * f)), max(1, round(image.shape[0] * f)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), float(PDF_DPI)


def read_images(files: list[bytes]) -> Layout:
    """OCR page images (each file one or more pages, in the given order) into one Layout."""
    count = 0

    def pages():
        nonlocal count
        for data in files:
            for image, dpi in _frames(data):
                count += 1
                _check_pages(count)
                yield (*_normalised(image, dpi), count)

    lines, notes = read_pages(pages())
    return _layout(lines, notes, "image", count, {"extractor": "OCR of page images"})


def read_image(data: bytes, path: str = "") -> Layout:
    """OCR one image file (PNG, JPEG, TIFF; a multi-page TIFF is several pages)."""
    return read_images([data])


# --------------------------------------------------------------------------
# Mixed PDFs
# --------------------------------------------------------------------------

def merge(text: Layout, scanned: Layout) -> Layout:
    """The text reader's layout with the OCR'd pages put in their place: lines ordered by page,
    tables renumbered in order of first appearance."""
    lines = sorted(text.lines + scanned.lines, key=lambda l: l.page or 0)   # stable: keeps order
    ocr_lines = {id(l) for l in scanned.lines}
    renumber: dict[tuple[bool, int], int] = {}
    for line in lines:
        if line.table is not None:
            key = (id(line) in ocr_lines, line.table)
            line.table = renumber.setdefault(key, len(renumber))
    notes = [n for n in text.notes if n.get("code") != "pdf-pages-without-text"] + scanned.notes
    meta = {**text.meta, "ocr": scanned.meta.get("ocr"),
            "ocr_pages": sorted({l.page for l in scanned.lines if l.page})}
    return Layout(lines=lines, format="pdf", pages=text.pages, meta=meta, notes=notes)
