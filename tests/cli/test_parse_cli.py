"""`auditor parse` as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SEEDS, need


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


def test_parse_prints_the_document_with_chinese_unescaped():
    seed = need(SEEDS) / "002_c578ef021bbe04ee.txt"
    proc = run("parse", str(seed))
    assert proc.returncode == 0, proc.stderr
    assert "海东市商务局" in proc.stdout and "\\u" not in proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["tables"]["proactive"]["licensing"]["decisions"] == 3


def test_unreadable_and_non_report_files_get_one_line_and_status_2(tmp_path):
    guide = tmp_path / "guide.txt"
    guide.write_text("某某县政府信息公开指南\n一、公开的主体\n二、公开的方式\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    odd = tmp_path / "report.xlsx"
    odd.write_bytes(b"PK\x03\x04 not a report")
    broken = tmp_path / "report.docx"
    broken.write_bytes(b"PK\x03\x04 not a report")
    for path, words in [(guide, "不是政府信息公开工作年度报告"), (empty, "文件为空"),
                        (tmp_path / "missing.txt", "找不到文件"), (odd, "不支持的文件类型"),
                        (broken, "Word 文件已损坏")]:
        proc = run("parse", str(path))
        assert proc.returncode == 2
        assert words in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_english_messages():
    proc = run("parse", "--lang", "en", "/nonexistent/report.txt")
    assert proc.returncode == 2 and "no such file" in proc.stderr
