"""P9xx — provincial requirements beyond the national format."""
from __future__ import annotations

import re
import unicodedata

from auditor.rules.api import Option, rule

SECTION_NUMBERS = {"overall": "一", "proactive": "二", "requests": "三",
                   "review_litigation": "四", "problems": "五", "other": "六"}


def _compact(text: str) -> str:
    """Full-width to ASCII, no whitespace: 工作 要点 and 工作要点 match alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@rule(code="P901", name="work-points-missing",
      title_zh="未报告本年度政务公开工作要点落实情况",
      title_en="Implementation of the year's open-government work points not reported",
      severity="warning", weight=5, templates=("2021",), min_year=2021,
      options={
          "keywords": Option(["政务公开工作要点", "工作要点"],
                             help="any of these phrases counts as reporting the work points",
                             schema={"type": "array", "items": {"type": "string", "minLength": 1},
                                     "minItems": 1}),
          "sections": Option(["other"],
                             help="sections searched for the statement (model.md section keys)",
                             schema={"type": "array", "minItems": 1, "items": {
                                 "enum": ["overall", "proactive", "requests", "review_litigation",
                                          "problems", "other"]}}),
      })
def work_points_missing(doc, ctx):
    """Section 六 reports how the year's 政务公开工作要点 was implemented.

    **What it checks.** The text of 六、其他需要报告的事项 (option ``sections``; default
    ``[other]``) mentions one of the phrases in option ``keywords`` (default
    政务公开工作要点, 工作要点). Whitespace and full-width forms are ignored. When none of the
    searched sections is in the report, the rule says nothing: a missing section is S101's
    finding. Applies to reports on the 2021 template (report years 2021 on).

    **Why.** Each year the General Office of the State Council issues the
    政务公开工作要点, and 国办公开办函〔2021〕30号 asks that 其他需要报告的事项 cover how it was
    carried out (本年度政务公开工作要点落实情况). Several provincial 政务公开 offices check this
    item when they evaluate county reports; this pack is an example of such a local rule.

    **Passes:** 六、其他需要报告的事项 — "按照《2023年政务公开工作要点》要求，我局……已全部落实。"

    **Fails:** 六、其他需要报告的事项 — "本年度未收取信息处理费。" (nothing on the work points)
    → "第六部分未报告本年度政务公开工作要点落实情况".
    """
    sections = doc.get("sections") or {}
    present = [key for key in ctx.options["sections"] if isinstance(sections.get(key), dict)]
    if not present:
        return
    text = "".join(_compact(sections[key].get("text") or "") for key in present)
    if any(_compact(k) in text for k in ctx.options["keywords"]):
        return
    first = sections[present[0]]
    names_zh = "、".join(f"第{SECTION_NUMBERS.get(k, k)}部分" for k in present)
    names_en = ", ".join(f"section {k}" for k in present)
    yield ctx.finding(
        f"{names_zh}未报告本年度政务公开工作要点落实情况（未提及：{'、'.join(ctx.options['keywords'])}）",
        f"{names_en} does not report how the year's open-government work points (政务公开工作要点) "
        f"were implemented",
        section=present[0], line=first.get("line") if isinstance(first.get("line"), int) else None,
        page=first.get("page") if isinstance(first.get("page"), int) else None,
        data={"keywords": list(ctx.options["keywords"]), "sections": present})


RULES = [work_points_missing]
