"""N5xx — the narrative sections: what the text states and covers."""
from __future__ import annotations

import re

from auditor import templates as T
from auditor.rules.api import (Option, compact, doc_template, fmt, num, report_year, rule, section,
                               section_location, section_text, table)


# -- N501 ------------------------------------------------------------------------

NARRATIVE_SECTIONS = [s.key for s in T.SECTIONS]
CLAUSE = r"[^。;；!?,，:：\d]"          # inside one clause, no number
PREV_CONTEXT = re.compile(r"(上一?年度?|去年|同比|较|比上年|前一年|上年同期|历年|累计|以来)")
OFF_TOPIC = re.compile(r"(复议|诉讼|信访|举报|投诉|许可|审批|行政处罚|办件|政务服务|热线|咨询|留言|信件)")
CHANNEL = re.compile(r"(信函|当面|邮寄|传真|网上|网络|电子邮件|现场|书面|口头|渠道|途径)")

RECEIVED = [
    re.compile(rf"(?:收到|受理|接收|接到)(?:了)?(?P<mid>{CLAUSE}{{0,16}}?)申请(?:{CLAUSE}{{0,3}}?)(?P<n>\d+)(?:件|个|条)"),
    re.compile(rf"(?:收到|受理|接收|接到)(?:了)?(?:各类)?(?P<n>\d+)(?:件|个|条)(?P<mid>{CLAUSE}{{0,14}}?)申请"),
]
NONE_RECEIVED = [
    re.compile(rf"(?:未|没有|无)(?:收到|接到|受理|接收|发生)(?P<mid>{CLAUSE}{{0,14}}?)申请"),
    re.compile(r"无(?P<mid>)(?:依申请公开|政府信息公开申请|信息公开申请)"),
]
REVIEW_COUNT = [re.compile(r"行政复议(?:案件|申请)?(?:共计|共|合计)?(?P<n>\d+)(?:件|起|宗)"),
                re.compile(r"(?P<n>\d+)(?:件|起|宗)(?:政府信息公开)?行政复议")]
LITIGATION_COUNT = [re.compile(r"行政诉讼(?:案件)?(?:共计|共|合计)?(?P<n>\d+)(?:件|起|宗)"),
                    re.compile(r"(?P<n>\d+)(?:件|起|宗)(?:政府信息公开)?行政诉讼")]
NONE_REVIEW_LITIGATION = re.compile(
    rf"(?:无|没有|未)(?!经|审结)(?P<mid>{CLAUSE}{{0,12}}?)(?P<what>行政复议(?:(?:和|及|、|或)(?:行政)?诉讼)?|行政诉讼)")


def _texts(doc: dict):
    for key in NARRATIVE_SECTIONS:
        text = compact(section_text(doc, key))
        if text:
            yield key, text


def _stale_context(text: str, start: int, year: int | None) -> bool:
    """True when the words before a match put it in another year or a comparison."""
    before = text[max(0, start - 10):start]
    if PREV_CONTEXT.search(before):
        return True
    years = re.findall(r"((?:19|20)\d{2})年", text[max(0, start - 14):start])
    return bool(year and years and int(years[-1]) != year)


def _stale_clause(text: str, start: int, year: int | None) -> bool:
    """Like :func:`_stale_context`, within the clause before a match only: in an enumeration
    ("上年结转5件，无法提供3件") the previous item's words do not reach the next one."""
    cut = max(text.rfind(p, 0, start) for p in ",，。;；:：") + 1
    return _stale_context(text[cut:start], start - cut, year)


def _quote(text: str, m: re.Match) -> str:
    return text[m.start():m.end()]


def _received_findings(doc, ctx, key, text, year):
    new = num(doc, "requests", "new_received", "total")
    carried = num(doc, "requests", "carried_over", "total") or 0
    if new is None:
        return
    for pattern in RECEIVED:
        for m in pattern.finditer(text):
            mid = m.group("mid")
            if OFF_TOPIC.search(mid) or CHANNEL.search(mid) or _stale_context(text, m.start(), year):
                continue
            n = int(m.group("n"))
            if n in (new, new + carried):
                continue
            said = _quote(text, m)
            yield ctx.finding(
                f"正文称“{said}”（{n}件），表三“本年新收”为{fmt(new)}件"
                f"{f'（加上年结转{fmt(carried)}件为{fmt(new + carried)}件）' if carried else ''}",
                f"The text says “{said}” ({n}), table 3 shows {fmt(new)} new requests"
                f"{f' ({fmt(new + carried)} with those carried over)' if carried else ''}",
                data={"stated": n, "new_received": new, "carried_over": carried, "text": said},
                **section_location(doc, key))
    if new > 0:
        for pattern in NONE_RECEIVED:
            for m in pattern.finditer(text):
                mid = m.group("mid")
                if OFF_TOPIC.search(mid) or CHANNEL.search(mid) or _stale_context(text, m.start(), year):
                    continue
                said = _quote(text, m)
                yield ctx.finding(f"正文称“{said}”，但表三“本年新收”为{fmt(new)}件",
                                  f"The text says “{said}” (none received), but table 3 shows {fmt(new)} new requests",
                                  data={"stated": 0, "new_received": new, "text": said},
                                  **section_location(doc, key))
                return


def _group_total(doc, groups):
    vals = [num(doc, "review_litigation", g, "total") for g in groups]
    return None if any(v is None for v in vals) else sum(vals)


LITIGATION = ("litigation_direct", "litigation_after_review")


def _review_findings(doc, ctx, key, text, year):
    review = _group_total(doc, ("review",))
    litigation = _group_total(doc, LITIGATION)
    checks = (("行政复议", "administrative reviews", REVIEW_COUNT, review),
              ("行政诉讼", "lawsuits", LITIGATION_COUNT, litigation))
    for zh, en, patterns, actual in checks:
        if actual is None:
            continue
        for pattern in patterns:
            for m in pattern.finditer(text):
                if _stale_context(text, m.start(), year):
                    continue
                n = int(m.group("n"))
                if n != actual:
                    said = _quote(text, m)
                    yield ctx.finding(f"正文称“{said}”（{n}件），表四{zh}总计为{fmt(actual)}件",
                                      f"The text says “{said}” ({n} {en}), table 4 shows {fmt(actual)}",
                                      data={"stated": n, "table": actual, "text": said},
                                      **section_location(doc, key))
    for m in NONE_REVIEW_LITIGATION.finditer(text):
        if OFF_TOPIC.search(m.group("mid").replace("复议", "").replace("诉讼", "")) or \
                _stale_context(text, m.start(), year):
            continue
        what = m.group("what")
        said = _quote(text, m)
        for zh, actual, present in (("行政复议", review, "复议" in what),
                                    ("行政诉讼", litigation, "诉讼" in what)):
            if present and actual:
                yield ctx.finding(f"正文称“{said}”，但表四{zh}总计为{fmt(actual)}件",
                                  f"The text says “{said}” (none), but table 4 shows {fmt(actual)} "
                                  f"{'administrative reviews' if zh == '行政复议' else 'lawsuits'}",
                                  data={"stated": 0, "table": actual, "text": said},
                                  **section_location(doc, key))


# Counts of table 三 that reports state in words, and the cells (总计 column) they are
# compared with.  Result categories may be stated together ("予以公开及部分公开M件",
# "不予公开、无法提供和不予处理共N件"): the sum of their rows.
COUNT_UNIT = r"(?:件|个|条|宗)"
COUNT_TAIL = rf"(?:的)?(?:政府信息公开)?(?:申请)?(?:数量)?(?:数)?(?:共计|合计|共|为|达)?(?P<n>\d+){COUNT_UNIT}"
RESULT_WORDS = (("予以公开", "granted"), ("部分公开", "partially_granted"), ("不予公开", "denied"),
                ("无法提供", "unable"), ("不予处理", "not_processed"), ("其他处理", "other"))
_RESULT_ALT = "|".join(w for w, _ in RESULT_WORDS)
_JOIN = r"(?:及|和|与|、)"
COMBINED_RE = re.compile(rf"(?P<words>(?:{_RESULT_ALT})(?:{_JOIN}(?:{_RESULT_ALT}))+){COUNT_TAIL}")
STATED_COUNTS = (
    ("予以公开", "granted", r"(?<!不)予以公开", ("granted",)),
    ("部分公开", "partially granted", r"部分公开", ("partially_granted",)),
    ("不予公开", "denied", r"不予公开", ("denied",)),
    ("无法提供", "unable to provide", r"无法提供", ("unable",)),
    ("不予处理", "not processed", r"不予处理", ("not_processed",)),
    ("其他处理", "otherwise handled", r"其他处理", ("other",)),
    ("本年新收", "new this year", r"本年(?:度)?新收", ("new_received",)),
    ("上年结转", "carried over", r"上(?:一)?年(?:度)?结转", ("carried_over",)),
    ("结转下年度", "carried forward", r"结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理)?", ("carried_forward",)),
    ("办结", "handled", r"(?:办结|办理完毕|完成答复)", ("total_processed",)),
)
STATED_COUNT_RE = [(zh, en, re.compile(words + COUNT_TAIL), rows) for zh, en, words, rows in STATED_COUNTS]


def stated_counts(text: str):
    """Counts of table 三 the text states: (match, what (zh), what (en), row names), combined
    statements first, each stretch of text read once."""
    taken: list[tuple[int, int]] = []
    found = []
    for m in COMBINED_RE.finditer(text):
        words = re.split(_JOIN, m.group("words"))
        names = tuple(dict(RESULT_WORDS)[w] for w in words)
        found.append((m, "、".join(words), " + ".join(names), names))
        taken.append((m.start(), m.end()))
    for zh, en, pattern, names in STATED_COUNT_RE:
        for m in pattern.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append((m, zh, en, names))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f[0].start())


def _rows_of(doc: dict, names: tuple) -> list[str]:
    """Table 三 row keys a stated count covers: a row key, or every row of a result group."""
    keys = [k for k in (table(doc, "requests") or {})]
    out = []
    for name in names:
        group = [k for k in keys if k.startswith(name + "_")] if name in T.REQUEST_GROUP_LABELS else []
        out += group or ([name] if name in keys else [])
    return out


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a match, for the message (at most 60 characters)."""
    s = max(text.rfind("。", 0, start), text.rfind(";", 0, start)) + 1
    e = min([p for p in (text.find("。", end), text.find(";", end)) if p >= 0] or [len(text)])
    out = text[s:e]
    return out if len(out) <= 60 else text[max(s, start - 20):min(e, end + 20)]


def _also_meant(doc: dict, names: tuple, actual) -> set:
    """Other readings of a stated count that are not errors: "予以公开38件（其中部分公开3件）"
    counts the partly granted requests among the granted ones."""
    partial = num(doc, "requests", "partially_granted", "total")
    return {actual + partial} if names == ("granted",) and partial is not None else set()


def _count_findings(doc, ctx, key, text, year):
    """Counts of table 三 stated in words ("无法提供5件", "本年新收171件") against the 总计 cells."""
    for m, zh, en, names in stated_counts(text):
        rows = _rows_of(doc, names)
        values = [num(doc, "requests", r, "total") for r in rows]
        if not rows or any(v is None for v in values):
            continue
        if zh != "上年结转" and _stale_clause(text, m.start(), year):
            continue
        n, actual = int(m.group("n")), sum(values)
        if n == actual or n in _also_meant(doc, names, actual):
            continue
        cells = "、".join(f"{T.row_label('requests', r, doc_template(doc) or '2021')}{fmt(v)}"
                         for r, v in zip(rows, values))
        said = _sentence(text, m.start(), m.end())
        yield ctx.finding(
            f"正文称“{_quote(text, m)}”（{n}件，见“{said}”），表三{zh}的“总计”列为{fmt(actual)}件"
            f"{f'（{cells}）' if len(rows) > 1 else ''}",
            f"The text says “{_quote(text, m)}” ({n}; “{said}”), table 3's {en} total is {fmt(actual)}"
            + (f" (rows {', '.join(rows)})" if len(rows) > 1 else ""),
            data={"stated": n, "table": actual, "rows": rows, "column": "total", "text": said},
            section=key, table="requests", row=rows[0], column="total",
            line=section_location(doc, key)["line"], page=section_location(doc, key)["page"])


ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:被|获|得到|予以|为)?(?:依法)?维持")
NOT_UPHELD = ("corrected", "other", "pending")


def _upheld_findings(doc, ctx, key, text, year):
    """"均获维持" while table 四 shows cases corrected, otherwise decided or pending."""
    for m in ALL_UPHELD.finditer(text):
        said = _sentence(text, m.start(), m.end())
        groups = [g for g, words in (("review", "复议"), ("litigation_direct", "诉讼"),
                                     ("litigation_after_review", "诉讼")) if words in said]
        if not groups or _stale_clause(text, m.start(), year):
            continue
        bad = [(g, c, num(doc, "review_litigation", g, c)) for g in groups for c in NOT_UPHELD]
        bad = [(g, c, v) for g, c, v in bad if v]
        if not bad:
            continue
        cells = "、".join(f"{T.REVIEW_GROUP_LABELS[g]}“{T.REVIEW_COLUMN_LABELS[c]}”{fmt(v)}件" for g, c, v in bad)
        yield ctx.finding(
            f"正文称“{said}”，但表四并非全部维持：{cells}",
            f"The text says “{said}” (all upheld), but table 4 shows other outcomes: "
            + ", ".join(f"{g}.{c} = {fmt(v)}" for g, c, v in bad),
            data={"text": said, "cells": [{"row": g, "column": c, "value": v} for g, c, v in bad]},
            section=key, table="review_litigation", row=bad[0][0], column=bad[0][1],
            line=section_location(doc, key)["line"], page=section_location(doc, key)["page"])


@rule(code="N501", name="narrative-table-conflict", title_zh="正文数字与表格不一致",
      title_en="Numbers stated in the text disagree with the tables",
      severity="warning", weight=5, per_failure=2.5)
def narrative_table_conflict(doc, ctx):
    """Numbers the narrative states agree with tables 三 and 四.

    **What it checks.** Statements in the text such as

    - "收到政府信息公开申请N件" / "共受理申请N件" — N must be table 三's 一、本年新收 总计, or
      新收 + 二、上年结转 (many reports count the carried-over requests as received);
    - "未收到政府信息公开申请" / "无依申请公开事项" — 本年新收 总计 must be 0;
    - "被申请行政复议N件" / "行政诉讼N件" — table 四's 行政复议 总计 / the two 行政诉讼 总计s;
    - "无行政复议和行政诉讼情况" — those totals must be 0;
    - the counts of table 三 stated in words, each against the 总计 column of its rows:
      "本年新收…N件" (一、本年新收), "上年结转N件" (二), "结转下年度继续办理N件" (四), "办结N件"
      (（七）总计), "予以公开N件", "部分公开N件", and "不予公开/无法提供/不予处理/其他处理N件" — the
      sum of every sub-row of the group, so a text that states one sub-row ("无法提供5件" where
      不掌握 5 + 另行制作 3) fails; categories stated together ("予以公开及部分公开M件",
      "不予公开、无法提供和不予处理共N件") against the sum of their rows, so M taken from one
      applicant column fails ("予以公开N件" may count the partly granted ones too);
    - "均获维持" / "全部维持" said of 行政复议 or 行政诉讼 — table 四 must show no case 纠正,
      其他结果 or 尚未审结 in that group.

    Each finding quotes the sentence and names the cells it was compared with.

    Statements about another year ("上年收到…", "2022年…"), comparisons ("同比", "较…"),
    one channel only ("通过信函…") and other kinds of request (信访, 行政许可) are skipped.

    **Why.** 《政府信息公开条例》第五十条 asks for one account of the requests received and of
    the reviews and lawsuits; 国办公开办函〔2021〕30号 holds the people responsible for
    "发布内容不准确". Text and table that disagree mean one of them is wrong.

    **Passes:** "共收到70件申请" with 本年新收 69 and 上年结转 1.

    **Fails:** "2023年，我局未收到政府信息公开申请" with 本年新收 3 →
    "正文称“未收到政府信息公开申请”，但表三“本年新收”为3件".
    """
    year = report_year(doc, ctx)
    for key, text in _texts(doc):
        # every statement looked for names 申请, 行政复议 or 行政诉讼: a section without them
        # is not scanned (nine regular expressions a section are most of this rule's time)
        if "申请" in text:
            yield from _received_findings(doc, ctx, key, text, year)
        if "行政复议" in text or "行政诉讼" in text:
            yield from _review_findings(doc, ctx, key, text, year)
        if "维持" in text:
            yield from _upheld_findings(doc, ctx, key, text, year)
        yield from _count_findings(doc, ctx, key, text, year)


# -- N502 ------------------------------------------------------------------------

TOPICS = (
    ("主动公开", "proactive disclosure", ("主动公开",)),
    ("依申请公开", "disclosure on request", ("依申请", "申请公开", "公开申请")),
    ("政府信息管理", "information management",
     ("信息管理", "信息资源", "发布审核", "发布审查", "信息审核", "信息审查", "保密审查", "公开属性", "三审")),
    ("政府信息公开平台建设", "disclosure platforms", ("平台", "网站", "新媒体", "公开专栏", "公开栏", "公众号")),
    ("监督保障", "oversight and safeguards", ("监督", "保障", "考核", "培训", "问责", "责任追究")),
)


@rule(code="N502", name="overall-topics-missing", title_zh="总体情况未涵盖规定内容",
      title_en="Section 1 does not cover the required topics",
      severity="warning", weight=5, per_failure=1)
def overall_topics_missing(doc, ctx):
    """Section 一、总体情况 covers 主动公开, 依申请公开, 政府信息管理, 平台建设 and 监督保障.

    **What it checks.** Each of the five topics is named in 一 (heading or text), by its
    name or a close synonym: 依申请公开 / 公开申请; 政府信息管理 / 信息发布审核 / 保密审查;
    平台建设 / 网站 / 政务新媒体 / 公开栏; 监督保障 / 考核 / 培训 / 责任追究. One finding per
    missing topic.

    **Why.** 国办公开办函〔2021〕30号 on 总体情况: "主要包括主动公开、依申请公开、政府信息管理、
    政府信息公开平台建设、监督保障"; "不能遗漏".

    **Passes:** 一 with sub-headings （一）主动公开 （二）依申请公开 （三）政府信息管理
    （四）政府信息公开平台建设 （五）监督保障.

    **Fails:** 一 that only describes leadership and publishing channels → "第一部分“总体情况”未涉及“依申请公开”".
    """
    if section(doc, "overall") is None:
        return
    text = compact(section(doc, "overall").get("heading")) + compact(section_text(doc, "overall"))
    for zh, en, words in TOPICS:
        if not any(w in text for w in words):
            yield ctx.finding(f"第一部分“总体情况”未涉及“{zh}”", f"Section 1 does not cover {en} ({zh})",
                              data={"topic": zh}, **section_location(doc, "overall"))


# -- N503 ------------------------------------------------------------------------

PREVIOUS = r"(?:上一?年度?|去年|前一年度?|以往|往年|{prev}年度?)"
FIX = r"(?:整改|改进|落实|解决|完善|改正|纠正)"
ISSUE = r"(?:问题|不足|短板|意见|建议|年报|年度报告|报告)"


@rule(code="N503", name="rectification-missing", title_zh="未说明上年度问题的整改情况",
      title_en="No account of how last year's problems were put right",
      severity="info", weight=1,
      options={"window": Option(40, "integer", "characters between the previous-year word and the fix")})
def rectification_missing(doc, ctx):
    """Section 五 says how the problems named in last year's report were put right.

    **What it checks.** 五、存在的主要问题及改进情况 mentions the previous year's problems or
    report (上年度 / 上一年度 / 去年 / "2022年度报告") together with their rectification
    (整改 / 改进 / 落实 / 解决) in one sentence, within ``window`` characters.

    **Why.** 《政府信息公开条例》第五十条第（四）项 asks for "存在的主要问题及改进情况"; evaluators
    expect the improvement of the problems the previous report named (上一年度年报所提问题的整改情况)
    — otherwise the same problems return every year. The 30号 notice wording was not
    found, hence an info.

    **Evidence (issue 16).** It fires on all ten reports of ``../shared/real`` and the seeds.
    Their sections 五 were read one by one: every one lists this year's problems and next
    year's measures ("针对存在问题,下一步…", "2024年,我局将…", "（二）改进措施"), and none says
    what became of the problems named a year earlier — the truth files list N503 as
    expected on all five real reports. The phrase list does not miss a real wording; the
    requirement itself is common practice whose notice sentence could not be found ([U] in
    ``../shared/research/template-spec.md``). So the rule stays at info level: it tells the
    reader what is missing without counting as a defect of the report.

    **Passes:** 五: "针对上一年度报告中指出的政策解读不足问题，我局已建立解读机制，整改到位。"

    **Fails:** 五 only lists this year's problems and next year's plans →
    "第五部分未说明上一年度所提问题的整改情况".
    """
    if section(doc, "problems") is None:
        return
    text = compact(section_text(doc, "problems"))
    year = report_year(doc, ctx)
    prev = PREVIOUS.format(prev=year - 1 if year else r"\d{4}")
    w = int(ctx.options.get("window", 40))
    gap = rf"[^。]{{0,{w}}}?"
    patterns = (rf"{prev}{gap}{ISSUE}{gap}{FIX}", rf"{prev}{gap}{FIX}", rf"{FIX}{gap}{prev}{gap}{ISSUE}")
    if any(re.search(p, text) for p in patterns):
        return
    yield ctx.finding("第五部分未说明上一年度所提问题的整改情况",
                      "Section 5 does not say how the problems named in last year's report were put right",
                      **section_location(doc, "problems"))


# -- N504 ------------------------------------------------------------------------

ACCOUNTABILITY = (
    ("工作考核", "performance appraisal", ("考核", "考评", "绩效评估", "评估", "督查")),
    ("社会评议", "public evaluation", ("社会评议", "评议", "群众评价", "社会评价", "公众评价", "满意度",
                                   "第三方评估", "测评")),
    ("责任追究", "accountability", ("责任追究", "追责", "问责", "追究")),
)


def _is_government(doc: dict, ctx) -> bool:
    level = (getattr(ctx, "metadata", None) or {}).get("level")
    if isinstance(level, str) and level:
        return level in ("government", "人民政府")
    agency = doc.get("agency") if isinstance(doc.get("agency"), str) else ""
    if not agency:
        agency = doc.get("title") if isinstance(doc.get("title"), str) else ""
        agency = agency.split("20")[0]
    return bool(re.search(ctx.options.get("agency_pattern", r"人民政府$"), compact(agency)))


@rule(code="N504", name="government-accountability-missing",
      title_zh="人民政府年报未报告工作考核、社会评议和责任追究结果",
      title_en="Government report omits appraisal, public evaluation and accountability results",
      severity="warning", weight=3, per_failure=1,
      options={"agency_pattern": Option(r"人民政府$", "string",
                                        "regular expression on the agency name that marks a people's "
                                        "government (not a department)")})
def government_accountability_missing(doc, ctx):
    """A people's government's report covers 工作考核、社会评议和责任追究结果情况.

    **What it checks.** For the report of a people's government itself — the agency name
    matches ``agency_pattern`` (default: it ends in 人民政府, so 淮安市人民政府 but not
    淮安市人民政府办公室 or 淮安市商务局), or the sweep metadata says ``level: government`` —
    the text mentions each of 工作考核 (考核/考评), 社会评议 (评议/满意度/第三方评估) and
    责任追究 (追责/问责). One finding per missing item. Department reports are not checked.

    **Why.** 《政府信息公开条例》第五十条第（四）项: "各级人民政府的政府信息公开工作年度报告还应当包括
    工作考核、社会评议和责任追究结果情况"; 国办公开办函〔2021〕30号 places it under 总体情况/监督保障.

    **Evidence (issue 16).** The rule fired on both people's-government reports of
    ``../shared/real``. Read against their wording: 淮安市人民政府 2024 appraises its
    departments as "全年组织4次政府信息公开栏目全覆盖检查,并出具各县区、各部门政务公开评估分报告"
    — a 工作考核 result the list did not know (评估, 督查 now count); it names no public
    evaluation and no accountability result at all. 沭阳县人民政府 2025 states "纳入高质量发展考核
    …综合考评" and "满意度" but no 责任追究 result ("通过考核倒逼责任落实" is not one). So what
    is left are omissions of an explicit statutory item (条例第五十条第（四）项, [C] in
    ``../shared/research/template-spec.md``), not wording the rule misses: the rule stays a
    warning, one finding per missing item. The wording lists also take 社会评价/公众评价/测评
    and 追究.

    **Passes:** 沭阳县人民政府: "（五）监督保障……纳入高质量发展考核……开展社会评议……未发生责任追究情况".

    **Fails:** 淮安市人民政府 with none of the three → "人民政府年报未报告“工作考核”结果情况" (and the
    two others).
    """
    if not _is_government(doc, ctx):
        return
    text = "".join(compact(section_text(doc, s.key)) for s in T.SECTIONS)
    if not text:
        return
    for zh, en, words in ACCOUNTABILITY:
        if not any(w in text for w in words):
            yield ctx.finding(f"人民政府年报未报告“{zh}”结果情况（条例第五十条第（四）项）",
                              f"A people's government report must state its {en} results (条例 art. 50(4))",
                              data={"item": zh}, **section_location(doc, "overall"))


RULES = [narrative_table_conflict, overall_topics_missing, rectification_missing,
         government_accountability_missing]
