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


@rule(code="D403", name="year-mismatch", title_zh="标题、统计期限与正文的年份不一致（疑似沿用往年报告）",
      title_en="Title, period and text disagree on the year (stale copy from an earlier report)",
      severity="error", weight=5,
      options={"min_mentions": Option(3, "integer",
                                      "mentions of another year in 一 (with fewer of the report year) "
                                      "that make the text stale")})
def year_mismatch(doc, ctx):
    """The year in the title, the statistics period and the text agree.

    **What it checks.**

    - the year in the title is the report year (when the report year came from elsewhere;
      a period that is not the report year is D402's business);
    - section 一、总体情况 is about the report year: it fails when another year (not the next
      one, which plans mention) appears at least ``min_mentions`` times and more often than the
      report year — the mark of last year's text pasted into this year's report.

    **Why.** 国办公开办函〔2021〕30号 names "内容雷同、敷衍塞责" and "发布内容不准确" among the
    failings for which the people responsible are held to account (条例第四十七条); a report
    copied from last year's misstates what was done this year.

    **Passes:** title "…2023年政府信息公开工作年度报告", period 2023, 一: "2023年，我局……".

    **Fails:** title 2023, 一: "2022年，我局……2022年共发布……2022年度……" →
    "第一部分主要写的是2022年（3次），报告年度2023年仅出现0次".
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
    counts = Counter(int(y) for y in YEAR_RE.findall(compact(section_text(doc, "overall"))))
    own = counts.get(year, 0)
    for other, n in counts.most_common():
        if other in (year, year + 1) or n < ctx.options.get("min_mentions", 3) or n <= own:
            continue
        yield ctx.finding(f"第一部分“一、总体情况”主要写的是{other}年（{n}次），报告年度{year}年仅出现{own}次，疑似沿用往年报告",
                          f"Section 1 is mostly about {other} ({n} mentions); the report year {year} "
                          f"appears {own} times — text copied from an earlier report?",
                          data={"year": year, "other_year": other, "mentions": n, "own_mentions": own},
                          **section_location(doc, "overall"))
        break


RULES = [period_missing, period_mismatch, year_mismatch]
