"""Title, agency, report year, statistics period and template of a report."""
from __future__ import annotations

import datetime as dt
import re

from auditor.layout import Line
from auditor.normalize import compact, join_cjk
from auditor.templates import FINGERPRINTS, template_for_year

_TITLE_WORDS = ("年度报告", "年报", "工作报告")
_YEAR = re.compile(r"(19\d\d|20\d\d)年")
_TITLE_SCAN = 12           # the title sits among the first lines


def _title_line_ok(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，,；;:]", text)


def find_title(lines: list[Line]) -> tuple[str | None, int | None]:
    """The report title and its line index.

    A title broken over lines (agency on one line, ``2023年…年度报告`` on the
    next, or ``…政府信息公开`` / ``工作年度报告``) is joined back together.
    """
    for i, line in enumerate(lines[:_TITLE_SCAN]):
        text = join_cjk(line.text)
        if not any(w in compact(text) for w in _TITLE_WORDS) or len(text) > 60:
            continue
        j = i
        while j > 0 and (not _YEAR.search(compact(text)) or _YEAR.match(compact(text))) \
                and i - j < 2 and _title_line_ok(join_cjk(lines[j - 1].text)):
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
    agency = re.sub(r"^(关于|\(|（)|关于$", "", agency).strip() or None
    return agency, int(m.group(1))


# "所列数据统计期限为2023年1月1日至12月31日" and its many variants.
_PERIOD = re.compile(
    r"(?:统计|数据)[^。；;]{0,16}?(?:期限|时限|时间|区间|周期|范围|期间|时段)[^0-9。]{0,12}?"
    r"(\d{4})年(\d{1,2})月(\d{1,2})日?(?:起)?(?:至|到|—|-|~|－)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?")


def _date(y: str | int, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def find_period(lines: list[Line]) -> dict | None:
    """The statistics period the report states, with the sentence that states it."""
    flat, owners = [], []
    for i, line in enumerate(lines):
        piece = compact(line.text)
        flat.append(piece)
        owners.extend([i] * len(piece))
    text = "".join(flat)
    m = _PERIOD.search(text)
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    start, end = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
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


def detect_template(fingerprints: dict[str, list[str]], year: int | None) -> str:
    """The template the tables are laid out on: fingerprints first, the year second."""
    n19, n21 = len(fingerprints["2019"]), len(fingerprints["2021"])
    if n19 != n21:
        return "2019" if n19 > n21 else "2021"
    return template_for_year(None, year) or "2021"
