"""Each normalisation on its own."""
from __future__ import annotations

import json
from pathlib import Path

from auditor.normalize import compact, join_cjk, normalize_line, strip_markdown
from auditor.parse.tokens import classify, is_page_furniture, parse_number
from auditor.templates import TEMPLATES, json_schema


def test_full_width_folds_to_half_width():
    assert normalize_line("２０２３年（一）：１２３，ＡＢ") == "2023年(一):123,AB"


def test_nbsp_zero_width_and_bom_removed():
    assert normalize_line("\ufeff规\u200b章\u00a0\u00a00\u3000 1") == "规章 0 1"


def test_traditional_folds_to_simplified():
    assert normalize_line("總體情況 結轉下年度繼續辦理") == "总体情况 结转下年度继续办理"


def test_spaces_inside_chinese_text():
    assert join_cjk("2023 年 规 章 结果 维持") == "2023年规章结果维持"
    assert join_cjk("0 0 0") == "0 0 0"
    assert compact("规 章 0 0") == "规章00"


def test_markdown_marks():
    assert strip_markdown("### 一、总体情况") == "一、总体情况"
    assert strip_markdown("**（一）强化领导。**2023 年") == "（一）强化领导。2023 年"
    assert strip_markdown("---") == ""


def test_numbers_blanks_and_text_stay_distinct():
    assert parse_number("3,985,758") == 3985758
    assert parse_number("4068.208") == 4068.208
    assert parse_number("75394432.52元") == 75394432.52
    assert parse_number("+12") == 12 and parse_number("-3") == -3
    assert parse_number("0") == 0 and parse_number("/") is None
    assert [classify(x) for x in ("0", "/", "—", "无", "", "1.", "规章")] == [
        "value", "blank", "blank", "blank", "text", "text", "text"]


def test_page_furniture():
    assert all(map(is_page_furniture, ["- 4 -", "第 2 页", "第2页 共5页", "共 5 页", "— 12 —"]))
    assert not any(map(is_page_furniture, ["0", "4", "0 0 0", "第二十条第(一)项"]))


def test_schemas_on_disk_are_generated_from_templates():
    root = Path(__file__).resolve().parents[2]
    for template in TEMPLATES:
        on_disk = json.loads((root / "schemas" / f"{template}.json").read_text("utf-8"))
        assert on_disk == json_schema(template), f"run: python -m auditor.templates schemas"
