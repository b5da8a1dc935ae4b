"""Title, agency, report year, statistics period and template of a report."""
from __future__ import annotations

import datetime as dt
import re

from auditor.layout import Line
from auditor.normalize import compact, join_cjk
from auditor.templates import FINGERPRINTS, template_for_year

_TITLE_WORDS = ("年度报告", "年报", "工作报告")
_YEAR = re.compile(r"(19\d\d|20\d\d)年")
_TITLE_SCAN = 40           # the title sits among the first lines (after a converted page's navigation)


# Lines around a title that are not part of it: page furniture, breadcrumbs, the
# 索引号/发布机构/发文日期 metadata block, "正文", "附件1", font-size switches, date lines,
# Markdown links (a converted page's navigation and "related reports" lists).
_NOT_TITLE = re.compile(
    r"^(?:正文|附件\s*\d*|字号|【?打印|分享|当前位置)|[>›»]|(?:^|[\s:：])(?:大\s*中\s*小)\s*$"
    r"|\]\(|索引号|发布机构|发文日期|发布日期|成文日期|发文字号|主题分类|来源[:：]|浏览次数"
    r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
_LABELLED = re.compile(r"^(?:标题|名称|文件名称|题名)\s*[:：]\s*")


def _title_line_ok(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，,；;:：]", text) and not _NOT_TITLE.search(text)


def _needs_more(text: str) -> bool:
    """A title piece that still lacks its agency: no year at all, or the year first with
    nothing but 政府信息公开… after it ("2023年政府信息公开工作年度报告")."""
    flat = compact(text)
    m = _YEAR.search(flat)
    if not m:
        return True
    return m.start() == 0 and re.match(r"^度?(?:政府信息公开|政务公开|信息公开|工作年度报告|年度报告)",
                                       flat[m.end():]) is not None


def find_title(lines: list[Line], stop: int | None = None) -> tuple[str | None, int | None]:
    """The report title and its line index.

    A title broken over two or three lines (agency on one line, ``2023年…年度报告`` on the
    next, or ``…政府信息公开`` / ``工作年度报告``) is joined back together; lines that are not
    part of a title (``正文``, ``附件1``, metadata, breadcrumbs, dates) are never joined.
    The title comes before ``stop`` (the first section heading).
    """
    for i, line in enumerate(lines[:min(_TITLE_SCAN, stop if stop is not None else _TITLE_SCAN)]):
        text = _LABELLED.sub("", join_cjk(line.text))
        if not any(w in compact(text) for w in _TITLE_WORDS) or len(text) > 60 \
                or _NOT_TITLE.search(text):
            continue
        j = i
        while j > 0 and _needs_more(text) and i - j < 2 and _title_line_ok(join_cjk(lines[j - 1].text)):
            j -= 1
            text = join_cjk(lines[j].text) + text
        return text, j
    return None, None


_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CN_YEAR = re.compile(r"[〇零○Ｏ一二三四五六七八九]{4}(?=年)")


def arabic_years(text: str) -> str:
    """'二〇二三年' → '2023年' (titles sometimes spell the year in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def agency_and_year(title: str | None) -> tuple[str | None, int | None]:
    if not title:
        return None, None
    flat = arabic_years(compact(title))
    m = _YEAR.search(flat)
    if not m:
        cut = flat.find("政府信息公开")
        return (flat[:cut] or None) if cut > 0 else None, None
    agency = flat[: m.start()]
    if not agency:      # the year first: "2022年某某市人民政府办公室政府信息公开工作年度报告"
        cut = flat.find("政府信息公开", m.end())
        agency = re.sub(r"^度", "", flat[m.end(): cut]) if cut > m.end() else ""
    agency = re.sub(r"^(关于|\(|（)|关于$", "", agency).strip() or None
    return agency, int(m.group(1))


# "所列数据统计期限为2023年1月1日至12月31日" and its many variants: "本报告所列数据为…",
# "统计期限从…到…止", "数据统计时限自…起至…止", the end date without its year.
_PERIOD_LEAD = r"(?:统计|数据|期限|时限|时间段|起止)"
_PERIOD = re.compile(
    _PERIOD_LEAD + r"[^。；;]{0,20}?"
    r"(\d{4})年(\d{1,2})月(\d{1,2})日?(?:起)?(?:至|到|—|-{1,3}|~|－|–)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?")
# "统计期限为2023年1—12月", "数据统计时间为2023年1月至12月": whole months.
_PERIOD_MONTHS = re.compile(
    _PERIOD_LEAD + r"[^。；;]{0,20}?(\d{4})年(?:度)?(\d{1,2})月?(?:份)?(?:至|到|—|-{1,3}|~|－|–)(?:(\d{4})年)?(\d{1,2})月(?!\d{1,2}日)")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _date(y: str | int, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _month_end(y: str, m: str) -> str | None:
    if not 1 <= int(m) <= 12:
        return None
    nxt = dt.date(int(y) + int(m) // 12, int(m) % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


def _period_dates(text: str) -> tuple[re.Match, str | None, str | None] | None:
    """The first stated period in ``text``: (match, start, end)."""
    m = _PERIOD.search(text)
    if m:
        y1, m1, d1, y2, m2, d2 = m.groups()
        return m, _date(y1, m1, d1), _date(y2 or y1, m2, d2)
    m = _PERIOD_MONTHS.search(text)
    if m:
        y1, m1, y2, m2 = m.groups()
        return m, _date(y1, m1, 1), _month_end(y2 or y1, m2)
    return None


def find_period(lines: list[Line]) -> dict | None:
    """The statistics period the report states, with the sentence that states it."""
    flat, owners = [], []
    for i, line in enumerate(lines):
        piece = compact(line.text).translate(_FULL_WIDTH_DIGITS)
        flat.append(piece)
        owners.extend([i] * len(piece))
    text = "".join(flat)
    found = _period_dates(text)
    if not found:
        return None
    m, start, end = found
    if not start or not end:
        return None
    s = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    e = text.find("。", m.end())
    e = len(text) if e < 0 else e + 1
    line = lines[owners[m.start()]]
    return {"start": start, "end": end, "text": text[s:e], "line": line.number, "page": line.page}


def find_fingerprints(lines: list[Line]) -> dict[str, list[str]]:
    text = compact("".join(line.text for line in lines))
    return {t: [f for f in fps if f in text] for t, fps in FINGERPRINTS.items()}


def fingerprint_template(fingerprints: dict[str, list[str]]) -> str | None:
    """The template whose labels outnumber the other's, or None on a tie."""
    n19, n21 = len(fingerprints["2019"]), len(fingerprints["2021"])
    if n19 != n21:
        return "2019" if n19 > n21 else "2021"
    return None


def detect_template(fingerprints: dict[str, list[str]], year: int | None) -> str:
    """The template the tables are laid out on: fingerprints first, the year second."""
    return fingerprint_template(fingerprints) or template_for_year(None, year) or "2021"


def table_templates(proactive: list[Line], requests: list[Line], year: int | None) -> tuple[str, str, str]:
    """(document template, table 二's, table 三's).

    Each table is read on the template its own labels show: a 2021 report that keeps the 2019
    table 二 has 2019 labels there and the 2021 sub-rows of （六） in table 三.  The document's
    template is table 三's when its labels tell, else the one of both tables' labels together,
    else the year's; a table whose labels do not tell is read on the document's."""
    doc = detect_template(find_fingerprints(proactive + requests), year)
    requests_t = fingerprint_template(find_fingerprints(requests))
    doc = requests_t or doc
    proactive_t = fingerprint_template(find_fingerprints(proactive)) or doc
    return doc, proactive_t, requests_t or doc
