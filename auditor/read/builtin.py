"""The built-in readers: plain text, Markdown, HTML (and CMS JSON articles, MHT archives), PDF (PDFium,
the default, or pdfminer.six), Word DOCX (python-docx), legacy Word/WPS (through LibreOffice) and,
with the ``ocr`` extra, scanned PDFs and page images (:mod:`auditor.read.ocr`).

Registered by the plugin host like any third-party reader.  Each reader's module is
imported when a file of its format is read: pdfminer alone costs about 0.2 s of start-up.
"""
from __future__ import annotations

from auditor.layout import Layout
from auditor.hookspecs import hookimpl
from auditor.read.legacy_word import is_legacy_word   # standard library only
from auditor.read.ocr import IMAGE_SUFFIXES as OCR_IMAGE_SUFFIXES, available as ocr_available   # light
from auditor.read.reader import Reader


def _is_pdf(head: bytes) -> bool:
    return head[:5] == b"%PDF-" or b"%pdf-" in head[:1024].lower()


def _is_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and b"<body" in head.lower())


def _is_docx(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04" and b"word/" in head


def _with_ocr(read_text_pdf):
    """A PDF engine's reader that reads a text PDF as text, and its pages without a text layer
    (or the whole of a scan) by OCR when the ``ocr`` extra is installed; without the extra a scan
    gets the engine's error, which names the extra."""
    def read(data: bytes, path: str) -> Layout:
        from auditor.errors import ScannedPDF
        from auditor.read import ocr          # light: the OCR engine loads on first use
        try:
            layout = read_text_pdf(data)
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
    return read


def _pdfium(data: bytes) -> Layout:
    from auditor.read.pdfium import read_pdfium
    return read_pdfium(data)


def _pdfminer(data: bytes) -> Layout:
    from auditor.read.pdf import read_pdf
    return read_pdf(data)


def _image(data: bytes, path: str) -> Layout:
    from auditor.read import ocr
    if not ocr.available():
        raise ocr.unavailable()
    return ocr.read_image(data, path)


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _dist_version(package: str, dist: str) -> str:
    """The version of the installed distribution ``dist`` that holds ``package``, from the name
    of its ``.dist-info`` folder beside the package ("" when not found) — without importing
    the package or importlib.metadata (tens of milliseconds at every start)."""
    from importlib.util import find_spec
    from pathlib import Path
    spec = find_spec(package)
    if spec is None or not spec.origin:
        return ""
    found = sorted(Path(spec.origin).parent.parent.glob(f"{dist}-*.dist-info"))
    return found[-1].name[len(dist) + 1:-len(".dist-info")] if found else ""


def _html(data: bytes, path: str) -> Layout:
    from auditor.read.html import read_html
    return read_html(data)


def _docx(data: bytes, path: str) -> Layout:
    from auditor.read.docx import read_docx
    return read_docx(data, path)


def _legacy_word(data: bytes, path: str) -> Layout:
    from auditor.read.legacy_word import read_legacy_word
    return read_legacy_word(data, path)


def _json_article(data: bytes, path: str) -> Layout:
    from auditor.read.html import read_json_article
    return read_json_article(data)


def _is_mht(head: bytes) -> bool:
    from auditor.read.mht import is_mht
    return is_mht(head)


def _mht(data: bytes, path: str) -> Layout:
    from auditor.read.mht import read_mht
    return read_mht(data)


def _text(data: bytes, path: str) -> Layout:
    from auditor.read.text import read_text
    return read_text(data)


def _markdown(data: bytes, path: str) -> Layout:
    from auditor.read.text import read_text
    return read_text(data, markdown=True)


READERS = [
    # The first PDF reader is the default engine; settings' readers {"pdf": "pdfminer"} pick the other.
    Reader("pdf", (".pdf",), _with_ocr(_pdfium), sniff=_is_pdf, engine="pdfium",
           version=f"pypdfium2 {_dist_version('pypdfium2', 'pypdfium2')}"),
    Reader("pdf", (".pdf",), _with_ocr(_pdfminer), sniff=_is_pdf, engine="pdfminer",
           version=f"pdfminer.six {_dist_version('pdfminer', 'pdfminer_six')}"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml"), _html, sniff=_is_html),
    Reader("json", (".json",), _json_article),          # a CMS article saved as JSON (an html layout)
    Reader("mht", (".mht", ".mhtml"), _mht, sniff=_is_mht),    # a web archive, also Word's ".doc" web pages
    Reader("docx", (".docx", ".docm", ".dotx", ".dotm"), _docx, sniff=_is_docx, engine="python-docx"),
    Reader("doc", (".doc", ".wps", ".rtf"), _legacy_word, sniff=is_legacy_word, engine="libreoffice"),
    Reader("text", (".txt", ".text"), _text),
    Reader("markdown", (".md", ".markdown"), _markdown),
    # the OCR engine's version is part of the extraction-cache key: installing the extra (which
    # also reads the scans a PDF engine refuses) invalidates cached "scanned PDF" errors
    Reader("image", OCR_IMAGE_SUFFIXES, _image, sniff=_is_image, engine="rapidocr",
           version=_dist_version("rapidocr_onnxruntime", "rapidocr_onnxruntime"), available=ocr_available),
]


@hookimpl
def auditor_register_readers() -> list[Reader]:
    return list(READERS)
