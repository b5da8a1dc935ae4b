"""``audit --format html``: a page per report, tables drawn with the cited cells, everything escaped."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from auditor.report import RUN
from auditor.report.builtin import render

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import tables_chain, write_report  # noqa: E402

P = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def _run():
    finding = {"code": "A201", "name": "arithmetic-balance", "severity": "error", "deduction": 5,
               "message": {"zh": f"相差{P}", "en": f"off {P}"},
               "location": {"table": "requests", "row": "granted", "column": "total", "page": 3, "line": 57},
               "data": {"text": f"引文{IMG}"}}
    waived = {"code": "D404", "severity": "warning", "deduction": 0, "message": {"zh": "晚", "en": "late"},
              "location": {}, "waived": {"reason": f"理由{P}", "expires": None, "deduction": 3}, "new": True}
    report = {"path": f"reports/{IMG}.txt", "agency": f"机关{P}", "year": 2023, "template": "2021",
              "score": 95, "grade": "C", "failed": True, "verdict": {"failed": True, "reasons": ["A201"]},
              "findings": [finding, waived]}
    doc = {"title": f"标题{IMG}", "template": "2021",
           "tables": {"requests": {"granted": {"natural_person": 3, "total": f"9{P}"},
                                   f"row{IMG}": {"total": 1}}},
           "notes": [{"code": "extra-values", "message": f"说明{P}", "message_en": f"note{P}", "line": 4}]}
    return {"reports": [report], "summary": {"reports": 1, "failed": 1, "errors": 0, "mean_score": 95},
            "documents": {report["path"]: doc}}


def test_every_piece_of_report_text_is_escaped():
    for lang in ("zh", "en"):
        html = render(_run(), "html", lang, RUN)
        assert "<script" not in html and "<img" not in html, lang
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
        for shown in ("机关&lt;script&gt;", "标题&lt;img", "9&lt;script&gt;", "引文&lt;img",
                      "理由&lt;script&gt;", "reports/&lt;img"):
            assert shown in html, (lang, shown)


def test_cited_cells_are_highlighted_and_linked_to_their_finding():
    html = render(_run(), "html", "zh", RUN)
    cited = re.findall(r'<td class="num cited" id="([^"]+)">', html)
    assert cited == ["r0-requests-granted-total"]
    assert 'href="#r0-f0"' in html and 'href="#r0-requests-granted-total"' in html
    assert "新增" in html and "已豁免" in html and "表三" in html and "未通过" in html


def test_audit_format_html_of_a_real_file_with_payloads(tmp_path):
    tables = tables_chain([2023], seed=4)[2023]
    tables["requests"]["granted"]["natural_person"] += 1          # a finding pointing at a cell
    path = write_report(tmp_path, "r<b>x<i>.txt", f"临江县{P}商务局", 2023, tables)
    out = tmp_path / "page.html"
    res = subprocess.run([sys.executable, "-m", "auditor", "audit", str(path), "--format", "html", "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 1, res.stderr            # the report fails (arithmetic)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<b>x" not in html and "r&lt;b&gt;x&lt;i&gt;.txt" in html
    assert 'class="num cited"' in html and "A20" in html
    assert "auditor:" in res.stderr and str(out) in res.stderr
