"""``auditor audit … --format provincial``: the province's submission sheet.

One row per report, tab-separated, in the columns the provincial office's sheet has:
机关 (agency), 年度 (year), 得分 (score), 结论 (verdict), 错误 (error findings), P901 (whether the
work-points requirement is met), 文件 (file).  A reporter only renders: every figure is already
in the run (``auditor.results``); messages are picked in the run's language.
"""
from __future__ import annotations

from auditor.report import RUN, Reporter

HEADERS = {"zh": ("机关", "年度", "得分", "结论", "错误", "P901", "文件"),
           "en": ("agency", "year", "score", "verdict", "errors", "P901", "file")}
VERDICTS = {"zh": {"passed": "通过", "failed": "未通过", "error": "无法审核"},
            "en": {"passed": "passed", "failed": "failed", "error": "not audited"}}


def _cell(value) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


def _row(report: dict, lang: str) -> list[str]:
    words = VERDICTS[lang]
    if report.get("error"):
        return [_cell(report.get("agency")), "", "", words["error"], "", "", _cell(report.get("path"))]
    findings = report.get("findings") or []
    errors = sum(1 for f in findings if f.get("severity") == "error")
    p901 = "✗" if any(f.get("code") == "P901" for f in findings) else "✓"
    return [_cell(report.get("agency")), _cell(report.get("year")), f"{report.get('score'):g}",
            words["failed" if report.get("failed") else "passed"], str(errors), p901,
            _cell(report.get("path"))]


def render_provincial(run: dict, lang: str = "zh") -> str:
    lang = "en" if lang == "en" else "zh"
    lines = ["\t".join(HEADERS[lang])]
    lines += ["\t".join(_row(r, lang)) for r in run.get("reports", [])]
    return "\n".join(lines) + "\n"


REPORTERS = [Reporter("provincial", RUN, render_provincial,
                      "省级报送表（制表符分隔）/ the province's submission sheet (tab-separated)")]
