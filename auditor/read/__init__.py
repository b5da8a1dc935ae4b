"""Readers: bytes of a file → :class:`auditor.layout.Layout`.

One reader per format; each knows files and bytes only.  :func:`read` picks
the reader from the file's content first and its suffix second.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from auditor.errors import EmptyFile, InputError, UnsupportedFormat
from auditor.layout import Layout

SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html",
            ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}


def sniff_format(data: bytes, suffix: str) -> str:
    """The format of a file: its magic bytes win over its suffix."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:5] == b"%PDF-" or b"%pdf-" in data[:1024]:
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
            head.startswith(b"<") and b"<body" in data[:65536].lower()):
        return "html"
    fmt = SUFFIXES.get(suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(f"不支持的文件类型“{suffix or '无后缀'}”：支持 PDF、HTML、TXT、Markdown",
                                f"unsupported file type {suffix or '(no suffix)'!r}: "
                                "PDF, HTML, text and Markdown are supported")
    return fmt


def read_bytes(data: bytes, path: str = "", fmt: str | None = None) -> Layout:
    """Read a file's bytes into a Layout."""
    if not data.strip():
        raise EmptyFile("文件为空", "the file is empty")
    fmt = fmt or sniff_format(data, Path(path).suffix)
    if fmt == "pdf":
        from auditor.read.pdf import read_pdf
        layout = read_pdf(data)
    elif fmt == "html":
        from auditor.read.html import read_html
        layout = read_html(data)
    else:
        from auditor.read.text import read_text
        layout = read_text(data, markdown=(fmt == "markdown"))
    layout.path = path
    layout.sha256 = hashlib.sha256(data).hexdigest()
    return layout


def read(path: str | Path) -> Layout:
    """Read the file at ``path`` into a Layout; raises :class:`InputError` with a user message."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{p}", f"no such file: {p}") from None
    except IsADirectoryError:
        raise InputError(f"这是文件夹，不是文件：{p}", f"is a folder, not a file: {p}") from None
    except OSError as e:
        raise InputError(f"无法读取文件：{p}（{e.strerror}）", f"cannot read {p}: {e.strerror}") from None
    return read_bytes(data, str(path))
