"""The terminal table: tabulate's "simple" layout, measured in display cells, wrapped sensibly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tabulate import tabulate
from wcwidth import wcswidth

from auditor.i18n import word
from auditor.report.words import location_text, severity_text
from auditor.report.grid import CLOSING, display_width, grid, wrap

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ("code", "severity", "deduction", "message", "location")


@pytest.fixture(scope="module")
def sample_findings():
    """Rows of the findings tables of an audit of the bundled samples, in both languages."""
    out = {}
    for lang in ("zh", "en"):
        proc = subprocess.run([sys.executable, "-m", "auditor", "audit", str(ROOT / "samples"),
                               "--format", "json", "--lang", lang], capture_output=True, text=True)
        run = json.loads(proc.stdout)
        out[lang] = [[[f["code"], severity_text(f["severity"], lang), f"{f['deduction']:g}",
                       f["message"], location_text(f.get("location"), lang)]
                      for f in r.get("findings") or []] for r in run["reports"] if r.get("findings")]
    assert out["zh"] and out["en"]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_layout_as_tabulate_when_nothing_wraps(sample_findings, lang):
    headers = [word(k, lang) for k in HEADERS]
    for rows in sample_findings[lang]:
        assert grid(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple",
                                               disable_numparse=True)


@pytest.mark.parametrize("lang,limit", [("zh", 40), ("en", 72), ("zh", 13)])
def test_wrapped_messages_fit_and_lose_nothing(sample_findings, lang, limit):
    for rows in sample_findings[lang]:
        for row in rows:
            message = row[3]
            lines = wrap(message, limit)
            for line in lines:
                width = wcswidth(line)
                assert width <= limit or (width <= limit + 2 and line[-1] in CLOSING), (line, limit)
                assert not line or line[0] not in CLOSING or len(line) == 1 or width > limit, line
            assert "".join(lines).replace(" ", "") == message.replace(" ", "")


def test_numbers_and_words_stay_whole():
    text = "表三“总计”列“二、上年结转”为3，而上年（2021年）报告为1234567 and a longword here"
    for limit in range(8, 40):
        lines = wrap(text, limit)
        joined = "\n".join(lines)
        assert "2021" in joined and "1234567" in joined and "longword" in joined, lines


def test_a_word_longer_than_the_line_is_cut():
    assert wrap("supercalifragilistic word", 8) == ["supercal", "ifragili", "stic", "word"]


def test_line_breaks_in_a_cell_are_kept_and_columns_line_up():
    rows = [["r1", "某某区卫生健康委员会", "2023"], ["r2", "x\ny", "2024"], ["r3", "ab", None]]
    lines = grid(rows, ["路径", "机关", "年度"]).splitlines()
    assert lines[0].startswith("路径") and set(lines[1]) == {"-", " "}
    starts = {display_width(line[:line.index(year)]) for line in lines for year in ("2023", "2024")
              if year in line}
    assert len(starts) == 1
    assert lines[4].strip() == "y" and lines[5] == "r3" + " " * 6 + "ab"


def test_widths_of_wide_combining_and_ascii_characters():
    assert display_width("abc") == 3
    assert display_width("公开") == 4
    assert display_width("ＡＢ") == 4                    # full-width forms
    assert display_width("e\u0301") == 1                 # a combining accent takes no cell
    assert display_width("（2021年）") == wcswidth("（2021年）")
