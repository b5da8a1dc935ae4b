"""Reports as people really write them (issue 16): a known report with the variation real
reports show, drawn by a seeded RNG, and the defects injected into it.

:func:`make_variant` builds a :class:`Variant` — the generating :class:`Report` (its tables are
the truth), the stated period, the agency and year the parser must find, and which rule codes
must fire (``injected``) or stay silent (``clean``) on it.  The kinds of variation:

1. the format: text, Markdown (by hand, by pandoc or html2text from the HTML page, HTML tables
   left inside Markdown), HTML, PDF — see :func:`render`;
2. the title: year first, ``…年度…``, over two or three lines, after junk lines (正文, 附件1,
   索引号/发布机构/发文日期, breadcrumbs, 字号 大 中 小, a date);
3. the statistics period in its phrasings, spaces between digits and 年/月/日, full-width
   digits, no year on the end date — or no period at all (D401);
4. a stale copy: an earlier year written as the text's own in 一, 五 and 六 (D403), beside
   clean reports that compare with or refer to the earlier year;
5. template deviations: （六）其他处理 as a single row in a 2021 report (S104), labels with a
   missing or wrong character (no finding), the 总计 column blank in every result row (A203),
   a 2021 report keeping the 2019 table 二 (S105);
6. narrative statements of table 三/四 figures, right or wrong (N501).
"""
from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass, field

from auditor.templates import REQUEST_APPLICANT_COLUMNS, request_rows
from tests.corpus.document import (Block, Report, Table, distinct_tables, proactive_table,
                                   requests_table, review_table)
from tests.corpus.pdfgen import _place

PLACES = "安平清河东阳长宁兴华永和新城南山江海临泉丰顺广德宝云"
LEVELS = ("市", "县", "区")
DEPARTMENTS = ("人民政府", "人民政府办公室", "商务局", "教育局", "自然资源和规划局", "卫生健康委员会",
               "市场监督管理局", "住房和城乡建设局", "交通运输局", "生态环境局")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Variant:
    report: Report
    format: str                              # text | markdown-* | html | pdf
    data: bytes = b""
    period: tuple[str, str] | None = None    # the period the report states
    injected: set[str] = field(default_factory=set)    # rule codes that must fire
    clean: set[str] = field(default_factory=set)       # rule codes checked that must not fire
    kinds: list[str] = field(default_factory=list)     # what was varied, for messages


# -- kind 2: agency and title ---------------------------------------------------------------

def agency_name(rng: random.Random) -> str:
    place = "".join(rng.sample(PLACES, 2))
    return place + rng.choice(LEVELS) + rng.choice(DEPARTMENTS)


def title_blocks(rng: random.Random, agency: str, year: int) -> tuple[str, list[Block]]:
    """The printed title and the blocks that print it (one to three lines, junk before)."""
    form = rng.choice(("agency-year", "year-first", "agency-year-du"))
    title = {"agency-year": f"{agency}{year}年政府信息公开工作年度报告",
             "year-first": f"{year}年{agency}政府信息公开工作年度报告",
             "agency-year-du": f"{agency}{year}年度政府信息公开工作年度报告"}[form]
    lines = [title]
    split = rng.random()
    if form != "year-first" and split < 0.3:
        cut = title.index(str(year))
        lines = [title[:cut], title[cut:]]
    elif split < 0.5:
        cut = title.index("政府信息公开") + len("政府信息公开")
        lines = [title[:cut], title[cut:]]
        if form != "year-first" and rng.random() < 0.5:
            first = lines[0].index(str(year))
            lines = [lines[0][:first], lines[0][first:], lines[1]]
    junk_pool = ["正文", "附件1", f"索引号：{rng.randint(10**8, 10**9)}/{year + 1}-{rng.randint(1, 99):05d}",
                 f"发布机构：{agency}", f"发文日期：{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
                 "当前位置：首页 > 政务公开 > 政府信息公开年度报告", "字号 大 中 小",
                 f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"]
    junk = rng.sample(junk_pool, rng.randint(0, 3))
    return title, [Block("para", j) for j in junk] + [Block("title", t) for t in lines]


# -- kind 3: the statistics period ----------------------------------------------------------

PERIOD_FORMS = (
    "本报告所列数据统计期限为{y}年1月1日至{y}年12月31日。",
    "本报告所列数据为{y}年1月1日至12月31日。",
    "统计期限从{y}年1月1日到{y}年12月31日止。",
    "本报告中所列数据统计时限自{y}年1月1日起至{y}年12月31日止。",
    "本报告统计期限为{y}年1—12月。",
    "本报告所列数据统计时间为{y}年1月1日至12月31日。",
)


def period_sentence(rng: random.Random, year: int) -> str:
    text = rng.choice(PERIOD_FORMS).format(y=year)
    if rng.random() < 0.25:                      # spaces between digits and 年/月/日
        text = "".join(f" {ch} " if ch in "年月日" and rng.random() < 0.7 else ch for ch in text)
    if rng.random() < 0.15:
        text = text.translate(FULL_WIDTH)
    return text


# -- kinds 4 and 6: the narrative -----------------------------------------------------------

def _total(tables: dict, *rows: str) -> int:
    return sum(tables["requests"][r]["total"] for r in rows)


def statements(rng: random.Random, tables: dict, template: str, wrong: bool) -> tuple[str, str]:
    """A sentence stating table 三 counts, and the kind of error put in it (or "")."""
    rows = [r.key for r in request_rows(template)]
    unable = [r for r in rows if r.startswith("unable_")]
    refused = [r for r in rows if r.startswith(("denied_", "unable_", "not_processed_"))]
    candidates = {
        "new": (f"本年新收政府信息公开申请{{n}}件", _total(tables, "new_received"),
                _total(tables, "new_received") + rng.choice((-1, 1))),
        "carried": ("上年结转{n}件", _total(tables, "carried_over"), _total(tables, "carried_over") + 1),
        "forward": ("结转下年度继续办理{n}件", _total(tables, "carried_forward"),
                    _total(tables, "carried_forward") - 1),
        "unable": ("无法提供{n}件", _total(tables, *unable), tables["requests"][rng.choice(unable)]["total"]),
        "granted": ("予以公开及部分公开{n}件", _total(tables, "granted", "partially_granted"),
                    tables["requests"]["granted"][rng.choice(REQUEST_APPLICANT_COLUMNS)]),
        "refused": ("不予公开、无法提供和不予处理共{n}件", _total(tables, *refused),
                    _total(tables, *[r for r in refused if r.startswith("denied_")])),
    }
    chosen = rng.sample(sorted(candidates), rng.randint(2, 4))
    bad = rng.choice(chosen) if wrong else ""
    parts = [candidates[k][0].format(n=candidates[k][2] if k == bad else candidates[k][1]) for k in chosen]
    return "（二）依申请公开。" + "，".join(parts) + "，均按时答复。", bad


def upheld_sentence(rng: random.Random, tables: dict, wrong: bool) -> str:
    """"行政复议…均获维持": true when the review group shows only upheld cases."""
    review = tables["review_litigation"]["review"]
    if not wrong:
        review.update(corrected=0, other=0, pending=0, total=review["upheld"])
    return rng.choice(("全年发生政府信息公开行政复议案件，均获维持。", "涉及政府信息公开的行政复议案件全部维持原决定。"))


def narrative(rng: random.Random, year: int, template: str, said: str, upheld: str,
              stale: bool) -> dict[str, str]:
    """Texts of 一, 五 and 六; a stale copy writes the year before as the text's own."""
    own = [f"{year}年，我局坚持以公开为常态、不公开为例外，全年主动公开政府信息{rng.randint(20, 400)}条",
           f"{year}年，我局政府信息公开工作取得一定成效，但仍存在不足",
           f"{year}年，我局未发出收费通知，未收取信息处理费" if template == "2021" else "无其他需要报告的事项"]
    if stale:
        picks = rng.sample(range(3), rng.randint(2, 3)) if template == "2021" else [0, 1]
        old = f"{year - 1}{rng.choice(('年', '年度'))}，"
        own = [t.replace(f"{year}年，", old, 1) if i in picks else t for i, t in enumerate(own)]
    compare = rng.choice(("", f"，较{year - 1}年增加{rng.randint(1, 30)}条", f"，与{year - 1}年相比有所增长"))
    refer = rng.choice(("", f"针对{year - 1}年度报告指出的问题，已逐项整改到位。",
                        f"落实{year - 1}年12月印发的《政务公开工作要点》。",
                        f"根据{year - 1}年修订的《政务公开工作规范》完善制度。",
                        f"{year - 1}年以来累计公开信息{rng.randint(300, 900)}条。"))
    return {
        "overall": f"（一）主动公开。{own[0]}{compare}。{refer}{said}{upheld}（三）政府信息管理。"
                   "（四）政府信息公开平台建设。（五）监督保障。开展年度考核。",
        "problems": f"{own[1]}：一是政策解读形式较为单一；二是公开内容的及时性有待提高。"
                    f"{year + 1}年，将加强业务培训。",
        "other": own[2] + "。",
    }


# -- kind 5: template deviations ------------------------------------------------------------

def single_other_row(tables: dict) -> None:
    """（六）其他处理 reported as one row in a 2021 report (the 2019 row)."""
    rows = tables["requests"]
    first = rows["other_no_correction"]
    for key in ("other_no_correction", "other_fee_unpaid", "other_other"):
        del rows[key]
    ordered = {}
    for key, value in rows.items():
        if key == "total_processed":
            ordered["other"] = first
        ordered[key] = value
    tables["requests"] = ordered


def misspell(rng: random.Random, table: Table, count: int, digit_first: bool) -> list[str]:
    """Drop or replace one character in ``count`` row labels of a table: table 三's numbered
    sub-rows (``digit_first``) or table 二's longer labels."""
    cells = [c for row in table.rows for c in (row if digit_first else row[:1])
             if (c.text[:1].isdigit() and len(c.text) >= 8 if digit_first else
                 len(c.text) >= 6 and not c.text[:1].isdigit() and c.text not in ("信息内容",)
                 and "第二十条" not in c.text)]
    changed = []
    for cell in rng.sample(cells, min(count, len(cells))):
        i = rng.randrange(2, len(cell.text) - 1)
        cell.text = cell.text[:i] + (rng.choice("的之其和") if rng.random() < 0.5 else "") + cell.text[i + 1:]
        changed.append(cell.text)
    return changed


def blank_totals(tables: dict) -> None:
    for row in tables["requests"].values():
        row["total"] = None


# -- the variant ------------------------------------------------------------------------------

def make_variant(seed: int, fmt: str | None = None) -> Variant:
    rng = random.Random(seed)
    template = rng.choice(("2021", "2021", "2019"))
    year = rng.randint(2021, 2024) if template == "2021" else rng.randint(2019, 2020)
    agency = agency_name(rng)
    tables = distinct_tables(template, start=rng.randint(11, 400))
    for row in tables["requests"].values():       # row totals add up (A203 is checked)
        row["total"] = sum(row[c] for c in REQUEST_APPLICANT_COLUMNS)
    v = Variant(Report(agency, year, template, tables), fmt or rng.choice(FORMATS))
    v.clean |= {"D401", "D402", "D403", "N501", "S101", "S103", "S104", "S105", "S107", "A203"}

    title, head = title_blocks(rng, agency, year)
    v.report.printed_title = title
    period = "" if rng.random() < 0.1 else period_sentence(rng, year)
    v.period = (f"{year}-01-01", f"{year}-12-31") if period else None
    _inject(v, "D401", not period)

    table2_template = template
    if template == "2021" and rng.random() < 0.1:
        table2_template = "2019"
        tables["proactive"] = distinct_tables("2019", start=rng.randint(500, 900))["proactive"]
        _inject(v, "S105", True)
    request_layout = template
    if template == "2021" and rng.random() < 0.12 and table2_template == "2021":
        # (with the 2019 table 二 too, the whole report is on the 2019 template: S105 alone)
        single_other_row(tables)
        request_layout = "2019"
        _inject(v, "S104", True)
    said, bad = statements(rng, tables, request_layout, rng.random() < 0.25)
    if rng.random() < 0.12:
        blank_totals(tables)
        said, bad = "（二）依申请公开。", ""
        _inject(v, "A203", True)
    wrong_upheld = rng.random() < 0.1
    upheld = upheld_sentence(rng, tables, wrong_upheld)
    _inject(v, "N501", bool(bad) or wrong_upheld)
    stale = rng.random() < 0.15
    _inject(v, "D403", stale)
    texts = narrative(rng, year, template, said, upheld, stale)

    t2 = proactive_table(tables, table2_template)
    t3 = requests_table(tables, request_layout)
    if rng.random() < 0.3:
        v.kinds.append("misspelt: " + " / ".join(misspell(rng, t3, rng.randint(1, 2), digit_first=True)))
    if rng.random() < 0.15:
        v.kinds.append("misspelt: " + " / ".join(misspell(rng, t2, 1, digit_first=False)))
    v.report.blocks = head + [
        Block("para", f"本报告由{agency}根据《中华人民共和国政府信息公开条例》要求编制。{period}"),
        Block("heading", "一、总体情况"), Block("para", texts["overall"]),
        Block("heading", "二、主动公开政府信息情况"), Block("table", table=t2),
        Block("heading", "三、收到和处理政府信息公开申请情况"), Block("table", table=t3),
        Block("heading", "四、政府信息公开行政复议、行政诉讼情况"), Block("table", table=review_table(tables)),
        Block("heading", "五、存在的主要问题及改进情况"), Block("para", texts["problems"]),
        Block("heading", "六、其他需要报告的事项"), Block("para", texts["other"]),
    ]
    if "A203" in v.injected and v.format in ("text", "pdf", "markdown-html2text"):
        # plain text cannot show a blank cell, html2text drops a row's blank last cell: the
        # row is one number short, which S107 rightly says
        v.clean.discard("S107")
    v.kinds += [f"template {template}", f"title {title}", f"period {period or '-'}"] + \
        [f"injected {c}" for c in sorted(v.injected)]
    v.data = render(v.report, v.format, rng)
    return v


def _inject(v: Variant, code: str, yes: bool) -> None:
    if yes:
        v.injected.add(code)
        v.clean.discard(code)


# -- rendering ----------------------------------------------------------------------------------

FORMATS = ("text", "markdown-pipe", "markdown-pandoc", "markdown-grid", "markdown-html2text",
           "markdown-html", "html", "pdf")


def grid(table: Table, fill: bool = False) -> list[list[str]]:
    """The table as a full grid: a merged cell's text in its first position and "" in the rest,
    or (``fill``, as spreadsheet exports do) a merged label repeated in every position it covers."""
    width = sum(c.colspan for c in table.rows[0])
    out = [[""] * width for _ in table.rows]
    for r, c, cell in _place(table):
        spread = fill and not cell.text[:1].isdigit()
        for dr in range(cell.rowspan if spread else 1):
            for dc in range(cell.colspan if spread else 1):
                out[r + dr][c + dc] = cell.text
    return out


def _pipe(table: Table, rng: random.Random) -> list[str]:
    # without outer pipes a blank last cell cannot be written ("a | 1 | " is the row [a, 1])
    blank_last = any(row[-1].text == "" and any(c.text[:1].isdigit() for c in row) for row in table.rows)
    outer = rng.random() < 0.7 or blank_last
    rows = []
    for i, cells in enumerate(grid(table, fill=rng.random() < 0.25)):
        cells = [c[:len(c) // 2] + "<br>" + c[len(c) // 2:] if len(c) > 12 and rng.random() < 0.2 else c
                 for c in cells]
        body = " | ".join(cells)
        rows.append(f"| {body} |" if outer else body)
        if i == 0:
            sep = " | ".join("---" for _ in cells)
            rows.append(f"| {sep} |" if outer else sep)
    return rows


def render_text_like(report: Report, table_lines, markdown: bool = False) -> str:
    """Text or Markdown: one line a block (``##`` before headings in Markdown), tables by ``table_lines``."""
    out = []
    for b in report.blocks:
        if b.kind == "table":
            out += table_lines(b.table)
        else:
            out.append(f"## {b.text}" if markdown and b.kind == "heading" else b.text)
        out.append("")
    return "\n".join(out) + "\n"


def _text_rows(table: Table, sep: str) -> list[str]:
    return [sep.join(c.text for c in row if c.text) for row in table.rows]


def render(report: Report, fmt: str, rng: random.Random) -> bytes:
    """The report's bytes in a format (converters that are not installed raise FileNotFoundError
    or ImportError: callers skip those formats)."""
    from tests.corpus.htmlgen import HtmlStyle, render_html, table_html
    if fmt == "text":
        sep = rng.choice((" ", "\t", "  "))
        return render_text_like(report, lambda t: _text_rows(t, sep)).encode()
    if fmt == "markdown-pipe":
        return render_text_like(report, lambda t: _pipe(t, rng), True).encode()
    if fmt == "markdown-html":
        return render_text_like(report, lambda t: table_html(t, HtmlStyle()).splitlines(), True).encode()
    style = HtmlStyle(chrome=rng.random() < 0.5, title_outside=False, br_labels=rng.random() < 0.3,
                      nbsp=rng.random() < 0.3, split_numbers=rng.random() < 0.2)
    page = render_html(report, style)
    if fmt == "html":
        return page
    if fmt == "pdf":
        from tests.corpus.pdfgen import Style, render_pdf
        return render_pdf(report, Style(ruled=rng.random() < 0.8))
    if fmt == "markdown-html2text":
        import html2text
        return html2text.html2text(page.decode("utf-8")).encode()
    target = {"markdown-pandoc": "gfm", "markdown-grid": "markdown-simple_tables-multiline_tables-pipe_tables"}[fmt]
    return subprocess.run(["pandoc", "-f", "html", "-t", target], input=page, capture_output=True,
                          check=True).stdout


SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf"}


def suffix(fmt: str) -> str:
    return SUFFIX.get(fmt, ".md")


def evaluate(variant) -> dict:
    """One variant parsed and audited: cell counts, metadata right, codes raised."""
    import auditor_rules
    from auditor.parse import parse_layout
    from auditor.read import read_bytes
    from auditor.testing import run_rule
    from tests.read.helpers import cell_count, table_diff
    doc = parse_layout(read_bytes(variant.data, "report" + suffix(variant.format)))
    wrong = table_diff(variant.report.tables, doc)
    period = doc.get("statistics_period")
    got_period = (period["start"], period["end"]) if period else None
    meta_ok = (doc.get("agency"), doc.get("year"), got_period) == \
        (variant.report.agency, variant.report.year, variant.period)
    codes = {f.code for r in auditor_rules.all_rules() for f in run_rule(r, doc)
             if r.code in variant.injected | variant.clean}
    return {"cells": cell_count(variant.report.tables), "wrong": wrong, "meta_ok": meta_ok,
            "meta": (doc.get("agency"), doc.get("year"), got_period), "codes": codes}


__all__ = ["FORMATS", "Variant", "evaluate", "make_variant", "suffix"]
