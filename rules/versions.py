"""V7xx — across files: several published versions of the same report.

A report is often published more than once — a web page and its PDF attachment, a corrected
re-upload, copies in several folders.  A sweep finds the files that hold the same agency and
year and runs these rules on each of them with ``ctx.metadata["copies"]``: the other files'
documents (``[{"path", "doc"}]``).  Outside a sweep, or for an agency-year held by one file,
there are no copies and the rules say nothing.
"""
from __future__ import annotations

from auditor.rules.api import cell_entry, cell_loc, col_label, fmt, label, number, rule

TABLES = {"proactive": ("表二", "Table 2"), "requests": ("表三", "Table 3"),
          "review_litigation": ("表四", "Table 4")}
MAX_CELLS = 20          # findings per pair of files: past that the versions are simply different


def _cells(doc: dict, name: str):
    """(row, column, number) of every numeric cell of a table."""
    tab = (doc.get("tables") or {}).get(name)
    if not isinstance(tab, dict):
        return
    for row, cols in tab.items():
        if isinstance(cols, dict):
            for col, value in cols.items():
                n = number(value)
                if n is not None:
                    yield row, col, n


def _value_at(doc: dict, name: str, row: str, col: str):
    tab = (doc.get("tables") or {}).get(name)
    cols = tab.get(row) if isinstance(tab, dict) else None
    return number(cols.get(col)) if isinstance(cols, dict) else None


def _period(doc: dict):
    p = doc.get("statistics_period")
    if isinstance(p, dict):
        return p.get("start"), p.get("end")
    return None


def _where(doc: dict, name: str, row: str, col: str) -> str:
    c = cell_entry(doc, name, row, col)
    parts = [f"第{c['page']}页" if isinstance(c.get("page"), int) else "",
             f"第{c['line']}行" if isinstance(c.get("line"), int) else ""]
    return "".join(parts)


@rule(code="V701", name="versions-disagree", title_zh="同一报告的不同版本数据不一致",
      title_en="Published versions of the report disagree", severity="error", weight=10, per_failure=2)
def versions_disagree(doc, ctx):
    """The same agency's report for the same year, published as several files, must say the same.

    **What it checks.** When a sweep holds several files for one agency and year (a page and
    its PDF attachment, a re-uploaded copy), every table cell that holds a number in both files
    must hold the same number, and the statistics period (统计期限) must be the same. A cell
    blank in one file is left to A206. At most 20 cells are reported per pair of files.

    **Why.** 《政府信息公开条例》第五十条 asks for one annual report; two published versions
    with different figures leave the public no way to tell which is true, and usually mean a
    corrected version was published without withdrawing the old one.

    **Passes:** 渠县商务局 2023, page and PDF both print 表三 总计 收到申请 12.

    **Fails:** the page prints 12, the PDF 13 →
    "表三“总计”列“一、本年新收政府信息公开申请数量”为12，而同一报告的另一份文件 附件.pdf 为13（第3页第57行）".
    """
    copies = ctx.metadata.get("copies") or []
    for copy in copies:
        other, path = copy.get("doc") or {}, copy.get("path") or "?"
        mine, theirs = _period(doc), _period(other)
        if mine and theirs and mine != theirs:
            yield ctx.finding(
                f"统计期限为{mine[0]}至{mine[1]}，而同一报告的另一份文件 {path} 为{theirs[0]}至{theirs[1]}",
                f"the statistics period is {mine[0]} to {mine[1]}, but another file of the same report, "
                f"{path}, says {theirs[0]} to {theirs[1]}",
                data={"other_path": path, "period": list(mine), "other_period": list(theirs)})
        shown = 0
        for name, (zh, en) in TABLES.items():
            for row, col, value in _cells(doc, name):
                there = _value_at(other, name, row, col)
                if there is None or there == value:
                    continue
                if shown == MAX_CELLS:
                    break
                shown += 1
                where = _where(other, name, row, col)
                yield ctx.finding(
                    f"{zh}“{col_label(name, col)}”列“{label(name, row, doc)}”为{fmt(value)}，"
                    f"而同一报告的另一份文件 {path} 为{fmt(there)}" + (f"（{where}）" if where else ""),
                    f"{en}, row {row}, column {col}: {fmt(value)}, but another file of the same report, "
                    f"{path}, has {fmt(there)}",
                    data={"other_path": path, "value": value, "other_value": there,
                          "other_page": cell_entry(other, name, row, col).get("page"),
                          "other_line": cell_entry(other, name, row, col).get("line")},
                    **cell_loc(doc, name, row, col))


RULES = [versions_disagree]
