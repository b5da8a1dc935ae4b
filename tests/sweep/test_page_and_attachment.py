"""A page and its PDF attachment (and a copy) of one report: one scorecard row, three files."""
from __future__ import annotations

import copy
import shutil

import pytest

from auditor.sweep.run import sweep
from auditor.sweep.scorecard import build, records_from_store

from helpers import tables_chain

pytest.importorskip("reportlab")


def _write(folder, tables, fmt, name):
    from tools.make_corpus import render
    suffix, data = render(fmt, "临江县商务局", 2023, "2021", tables, "2024-01-20", None)
    path = folder / f"{name}{suffix}"
    path.write_bytes(data)
    return path


def test_page_pdf_and_copy_are_one_row_and_agree(tmp_path, loaded):
    settings, host = loaded
    tables = tables_chain([2023], seed=21)[2023]
    folder = tmp_path / "r"
    folder.mkdir()
    page = _write(folder, tables, "html", "page")
    pdf = _write(folder, tables, "pdf", "attachment")
    shutil.copy(pdf, folder / "attachment 副本 (2).pdf")
    db = tmp_path / "s.db"
    out = sweep([folder], settings, host, db=str(db), progress=False)
    assert len(out["results"]) == 3 and not any(r.get("error") for r in out["results"])
    assert not [f for r in out["results"] for f in r["findings"] if f["code"] == "V701"]
    [row] = build(records_from_store(db))["rows"]
    assert row["path"].endswith("attachment.pdf") or row["path"].endswith("(2).pdf")
    assert len(row["copies"]) == 2 and any(c.endswith("page.html") for c in row["copies"])

    changed = copy.deepcopy(tables)
    changed["requests"]["granted"]["research"] += 1
    page.unlink()
    _write(folder, changed, "html", "page")
    again = sweep([folder], settings, host, db=str(db), progress=False)
    v701 = [f for r in again["results"] for f in r["findings"] if f["code"] == "V701"]
    assert {(f["location"]["row"], f["location"]["column"]) for f in v701} >= {("granted", "research")}
    [row] = build(records_from_store(db))["rows"]
    assert "V701" in row["failing"]
