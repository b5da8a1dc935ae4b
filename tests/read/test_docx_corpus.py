"""Word reports typed in Word (python-docx) read back cell for cell: merged cells, runs, split
tables, blank and placeholder cells, evidence pointing at the Word table cell."""
from __future__ import annotations

import io
from functools import lru_cache

import pytest

from auditor.parse import parse_layout
from auditor.read import read_bytes
from auditor.read.docx import paragraph_text, read_docx
from tests.corpus.document import make_report
from tests.corpus.docxgen import DocxStyle, render_docx, with_blanks
from tests.read.helpers import layout_json, row_starting, table_diff

docx = pytest.importorskip("docx")

STYLES = {
    "typed": DocxStyle(),
    "split-table-repeated-header": DocxStyle(split_table=True, heading_styles=False),
    "split-table-paragraph-labels": DocxStyle(split_table=True, repeat_header=False, paragraph_labels=True,
                                              split_runs=False),
    "auto-numbered-labels": DocxStyle(auto_numbering=True),
}
BLANKS = {("requests", "new_received", "natural_person"): "",
          ("requests", "granted", "commercial"): "/",
          ("review_litigation", "review", "corrected"): "—"}


def _blanks(report) -> dict:
    """BLANKS and the regulations row's second column (named differently in each template)."""
    second = list(report.tables["proactive"]["regulations"])[1]
    return {**BLANKS, ("proactive", "regulations", second): ""}


@lru_cache(maxsize=None)
def _docx(template: str, name: str, blanks: bool = False) -> tuple[object, bytes]:
    report = make_report(template, start=21 if template == "2021" else 401)
    if blanks:
        with_blanks(report, _blanks(report))
    return report, render_docx(report, STYLES[name])


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_cell_section_and_period(template, name):
    report, data = _docx(template, name)
    layout = read_bytes(data, f"{name}.docx")
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == []
    assert (doc["agency"], doc["year"], doc["template"]) == (report.agency, report.year, template)
    assert doc["title"] == report.title
    assert [s["heading"] for s in doc["sections"].values()] == \
        [b.text for b in report.blocks if b.kind == "heading"]
    assert doc["statistics_period"]["start"] == f"{report.year}-01-01"
    assert doc["statistics_period"]["end"] == f"{report.year}-12-31"
    assert doc["source"]["format"] == "docx"


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_blank_slash_and_dash_cells_stay_distinct(template):
    report, data = _docx(template, "split-table-repeated-header", blanks=True)
    doc = parse_layout(read_docx(data, "r.docx"))
    assert table_diff(report.tables, doc) == []          # None where the report has no number
    raw = {(c["table"], c["row"], c["column"]): c["raw"] for c in doc["cells"]}
    assert {k: raw[k] for k in _blanks(report)} == _blanks(report)


@pytest.mark.parametrize("name", sorted(STYLES))
def test_cells_point_at_the_word_table_cell(name):
    """Every cell's ``source`` names the Word table, row and grid column that holds its text
    (checked with python-docx's own grid-aligned cells)."""
    report, data = _docx("2021", name)
    doc = parse_layout(read_docx(data, "r.docx"))
    word = docx.Document(io.BytesIO(data))
    sources = [c for c in doc["cells"] if "source" in c]
    assert len(sources) == len(doc["cells"]) > 150
    for c in sources:
        s = c["source"]
        cell = word.tables[s["table"] - 1].rows[s["row"] - 1].cells[s["column"] - 1]
        assert " ".join(cell.text.split()) == c["raw"], c
    tables = {c["source"]["table"] for c in sources}
    assert tables == ({1, 2, 3, 4} if STYLES[name].split_table else {1, 2, 3})


def test_split_table_is_one_table_without_repeated_header():
    _, data = _docx("2021", "split-table-repeated-header")
    layout = read_docx(data, "r.docx")
    assert [n["code"] for n in layout.notes] == ["docx-table-joined"]
    assert {l.table for l in layout.lines if l.cells} == {0, 1, 2}
    heads = [l for l in layout.lines if l.cells and "商业企业" in l.cells]
    assert len(heads) == 1                               # the repeated header rows are gone
    first, second = row_starting(layout, "二、上年结转政府信息公开申请数量"), row_starting(layout, "(一)予以公开")
    assert first.table == second.table == 1
    assert (first.refs[0]["table"], second.refs[0]["table"]) == (2, 3)


def test_merged_cells_once_where_they_start():
    _, data = _docx("2021", "typed")
    layout = read_docx(data, "r.docx")
    first = row_starting(layout, "(三)不予公开")        # a vertically merged group label
    assert first.cells[:2] == ["(三)不予公开", "1.属于国家秘密"] and len(first.cells) == 9
    assert len(row_starting(layout, "2.其他法律行政法规禁止公开").cells) == 8
    head = row_starting(layout, "申请人情况")              # gridSpan 3 + rowspan 3, then gridSpan 7
    assert len(head.cells) == 2 and [r["column"] for r in head.refs] == [1, 4]
    assert all(l.exact_cells for l in layout.lines if l.cells)


def test_numbers_split_over_runs_and_lines_numbered_by_paragraph():
    report, data = _docx("2021", "typed")
    layout = read_docx(data, "r.docx")
    row = row_starting(layout, "5.要求行政机关确认或重新出具已获取信息")
    assert row.cells[-7:] == [str(v) for v in report.tables["requests"]["not_processed_confirm"].values()]
    numbers = [l.number for l in layout.lines]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert layout.meta["paragraphs"] >= numbers[-1]


def test_same_bytes_same_layout():
    _, data = _docx("2019", "split-table-paragraph-labels")
    assert layout_json(read_docx(data, "a.docx")) == layout_json(read_docx(data, "a.docx"))


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _p(xml: str):
    from lxml import etree
    return etree.fromstring(f"<w:p {W}>{xml}</w:p>")


def test_paragraph_text_runs_revisions_hidden_and_breaks():
    p = _p('<w:r><w:t>本年新收</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1</w:t></w:r>'
           '<w:ins><w:r><w:t>2</w:t></w:r></w:ins><w:del><w:r><w:delText>9</w:delText></w:r></w:del>'
           '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
           '<w:hyperlink><w:r><w:t xml:space="preserve"> 件</w:t></w:r></w:hyperlink>'
           '<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>/</w:t></w:r>')
    assert paragraph_text(p) == "本年新收12 件\n第二行\t/"


def test_columns_typed_with_tabs_are_cells():
    body = "".join(f"<w:p><w:r><w:t>{a}</w:t><w:tab/><w:t>{b}</w:t><w:tab/><w:tab/><w:t>{c}</w:t></w:r></w:p>"
                   for a, b, c in (("信息内容", "本年新制作数量", "本年新公开数量"), ("规章", "12", "0")))
    body += "<w:p><w:r><w:tab/><w:t>缩进的一段</w:t></w:r></w:p>"
    layout = read_docx(_document(body), "x.docx")
    assert [(l.cells, l.exact_cells) for l in layout.lines] == [
        (["信息内容", "本年新制作数量", "", "本年新公开数量"], False), (["规章", "12", "", "0"], False),
        (None, False)]
    assert layout.lines[-1].text == "缩进的一段"


def _document(body: str) -> bytes:
    """A DOCX whose body is ``body`` (python-docx's default package, body replaced)."""
    from lxml import etree
    d = docx.Document()
    el = d.element.body
    for child in list(el):
        if child.tag.endswith("}sectPr"):
            continue
        el.remove(child)
    for child in reversed(etree.fromstring(f"<w:body {W}>{body}</w:body>")):
        el.insert(0, child)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_layout_table_read_as_text_and_content_controls_opened():
    inner = f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{_tc('行政许可')}{_tc('12')}</w:tr></w:tbl>"
    body = (f"<w:sdt><w:sdtContent><w:p><w:r><w:t>前言</w:t></w:r></w:p></w:sdtContent></w:sdt>"
            f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>外层</w:t></w:r></w:p>"
            f"{inner}<w:p/></w:tc></w:tr></w:tbl>")
    layout = read_docx(_document(body), "x.docx")
    assert [(l.text, l.cells, l.table) for l in layout.lines] == [
        ("前言", None, None), ("外层", None, None), ("行政许可\t12", ["行政许可", "12"], 0)]
    assert layout.lines[-1].refs == [{"table": 2, "row": 1, "column": 1}, {"table": 2, "row": 1, "column": 2}]


def test_grid_before_hmerge_and_tables_with_other_columns_not_joined():
    restart, merged = '<w:hMerge w:val="restart"/>', "<w:hMerge/>"
    t1 = (f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
          f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{_tc("甲")}{_tc("1")}</w:tr>'
          f"<w:tr>{_tc('乙', restart)}{_tc('', merged)}{_tc('/')}</w:tr></w:tbl>")
    deleted = f"<w:tr><w:trPr><w:del/></w:trPr>{_tc('删')}{_tc('9')}</w:tr>"     # a tracked deletion
    t2 = f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{deleted}<w:tr>{_tc('丙')}{_tc('2')}</w:tr></w:tbl>"
    layout = read_docx(_document(t1 + "<w:p/>" + t2), "x.docx")
    assert [(l.cells, l.table) for l in layout.lines] == [(["甲", "1"], 0), (["乙", "/"], 0), (["丙", "2"], 1)]
    assert [r["column"] for r in layout.lines[0].refs] == [2, 3]
    assert layout.lines[-1].refs[0]["row"] == 2 and layout.lines[-1].number == 9   # 5 + 1 + 2 paragraphs before
    assert layout.notes == []


def test_chinese_counting_and_number_formats():
    from auditor.read.wordnum import chinese, format_number
    assert [chinese(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 119)] == \
        ["一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一百一十九"]
    assert [format_number(3, f) for f in ("decimal", "chineseCounting", "ideographTraditional", "upperRoman",
                                          "lowerLetter", "decimalEnclosedCircle", "decimalZero")] == \
        ["3", "三", "丙", "III", "c", "③", "03"]


def test_numbering_from_styles_levels_and_restarts():
    """Style-carried numbering (inherited through basedOn), a second level restarting under each
    first-level item, a paragraph that switches numbering off, bullets without a label."""
    from lxml import etree
    from auditor.read.wordnum import Numbering
    numbering = etree.fromstring(
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/></w:lvl>'
        '</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
        '</w:numbering>')
    styles = etree.fromstring(
        f'<w:styles {W}><w:style w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>'
        '<w:style w:styleId="MyHeading"><w:basedOn w:val="H1"/></w:style></w:styles>')
    n = Numbering(numbering, styles)

    def p(props: str):
        return _p(f"<w:pPr>{props}</w:pPr><w:r><w:t>x</w:t></w:r>")

    lvl = '<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{}"/></w:numPr>'
    got = [n.label(p('<w:pStyle w:val="MyHeading"/>')), n.label(p(lvl.format(1, 5))), n.label(p(lvl.format(1, 5))),
           n.label(p(lvl.format(2, 5))), n.label(p('<w:pStyle w:val="H1"/>')), n.label(p(lvl.format(1, 5))),
           n.label(p('<w:pStyle w:val="H1"/>' + lvl.format(0, 0))), n.label(p(lvl.format(0, 6))), n.label(p(""))]
    assert got == ["一、", "（一）", "（二）", "一.1", "二、", "（一）", "", "", ""]   # each level in its own format


def test_imported_html_chunk_read_in_place():
    """A CMS "export to Word" document: the report page imported whole as an altChunk."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree
    from tests.corpus.htmlgen import HtmlStyle, render_html
    report = make_report("2021", start=91)
    d = docx.Document()
    d.add_paragraph("导出时间：2024-01-25")
    parts = [Part(PackURI("/word/chunk1.html"), "text/html", render_html(report, HtmlStyle()), d.part.package),
             Part(PackURI("/word/chunk2.rtf"), "application/rtf", b"{\\rtf1 }", d.part.package)]
    for part in parts:
        rid = d.part.relate_to(part, RT.A_F_CHUNK)
        d.element.body.insert(1, etree.fromstring(
            f'<w:altChunk {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            f'r:id="{rid}"/>'))
    out = io.BytesIO()
    d.save(out)
    layout = read_docx(out.getvalue(), "export.docx")
    assert [n["code"] for n in layout.notes] == ["docx-imported-chunk", "docx-chunk-skipped"]
    assert "application/rtf" in layout.notes[1]["message_en"]
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == [] and doc["title"] == report.title
