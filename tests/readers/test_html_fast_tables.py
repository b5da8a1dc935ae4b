"""Plain data tables are read by a fast path; it must give exactly what the tree builder gives."""
from __future__ import annotations

import dataclasses

import pytest

from auditor.readers import html as H
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
    pages += [p.read_bytes() for p in sorted(REAL.glob("files/*.html"))] if REAL.exists() else []
    return pages


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
