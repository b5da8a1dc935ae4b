"""Generated PDFs (reportlab, STSong-Light CID font) read back cell for cell."""
from __future__ import annotations

import pytest

from auditor.parse import parse_layout
from auditor.read import read_bytes
from tests.corpus.document import make_report
from tests.corpus.pdfgen import Style, render_pdf
from tests.read.helpers import cell_count, row_starting, rows_of, table_diff

STYLES = {
    "ruled-lines": Style(),
    "ruled-rects-cn-footer-header": Style(rules="rects", furniture="cn", header="某某县商务局政府信息公开"),
    "review-header-single-chars": Style(review_col=14, fake_bold=True, furniture="slash"),
    "wrapped-labels-split-header": Style(label_scale=0.55, space_before_requests=3),
    "plain-text-table": Style(ruled=False),
    "plain-text-wide-labels": Style(ruled=False, label_scale=2.2, furniture=None),
    "short-pages": Style(page_h=560, furniture="cn"),
}


@pytest.fixture(scope="module")
def corpus():
    cache = {}

    def get(template, name):
        key = (template, name)
        if key not in cache:
            report = make_report(template, start=11 if template == "2021" else 301)
            data = render_pdf(report, STYLES[name])
            cache[key] = report, data, read_bytes(data, f"{name}.pdf")
        return cache[key]
    return get


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_cell_read(corpus, template, name):
    report, _, layout = corpus(template, name)
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == []
    assert len(doc["cells"]) >= cell_count(report.tables) - 1   # provenance for every numeric cell
    assert all(c.get("page") for c in doc["cells"])
    assert doc["agency"] == report.agency and doc["year"] == report.year
    assert doc["template"] == template
    assert sorted(doc["sections"]) == sorted(["overall", "proactive", "requests", "review_litigation",
                                              "problems", "other"])
    assert doc["statistics_period"]["start"] == f"{report.year}-01-01"


def test_ruled_rows_are_exact_cells(corpus):
    _, _, layout = corpus("2021", "ruled-lines")
    row = row_starting(layout, "2.其他法律行政法规禁止公开")
    assert row.exact_cells and row.cells[0] == "2.其他法律行政法规禁止公开"
    assert row.cells[1:] == [str(n) for n in range(56, 63)]
    # a rowspan group label is emitted once, in the row where it starts
    first = row_starting(layout, "(三)不予公开")
    assert first.cells[:2] == ["(三)不予公开", "1.属于国家秘密"] and len(first.cells) == 9
    assert sum("(三)不予公开" in l.cells for l in layout.lines if l.cells) == 1


def test_wrapped_labels_become_one_cell(corpus):
    _, _, layout = corpus("2021", "wrapped-labels-split-header")
    labels = [c for cells in rows_of(layout) for c in cells]
    assert "5.要求行政机关确认或重新出具已获取信息" in labels
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels
    assert "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)" in labels


def test_merged_header_cells(corpus):
    _, _, layout = corpus("2021", "ruled-lines")
    rows = rows_of(layout, table=1)
    assert rows[0][-1] == "申请人情况"
    assert rows[1] == ["自然人", "法人或其他组织", "总计"]
    assert rows[2] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_review_header_broken_into_single_characters(corpus):
    _, _, layout = corpus("2021", "review-header-single-chars")
    rows = rows_of(layout, table=2)
    assert rows[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert len(rows[3]) == 15 and all(c.isdigit() for c in rows[3])


def test_table_split_across_pages_keeps_its_index(corpus):
    _, _, layout = corpus("2021", "wrapped-labels-split-header")
    table_rows = [l for l in layout.lines if l.table == 1]
    assert len({l.page for l in table_rows}) >= 2
    assert [l.table for l in layout.lines if l.table is not None] == sorted(
        l.table for l in layout.lines if l.table is not None)
    assert {l.table for l in layout.lines if l.table is not None} == {0, 1, 2}
    # the header row broken by the page: no padding cells left from the previous page
    assert ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] in rows_of(layout, 1)


@pytest.mark.parametrize("name", ["ruled-lines", "ruled-rects-cn-footer-header", "review-header-single-chars",
                                  "short-pages"])
def test_page_furniture_dropped(corpus, name):
    _, _, layout = corpus("2021", name)
    assert layout.pages >= 2
    texts = [l.text for l in layout.lines]
    assert not any(t.startswith(("- ", "第 ", "第1页", "第2页")) or "共" in t and "页" in t and len(t) < 12
                   for t in texts)
    assert "某某县商务局政府信息公开" not in texts
    for line in layout.lines:
        assert line.page is not None and line.number is not None


def test_line_numbers_restart_on_every_page(corpus):
    _, _, layout = corpus("2021", "short-pages")
    by_page = {}
    for line in layout.lines:
        by_page.setdefault(line.page, []).append(line.number)
    for numbers in by_page.values():
        assert numbers == list(range(1, len(numbers) + 1))


def _with_cells(template: str, **cells) -> "object":
    """The known report with some table-三 cells replaced (None = blank, "/" = placeholder)."""
    from tests.corpus import document as d
    report = make_report(template)
    for path, value in cells.items():
        row, col = path.split("__")
        report.tables["requests"][row][col] = value
    for block in report.blocks:
        if block.table is not None and block.table.key == "requests":
            block.table = d.requests_table(report.tables, template)
    return report


@pytest.mark.parametrize("ruled", [True, False])
def test_blank_slash_and_zero_stay_distinct(ruled):
    report = _with_cells("2021", granted__commercial=0, granted__research=None, granted__other="/")
    layout = read_bytes(render_pdf(report, Style(ruled=ruled)), "blank.pdf")
    row = row_starting(layout, "(一)予以公开")
    if ruled:
        assert row.exact_cells
        assert row.cells[-7:] == ["35", "0", "", "38", "39", "/", "41"]
    doc = parse_layout(layout)
    granted = doc["tables"]["requests"]["granted"]
    if ruled:                      # an unruled blank cell cannot be seen; only ruled grids keep it
        assert granted["research"] is None
        assert (granted["commercial"], granted["other"], granted["total"]) == (0, None, 41)
        raws = {c["column"]: c["raw"] for c in doc["cells"] if c["table"] == "requests" and c["row"] == "granted"}
        assert raws["commercial"] == "0" and raws["other"] == "/"
    else:                          # never a number that is not in the report
        assert set(granted.values()) <= {35, 0, 38, 39, 41, None}
