"""F3xx — the 信息处理费 (information-processing fee) statement of section 六, 2021 on.

The fee is the one of 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), charged
since 2021-01-01 to applicants who exceed a quantity or frequency.  It is NOT
table 二's 行政事业性收费 (the agency's regulatory fee income): nothing in table
二 satisfies or contradicts a fee statement.
"""
from __future__ import annotations

import re

from auditor.rules.api import (cell_loc, compact, fmt, num, rule, section, section_location,
                               section_text)


# Wording that states the 信息处理费 position, nil or not (matched on compacted text,
# with 行政事业性收费 removed first so that table 二's fee never counts).
FEE_STATEMENT = [
    r"信息处理费",
    r"收费通知",
    r"(?:信息公开|依申请公开|公开申请|政府信息)[^。;!?]{0,8}?(?:收费|收取[^。;]{0,6}费)",
    r"(?:收费|收取[^。;]{0,6}费用?)[^。;]{0,6}?(?:信息公开|公开申请|政府信息)",
    r"申请人[^。;]{0,8}?(?:收费|收取[^。;]{0,6}费)",
]
NO_NOTICE = r"(?:未|没有|无|未曾|不存在)(?!按)(?:向申请人)?(?:发出|发放|开具|送达)?[^。;,，\d]{0,10}?收费通知"
# "no fee at all" — but not "未收取信息处理费", which is consistent with unpaid notices.
NO_FEE_AT_ALL = r"(?:不存在|未发生|没有|无)(?!按)[^。;,，\d]{0,6}?(?:信息公开|依申请公开)?收费(?:情况|行为|事项)?"
NOTICES_SENT = [r"发出(?:信息处理费)?收费通知(?:书|单)?(?:共计|共|合计)?(\d+)(?:件|份|次)",
                r"发出(\d+)(?:件|份|次)(?:信息处理费)?收费通知"]
COLLECTED = [r"(?:实际)?收取(?:信息处理费|费用)(?:共计|共|合计|总计)?(\d+(?:\.\d+)?)元",
             r"收取[^。;,，]{0,10}?(?:共计|共|合计|总计)(\d+(?:\.\d+)?)元"]


def _other_text(doc: dict) -> str:
    return compact(section_text(doc, "other")).replace("行政事业性收费", "")


def has_fee_statement(text: str) -> bool:
    """True when (compacted) text states the 信息处理费 position, nil statements included."""
    text = text.replace("行政事业性收费", "")
    return any(re.search(p, text) for p in FEE_STATEMENT)


@rule(code="F301", name="fee-statement-missing", title_zh="未报告信息处理费收取情况",
      title_en="Information-processing fee statement missing from section 6",
      severity="error", weight=10, min_year=2021)
def fee_statement_missing(doc, ctx):
    """Section 六 states the 信息处理费: notices sent and amounts, or an explicit nil statement.

    **What it checks.** In reports on 2021 or later, 六、其他需要报告的事项 states the
    information-processing fee position: how many fee notices were sent and for how much,
    and how much was collected — or explicitly that none was (e.g. "未发出收费通知，未收取
    信息处理费", "不存在信息公开收费情况", "无收取信息处理费情况"), or an amount
    ("收取信息处理费共计380元"). A bare "无" or "无其他需要报告的事项" is not a fee statement.
    Table 二's 行政事业性收费 (the agency's regulatory fee income) is a different thing and
    never satisfies this rule. When 六 is missing altogether this rule fires too (and S101).

    **Why.** 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), in force since 2021-01-01, and
    the 2021 format (国办公开办函〔2021〕30号) require the fee position to be reported in the
    annual report (河南: "信息处理费收取情况…纳入政府信息公开工作年度报告，接受社会监督").

    **Passes:** 六: "2023年未发出政府信息处理费收费通知，未收取信息处理费。"

    **Fails:** 六: "无" → "第六部分未说明信息处理费收取情况（收费通知件数、金额，或明确未收取）".
    """
    if section(doc, "other") is None:
        yield ctx.finding("缺少第六部分“其他需要报告的事项”，未说明信息处理费收取情况",
                          "Section 6 is missing, so the information-processing fee is not reported",
                          section="other")
        return
    if has_fee_statement(_other_text(doc)):
        return
    shown = compact(section_text(doc, "other"))
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    yield ctx.finding(f"第六部分未说明信息处理费收取情况（收费通知件数、金额，或明确未收取）；现为“{shown}”",
                      f"Section 6 does not state the information-processing fee (notices sent, amounts, "
                      f"or an explicit nil statement); it reads “{shown}”",
                      data={"text": shown}, **section_location(doc, "other"))


@rule(code="F302", name="fee-contradiction", title_zh="信息处理费情况与表三矛盾",
      title_en="Fee statement contradicts table 3", severity="warning", weight=5, min_year=2021)
def fee_contradiction(doc, ctx):
    """Section 六's fee statement agrees with table 三 and with itself.

    **What it checks.** Table 三 row （六）2 "申请人逾期未按收费通知要求缴纳费用…" counts requests
    dropped because the applicant did not pay a fee notice, so each of them had a notice.
    It fails when:

    - （六）2 总计 > 0 while 六 says no fee notice was sent ("未发出收费通知") or that there was
      no fee at all ("不存在信息公开收费情况", "未收取任何费用" without mentioning notices);
    - 六 gives the number of notices sent and it is smaller than （六）2 总计;
    - 六 says no notice was sent but states an amount collected.

    **Why.** 国办函〔2020〕109号: the fee is charged only after a 收费通知; the applicant who does
    not pay within 20 working days is deemed to have withdrawn — that is （六）2 of the 2021
    table (国办公开办函〔2021〕30号). The two statements must agree ("数据精确").

    **Passes:** （六）2 总计 6; 六: "全年收取信息处理费3940元".

    **Fails:** （六）2 总计 2; 六: "本年度未发出收费通知，未收取信息处理费" →
    "表三（六）2（逾期未按收费通知缴费）为2件，但第六部分称未发出收费通知".
    """
    if section(doc, "other") is None:
        return
    text = _other_text(doc)
    unpaid = num(doc, "requests", "other_fee_unpaid", "total")
    loc = section_location(doc, "other")
    no_notice = re.search(NO_NOTICE, text)
    no_fee = re.search(NO_FEE_AT_ALL, text)
    if unpaid and unpaid > 0:
        nil = no_notice or (no_fee if "收费通知" not in text else None)
        if nil:
            yield ctx.finding(
                f"表三（六）2（逾期未按收费通知要求缴纳费用）为{fmt(unpaid)}件，但第六部分称“{nil.group(0)}”",
                f"Table 3 row (6)2 (fee notice not paid) is {fmt(unpaid)}, but section 6 says "
                f"“{nil.group(0)}”", data={"other_fee_unpaid": unpaid, "statement": nil.group(0)}, **loc)
            return
        sent = _first_int(NOTICES_SENT, text)
        if sent is not None and sent < unpaid:
            yield ctx.finding(
                f"第六部分称发出收费通知{sent}件，少于表三（六）2（逾期未缴费）的{fmt(unpaid)}件",
                f"Section 6 reports {sent} fee notices sent, fewer than the {fmt(unpaid)} unpaid notices "
                f"of table 3 row (6)2", data={"notices_sent": sent, "other_fee_unpaid": unpaid},
                **cell_loc(doc, "requests", "other_fee_unpaid", "total"))
            return
    collected = _first_num(COLLECTED, text)
    if no_notice and collected:
        yield ctx.finding(f"第六部分称“{no_notice.group(0)}”，却又称收取信息处理费{fmt(collected)}元",
                          f"Section 6 says “{no_notice.group(0)}” yet reports {fmt(collected)} yuan collected",
                          data={"collected": collected}, **loc)


def _first_int(patterns, text):
    for p in patterns:
        m = re.search(p, text)
        if m:
            return int(m.group(1))
    return None


def _first_num(patterns, text):
    for p in patterns:
        m = re.search(p, text)
        if m:
            v = float(m.group(1))
            return int(v) if v.is_integer() else v
    return None


RULES = [fee_statement_missing, fee_contradiction]
