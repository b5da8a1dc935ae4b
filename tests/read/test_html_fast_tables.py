"""Plain data tables are read by a fast path; it must give exactly what the tree builder gives."""
from __future__ import annotations

import dataclasses

import pytest

from auditor.read import html as H
from tests.conftest import REAL
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, render_html


def _pages() -> list[bytes]:
    pages = []
    for template in ("2021", "2019"):
        report = make_report(template)
        pages.append(render_html(report))
        for f in dataclasses.fields(HtmlStyle):
            default = getattr(HtmlStyle(), f.name)
            if isinstance(default, bool):
                pages.append(render_html(report, HtmlStyle(**{f.name: not default})))
    pages.append("<html><body><h1>某局2023年政府信息公开工作年度报告</h1><table>"
                 "<tr><td>规章</td><td><p>1</p><p>2</p></td><td>a <span>b</span>&nbsp;c<br>d</td></tr>"
                 "<tr><td colspan=2>x</td><td><a href='#'>link</a></td></tr></table>"
                 "<table><tr><td style='display:none'>9</td><td>8</td></tr></table></body></html>"
                 .encode("utf-8"))
    pages += [_page(table) for table in _TRICKY_TABLES]
    pages += [p.read_bytes() for p in sorted(REAL.glob("files/*.html"))] if REAL.exists() else []
    return pages


# Whitespace, entities, line breaks between Chinese characters and digits, full-width and
# traditional characters, empty cells and rows, text outside the cells, separator-like entities.
_TRICKY_TABLES = [
    "<tr>\r\n\t<th> 项目 </th><th>本年\n新收</th></tr>\n<tr><td>規章</td><td>\u3000１２\u3000</td></tr>",
    "<tr><td>政府信息<br>公开</td><td>1<br/>2</td><td>a<br>b</td><td>3 <br> 件</td><td>&nbsp;</td></tr>"
    "<tr><td></td><td>  </td></tr><tr></tr><tr><td>&lt;x&gt; &amp; &#20013;</td><td>-4.5</td></tr>",
    "<tbody>\n  <tr>\n    <td><p>第二十条\n第（一）项</p></td>\n    <td><span>1,234</span></td>\n  </tr>\n</tbody>",
    "<tr><td>a</td>stray text<td>1</td></tr><tr><td>2</td><td>3</td></tr>",
    "lead<tr><td>1</td><td>2</td></tr>",
    "<tr><td>1</td></tr>tail<tr><td>2</td></tr>",
    "<tr><td>&#x1f;1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>",
    "<tr><td class='title'>某局2023年政府信息公开工作年度报告</td></tr>",
    "<tr><td>数量</td><td>\u200b</td><td>５</td></tr>\u200b<tr><td>6</td><td>7</td></tr>",
]


def _page(table: str) -> bytes:
    return (f"<html><head><title>某局2023年政府信息公开工作年度报告</title></head><body>"
            f"<div><p>发布时间：2024-01-05</p><table border=1>{table}</table><p>正文</p></div>"
            f"</body></html>").encode("utf-8")


@pytest.mark.parametrize("index", range(len(_pages())))
def test_fast_path_equals_tree_builder(index, monkeypatch):
    page = _pages()[index]
    fast = H.read_html(page)
    monkeypatch.setattr(H, "_simple_table", lambda *a: None)
    slow = H.read_html(page)
    assert fast.lines == slow.lines
    assert (fast.published, fast.meta) == (slow.published, slow.meta)


def test_fast_path_is_taken_for_plain_tables_only(monkeypatch):
    taken = []
    original = H._simple_table
    monkeypatch.setattr(H, "_simple_table", lambda *a: taken.append(original(*a)) or taken[-1])
    H.read_html("<table><tr><td>规章</td><td>1</td></tr></table>"
                "<table><tr><td><a href='#'>x</a></td></tr></table>".encode("utf-8"))
    assert taken[0] is not None and taken[1] is None
