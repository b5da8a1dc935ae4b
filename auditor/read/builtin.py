"""The built-in readers: plain text, Markdown, HTML (and CMS JSON articles, MHT archives), PDF (pdfminer.six),
Word DOCX (python-docx) and legacy Word/WPS (through LibreOffice).

Registered by the plugin host like any third-party reader.  Each reader's module is
imported when a file of its format is read: pdfminer alone costs about 0.2 s of start-up.
"""
from __future__ import annotations

from auditor.layout import Layout
from auditor.hookspecs import hookimpl
from auditor.read.legacy_word import is_legacy_word   # standard library only
from auditor.read.reader import Reader


def _is_pdf(head: bytes) -> bool:
    return head[:5] == b"%PDF-" or b"%pdf-" in head[:1024].lower()


def _is_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and b"<body" in head.lower())


def _is_docx(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04" and b"word/" in head


def _pdf(data: bytes, path: str) -> Layout:
    from auditor.read.pdf import read_pdf
    return read_pdf(data)


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
    Reader("pdf", (".pdf",), _pdf, sniff=_is_pdf, engine="pdfminer"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml"), _html, sniff=_is_html),
    Reader("json", (".json",), _json_article),          # a CMS article saved as JSON (an html layout)
    Reader("mht", (".mht", ".mhtml"), _mht, sniff=_is_mht),    # a web archive, also Word's ".doc" web pages
    Reader("docx", (".docx", ".docm", ".dotx", ".dotm"), _docx, sniff=_is_docx, engine="python-docx"),
    Reader("doc", (".doc", ".wps", ".rtf"), _legacy_word, sniff=is_legacy_word, engine="libreoffice"),
    Reader("text", (".txt", ".text"), _text),
    Reader("markdown", (".md", ".markdown"), _markdown),
]


@hookimpl
def auditor_register_readers() -> list[Reader]:
    return list(READERS)
