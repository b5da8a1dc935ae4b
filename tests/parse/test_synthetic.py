"""Reports the tests build themselves, with distinct non-zero values in every cell."""
from __future__ import annotations

import pytest

from auditor.errors import EmptyFile, NotAReport
from auditor.normalize import TRAD_TO_SIMP
from auditor.parse import parse_layout
from auditor.read import read_bytes
from auditor.check import validate
from tests.parse.synth import distinct_tables, render

SIMP_TO_TRAD = {v: chr(k) for k, v in TRAD_TO_SIMP.items()}


def parse_text(text: str, encoding: str = "utf-8", name: str = "r.txt") -> dict:
    return parse_layout(read_bytes(text.encode(encoding), name))


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("style", ["spaces", "tabs"])
@pytest.mark.parametrize("wrap_labels,wrap_last_value", [(False, False), (True, False), (False, True)])
def test_every_cell_round_trips(template, style, wrap_labels, wrap_last_value):
    tables = distinct_tables(template)
    year = 2020 if template == "2019" else 2023
    doc = parse_text(render(tables, template, year=year, style=style, wrap_labels=wrap_labels,
                            wrap_last_value=wrap_last_value))
    assert doc["template"] == template
    assert doc["tables"] == tables
    assert doc["year"] == year and doc["agency"] == "某某县商务局"
    assert doc["statistics_period"]["start"] == f"{year}-01-01"
    assert validate(doc) == []


def test_2019_template_has_single_other_row_and_procurement():
    tables = distinct_tables("2019")
    doc = parse_text(render(tables, "2019", year=2019))
    assert "other" in doc["tables"]["requests"] and "other_other" not in doc["tables"]["requests"]
    assert doc["tables"]["proactive"]["procurement"] == tables["proactive"]["procurement"]
    assert set(doc["template_fingerprints"]["2019"]) >= {"本年新制作数量", "政府集中采购"}


def test_2019_tables_in_a_2021_year_report_keep_their_layout():
    doc = parse_text(render(distinct_tables("2019"), "2019", year=2023))
    assert doc["template"] == "2019" and doc["year"] == 2023


def test_gbk_encoded_file():
    tables = distinct_tables("2021")
    doc = parse_text(render(tables), encoding="gbk")
    assert doc["tables"] == tables and doc["agency"] == "某某县商务局"


def test_utf8_bom_and_crlf():
    tables = distinct_tables("2021")
    data = b"\xef\xbb\xbf" + render(tables).replace("\n", "\r\n").encode("utf-8")
    assert parse_layout(read_bytes(data, "r.txt"))["tables"] == tables


def test_traditional_character_labels():
    tables = distinct_tables("2021")
    text = "".join(SIMP_TO_TRAD.get(ch, ch) for ch in render(tables))
    assert "總體情況" in text and "結轉" in text          # the input really is traditional
    doc = parse_text(text)
    assert doc["tables"] == tables
    assert list(doc["sections"]) == ["overall", "proactive", "requests", "review_litigation",
                                     "problems", "other"]


def test_full_width_digits_and_punctuation():
    tables = distinct_tables("2021")
    full = str.maketrans("0123456789.", "０１２３４５６７８９．")
    doc = parse_text(render(tables).translate(full))
    assert doc["tables"] == tables and doc["year"] == 2023


def test_spaces_inside_chinese_text():
    tables = distinct_tables("2021")
    text = render(tables).replace("规章", "规 章").replace(
        "2023年政府", "2023 年政府").replace("四、政府信息公开行政复议", "四、 政府 信息公开行政复议")
    doc = parse_text(text)
    assert doc["year"] == 2023 and doc["tables"] == tables
    assert "review_litigation" in doc["sections"]


def test_markdown_pipe_tables_and_headings():
    tables = distinct_tables("2021")
    lines = []
    for line in render(tables, style="tabs").splitlines():
        if "\t" in line:
            lines.append("| " + " | ".join(c for c in line.split("\t") if c) + " |")
        elif line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") and len(line) < 30:
            lines.append("## **" + line + "**")
        else:
            lines.append(line)
    doc = parse_layout(read_bytes("\n".join(lines).encode(), "r.md"))
    assert doc["source"]["format"] == "markdown"
    assert doc["tables"] == tables
    assert doc["sections"]["overall"]["heading"] == "一、总体情况"


def test_placeholders_are_null_with_raw_text_kept():
    tables = distinct_tables("2021")
    text = render(tables)
    granted = " ".join(str(tables["requests"]["granted"][c]) for c in
                       ("natural_person", "commercial", "research", "social_welfare", "legal_service",
                        "other", "total"))
    values = granted.split()
    values[1], values[2], values[3] = "/", "—", "无"
    text = text.replace(granted, " ".join(values))
    doc = parse_text(text)
    row = doc["tables"]["requests"]["granted"]
    assert (row["commercial"], row["research"], row["social_welfare"]) == (None, None, None)
    assert row["natural_person"] == int(values[0])
    raws = {c["column"]: c["raw"] for c in doc["cells"] if c["row"] == "granted"}
    assert (raws["commercial"], raws["research"], raws["social_welfare"]) == ("/", "—", "无")


def test_extra_value_dropped_where_the_row_arithmetic_holds():
    tables = distinct_tables("2021")
    tables["requests"]["granted"] = dict(zip(
        ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total"),
        (5, 1, 2, 3, 4, 6, 21)))
    text = render(tables).replace("（一）予以公开 5 1 2 3 4 6 21", "（一）予以公开 5 9 1 2 3 4 6 21")
    doc = parse_text(text)
    assert doc["tables"]["requests"]["granted"] == tables["requests"]["granted"]
    note = next(n for n in doc["notes"] if n["code"] == "extra-values" and n["row"] == "granted")
    assert note["dropped"] == [1] and note["values"][1] == "9"


def test_missing_value_is_null_and_noted():
    tables = distinct_tables("2021")
    row = tables["requests"]["carried_over"]
    full = " ".join(str(v) for v in row.values())
    short = " ".join(str(v) for v in list(row.values())[:-1])
    doc = parse_text(render(tables).replace(full, short))
    assert doc["tables"]["requests"]["carried_over"]["total"] is None
    assert any(n["code"] == "missing-values" and n["row"] == "carried_over" for n in doc["notes"])


def test_page_furniture_between_rows_is_ignored():
    tables = distinct_tables("2021")
    text = render(tables).replace("（七）总计", "- 4 -\n第 2 页 共 5 页\n（七）总计")
    assert parse_text(text)["tables"] == tables


def test_not_a_report():
    guide = "某某县政府信息公开指南\n一、主动公开\n（一）公开的内容\n二、依申请公开\n联系电话 12345\n"
    with pytest.raises(NotAReport) as err:
        parse_text(guide)
    assert "不是政府信息公开工作年度报告" in err.value.text["zh"]
    assert "not a disclosure annual report" in err.value.text["en"]


def test_empty_file():
    with pytest.raises(EmptyFile):
        read_bytes(b"  \n\n", "x.txt")


def test_tables_found_without_their_section_headings():
    tables = distinct_tables("2021")
    text = render(tables).replace("四、政府信息公开行政复议、行政诉讼情况\n", "").replace(
        "三、收到和处理政府信息公开申请情况\n", "")
    doc = parse_text(text)
    assert "requests" not in doc["sections"] and "review_litigation" not in doc["sections"]
    assert doc["tables"] == tables


def test_label_cut_before_its_keyword_with_values_on_the_first_line():
    tables = distinct_tables("2021")
    text = render(tables)
    for label, cut in (("2.其他法律行政法规禁止公开", 10), ("3.补正后申请内容仍不明确", 10)):
        line = next(l for l in text.splitlines() if l.startswith(label))
        values = line[len(label):]
        text = text.replace(line, label[:cut] + values + "\n" + label[cut:])
    doc = parse_text(text)
    assert doc["tables"] == tables


def test_unknown_label_with_a_full_row_is_placed_by_row_order():
    tables = distinct_tables("2021")
    text = render(tables).replace("4.无正当理由大量反复申请", "4.某种被改写的行标签")
    doc = parse_text(text)
    assert doc["tables"] == tables
    note = next(n for n in doc["notes"] if n["code"] == "row-by-position")
    assert note["row"] == "not_processed_massive"


def test_year_in_chinese_numerals_and_part_headings():
    tables = distinct_tables("2021")
    text = render(tables).replace("某某县商务局2023年", "某某县商务局二〇二三年").replace(
        "一、总体情况", "第一部分 总体情况")
    doc = parse_text(text)
    assert doc["year"] == 2023 and doc["agency"] == "某某县商务局"
    assert doc["sections"]["overall"]["heading"] == "第一部分总体情况"


def test_counts_written_with_a_unit_inside_a_cell():
    tables = distinct_tables("2021")
    text = render(tables, style="tabs")
    licensing = tables["proactive"]["licensing"]["decisions"]
    text = text.replace(f"行政许可\t{licensing}\n", f"行政许可\t{licensing}件\n")
    assert f"{licensing}件" in text
    assert parse_text(text)["tables"] == tables


def test_rows_run_together_without_labels_are_split_in_template_order():
    # Text extraction that prints group labels elsewhere leaves several rows' values in one run.
    tables = distinct_tables("2021")
    text = render(tables).replace("（一）予以公开 ", "").replace(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） ", "")
    doc = parse_text(text)
    assert doc["tables"] == tables
    note = next(n for n in doc["notes"] if n["code"] == "rows-run-together")
    assert note["rows"] == ["carried_over", "granted", "partially_granted"]


def test_a_lost_row_label_before_the_total_row():
    tables = distinct_tables("2021")
    # 3.其他's values follow 2.'s directly; （七）总计 still names its own row
    text = render(tables).replace("3.其他 ", "")
    doc = parse_text(text)
    assert doc["tables"] == tables


def test_table_four_numbers_broken_over_two_lines_in_narrow_columns():
    tables = distinct_tables("2021")
    values = [str(tables["review_litigation"][g][c]) for g in
              ("review", "litigation_direct", "litigation_after_review")
              for c in ("upheld", "corrected", "other", "pending", "total")]
    assert all(len(v) == 3 for v in values)
    text = render(tables).replace(" ".join(values), " ".join(v[:2] for v in values) + "\n"
                                  + " ".join(v[2:] for v in values))
    doc = parse_text(text)
    assert doc["tables"]["review_litigation"] == tables["review_litigation"]
    assert any(n["code"] == "digits-wrapped" for n in doc["notes"])


def test_two_lines_of_zeros_in_table_four_are_not_joined():
    tables = distinct_tables("2021")
    tables["review_litigation"] = {g: {c: 0 for c in ("upheld", "corrected", "other", "pending", "total")}
                                   for g in ("review", "litigation_direct", "litigation_after_review")}
    text = render(tables).replace(" ".join(["0"] * 15), " ".join(["0"] * 15) + "\n" + " ".join(["0"] * 15))
    doc = parse_text(text)
    assert doc["tables"]["review_litigation"] == tables["review_litigation"]
    assert not any(n["code"] == "digits-wrapped" for n in doc["notes"])
