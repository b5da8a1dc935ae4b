"""The built-in readers: plain text, Markdown, HTML, PDF (pdfminer.six) and, with the ``ocr``
extra, scanned PDFs and page images (:mod:`auditor.read.ocr`).

Registered by the plugin host like any third-party reader.  Each reader's module is
imported when a file of its format is read: pdfminer alone costs about 0.2 s of start-up.
"""
from __future__ import annotations

from auditor.layout import Layout
from auditor.read import Reader
from auditor.rules.hookspecs import hookimpl


def _is_pdf(head: bytes) -> bool:
    return head[:5] == b"%PDF-" or b"%pdf-" in head[:1024].lower()


def _is_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and b"<body" in head.lower())


def _pdf(data: bytes, path: str) -> Layout:
    """A text PDF as text; its pages without a text layer (or the whole of a scan) by OCR when
    the ``ocr`` extra is installed, else a scan gets the error that names the extra."""
    from auditor.errors import ScannedPDF
    from auditor.read import ocr
    from auditor.read.pdf import read_pdf
    try:
        layout = read_pdf(data)
    except ScannedPDF as e:
        if not ocr.available():
            raise ocr.unavailable(e) from None
        return ocr.read_scanned_pdf(data)
    if ocr.available() and any(n.get("code") == "pdf-pages-without-text" for n in layout.notes):
        scans = ocr.textless_pages(data)
        try:
            return ocr.merge(layout, ocr.read_scanned_pdf(data, scans)) if scans else layout
        except ScannedPDF:                 # nothing legible on the image pages: the text alone
            return layout
    return layout


def _image(data: bytes, path: str) -> Layout:
    from auditor.read import ocr
    if not ocr.available():
        raise ocr.unavailable()
    return ocr.read_image(data, path)


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _html(data: bytes, path: str) -> Layout:
    from auditor.read.html import read_html
    return read_html(data)


def _text(data: bytes, path: str) -> Layout:
    from auditor.read.text import read_text
    return read_text(data)


def _markdown(data: bytes, path: str) -> Layout:
    from auditor.read.text import read_text
    return read_text(data, markdown=True)


READERS = [
    Reader("pdf", (".pdf",), _pdf, sniff=_is_pdf, engine="pdfminer"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml"), _html, sniff=_is_html),
    Reader("text", (".txt", ".text"), _text),
    Reader("markdown", (".md", ".markdown"), _markdown),
    Reader("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), _image, sniff=_is_image, engine="rapidocr"),
]


@hookimpl
def auditor_register_readers() -> list[Reader]:
    return list(READERS)
