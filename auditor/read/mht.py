"""Web archives (MHTML: ``.mht``, ``.mhtml``, and the "single file web page" Word saves, often
published under a ``.doc`` name) → the HTML reader.

The archive is a MIME message (:mod:`email`); its first ``text/html`` part is the page, decoded
from its transfer encoding and charset, and read by :func:`auditor.read.html.read_html`.
"""
from __future__ import annotations

import codecs
import email
import email.policy
import re

from auditor.errors import CorruptFile
from auditor.layout import Layout

_HEADER = re.compile(rb"\s*[A-Za-z][\w-]*:")


def is_mht(head: bytes) -> bool:
    """A MIME message (it starts with a header) whose headers name a multipart/related archive."""
    low = head[:2048].lower()
    return bool(_HEADER.match(head)) and b"mime-version:" in low and b"multipart/related" in low


def read_mht(data: bytes) -> Layout:
    """Read the page of a web archive (CorruptFile when it holds none)."""
    from auditor.read.html import codec_for, read_html
    message = email.message_from_bytes(data, policy=email.policy.default)
    page = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    if page is None:
        raise CorruptFile("网页存档（MHT）中没有网页内容", "the web archive (MHT) holds no HTML page")
    body = page.get_payload(decode=True) or b""
    charset = codec_for(page.get_content_charset() or "")
    if charset:
        try:
            body = codecs.BOM_UTF8 + body.decode(charset).encode("utf-8")   # the BOM outranks <meta charset>
        except (LookupError, UnicodeError):   # UnicodeEncodeError: a codec that yields surrogates
            pass                  # a wrong label: the HTML reader sniffs the bytes itself
    layout = read_html(body)
    layout.meta["container"] = "mht"
    return layout
