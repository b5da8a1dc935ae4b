"""A known report, as blocks (headings, paragraphs, tables of cells) that the PDF and HTML
generators render.  Every table cell holds a distinct non-zero value, so a value read into
the wrong row or column shows up when the parsed tables are compared with :attr:`Report.tables`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from auditor.templates import (PROACTIVE_COLUMN_LABELS, PROACTIVE_ROWS, REQUEST_COLUMNS, REVIEW_COLUMNS,
                               REVIEW_GROUPS, request_rows)


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    widths: list[float]                 # relative column widths
    rows: list[list[Cell]]              # cells where they start, in column order
    key: str = ""                       # proactive | requests | review_litigation


@dataclass
class Block:
    kind: str                           # title | heading | para | table
    text: str = ""
    table: Table | None = None


@dataclass
class Report:
    agency: str
    year: int
    template: str
    tables: dict
    blocks: list[Block] = field(default_factory=list)
    printed_title: str = ""             # the title as printed, when it is not the usual form

    @property
    def title(self) -> str:
        return self.printed_title or f"{self.agency}{self.year}年政府信息公开工作年度报告"


def distinct_tables(template: str = "2021", start: int = 11) -> dict:
    """Every cell a different non-zero number (money as a decimal)."""
    n = start
    proactive = {}
    for row in PROACTIVE_ROWS[template]:
        proactive[row.key] = {}
        for col in row.columns:
            proactive[row.key][col] = round(n + 0.25, 2) if col in row.money else n
            n += 1
    requests = {}
    for row in request_rows(template):
        requests[row.key] = {}
        for col in REQUEST_COLUMNS:
            requests[row.key][col] = n
            n += 1
    review = {}
    for group in REVIEW_GROUPS:
        review[group] = {}
        for col in REVIEW_COLUMNS:
            review[group][col] = n
            n += 1
    return {"proactive": proactive, "requests": requests, "review_litigation": review}


def _fmt(value) -> str:
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


CAPTIONS = {"regulations": "（一）", "normative_docs": "（一）", "licensing": "（五）",
            "other_services": "（五）", "punishment": "（六）", "enforcement": "（六）",
            "admin_fees": "（八）", "procurement": "（九）"}


def proactive_table(tables: dict, template: str) -> Table:
    rows: list[list[Cell]] = []
    caption = columns = None
    for row in PROACTIVE_ROWS[template]:
        if CAPTIONS[row.key] != caption:
            caption = CAPTIONS[row.key]
            rows.append([Cell(f"第二十条第{caption}项", colspan=4)])
            columns = None
        if row.columns != columns:
            columns = row.columns
            rows.append([Cell("信息内容")] + _spread([PROACTIVE_COLUMN_LABELS[c] for c in columns]))
        rows.append([Cell(row.label)] + _spread([_fmt(tables["proactive"][row.key][c]) for c in row.columns]))
    return Table([3, 2, 2, 2], rows, "proactive")


def _spread(texts: list[str]) -> list[Cell]:
    """Fill three value columns: the last text takes the columns left over."""
    cells = [Cell(t) for t in texts]
    cells[-1].colspan = 3 - len(texts) + 1
    return cells


GROUP_LABELS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理",
                "other": "（六）其他处理"}


def requests_table(tables: dict, template: str) -> Table:
    """Table 三 in the national layout: 3 label columns, 7 value columns."""
    rows = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell("商业企业"), Cell("科研机构"), Cell("社会公益组织"), Cell("法律服务机构"), Cell("其他")],
    ]
    rs = request_rows(template)
    result_rows = [r for r in rs if r.result]
    groups: dict[str, int] = {}
    for r in rs:
        if r.group and r.group != "other" or (r.group == "other" and template == "2021"):
            groups[r.group] = groups.get(r.group, 0) + 1
    seen: set[str] = set()
    first_result = True
    for r in rs:
        values = [Cell(_fmt(tables["requests"][r.key][c])) for c in REQUEST_COLUMNS]
        label: list[Cell] = []
        if r.result and first_result:
            label.append(Cell("三、本年度办理结果", rowspan=len(result_rows) + 1))
            first_result = False
        if r.key in ("new_received", "carried_over", "carried_forward"):
            label = [Cell(r.label, colspan=3)]
        elif r.group in groups:
            if r.group not in seen:
                seen.add(r.group)
                label.append(Cell(GROUP_LABELS[r.group], rowspan=groups[r.group]))
            label.append(Cell(r.label))
        else:
            label.append(Cell(r.label, colspan=2))
        rows.append(label + values)
    return Table([2.2, 2.6, 5.2] + [1.4] * 7, rows, "requests")


def review_table(tables: dict) -> Table:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(h, rowspan=2) for h in heads] + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(h) for h in heads * 2],
        [Cell(_fmt(tables["review_litigation"][g][c])) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS],
    ]
    return Table([1] * 15, rows, "review_litigation")


def make_report(template: str = "2021", year: int = 2023, agency: str = "某某县商务局", start: int = 11,
                long_text: int = 1) -> Report:
    """The generating document: title, preamble with the period, six sections, three tables."""
    tables = distinct_tables(template, start)
    filler = ("本机关坚持以公开为常态、不公开为例外，围绕群众关切做好政府信息公开工作，"
              "及时发布政策文件和解读材料，规范依申请公开办理流程。") * long_text
    b = [Block("title", f"{agency}{year}年政府信息公开工作年度报告"),
         Block("para", f"本报告由{agency}根据《中华人民共和国政府信息公开条例》要求编制。"
                       f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。"),
         Block("heading", "一、总体情况"),
         Block("para", "（一）主动公开。" + filler),
         Block("para", "（二）依申请公开。本年度依法办理政府信息公开申请。（三）政府信息管理。"
                       "（四）政府信息公开平台建设。（五）监督保障。" + filler),
         Block("heading", "二、主动公开政府信息情况"),
         Block("table", table=proactive_table(tables, template)),
         Block("heading", "三、收到和处理政府信息公开申请情况"),
         Block("table", table=requests_table(tables, template)),
         Block("heading", "四、政府信息公开行政复议、行政诉讼情况"),
         Block("table", table=review_table(tables)),
         Block("heading", "五、存在的主要问题及改进情况"),
         Block("para", "一是政策解读形式较为单一；二是公开内容的及时性有待提高。针对上年度报告指出的问题，"
                       "本年度已逐项整改到位。下一步将加强业务培训。" + filler),
         Block("heading", "六、其他需要报告的事项"),
         Block("para", "本年度未发出收费通知，未收取信息处理费。" if template == "2021" else "无其他需要报告的事项。")]
    return Report(agency, year, template, tables, b)
