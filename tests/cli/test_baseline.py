"""``audit --baseline FILE``: findings not in an earlier run's JSON are marked new, in every format."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from auditor.results import mark_new

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import tables_chain, write_report  # noqa: E402


def _f(code, column=None):
    return {"code": code, "severity": "error", "location": {"table": "requests", "column": column, "line": 3}}


def test_mark_new_counts_repeats_and_ignores_moved_lines():
    base = [{"path": "a.txt", "agency": "某局", "year": 2023, "findings": [_f("A201", "total")]}]
    moved = dict(_f("A201", "total"), location={"table": "requests", "column": "total", "line": 99})
    now = [{"path": "a.txt", "agency": "某局", "year": 2023, "findings": [moved, _f("A201", "total"), _f("S101")]},
           {"path": "renamed.txt", "agency": "某 局", "year": 2023, "findings": [_f("A201", "total")]},
           {"path": "b.txt", "agency": "别局", "year": 2023, "findings": [_f("A201", "total")]}]
    out = mark_new(now, base)
    assert [f["new"] for f in out[0]["findings"]] == [False, True, True] and out[0]["new_findings"] == 2
    assert [f["new"] for f in out[1]["findings"]] == [False]           # the same agency-year, renamed
    assert [f["new"] for f in out[2]["findings"]] == [True]


def test_cli_baseline_marks_new_findings(tmp_path):
    tables = tables_chain([2023], seed=4)[2023]
    path = write_report(tmp_path, "r.txt", "临江县商务局", 2023, tables)
    first = tmp_path / "before.json"
    run = [sys.executable, "-m", "auditor", "audit", str(path)]
    assert subprocess.run(run + ["--format", "json", "-o", str(first)], capture_output=True).returncode in (0, 1)
    broken = copy.deepcopy(tables)
    broken["requests"]["granted"]["natural_person"] += 1
    write_report(tmp_path, "r.txt", "临江县商务局", 2023, broken)
    out = subprocess.run(run + ["--baseline", str(first), "--format", "json"], capture_output=True, text=True)
    [report] = json.loads(out.stdout)["reports"]
    new = [f["code"] for f in report["findings"] if f.get("new")]
    old = [f["code"] for f in report["findings"] if f.get("new") is False]
    assert new and all(c.startswith("A2") for c in new)
    assert len(old) == len(json.loads(first.read_text(encoding="utf-8"))["reports"][0]["findings"])
    table = subprocess.run(run + ["--baseline", str(first)], capture_output=True, text=True).stdout
    assert "[新增]" in table
    bad = subprocess.run(run + ["--baseline", str(path)], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "JSON" in bad.stderr
