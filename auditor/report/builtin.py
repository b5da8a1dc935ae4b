"""The built-in output formats, registered by the plugin host like any plugin's.

Run formats get the run with its messages in the chosen language (:func:`localize`);
scorecard formats localize what they show themselves.  Each format's module is imported
when it renders (tabulate alone costs start-up time).
"""
from __future__ import annotations

import importlib

from auditor.hookspecs import hookimpl
from auditor.report import RUN, SCORECARD, Reporter
from auditor.results import localize


def _lazy(module: str, function: str, localize_run: bool):
    """A render function that imports its format's module when it first renders; run formats
    get the run already in the chosen language."""
    def render(data: dict, lang: str) -> str | bytes:
        fn = getattr(importlib.import_module(module), function)
        return fn(localize(data, lang) if localize_run else data, lang)
    return render


def _run_format(module: str, function: str):
    return _lazy(module, function, localize_run=True)


def _card_format(module: str, function: str):
    return _lazy(module, function, localize_run=False)


REPORTERS = [
    Reporter("table", RUN, _run_format("auditor.report.table", "render_table"),
             "每份报告的问题和汇总表 / findings per report and a summary table"),
    Reporter("json", RUN, _run_format("auditor.report.json_out", "render_json"),
             "cli.md 的机器可读格式 / the machine-readable contract of cli.md"),
    Reporter("csv", RUN, _run_format("auditor.report.csv_out", "render_csv"),
             "每个问题一行（UTF-8 BOM）/ one row per finding (UTF-8 with BOM)"),
    Reporter("markdown", RUN, _run_format("auditor.report.markdown", "render_markdown"),
             "Markdown 文档 / a Markdown document"),
    Reporter("html", RUN, _run_format("auditor.report.page", "render_pages"),
             "每份报告一页：表格（标出问题单元格）、问题、引文、解析说明 / a page per report: its tables "
             "with the cited cells highlighted, findings, quotes, parser notes"),
    Reporter("table", SCORECARD, _card_format("auditor.report.card", "render_table"),
             "机关×年度表 / agencies × years"),
    Reporter("csv", SCORECARD, _card_format("auditor.report.card", "render_csv"),
             "机关×年度 CSV（UTF-8 BOM）/ agencies × years as CSV"),
    Reporter("markdown", SCORECARD, _card_format("auditor.report.card", "render_markdown"),
             "Markdown 表格 / a Markdown table"),
    Reporter("json", SCORECARD, _card_format("auditor.report.card", "render_json"),
             "评分表数据 / the scorecard's data"),
    Reporter("html", SCORECARD, _card_format("auditor.report.html", "render_html"),
             "单个 HTML 文件：汇总、图表、筛选、明细 / one HTML file: summary, charts, filters, drill-down"),
    Reporter("xlsx", SCORECARD, _card_format("auditor.report.xlsx", "render_xlsx"),
             "Excel 工作簿：汇总、机关×年度、问题明细、规则 / an Excel workbook (needs the xlsx extra)"),
]


@hookimpl
def auditor_register_reporters() -> list[Reporter]:
    return list(REPORTERS)


def render(data: dict, fmt: str = "table", lang: str = "zh", kind: str = RUN) -> str | bytes:
    """Render with a built-in format (for library users and tests; the command line picks among
    every registered reporter)."""
    for r in REPORTERS:
        if r.kind == kind and r.name == fmt:
            return r.render(data, lang)
    raise ValueError(f"unknown {kind} format {fmt!r}")
