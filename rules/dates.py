"""D4xx — the statistics period and the report year."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from auditor.rules.api import (Option, compact, report_year, rule, section_location,
                               section_text)

YEAR_RE = re.compile(r"((?:19|20)\d{2})年")


def _period(doc: dict) -> dict | None:
    period = doc.get("statistics_period")
    return period if isinstance(period, dict) else None


def _date(value) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _period_loc(doc: dict) -> dict:
    period = _period(doc) or {}
    line, page = period.get("line"), period.get("page")
    return {"line": line if isinstance(line, int) else None, "page": page if isinstance(page, int) else None}


@rule(code="D401", name="period-missing", title_zh="未说明统计期限", title_en="Statistics period not stated",
      severity="warning", weight=3)
def period_missing(doc, ctx):
    """The report states the period its figures cover.

    **What it checks.** The parser found a statement of the statistics period, such as
    "本报告所列数据统计期限为2023年1月1日至12月31日" or "统计期限从2022年1月1日到12月31日止".

    **Why.** The figures of an annual report under 《政府信息公开条例》第四十九条、第五十条 cover a
    calendar year, and nearly every report says so in its preamble; DB51/T 2660—2019 §2.1
    ("年度报告统计时间段为上一年度1月1日至12月31日") makes it explicit. Without it a reader
    cannot tell what the tables count.

    **Passes:** preamble "所列数据统计期限为2023年1月1日至12月31日".

    **Fails:** a report with no such sentence → "报告未说明统计期限（如“本报告所列数据统计期限为2023年1月1日至12月31日”）".
    """
    if _period(doc) is None:
        year = report_year(doc, ctx) or "XXXX"
        yield ctx.finding(f"报告未说明统计期限（如“本报告所列数据统计期限为{year}年1月1日至12月31日”）",
                          f"The report does not state its statistics period (e.g. “本报告所列数据统计期限为"
                          f"{year}年1月1日至12月31日”)")


@rule(code="D402", name="period-mismatch", title_zh="统计期限不是报告年度的全年",
      title_en="Statistics period is not the whole report year", severity="error", weight=5)
def period_mismatch(doc, ctx):
    """The stated statistics period is the whole calendar year of the report year.

    **What it checks.** The period's start is 1 January and its end 31 December of the
    year the report is about (the year in its title). A period that covers another year
    or only part of the year fails; a report that states no period is D401's business.

    **Why.** 《政府信息公开条例》第四十九条 requires a report on "上一年度" work — the calendar
    year; DB51/T 2660—2019 §2.1: "年度报告统计时间段为上一年度1月1日至12月31日".

    **Passes:** 2023 report, period 2023-01-01 to 2023-12-31.

    **Fails:** 2023 report, "统计期限为2022年1月1日至12月31日" →
    "统计期限为2022-01-01至2022-12-31，不是报告年度2023年的全年（应为2023-01-01至2023-12-31）".
    """
    period, year = _period(doc), report_year(doc, ctx)
    if period is None or year is None or not 1 <= year <= 9999:
        return
    start, end = _date(period.get("start")), _date(period.get("end"))
    if start is None and end is None:
        return
    want = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if (start is None or start == want[0]) and (end is None or end == want[1]):
        return
    shown = f"{start or '?'}至{end or '?'}"
    yield ctx.finding(
        f"统计期限为{shown}，不是报告年度{year}年的全年（应为{want[0]}至{want[1]}）",
        f"The statistics period is {start or '?'} to {end or '?'}, not the whole report year {year} "
        f"({want[0]} to {want[1]})",
        data={"start": str(start) if start else None, "end": str(end) if end else None, "year": year,
              "text": period.get("text")}, **_period_loc(doc))


STALE_SECTIONS = ("overall", "problems", "other")
# Words around an earlier year that make it a comparison, a reference or a date, not the
# year the text is about: "较2022年增长", "针对2022年度报告", "2022年12月印发的《…》".
EARLIER_BEFORE = re.compile(r"(较|比|同比|与|相比|上年|上一年|针对|截至|截止|自|从|对照|延续|继续|根据|按照|依据|《)"
                            r"[^，。；,;》]{0,4}$")
EARLIER_AFTER = re.compile(r"^(?:度)?(?:政府信息公开工作)?(?:年度报告|年报|以来|相比|同期|底|末|\d{1,2}月|版|修订|印发|出台|制定)")


def stale_mentions(text: str, year: int) -> list[tuple[int, int, str]]:
    """Mentions of an earlier year that the text treats as its own: (year, position, quote)."""
    out = []
    for m in YEAR_RE.finditer(text):
        other = int(m.group(1))
        if other >= year or other < year - 3:
            continue
        if EARLIER_BEFORE.search(text[max(0, m.start() - 8):m.start()]) or EARLIER_AFTER.match(text[m.end():]):
            continue
        out.append((other, m.start(), text[max(0, m.start() - 6):m.end() + 14]))
    return out


@rule(code="D403", name="year-mismatch", title_zh="标题、统计期限与正文的年份不一致（疑似沿用往年报告）",
      title_en="Title, period and text disagree on the year (stale copy from an earlier report)",
      severity="error", weight=5,
      options={"min_mentions": Option(2, "integer",
                                      "mentions of an earlier year as the text's own, in 一, 五 and 六 "
                                      "together, that make the text stale")})
def year_mismatch(doc, ctx):
    """The year in the title, the statistics period and the text agree.

    **What it checks.**

    - the year in the title is the report year (when the report year came from elsewhere;
      a period that is not the report year is D402's business);
    - the narrative of 一、总体情况, 五 and 六 is about the report year: it fails when an
      earlier year (up to three back) is written as the text's own year at least
      ``min_mentions`` times in these sections together ("2022年，我局……", "2022年共发布……").
      A comparison ("较2022年", "同比"), a reference to an earlier report ("针对2022年度报告
      指出的问题"), "2022年以来" and a dated document ("2022年12月印发的") are not counted;
      the next year, which plans mention, never is.

    **Why.** 国办公开办函〔2021〕30号 names "内容雷同、敷衍塞责" and "发布内容不准确" among the
    failings for which the people responsible are held to account (条例第四十七条); a report
    copied from last year's misstates what was done this year. Pasted text shows the old
    year only once or twice per section, in any of the narrative sections: the real reports
    of ``../shared/real`` and the seeds never name an earlier year this way.

    **Passes:** title "…2023年政府信息公开工作年度报告", period 2023, 一: "2023年，我局……较2022年增长……".

    **Fails:** title 2023, 一: "2022年，我局……", 五: "2022年，我局政府信息公开工作……" →
    "正文把2022年当作本年度写了2次（“2022年，我局……”），报告年度为2023年，疑似沿用往年报告".
    """
    year = report_year(doc, ctx)
    title_years = [int(y) for y in YEAR_RE.findall(compact(doc.get("title") or ""))]
    title_year = title_years[0] if title_years else None
    if title_year and year and title_year != year:
        yield ctx.finding(f"标题年份为{title_year}年，报告年度为{year}年",
                          f"The title says {title_year}, the report year is {year}",
                          data={"title_year": title_year, "year": year}, line=None)
    if year is None:
        return
    found = [(key, *m) for key in STALE_SECTIONS for m in stale_mentions(compact(section_text(doc, key)), year)]
    if len(found) < int(ctx.options.get("min_mentions", 2)):
        return
    other = Counter(f[1] for f in found).most_common(1)[0][0]
    quotes = [f[3] for f in found][:3]
    sections = sorted({f[0] for f in found}, key=STALE_SECTIONS.index)
    yield ctx.finding(
        f"正文把{other}年当作本年度写了{len(found)}次（" + "；".join(f"“{q}”" for q in quotes) +
        f"），报告年度为{year}年，疑似沿用往年报告",
        f"The narrative writes {other} as its own year {len(found)} times; the report year is {year} "
        f"— text copied from an earlier report?",
        data={"year": year, "other_year": other, "mentions": len(found), "quotes": quotes,
              "sections": sections},
        **section_location(doc, sections[0]))


RULES = [period_missing, period_mismatch, year_mismatch]
