"""Chinese text is two columns wide: the table format lines up in a terminal."""
from __future__ import annotations

from wcwidth import wcswidth

from auditor.report.builtin import render


def test_summary_table_columns_line_up_with_chinese_text():
    reports = [{"path": f"r{i}.txt", "agency": agency, "year": 2023, "template": "2021",
                "score": 90.0, "grade": "A", "failed": False, "findings": []}
               for i, agency in enumerate(["某某区卫生健康委员会", "渠县商务局", "ab"])]
    run = {"reports": reports, "summary": {"reports": 3, "failed": 0, "errors": 0, "mean_score": 90.0}}
    text = render(run, "table", "zh")
    rows = [line for line in text.splitlines() if line.startswith(("r0.txt ", "r1.txt ", "r2.txt "))]
    assert len(rows) == 3
    # the year column starts at the same display column whatever the agency's width
    starts = {wcswidth(row[:row.index("2023")]) for row in rows}
    assert len(starts) == 1, rows
