"""Title, agency and statistics period in the forms real reports print them (issue 16)."""
from __future__ import annotations

import pytest

from auditor.layout import Line
from auditor.parse.meta import agency_and_year, find_period, find_title


def _title(lines: list[str]):
    title, _ = find_title([Line(t, i + 1) for i, t in enumerate(lines)])
    return title, agency_and_year(title)


@pytest.mark.parametrize("lines, agency, year", [
    (["正文", "2022年某某市人民政府办公室政府信息公开工作年度报告"], "某某市人民政府办公室", 2022),
    (["附件1", "某某县商务局", "2023年政府信息公开", "工作年度报告"], "某某县商务局", 2023),
    (["索引号：123/2024-001", "发布机构：某某县人民政府", "发文日期：2024-01-20",
      "某某县2023年度政府信息公开工作年度报告"], "某某县", 2023),
    (["当前位置：首页 > 政务公开 > 政府信息公开年度报告", "字号 大 中 小", "2024-01-20", "某某县人民政府",
      "2023年政府信息公开工作年度报告"], "某某县人民政府", 2023),
    (["- [某某县2022年政府信息公开工作年度报告](/a.html)", "某某区教育局2023年政府信息公开工作年度报告"],
     "某某区教育局", 2023),
])
def test_title_variants(lines, agency, year):
    title, (got_agency, got_year) = _title(lines)
    assert (got_agency, got_year) == (agency, year), title
    assert "正文" not in title and "附件" not in title


@pytest.mark.parametrize("text", [
    "本报告所列数据为2021年1月1日至12月31日。",
    "统计期限从2021年1月1日到2021年12月31日止。",
    "数据统计时限自2021年1月1日起至2021年12月31日止。",
    "本报告统计期限为2021年1—12月。",
    "本报告统计期限为2021年1---12月。",
    "统计时间为 2021 年 1 月 1 日至 12 月 31 日。",
    "统计期限为２０２１年１月１日至１２月３１日。",
    "数据统计时间为2021年1月至12月。",
])
def test_period_phrasings(text):
    period = find_period([Line(text, 3)])
    assert (period["start"], period["end"], period["line"]) == ("2021-01-01", "2021-12-31", 3)


def test_a_period_of_part_of_the_year_is_read_as_printed():
    period = find_period([Line("本报告统计期限为2021年1—6月。", 1)])
    assert (period["start"], period["end"]) == ("2021-01-01", "2021-06-30")
