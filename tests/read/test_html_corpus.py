"""Generated CMS pages read back cell for cell; body, encoding, date and table handling."""
from __future__ import annotations

import re

import pytest

from auditor.parse import parse_layout
from auditor.read import read_bytes
from auditor.read import html as H
from auditor.read.html import build_tree, decode, iso_date, read_html
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, render_html
from tests.read.helpers import row_starting, rows_of, table_diff

STYLES = {
    "plain-utf8": HtmlStyle(),
    "gb2312-word-markup": HtmlStyle(encoding="gb2312", split_numbers=True, br_labels=True, nbsp=True,
                                    pubdate="text"),
    "gbk-http-equiv-layout-table": HtmlStyle(encoding="gbk", declare="http-equiv", layout_table=True,
                                             title_outside=False),
    "gb2312-undeclared-br-text": HtmlStyle(encoding="gb2312", declare="none", paragraphs_per_line=False,
                                           chrome=False, pubdate=None),
}


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_cell_read(template, name):
    report = make_report(template, start=21 if template == "2021" else 401)
    layout = read_bytes(render_html(report, STYLES[name]), f"{name}.html")
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == []
    assert (doc["agency"], doc["year"], doc["template"]) == (report.agency, report.year, template)
    assert doc["title"] == report.title
    assert len(doc["sections"]) == 6


@pytest.mark.parametrize("name", sorted(STYLES))
def test_navigation_and_footer_dropped(name):
    layout = read_html(render_html(make_report("2021"), STYLES[name]))
    text = "\n".join(l.text for l in layout.lines)
    for chrome in ("当前位置", "版权所有", "网站标识码", "相关链接", "政民互动", "打印本页", "document.write", "浏览次数"):
        assert chrome not in text, chrome
    assert layout.lines[0].text == make_report("2021").title


def test_publication_date():
    report = make_report("2021")
    assert read_html(render_html(report, HtmlStyle(pubdate="meta", date="2024-01-25"))).published == "2024-01-25"
    assert read_html(render_html(report, HtmlStyle(pubdate="text", date="2024-02-03"))).published == "2024-02-03"
    assert read_html(render_html(report, HtmlStyle(pubdate=None))).published is None


@pytest.mark.parametrize("meta", ['<meta name="publishdate" content="2023/2/20">',
                                  '<meta name="pubdate" content="2023-02-20T08:00:00+08:00">',
                                  '<meta property="article:published_time" content="2023-02-20">'])
def test_publication_date_metas(meta):
    page = f"<html><head>{meta}</head><body><p>报告</p></body></html>".encode()
    assert read_html(page).published == "2023-02-20"


def test_publication_date_text_forms():
    page = "<html><body><div class='info'>发布日期：2023年2月20日 来源：本站</div><div><p>正文</p></div></body></html>"
    assert read_html(page.encode("utf-8")).published == "2023-02-20"
    assert iso_date("2023.2.20") == "2023-02-20" and iso_date("2023-13-01") is None


def test_split_numbers_and_br_labels():
    report = make_report("2021")
    layout = read_html(render_html(report, STYLES["gb2312-word-markup"]))
    row = row_starting(layout, "5.要求行政机关确认或重新出具已获取信息")     # label broken by <br>
    want = [str(v) for v in report.tables["requests"]["not_processed_confirm"].values()]
    assert row.exact_cells and row.cells[-7:] == want and all(len(v) >= 2 for v in want)


def test_rowspan_label_emitted_once_and_grid_expanded(monkeypatch):
    html = render_html(make_report("2021"))
    layout = read_html(html)
    first = row_starting(layout, "(三)不予公开")
    assert first.cells[:2] == ["(三)不予公开", "1.属于国家秘密"] and len(first.cells) == 9
    nxt = row_starting(layout, "2.其他法律行政法规禁止公开")
    assert len(nxt.cells) == 8
    text, _ = decode(html)
    monkeypatch.setattr(H, "_simple_table", lambda *a: None)   # keep every <td> node
    builder = build_tree(text)
    tables = [n for n in _walk(builder.root) if n.tag == "table"]
    g = grid(tables[1])
    assert all(len(r) == 10 for r in g)            # 3 label + 7 value columns in every row
    assert g[0][0].startswith("(本列数据") and g[0][3] == "申请人情况" and g[1][3] == "自然人"
    assert g[5][0] == "三、本年度办理结果" and g[6][0] is None


def _walk(node):
    yield node
    for c in node.children:
        if hasattr(c, "tag"):
            yield from _walk(c)


def grid(node) -> list[list[str | None]]:
    """The table node's rowspan/colspan expanded into a rectangle of cell texts (what a reader
    of the page sees): a merged cell's text in its top-left slot, None in the slots it covers."""
    out: list[list[str | None]] = []
    pending: set[tuple[int, int]] = set()
    for r, tr in enumerate(n for n in _walk(node) if n.tag == "tr"):
        row: list[str | None] = []
        c = 0
        for cell in (e for e in tr.kids if e.tag in ("td", "th")):
            while (r, c) in pending:
                row.append(None)
                c += 1
            rs, cs = _span(cell.attrs.get("rowspan")), _span(cell.attrs.get("colspan"))
            row.append(H._finish(H._cell_text(cell)))
            row.extend([None] * (cs - 1))
            pending.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs) if dr or dc)
            c += cs
        while (r, c) in pending:
            row.append(None)
            c += 1
        out.append(row)
    return out


def _span(value: str | None) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(m.group(1)), 1000)) if m else 1


def test_encoding_sniffed_and_declared():
    page = "<html><head><meta charset=gb2312></head><body><p>予以公开 &nbsp;12&amp;3</p></body></html>"
    data = page.encode("gb18030")
    text, enc = decode(data)
    assert enc == "gb18030" and "予以公开" in text
    assert read_html(data).lines[0].text == "予以公开 12&3"
    undeclared = "<html><body><p>结转下年度继续办理</p></body></html>".encode("gbk")
    assert read_html(undeclared).lines[0].text == "结转下年度继续办理"
    # declared utf-8 but really GBK: sniffing wins over a wrong declaration
    wrong = "<html><head><meta charset='utf-8'></head><body><p>上年结转</p></body></html>".encode("gbk")
    assert read_html(wrong).lines[0].text == "上年结转"


def test_empty_cells_are_exact_blanks():
    page = ("<html><body><table><tr><td>（一）予以公开</td><td>1</td><td></td><td>&nbsp;</td><td>/</td>"
            "<td>0</td><td>2</td><td>3</td></tr></table></body></html>").encode()
    row = read_html(page).lines[0]
    assert row.exact_cells and row.cells == ["(一)予以公开", "1", "", "", "/", "0", "2", "3"]


def test_unclosed_tags_and_nested_layout():
    page = ("<html><body><div id=nav><a href=/>首页</a><a href=/x>政务公开</a></div>"
            "<table><tr><td><table><tr><td>导航</td></tr></table></td></tr>"
            "<tr><td><div class=content><p>某某县2023年政府信息公开工作年度报告<p>一、总体情况<p>本年度公开信息。"
            "<table><tr><td>行政许可<td>12<tr><td>行政处罚<td>34</table></div></td></tr></table>"
            "<div class=footer>版权所有</div></body></html>").encode()
    layout = read_html(page)
    texts = [l.text for l in layout.lines]
    assert texts[:3] == ["某某县2023年政府信息公开工作年度报告", "一、总体情况", "本年度公开信息。"]
    assert rows_of(layout) == [["行政许可", "12"], ["行政处罚", "34"]]
    assert "版权所有" not in texts and "首页" not in " ".join(texts)


def test_not_a_report_page_still_gives_a_layout():
    page = ("<html><head><title>某某县政府信息公开指南</title></head><body><div class=content>"
            "<h1>某某县政府信息公开指南</h1><p>一、主动公开</p><p>二、依申请公开</p></div></body></html>").encode()
    layout = read_html(page)
    assert [l.text for l in layout.lines][:2] == ["某某县政府信息公开指南", "一、主动公开"]
    from auditor.errors import NotAReport
    with pytest.raises(NotAReport):
        parse_layout(layout)


def test_source_line_numbers():
    page = "<html>\n<body>\n<div>\n<p>第一段</p>\n\n<p>第二段</p>\n</div>\n</body>\n</html>\n".encode()
    assert [(l.text, l.number) for l in read_html(page).lines] == [("第一段", 4), ("第二段", 6)]
