"""The one catalogue of user-facing words, and the one way to pick a language.

Results are language-neutral: a finding's message, an error, a plugin problem
each carry both languages as a :data:`Text` (``{"zh": …, "en": …}``).  Only
what talks to a person — reporters, the command line's messages — chooses,
with :func:`pick` for texts and :func:`word` for the words below.
"""
from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

Text = dict          # {"zh": str, "en": str}


def text(zh: str, en: str | None = None) -> Text:
    """A language-neutral text (English falls back to the Chinese when not given)."""
    return {"zh": zh, "en": en if en is not None else zh}


def pick(value, lang: str) -> str:
    """The ``lang`` version of a :data:`Text`; a plain string is returned as it is (results
    stored by older versions of the tool carry one language only)."""
    if isinstance(value, dict):
        return value.get(lang) or value.get(DEFAULT_LANG) or value.get("en") or ""
    return "" if value is None else str(value)


WORDS: dict[str, tuple[str, str]] = {
    # results
    "code": ("代码", "code"), "name": ("名称", "name"), "severity": ("级别", "severity"),
    "deduction": ("扣分", "points"), "message": ("说明", "message"), "location": ("位置", "location"),
    "path": ("文件", "file"), "file": ("文件", "file"), "agency": ("机关", "agency"),
    "year": ("年度", "year"), "template": ("模板", "template"), "score": ("得分", "score"),
    "grade": ("等级", "grade"), "findings": ("问题数", "findings"), "result": ("结果", "result"),
    "passed": ("通过", "passed"), "failed": ("未通过", "failed"), "error": ("无法审核", "not audited"),
    "no_findings": ("未发现问题。", "No findings."), "summary": ("汇总", "Summary"),
    "title": ("政府信息公开工作年度报告审核结果", "Audit results"),
    "page": ("页", "page"), "line": ("行", "line"),
    "section": ("部分", "section"), "table": ("表", "table"), "row": ("行", "row"),
    "column": ("列", "column"), "yes": ("是", "yes"), "no": ("否", "no"),
    # severities
    "sev.error": ("错误", "error"), "sev.warning": ("警告", "warning"), "sev.info": ("提示", "info"),
    # levels of government
    "level.department": ("部门", "department"), "level.government": ("政府", "government"),
    "level.township": ("乡镇", "township"),
    # scorecards
    "level": ("层级", "level"), "errors": ("错误", "errors"), "warnings": ("警告", "warnings"),
    "infos": ("提示", "infos"), "failing": ("未通过的规则", "failing rules"),
    "change": ("较上年", "vs last year"), "verdict": ("结论", "verdict"),
    "missing": ("未发布", "not published"), "copies": ("副本", "copies"), "waived": ("已豁免", "waived"),
    "waived.count": ("豁免数", "waived"), "new": ("新增", "new"), "url": ("网址", "URL"),
    "reason.score": ("得分低于及格线", "score below the pass mark"),
    "reason.missing": ("应公开而未找到报告", "expected report not found"),
    "rows": ("报告数", "reports"), "pass_rate": ("通过率", "pass rate"),
    "mean_score": ("平均分", "mean score"), "mean_change": ("平均分较上年", "mean score vs last year"),
    "top_failing": ("最常见的未通过规则", "most frequent failing rules"), "count": ("次数", "count"),
    "grades": ("等级分布", "grades"), "evidence": ("证据", "evidence"),
    "score_distribution": ("得分分布", "Score distribution"), "by_level": ("各层级结论", "Verdicts by level"),
    "search": ("搜索机关", "search agency"), "shown": ("显示", "shown"),
    "notes.parser": ("解析说明", "Parser notes"), "report.page": ("报告页面（表格与问题）", "report page (tables and findings)"),
    "table.proactive": ("二、主动公开政府信息情况", "2. Proactive disclosure"),
    "table.requests": ("三、收到和处理政府信息公开申请情况", "3. Requests received and handled"),
    "table.review_litigation": ("四、政府信息公开行政复议、行政诉讼情况", "4. Administrative review and litigation"),
    "sheet.summary": ("汇总", "Summary"), "sheet.rows": ("机关×年度", "Agencies x years"),
    "sheet.findings": ("问题明细", "Findings"), "sheet.rules": ("规则", "Rules"),
    "scorecard.title": ("政府信息公开工作年度报告评分表", "Disclosure annual report scorecard"),
    "scorecard.hint": ("点击表头排序；点击机关名称查看问题明细。",
                       "Click a header to sort; click an agency for its findings."),
    "findings.detail": ("问题明细", "Findings"), "cell": ("位置（表格单元格）", "where (table cell)"),
    # rules listing
    "weight": ("权重", "weight"), "plugin": ("插件", "plugin"), "rule.title": ("标题", "title"),
    "format": ("格式", "format"), "kind": ("类别", "kind"), "suffixes": ("后缀", "suffixes"),
}


def word(key: str, lang: str) -> str:
    """A catalogue word in ``lang``."""
    zh, en = WORDS[key]
    return en if lang == "en" else zh
