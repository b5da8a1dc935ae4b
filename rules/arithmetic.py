"""A2xx — arithmetic (勾稽关系) of tables 二, 三 and 四.

A ``null`` cell (blank or placeholder in the report) is reported once, by A206,
and is *unknown* here: an identity that needs it is skipped, so one blank does
not cascade into a pile of errors.
"""
from __future__ import annotations

from auditor import templates as T
from auditor.rules.api import (Option, cell_loc, col_label, fmt, label, num, plus, proactive_row_def,
                               raw, request_row_keys, request_rows, rule, table)


REQ = "requests"
REV = "review_litigation"


def _col_zh(column: str) -> str:
    return f"“{col_label(REQ, column)}”列"


def _broken_sum(total, parts: list):
    """The parts' sum when it differs from ``total``; None when it agrees or a cell is blank
    (a blank is A206's business and unknown here, so it cannot break the identity)."""
    if total is None or any(v is None for v in parts):
        return None
    s = sum(parts)
    return s if s != total else None


def _broken_rows(doc: dict, tab: str, rows, parts_of: list[str]):
    """``(row, total, parts, sum)`` for each row of ``tab`` whose ``total`` column is not the
    sum of its ``parts_of`` columns."""
    for row in rows:
        total = num(doc, tab, row, "total")
        parts = [num(doc, tab, row, c) for c in parts_of]
        s = _broken_sum(total, parts)
        if s is not None:
            yield row, total, parts, s


@rule(code="A201", name="arithmetic-balance", title_zh="表三收支不平衡（一+二≠（七）总计+四）",
      title_en="Table 3 does not balance (new + carried over ≠ total handled + carried forward)",
      severity="error", weight=20, per_failure=5)
def arithmetic_balance(doc, ctx):
    """Table 三, every column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理.

    **What it checks.** For each of the seven columns (自然人 … 其他, 总计) separately.
    Each failing column is one finding with its four numbers. A column with a blank
    cell among the four is skipped (A206 reports the blank).

    **Why.** The template states this identity in table 三's own header cell:
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和" (国办公开办函〔2021〕30号,
    and 〔2019〕60号). A report that breaks it misstates how many requests it handled
    (条例第五十条第（二）项).

    **Passes:** 自然人: 新收 5 + 结转 1 = 总计 4 + 结转下年度 2.

    **Fails:** 自然人: 新收 5 + 结转 1 = 6, but 总计 3 + 结转下年度 2 = 5 →
    "表三“自然人”列：一+二=5+1=6，（七）总计+四=3+2=5，相差1".
    """
    if table(doc, REQ) is None:
        return
    for col in T.REQUEST_COLUMNS:
        vals = [num(doc, REQ, r, col) for r in ("new_received", "carried_over", "total_processed",
                                                 "carried_forward")]
        if any(v is None for v in vals):
            continue
        new, carried, total, forward = vals
        left, right = new + carried, total + forward
        if left != right:
            yield ctx.finding(
                f"表三{_col_zh(col)}：一+二={fmt(new)}+{fmt(carried)}={fmt(left)}，"
                f"（七）总计+四={fmt(total)}+{fmt(forward)}={fmt(right)}，相差{fmt(abs(left - right))}",
                f"Table 3, column {col}: new + carried over = {fmt(new)} + {fmt(carried)} = {fmt(left)}, "
                f"but total handled + carried forward = {fmt(total)} + {fmt(forward)} = {fmt(right)} "
                f"(off by {fmt(abs(left - right))})",
                data={"new_received": new, "carried_over": carried, "total_processed": total,
                      "carried_forward": forward, "difference": left - right},
                **cell_loc(doc, REQ, "total_processed", col))


@rule(code="A202", name="results-total", title_zh="表三办理结果总计不等于各项之和",
      title_en="Table 3 results total ≠ sum of the result rows",
      severity="error", weight=15, per_failure=3)
def results_total(doc, ctx):
    """Table 三, every column: （七）总计 = （一） + （二） + every sub-row of （三）–（六）.

    **What it checks.** For each of the seven columns, the 总计 row of 三、本年度办理结果
    equals the sum of the result rows of the document's template (2021: 22 rows, with
    （六） split into 1–3; 2019: 20 rows, （六） one row). The group labels （三）–（六） have
    no numbers of their own. A column with a blank among these cells is skipped (A206).

    **Why.** （七）总计 is by definition the total of the 本年度办理结果 rows of table 三
    (国办公开办函〔2021〕30号); a gap means a result was left out or double-counted.

    **Passes:** 总计 列: 予以公开 3 + 部分公开 1 + 不掌握 2 = （七）总计 6.

    **Fails:** same rows with （七）总计 7 → "表三“总计”列：（七）总计为7，各项办理结果之和为6（3+1+2），相差1".
    """
    if table(doc, REQ) is None:
        return
    rows = [r.key for r in request_rows(doc) if r.result]
    for col in T.REQUEST_COLUMNS:
        total = num(doc, REQ, "total_processed", col)
        parts = [num(doc, REQ, r, col) for r in rows]
        s = _broken_sum(total, parts)
        if s is None:
            continue
        nonzero = [v for v in parts if v]
        yield ctx.finding(
            f"表三{_col_zh(col)}：（七）总计为{fmt(total)}，各项办理结果之和为{fmt(s)}"
            f"{f'（{plus(nonzero)}）' if 1 < len(nonzero) <= 8 else ''}，相差{fmt(abs(total - s))}",
            f"Table 3, column {col}: total handled is {fmt(total)} but the result rows sum to {fmt(s)} "
            f"(off by {fmt(abs(total - s))})",
            data={"total_processed": total, "sum": s, "difference": total - s},
            **cell_loc(doc, REQ, "total_processed", col))


@rule(code="A203", name="row-total", title_zh="表三行总计不等于各申请人之和",
      title_en="Table 3 row total ≠ sum of the applicant columns",
      severity="error", weight=10, per_failure=2,
      options={"blank_rows": Option(3, "integer",
                                    "rows with a blank 总计 beside filled applicant columns that make the "
                                    "total column missing (fewer are A206's blanks)")})
def row_total(doc, ctx):
    """Table 三, every row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.

    **What it checks.** Each row of table 三 separately; one finding per row that fails,
    with its numbers. A row with a blank cell is skipped (A206 reports the blank).

    **Why.** The 总计 column of table 三 (国办公开办函〔2021〕30号) is the sum of the six
    applicant columns (自然人 and the five kinds of 法人或其他组织); there is no other column.

    A 总计 column left blank while the applicant columns are filled — in at least
    ``blank_rows`` rows — is a total the report did not compute: one finding listing the
    rows and what their totals would be. A single blank 总计 is A206's blank.

    **Passes:** 予以公开: 2 + 1 + 0 + 0 + 0 + 0 = 总计 3.

    **Fails:** 予以公开: 2 + 1 + 0 + 0 + 0 + 0 = 3 but 总计 4 → "表三“（一）予以公开”行：总计为4，各申请人之和为3（2+1），相差1";
    总计 blank in every result row → "表三有22行“总计”列空白而各申请人列已填写…".
    """
    if table(doc, REQ) is None:
        return
    yield from _blank_totals(doc, ctx, int(ctx.options.get("blank_rows", 3)))
    for row, total, parts, s in _broken_rows(doc, REQ, request_row_keys(doc), T.REQUEST_APPLICANT_COLUMNS):
        nonzero = [v for v in parts if v]
        yield ctx.finding(
            f"表三“{label(REQ, row, doc)}”行：总计为{fmt(total)}，各申请人之和为{fmt(s)}"
            f"{f'（{plus(nonzero)}）' if len(nonzero) > 1 else ''}，相差{fmt(abs(total - s))}",
            f"Table 3, row {row}: total is {fmt(total)} but the applicant columns sum to {fmt(s)} "
            f"(off by {fmt(abs(total - s))})",
            data={"total": total, "sum": s, "parts": parts, "difference": total - s},
            **cell_loc(doc, REQ, row, "total"))


def _blank_totals(doc, ctx, minimum: int):
    """Rows whose 总计 is blank while all six applicant columns hold numbers."""
    rows = []
    for row in request_row_keys(doc):
        parts = [num(doc, REQ, row, c) for c in T.REQUEST_APPLICANT_COLUMNS]
        if num(doc, REQ, row, "total") is None and row in (table(doc, REQ) or {}) \
                and all(v is not None for v in parts):
            rows.append((row, sum(parts)))
    if len(rows) < max(1, minimum):
        return
    shown = "、".join(f"“{label(REQ, r, doc)}”应为{fmt(s)}" for r, s in rows[:4])
    yield ctx.finding(
        f"表三有{len(rows)}行“总计”列空白而各申请人列已填写，总计未填报（{shown}"
        f"{'等' if len(rows) > 4 else ''}）",
        f"Table 3: the total column is blank in {len(rows)} rows whose applicant columns are filled "
        f"— the totals were not reported",
        data={"rows": [r for r, _ in rows], "sums": [s for _, s in rows]},
        **cell_loc(doc, REQ, rows[0][0], "total"))


@rule(code="A204", name="review-litigation-total", title_zh="表四总计不等于各项之和",
      title_en="Table 4 group total ≠ upheld + corrected + other + pending",
      severity="error", weight=6, per_failure=2)
def review_litigation_total(doc, ctx):
    """Table 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

    **What it checks.** The three groups — 行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）
    — separately; one finding per group that fails, with its numbers. A group with a
    blank cell is skipped (A206 reports the blank).

    **Why.** In table 四 of 国办公开办函〔2021〕30号 (unchanged from 〔2019〕60号) each group's
    总计 is the sum of its four outcomes; the table reports 条例第五十条第（三）项.

    **Passes:** 行政复议: 2 + 1 + 0 + 1 = 总计 4.

    **Fails:** 行政复议: 2 + 1 + 0 + 1 = 4 but 总计 5 → "表四“行政复议”：总计为5，维持+纠正+其他+尚未审结=2+1+0+1=4".
    """
    if table(doc, REV) is None:
        return
    outcomes = [c for c in T.REVIEW_COLUMNS if c != "total"]
    for group, total, parts, s in _broken_rows(doc, REV, T.REVIEW_GROUPS, outcomes):
        yield ctx.finding(
            f"表四“{T.REVIEW_GROUP_LABELS[group]}”：总计为{fmt(total)}，"
            f"维持+纠正+其他+尚未审结={plus(parts)}={fmt(s)}，相差{fmt(abs(total - s))}",
            f"Table 4, {group}: total is {fmt(total)} but upheld + corrected + other + pending = "
            f"{plus(parts, ' + ')} = {fmt(s)}",
            data={"total": total, "sum": s, "parts": parts, "difference": total - s},
            **cell_loc(doc, REV, group, "total"))


@rule(code="A205", name="invalid-number", title_zh="数字无效（须为非负整数）",
      title_en="Invalid number (counts are whole numbers ≥ 0)",
      severity="error", weight=6, per_failure=1)
def invalid_number(doc, ctx):
    """Counts in tables 二, 三 and 四 are whole numbers ≥ 0.

    **What it checks.** Every cell of the three tables that is not blank. Counts must be
    whole and non-negative. Exceptions from the templates: the 2019 template's 本年增/减
    may be negative, and money (2021 本年收费金额（单位：万元）, 2019 采购总金额) may be a
    decimal ≥ 0. Text where a number should be (a cell the parser could not read) fails too.

    **Why.** Every figure of the tables of 国办公开办函〔2021〕30号 / 〔2019〕60号 counts
    things (件, 个) — a negative or fractional count is a typing or conversion error, and
    "数据精确" is what evaluators check.

    **Passes:** 行政许可 本年处理决定数量 12; 行政事业性收费 3.25 (万元); 2019 本年增/减 −2.

    **Fails:** 予以公开 自然人 −1 → "表三“（一）予以公开”行“自然人”列为-1，应为非负整数".
    """
    for tab_name in ("proactive", "requests", "review_litigation"):
        tab = table(doc, tab_name)
        if tab is None:
            continue
        for row, cols in tab.items():
            if not isinstance(cols, dict):
                continue
            rdef = proactive_row_def(doc, row) if tab_name == "proactive" else None
            for col, value in cols.items():
                if value is None:
                    continue
                money = bool(rdef and col in rdef.money)
                signed = bool(rdef and col in rdef.signed)
                problem = _number_problem(value, money=money, signed=signed)
                if problem:
                    zh, en = problem
                    where = f"{T.TABLE_LABELS[tab_name][:2]}“{label(tab_name, row, doc)}”行“{col_label(tab_name, col)}”列"
                    shown = raw(doc, tab_name, row, col) or value
                    yield ctx.finding(f"{where}为“{shown}”，{zh}",
                                      f"{T.TABLE_LABELS_EN[tab_name].capitalize()}, row {row}, column {col}: "
                                      f"{shown!s} — {en}",
                                      data={"value": value if isinstance(value, (int, float, str)) else str(value)},
                                      **cell_loc(doc, tab_name, row, col))


def _number_problem(value, *, money: bool, signed: bool):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ("不是数字", "not a number")
    if value < 0 and not signed:
        return ("应为非负数", "must not be negative") if money else ("应为非负整数", "must be a whole number ≥ 0")
    if isinstance(value, float) and not value.is_integer() and not money:
        return ("应为整数", "must be a whole number")
    return None


@rule(code="A206", name="placeholder-cell", title_zh="表格单元格为空或占位符",
      title_en="Blank or placeholder cell where the template wants a number",
      severity="warning", weight=20, per_failure=0.5)
def placeholder_cell(doc, ctx):
    """Every cell of tables 二, 三, 四 holds a number: blank, "/", "—" or "无" is a presentation defect.

    **What it checks.** Each cell the parser read as ``null`` (left blank or filled with a
    placeholder) is reported once, with the raw text. The arithmetic rules A201–A204 treat
    such a cell as unknown and skip the identities that need it, so a blank is reported
    here and only here.

    **Why.** The tables of 国办公开办函〔2021〕30号 ask for a number in every cell — a zero is
    written "0". A blank cannot be told apart from a figure that was forgotten, and it breaks
    the row totals evaluators recompute ("数据精确").

    **Passes:** "行政强制 0".

    **Fails:** "行政强制 /" → "表二“行政强制”行“本年处理决定数量”列为“/”，应填写数字（无则填0）".
    """
    for tab_name in ("proactive", "requests", "review_litigation"):
        tab = table(doc, tab_name)
        if tab is None:
            continue
        for row, cols in tab.items():
            if not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                if value is not None:
                    continue
                shown = raw(doc, tab_name, row, col) or ""
                where = f"{T.TABLE_LABELS[tab_name][:2]}“{label(tab_name, row, doc)}”行“{col_label(tab_name, col)}”列"
                yield ctx.finding(
                    f"{where}为“{shown}”，应填写数字（无则填0）" if shown else f"{where}为空，应填写数字（无则填0）",
                    f"{T.TABLE_LABELS_EN[tab_name].capitalize()}, row {row}, column {col} is "
                    f"{repr(shown) if shown else 'blank'}; write a number (0 for none)",
                    data={"raw": shown}, **cell_loc(doc, tab_name, row, col))


RULES = [arithmetic_balance, results_total, row_total, review_litigation_total, invalid_number,
         placeholder_cell]
