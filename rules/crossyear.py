"""X6xx — across years: this year's report against the same agency's report of the year before.

These rules have ``needs_history=True``: the sweep gives them ``ctx.history`` (the
same agency's other years, from the sweep itself or the results store) and
``ctx.previous_year(doc)`` returns last year's document, or None — then the
rule has nothing to compare and stays silent.
"""
from __future__ import annotations

from auditor import templates as T
from auditor.rules.api import (Option, cell_loc, col_label, fmt, number, rule, table)


REQ = "requests"


def _previous(doc: dict, ctx) -> dict | None:
    try:
        prev = ctx.previous_year(doc)
    except Exception:  # noqa: BLE001 - a broken history source is not the report's fault
        return None
    return prev if isinstance(prev, dict) else None


def _row(doc: dict, table_name: str, row: str) -> dict:
    r = (table(doc, table_name) or {}).get(row)
    return r if isinstance(r, dict) else {}


@rule(code="X601", name="carry-over-mismatch", title_zh="上年结转与上年报告的结转下年度不一致",
      title_en="Carried-over requests differ from last year's carried-forward",
      severity="warning", weight=5, per_failure=1, needs_history=True)
def carry_over_mismatch(doc, ctx):
    """Table 三: this year's 二、上年结转 = last year's 四、结转下年度继续办理, column by column.

    **What it checks.** The same agency's report of the previous year (from the sweep or
    the results store; agencies match by normalised name, or by the manifest's ``agency``).
    For each of the seven columns, this year's row 二、上年结转政府信息公开申请数量 must equal
    last year's row 四、结转下年度继续办理. A blank cell on either side is skipped (A206
    reports blanks). Without last year's report the rule says nothing.

    **Why.** Requests still open at the end of a year are the ones carried into the next:
    the template (国办公开办函〔2021〕30号, 〔2019〕60号) counts them twice, once as 结转下年度
    and once as next year's 上年结转. A gap means requests were lost or invented between two
    reports required by 条例第五十条.

    **Passes:** 2021 结转下年度 自然人 1 → 2022 上年结转 自然人 1.

    **Fails:** 2022 结转下年度 总计 3 → 2023 上年结转 总计 0 →
    "表三“总计”列“二、上年结转”为0，而上年（2022年）报告“四、结转下年度继续办理”为3".
    """
    prev = _previous(doc, ctx)
    if prev is None:
        return
    this_row, last_row = _row(doc, REQ, "carried_over"), _row(prev, REQ, "carried_forward")
    if not this_row or not last_row:
        return
    last_year = prev.get("year") if isinstance(prev.get("year"), int) else "上"
    for col in T.REQUEST_COLUMNS:
        now, before = number(this_row.get(col)), number(last_row.get(col))
        if now is None or before is None or now == before:
            continue
        yield ctx.finding(
            f"表三“{col_label(REQ, col)}”列“二、上年结转”为{fmt(now)}，而上年（{last_year}年）报告"
            f"“四、结转下年度继续办理”为{fmt(before)}",
            f"Table 3, column {col}: carried over from last year is {fmt(now)}, but last year's "
            f"({last_year}) report carried {fmt(before)} forward",
            data={"carried_over": now, "previous_carried_forward": before, "previous_year": prev.get("year"),
                  "previous_path": (prev.get("source") or {}).get("path")},
            **cell_loc(doc, REQ, "carried_over", col))


IN_FORCE_ROWS = {"regulations": ("规章", "regulations"), "normative_docs": ("行政规范性文件", "normative documents")}


@rule(code="X602", name="in-force-continuity", title_zh="现行有效件数与上年不衔接",
      title_en="Documents in force do not follow from last year's", severity="info", weight=2,
      per_failure=1, templates=("2021",), needs_history=True,
      options={"tolerance": Option(0, "integer", "允许的差额（件）/ difference allowed, in documents",
                                   schema={"type": "integer", "minimum": 0})})
def in_force_continuity(doc, ctx):
    """Table 二 （一）: 现行有效件数 ≈ last year's 现行有效件数 + 本年制发件数 − 本年废止件数.

    **What it checks.** For 规章 and 行政规范性文件 (2021 template, which counts documents in
    force), against the same agency's report of the previous year when it is on the 2021
    template too. A difference larger than the option ``tolerance`` (default 0 documents) is
    one finding per row. Blank cells and a missing previous report are skipped.

    **Why.** 国办公开办函〔2021〕30号 asks for 本年制发、本年废止 and 现行有效 counts, which
    chain from year to year. The check is soft (info): a clean-up of old documents
    (文件清理) legitimately breaks the chain, but an unexplained jump usually means last
    year's figure was copied or a count is wrong (条例第五十条第（一）项).

    **Passes:** 2021 现行有效 665; 2022 制发 88, 废止 55, 现行有效 698 = 665 + 88 − 55.

    **Fails:** 2022 现行有效 700 ≠ 665 + 88 − 55 = 698 →
    "表二“行政规范性文件”现行有效件数为700，按上年现行有效665+本年制发88−本年废止55应为698，相差2".
    """
    prev = _previous(doc, ctx)
    if prev is None:
        return
    tolerance = ctx.options.get("tolerance", 0) or 0
    for row, (zh, en) in IN_FORCE_ROWS.items():
        this, last = _row(doc, "proactive", row), _row(prev, "proactive", row)
        issued, repealed, in_force = (number(this.get(k)) for k in ("issued", "repealed", "in_force"))
        before = number(last.get("in_force"))
        if None in (issued, repealed, in_force, before):
            continue
        expected = before + issued - repealed
        if abs(in_force - expected) <= tolerance:
            continue
        diff = in_force - expected
        yield ctx.finding(
            f"表二“{zh}”现行有效件数为{fmt(in_force)}，按上年现行有效{fmt(before)}+本年制发{fmt(issued)}"
            f"−本年废止{fmt(repealed)}应为{fmt(expected)}，相差{fmt(abs(diff))}",
            f"Table 2, {en}: {fmt(in_force)} in force, but last year's {fmt(before)} + {fmt(issued)} issued "
            f"− {fmt(repealed)} repealed = {fmt(expected)} (off by {fmt(abs(diff))})",
            data={"in_force": in_force, "expected": expected, "previous_in_force": before,
                  "issued": issued, "repealed": repealed, "previous_year": prev.get("year")},
            **cell_loc(doc, "proactive", row, "in_force"))


RULES = [carry_over_mismatch, in_force_continuity]
