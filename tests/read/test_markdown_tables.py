"""Markdown tables as converters write them: merged cells, missing outer pipes, grid tables,
HTML inside Markdown, <br> — and the report's own blanks kept apart from converter padding."""
from __future__ import annotations

from auditor.read import read_bytes
from auditor.read.mdtables import table_lines


def _rows(text: str) -> list[list[str]]:
    return [l.cells for l in read_bytes(text.encode(), "r.md").lines if l.cells is not None]


def test_padding_after_a_label_is_not_a_blank_but_a_blank_value_is():
    lines = table_lines([
        (1, ["(本列数据的勾稽关系为)", "", "", "申请人情况", "", "", "", "", "", ""]),
        (2, ["三、本年度办理结果", "(一)予以公开", "", "5", "", "/", "0", "1", "0", "6"]),
        (3, ["", "(三)不予公开", "1.属于国家秘密", "1", "2", "3", "4", "5", "6", "21"]),
        (4, ["一、本年新收政府信息公开申请数量", "", "", "2", "", "0", "0", "0", "0", "2"]),
    ])
    assert lines[0].cells == ["(本列数据的勾稽关系为)", "申请人情况"] and not lines[0].exact_cells
    assert lines[1].cells == ["三、本年度办理结果 (一)予以公开", "5", "", "/", "0", "1", "0", "6"]
    assert lines[2].cells == ["(三)不予公开 1.属于国家秘密", "1", "2", "3", "4", "5", "6", "21"]
    assert lines[3].cells == ["一、本年新收政府信息公开申请数量", "2", "", "0", "0", "0", "0", "2"]
    assert all(l.exact_cells for l in lines[1:])


def test_rows_without_outer_pipes_and_a_single_cell_first_row():
    text = "第二十条第(一)项\n---\n信息内容| 本年制发件数| 本年废止件数| 现行有效件数\n规章| 1| 2| 3\n" \
           "第二十条第(五)项\n信息内容| 本年处理决定数量\n行政许可| 17\n\n正文继续。\n"
    assert _rows(text) == [["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                           ["规章", "1", "2", "3"], ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"],
                           ["行政许可", "17"]]


def test_grid_table_cells_over_several_lines():
    text = ("+------+------+------+\n| 1.属 | 12   | 1    |\n| 于国 |      | 3    |\n| 家秘 |      |      |\n"
            "| 密   |      |      |\n+======+======+======+\n| 规章 | 7    | 8    |\n+------+------+------+\n")
    assert _rows(text) == [["1.属于国家秘密", "12", "1 3"], ["规章", "7", "8"]]


def test_html_table_inside_markdown_and_br_in_cells():
    text = ("## 二、主动公开政府信息情况\n\n<table>\n<tr><td>行政<br/>许可</td><td>9</td></tr>\n"
            "<tr><td>行政处罚</td><td>0</td></tr>\n</table>\n\n| 行政<br>强制 | <span lang=\"EN-US\">4</span> |\n")
    assert _rows(text) == [["行政许可", "9"], ["行政处罚", "0"], ["行政强制", "4"]]


def test_pandoc_spans_and_attributes_dropped():
    text = "# 某县2023年政府信息公开工作年度报告 {#title .article-title}\n\n::: main\n| 规章 | [1]{lang=\"EN-US\"}[2]{style=\"x\"} |\n:::\n"
    layout = read_bytes(text.encode(), "r.md")
    assert layout.lines[0].text == "某县2023年政府信息公开工作年度报告"
    assert [l.cells for l in layout.lines if l.cells] == [["规章", "12"]]
