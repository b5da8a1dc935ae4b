"""``rules explain`` speaks one language: every built-in rule documented in Chinese and English."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import auditor_rules

CODES = [r.code for r in auditor_rules.all_rules()]


def explain(*args):
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True)


def test_every_built_in_rule_has_chinese_documentation():
    from importlib.resources import files
    for rule in auditor_rules.all_rules():
        package = rule.check.__module__.split(".")[0]
        doc = files(package).joinpath("docs", "zh", f"{rule.code}.md").read_text(encoding="utf-8")
        assert "检查内容" in doc and "依据" in doc and "不通过" in doc, rule.code
        assert not re.search(r"\b(What it checks|Why|Passes|Fails)\b", doc), rule.code


@pytest.mark.parametrize("code", ["A201", "V701"])
def test_explain_in_chinese_has_no_english_prose_and_in_english_no_markup(code):
    zh = explain("rules", "explain", code)
    assert zh.returncode == 0 and "检查内容" in zh.stdout and "What it checks" not in zh.stdout
    en = explain("--lang", "en", "rules", "explain", code)
    assert "What it checks." in en.stdout and "**" not in en.stdout and "检查内容" not in en.stdout
