"""Output formats: render a run (``engine.run_summary``) as table, JSON, CSV or Markdown.

Formats never compute: every number, grade and verdict is already in the run
dict; a format only lays it out and picks words in the user's language.
"""
from __future__ import annotations

FORMATS = ("table", "json", "csv", "markdown")                   # of `auditor audit`
SCORECARD_FORMATS = ("table", "csv", "markdown", "json", "html")  # of `auditor scorecard`

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TABLE_ZH = {"proactive": "表二", "requests": "表三", "review_litigation": "表四"}
SECTION_ZH = {"overall": "第一部分", "proactive": "第二部分", "requests": "第三部分",
              "review_litigation": "第四部分", "problems": "第五部分", "other": "第六部分"}

WORDS = {
    "code": ("代码", "code"), "severity": ("级别", "severity"), "deduction": ("扣分", "points"),
    "message": ("说明", "message"), "location": ("位置", "location"), "path": ("文件", "file"),
    "agency": ("机关", "agency"), "year": ("年度", "year"), "template": ("模板", "template"),
    "score": ("得分", "score"), "grade": ("等级", "grade"), "findings": ("问题数", "findings"),
    "result": ("结果", "result"), "passed": ("通过", "passed"), "failed": ("未通过", "failed"),
    "error": ("无法审核", "not audited"), "no_findings": ("未发现问题。", "No findings."),
    "summary": ("汇总", "Summary"), "title": ("政府信息公开工作年度报告审核结果", "Audit results"),
    "name": ("名称", "name"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def severity_text(sev: str, lang: str) -> str:
    return sev if lang == "en" else SEVERITY_ZH.get(sev, sev)


def location_text(loc: dict, lang: str) -> str:
    """A location a person can follow: table, row, column, page, line."""
    from auditor.templates import column_label, row_label
    loc = loc or {}
    parts = []
    if lang == "en":
        for key in ("section", "table", "row", "column"):
            if loc.get(key):
                parts.append(f"{key} {loc[key]}")
        if loc.get("page") is not None:
            parts.append(f"p. {loc['page']}")
        if loc.get("line") is not None:
            parts.append(f"line {loc['line']}")
        return ", ".join(parts)
    table = loc.get("table")
    if loc.get("section") and not table:
        parts.append(SECTION_ZH.get(loc["section"], loc["section"]))
    if table:
        parts.append(TABLE_ZH.get(table, table))
        if loc.get("row"):
            parts.append(row_label(table, loc["row"]))
        if loc.get("column"):
            parts.append(column_label(table, loc["column"]))
    if loc.get("page") is not None:
        parts.append(f"第{loc['page']}页")
    if loc.get("line") is not None:
        parts.append(f"第{loc['line']}行")
    return " · ".join(parts)


def verdict(report: dict, lang: str) -> str:
    if report.get("error"):
        return word("error", lang)
    return word("failed" if report.get("failed") else "passed", lang)


def summary_line(summary: dict, lang: str) -> str:
    mean = summary.get("mean_score")
    mean = "-" if mean is None else f"{mean:g}"
    if lang == "en":
        return (f"{summary['reports']} report(s): {summary['failed']} failed, "
                f"{summary['errors']} not audited, mean score {mean}")
    return (f"共 {summary['reports']} 份报告：未通过 {summary['failed']} 份，"
            f"无法审核 {summary['errors']} 份，平均分 {mean}")


def render(run: dict, fmt: str = "table", lang: str = "zh") -> str:
    """Render a run in ``fmt``; returns the text (ending with a newline)."""
    if fmt == "json":
        from auditor.report.json_out import render_json as fn
    elif fmt == "csv":
        from auditor.report.csv_out import render_csv as fn
    elif fmt == "markdown":
        from auditor.report.markdown import render_markdown as fn
    elif fmt == "table":
        from auditor.report.table import render_table as fn
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return fn(run, lang)
