"""Build report texts from a known document, in the layouts copied reports take.

Tests parse the text back and compare every cell with the document the text
was made from.  Values are distinct and non-zero so a column mix-up shows.
"""
from __future__ import annotations

from auditor.templates import (PROACTIVE_COLUMN_LABELS, PROACTIVE_ROWS, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS,
                               request_rows)
from tests.corpus.document import distinct_tables  # noqa: F401  (re-exported for the parse tests)


def fmt(value) -> str:
    return "" if value is None else str(value)


SEP = {"spaces": " ", "tabs": "\t"}


def render(tables: dict, template: str = "2021", year: int = 2023, agency: str = "某某县商务局",
           style: str = "spaces", wrap_labels: bool = False, wrap_last_value: bool = False,
           period: bool = True, section_six: str | None = None) -> str:
    """A whole report as copied text."""
    sep = SEP.get(style, " ")
    lead = "\t\t" if style == "tabs" else ""
    out = [f"{agency}{year}年政府信息公开工作年度报告", ""]
    if period:
        out.append(f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。")
    out += ["一、总体情况", "（一）主动公开。本年主动公开信息。（二）依申请公开。（三）政府信息管理。"
            "（四）政府信息公开平台建设。（五）监督保障。", "二、主动公开政府信息情况"]
    previous = None
    for row in PROACTIVE_ROWS[template]:
        if row.columns != previous:
            out.append(sep.join(["信息内容"] + [PROACTIVE_COLUMN_LABELS[c] for c in row.columns]))
            previous = row.columns
        cells = [fmt(tables["proactive"][row.key][c]) for c in row.columns]
        out.append(sep.join([row.label] + cells))
    out += ["三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            sep.join(["申请人情况", "自然人", "法人或其他组织", "总计"]),
            sep.join(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    for row in request_rows(template):
        values = [fmt(tables["requests"][row.key][c]) for c in REQUEST_COLUMNS]
        label = row.label
        if wrap_labels and len(label) > 8:
            out.append(label[:6])
            label = label[6:]
        if wrap_last_value:
            out.append(lead + sep.join([label] + values[:-1]))
            out.append(values[-1])
        else:
            out.append(lead + sep.join([label] + values))
    out += ["四、政府信息公开行政复议、行政诉讼情况",
            sep.join(["行政复议", "行政诉讼"]),
            sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3),
            sep.join(fmt(tables["review_litigation"][g][c]) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS),
            "五、存在的主要问题及改进情况",
            "一是公开内容不够全面。下一步将加强培训。上年度问题已整改到位。",
            "六、其他需要报告的事项",
            section_six if section_six is not None else "本年度未发出收费通知，未收取信息处理费。"]
    return "\n".join(out) + "\n"
