"""Several files of one report: one scorecard row with its copies; versions that differ are V701."""
from __future__ import annotations

import copy
import shutil

from auditor.sweep.run import sweep
from auditor.sweep.scorecard import build, records_from_store

from helpers import tables_chain, write_report


def _folder(tmp_path, change_cell: bool):
    tables = tables_chain([2023], seed=7)[2023]
    folder = tmp_path / ("changed" if change_cell else "same")
    folder.mkdir()
    write_report(folder, "临江县商务局.txt", "临江县商务局", 2023, tables)
    shutil.copy(folder / "临江县商务局.txt", folder / "年报 副本 (2).txt")      # the same bytes
    other = copy.deepcopy(tables)
    if change_cell:
        other["requests"]["granted"]["natural_person"] += 1          # one cell differs
    write_report(folder, "附件.md", "临江县商务局", 2023, other)
    return folder


def _v701(result):
    return [f for f in result["findings"] if f["code"] == "V701"]


def test_copies_that_agree_give_one_row_and_no_finding(tmp_path, loaded):
    settings, host = loaded
    db = tmp_path / "s.db"
    out = sweep([_folder(tmp_path, False)], settings, host, db=str(db), progress=False)
    assert len(out["results"]) == 3 and not any(_v701(r) for r in out["results"])
    [row] = build(records_from_store(db))["rows"]
    assert len(row["copies"]) == 2
    assert sorted([row["path"]] + row["copies"]) == sorted(r["path"] for r in out["results"])


def test_a_cell_that_differs_between_copies_is_a_finding_naming_the_cell(tmp_path, loaded):
    settings, host = loaded
    db = tmp_path / "s.db"
    out = sweep([_folder(tmp_path, True)], settings, host, db=str(db), progress=False)
    by_name = {r["path"].rsplit("/", 1)[-1]: r for r in out["results"]}
    found = _v701(by_name["附件.md"])
    cells = {(f["location"]["table"], f["location"]["row"], f["location"]["column"]) for f in found}
    assert ("requests", "granted", "natural_person") in cells
    mine = next(f for f in found if f["location"]["column"] == "natural_person"
                and f["location"]["row"] == "granted")
    assert mine["location"]["line"] and mine["data"]["other_line"]           # evidence from both files
    assert mine["data"]["value"] == mine["data"]["other_value"] + 1
    assert "临江县商务局.txt" in mine["message"]["zh"] or "副本" in mine["message"]["zh"]
    assert by_name["附件.md"]["failed"] and "V701" in by_name["附件.md"]["verdict"]["reasons"]
    assert _v701(by_name["临江县商务局.txt"])                                 # both sides say so
    [row] = build(records_from_store(db))["rows"]
    assert "V701" in row["failing"] and len(row["copies"]) == 2
    # a rerun reuses the store and finds the same; removing the odd copy clears the finding
    again = sweep([tmp_path / "changed"], settings, host, db=str(db), progress=False)
    assert [_v701(r) for r in again["results"]] == [_v701(r) for r in out["results"]]
    (tmp_path / "changed" / "附件.md").unlink()
    cleared = sweep([tmp_path / "changed"], settings, host, db=str(db), progress=False)
    assert not any(_v701(r) for r in cleared["results"])
