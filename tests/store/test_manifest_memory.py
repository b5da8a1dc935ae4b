"""The store remembers each file's manifest metadata: a rerun without --manifest keeps it."""
from __future__ import annotations

import sys
from pathlib import Path

from auditor.sweep.run import sweep
from auditor.sweep.scorecard import build, records_from_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import tables_chain, write_report  # noqa: E402


def _codes(result):
    return sorted({f["code"] for f in result["findings"]})


def test_a_rerun_without_the_manifest_keeps_its_metadata(tmp_path, loaded):
    settings, host = loaded
    folder = tmp_path / "r"
    folder.mkdir()
    write_report(folder, "a.txt", "临江县商务局", 2023, tables_chain([2023], seed=2)[2023])
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,agency,year,publish_date,level,region\n"
                        "r/a.txt,临江县商务局,2023,2024-02-20,department,临江\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    [first] = sweep([folder], settings, host, db=db, manifest=manifest, progress=False)["results"]
    assert "D404" in _codes(first)
    [again] = sweep([folder], settings, host, db=db, progress=False)["results"]        # no --manifest
    assert again == first
    [row] = build(records_from_store(db))["rows"]
    assert row["region"] == "临江" and row["publish_date"] == "2024-02-20"
    # a changed manifest updates what the store remembers
    manifest.write_text("path,agency,year,publish_date,level\nr/a.txt,临江县商务局,2023,2024-01-20,department\n",
                        encoding="utf-8")
    [changed] = sweep([folder], settings, host, db=db, manifest=manifest, progress=False)["results"]
    assert "D404" not in _codes(changed)
    [kept] = sweep([folder], settings, host, db=db, progress=False)["results"]
    assert "D404" not in _codes(kept)
    [row] = build(records_from_store(db))["rows"]
    assert row["publish_date"] == "2024-01-20" and row["region"] == ""


def test_a_waiver_that_expired_since_the_result_was_stored_no_longer_applies(tmp_path, loaded, monkeypatch):
    import datetime as dt
    from dataclasses import replace

    import auditor.score as score
    settings, host = loaded
    folder = tmp_path / "r"
    folder.mkdir()
    tables = tables_chain([2023], seed=2)[2023]
    tables["requests"]["granted"]["natural_person"] += 1                   # A2xx errors
    write_report(folder, "a.txt", "临江县商务局", 2023, tables)
    [plain] = sweep([folder], settings, host, progress=False)["results"]
    codes = sorted({f["code"] for f in plain["findings"] if f["severity"] == "error"})
    waivers = [{"agency": "临江县商务局", "rule": c, "reason": "已更正", "expires": "2030-06-30"} for c in codes]
    waived = replace(settings, config=dict(settings.config, waivers=waivers))
    db = str(tmp_path / "s.db")
    [first] = sweep([folder], waived, host, db=db, progress=False)["results"]
    assert not first["failed"] and all(f.get("waived") for f in first["findings"] if f["code"] in codes)

    class Later(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2030, 7, 1)
    monkeypatch.setattr(score._dt, "date", Later)
    [later] = sweep([folder], waived, host, db=db, progress=False)["results"]
    assert later["failed"] and not any(f.get("waived") for f in later["findings"])
    assert later["score"] == plain["score"]
