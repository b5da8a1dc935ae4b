"""Reports that sit in a page script string or in a CMS JSON file: found, unescaped, noted, and
audited like the same report as a page."""
from __future__ import annotations

import json

import pytest

from auditor.errors import CorruptFile, NotAReport
from auditor.parse import parse_layout
from auditor.read import read_bytes
from auditor.read.html import js_unescape, read_html, string_values
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, body_html, render_html
from tests.read.helpers import table_diff


def _js_single(text: str, chunk: int = 400) -> str:
    """``text`` as single-quoted JavaScript literals joined by ``+`` over several lines."""
    parts = [text[i:i + chunk] for i in range(0, len(text), chunk)]
    quoted = ["'" + p.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'" for p in parts]
    return " +\n    ".join(quoted)


def _json_escaped(text: str) -> str:
    """JSON.stringify as some CMSs write it: ASCII only (\\u escapes) and ``\\/``."""
    return json.dumps(text, ensure_ascii=True).replace("/", "\\/")


EMBEDDINGS = {
    "let-json-string": lambda body: f"let content = {_json_escaped(body)};\n"
                                    "document.getElementById('zoom').innerHTML = content;",
    "var-single-quoted-concat": lambda body: f"var html = {_js_single(body)};\n$('#zoom').html(html);",
    "json-data-object": lambda body: "window.__DATA__ = " + json.dumps(
        {"article": {"id": 7, "content": body, "tags": ["年报"]}}, ensure_ascii=False) + ";",
    "entity-escaped-markup": lambda body: "var c = " + json.dumps(
        body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), ensure_ascii=False) + ";",
    "numeric-entities": lambda body: "var c = " + json.dumps(
        "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in body)) + ";",
    "html-template": lambda body: body,      # <script type="text/html">: markup, not a string
}


def _page_with_script(report, how: str, style: HtmlStyle) -> bytes:
    """The report's page with its article emptied and the article's markup in a script."""
    page = render_html(report, style).decode("utf-8")
    body = body_html(report, style)
    assert body in page
    kind = "text/html" if how == "html-template" else "text/javascript"
    script = f'<script type="{kind}" id="article">\n{EMBEDDINGS[how](body)}\n</script>'
    return page.replace(body, "").replace("</body>", script + "\n</body>").encode("utf-8")


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("how", sorted(EMBEDDINGS))
def test_report_in_script_read_like_the_page(template, how):
    report = make_report(template, start=41)
    style = HtmlStyle(split_numbers=True, br_labels=True, nbsp=True)
    layout = read_bytes(_page_with_script(report, how, style), "report.shtml")
    assert "report-in-script" in [n["code"] for n in layout.notes]
    doc = parse_layout(layout)
    page_doc = parse_layout(read_bytes(render_html(report, style), "report.html"))
    assert table_diff(report.tables, doc) == []
    for key in ("title", "agency", "year", "template"):
        assert doc[key] == page_doc[key]
    assert doc["sections"].keys() == page_doc["sections"].keys()
    assert [s["text"] for s in doc["sections"].values()] == [s["text"] for s in page_doc["sections"].values()]
    assert doc["source"]["published"] == page_doc["source"]["published"] == "2024-01-25"


def test_script_report_audited_like_the_page(loaded):
    from auditor.pipeline import audit_document
    config, host = loaded
    report = make_report("2021", start=41)
    style = HtmlStyle()
    entries = []
    for data, name in ((render_html(report, style), "page.html"),
                       (_page_with_script(report, "let-json-string", style), "script.html")):
        doc = parse_layout(read_bytes(data, name))
        entry = audit_document(doc, config, host, path=name)
        entries.append((entry["score"], entry["grade"], sorted(f["code"] for f in entry["findings"])))
    assert entries[0] == entries[1]


def test_visible_report_wins_and_small_scripts_are_ignored():
    report = make_report("2021")
    layout = read_html(render_html(report))              # its scripts hold document.write('<div>…')
    assert not [n for n in layout.notes if n["code"] == "report-in-script"]
    nav = ("<html><body><div class=nav><a href=/>首页</a></div><script>var s = '<p>政府信息公开</p>';"
           "</script></body></html>").encode()
    assert [l.text for l in read_html(nav).lines] == ["首页"]


def test_js_unescape_and_string_values():
    assert js_unescape(r"\u653f\u5e9c\/a\"b\'c\\d\n\x41\u{1F600}") == "政府/a\"b'c\\d\nA\U0001F600"
    assert js_unescape(r"\ud83d\ude00") == "\U0001F600"
    code = "var a = 'x' + \"y\"; // it's\nvar b = `z\n${1}`;"
    assert list(string_values(code)) == [(8, "xy"), (35, "z\n${1}")]   # the comment's quote spoils nothing


def _article(report, **extra) -> dict:
    return {"title": report.title, "content": body_html(report, HtmlStyle()), **extra}


@pytest.mark.parametrize("shape", ["api-answer", "list-of-articles", "gbk-record"])
def test_cms_json_article(shape):
    report = make_report("2019", start=71)
    if shape == "api-answer":
        blob = json.dumps({"code": 200, "msg": "ok", "data": _article(report, publishDate="2024-03-05 10:00:00")},
                          ensure_ascii=True, indent=2).encode()
    elif shape == "list-of-articles":
        other = {"title": "某某县政府信息公开指南", "content": "<p>一、主动公开</p>", "pub_date": "2020-01-01"}
        blob = json.dumps({"list": [other, _article(report, pub_date="2024/3/5")]}, ensure_ascii=False).encode()
    else:
        blob = json.dumps(_article(report, fbsj="2024年3月5日"), ensure_ascii=False).encode("gbk")
    layout = read_bytes(blob, "article.json")
    assert [n["code"] for n in layout.notes][0] == "report-in-json"
    assert layout.published == "2024-03-05"
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == []
    assert doc["title"] == report.title and len(doc["sections"]) == 6
    assert doc["source"]["format"] == "html"


def test_json_with_several_reports_reads_the_fullest_and_says_so():
    full, short = make_report("2021", start=11), make_report("2021", start=11, long_text=0)
    records = [_article(short, pubDate="2023-01-01"), _article(full, pubDate="2024-01-02")]
    layout = read_bytes(json.dumps({"rows": records}, ensure_ascii=False).encode(), "list.json")
    assert layout.published == "2024-01-02"                 # the longer one, with its own date
    assert "1 other string(s) also held a report" in layout.notes[0]["message_en"]
    assert "另有 1 个字符串" in layout.notes[0]["message"]


def test_bad_json_files():
    with pytest.raises(CorruptFile):
        read_bytes(b'{"title": "x", "content": ', "broken.json")
    with pytest.raises(NotAReport):
        read_bytes(json.dumps({"title": "通知", "content": "<p>开会</p>"}).encode(), "notice.json")
