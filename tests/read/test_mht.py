"""Web archives (MHT), as browsers and Word save them, read like the page they hold."""
from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from auditor.errors import CorruptFile
from auditor.parse import parse_layout
from auditor.read import read_bytes
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, render_html
from tests.read.helpers import table_diff


def _mht(page: str, charset: str, encoding: str) -> bytes:
    """``page`` archived as Word's "single file web page": multipart/related, the page first."""
    archive = MIMEMultipart("related", type="text/html")
    part = MIMEText(page, "html", charset)
    if encoding == "quoted-printable":
        from email import charset as cs
        c = cs.Charset(charset)
        c.body_encoding = cs.QP
        part = MIMEText(page, "html", c)
    part["Content-Location"] = "file:///C:/report.htm"
    archive.attach(part)
    archive.attach(MIMEText("v\\:* {behavior:url(#default#VML);}", "css", "utf-8"))
    return archive.as_bytes()


@pytest.mark.parametrize("charset,encoding,name", [("gb2312", "quoted-printable", "report.mht"),
                                                   ("utf-8", "base64", "report.doc")])
def test_archived_page_read_like_the_page(charset, encoding, name):
    report = make_report("2021", start=51)
    style = HtmlStyle(encoding="gb2312" if charset == "gb2312" else "utf-8", split_numbers=True)
    page = render_html(report, style).decode("gb18030" if charset == "gb2312" else "utf-8")
    layout = read_bytes(_mht(page, "gb18030" if charset == "gb2312" else charset, encoding), name)
    assert layout.meta["container"] == "mht" and layout.format == "html"
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == [] and doc["title"] == report.title
    assert layout.published == "2024-01-25"


def test_archive_without_a_page():
    archive = MIMEMultipart("related")
    archive.attach(MIMEText("body {}", "css", "utf-8"))
    with pytest.raises(CorruptFile):
        read_bytes(archive.as_bytes(), "empty.mht")
