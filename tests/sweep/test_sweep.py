"""Sweeps: parallel equals serial, cross-year rules across files, manifest, timeouts, crashes, Ctrl-C."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from auditor import settings as C
from auditor.errors import ConfigError
from auditor.sweep.run import progress_bar, sweep

from helpers import FAULT_PLUGIN as PLUGIN, make_corpus, tables_chain, write_report

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real" / "files"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    make_corpus(out, 24, seed=11, formats=("text", "markdown"))
    return out


def codes(entry):
    return sorted({f["code"] for f in entry.get("findings") or ()})


def test_parallel_output_equals_serial(corpus, loaded):
    cfg, host = loaded
    serial = sweep([corpus], cfg, host, jobs=1, progress=False)
    parallel = sweep([corpus], cfg, host, jobs=2, progress=False)
    assert not serial["interrupted"] and not parallel["interrupted"]
    assert len(serial["results"]) == 24
    assert [r["path"] for r in serial["results"]] == sorted(r["path"] for r in serial["results"])
    assert parallel["results"] == serial["results"]
    assert all(not r.get("error") for r in serial["results"])


def test_a_sweep_of_one_file_is_the_pipeline_result_without_history(corpus, loaded):
    from auditor.pipeline import audit_source
    cfg, host = loaded
    files = sorted(corpus.glob("0000-*"))[:1]
    assert sweep(files, cfg, host, progress=False)["results"] == \
        [audit_source(f, cfg, host)["result"] for f in files]


def test_x601_fires_on_broken_chain_only(tmp_path, loaded):
    cfg, host = loaded
    broken, holds = tables_chain([2022, 2023], seed=3, break_at=2023), tables_chain([2022, 2023], seed=4)
    write_report(tmp_path, "a-2022.txt", "临江县商务局", 2022, broken[2022])
    write_report(tmp_path, "a-2023.txt", "临江县商务局", 2023, broken[2023])
    write_report(tmp_path, "b-2022.txt", "白水县教育局", 2022, holds[2022])
    # the same agency, spelt with full-width spaces and a traditional character
    write_report(tmp_path, "b-2023.txt", "白水縣　教育局", 2023, holds[2023])
    by_name = {Path(r["path"]).name: r for r in sweep([tmp_path], cfg, host, progress=False)["results"]}
    x601 = [f for f in by_name["a-2023.txt"]["findings"] if f["code"] == "X601"]
    assert {f["location"]["column"] for f in x601} == {"natural_person", "total"}
    assert all(f["location"]["row"] == "carried_over" and f["location"].get("line") for f in x601)
    assert "X601" not in codes(by_name["b-2023.txt"])
    assert "X601" not in codes(by_name["a-2022.txt"])
    # the deduction is in the score
    assert by_name["a-2023.txt"]["score"] == pytest.approx(100 - sum(f["deduction"] for f in
                                                                    by_name["a-2023.txt"]["findings"]))


def test_real_pingtan_pair_chain_holds(loaded):
    files = [REAL / "pingtan-2021.html", REAL / "pingtan-2022.html"]
    if not all(f.exists() for f in files):
        pytest.skip("../shared/real not present")
    cfg, host = loaded
    results = sweep(files, cfg, host, progress=False)["results"]
    assert [r["year"] for r in results] == [2021, 2022]
    assert not {"X601", "X602"} & set(codes(results[1]))


def test_manifest_overrides_agency_year_and_gives_d404(tmp_path, loaded):
    cfg, host = loaded
    broken = tables_chain([2022, 2023], seed=3, break_at=2023)
    write_report(tmp_path, "old.txt", "临江县商务局", 2022, broken[2022])
    # the parser reads another name (the agency was renamed); the manifest says it is the same one
    write_report(tmp_path, "new.txt", "临江县商务和投资促进局", 2023, broken[2023])
    (tmp_path / "m.csv").write_text(
        "path,agency,year,publish_date,level,url\n"
        "old.txt,临江县商务局,2022,2023-01-20,department,\n"
        "new.txt,临江县商务局,2023,2024年2月20日,department,http://x.invalid/a\n", encoding="utf-8")
    without = sweep([tmp_path], cfg, host, progress=False)["results"]
    assert "X601" not in codes(without[0]) and "D404" not in codes(without[0])
    results = sweep([tmp_path], cfg, host, manifest=tmp_path / "m.csv", progress=False)["results"]
    new = next(r for r in results if r["path"].endswith("new.txt"))
    assert new["agency"] == "临江县商务局"
    assert {"X601", "D404"} <= set(codes(new))
    d404 = next(f for f in new["findings"] if f["code"] == "D404")
    assert d404["data"]["deadline"] == "2024-01-31" and d404["data"]["days_late"] == 20
    old = next(r for r in results if r["path"].endswith("old.txt"))
    assert "D404" not in codes(old)


def test_manifest_level_changes_deadline(tmp_path, loaded):
    cfg, host = loaded
    t = tables_chain([2023], seed=2)
    write_report(tmp_path, "gov.txt", "临江县商务局", 2023, t[2023])
    (tmp_path / "m.csv").write_text("path,publish_date,level\ngov.txt,2024-03-01,government\n", encoding="utf-8")
    [entry] = sweep([tmp_path / "gov.txt"], cfg, host, manifest=tmp_path / "m.csv", progress=False)["results"]
    assert "D404" not in codes(entry)
    (tmp_path / "m.csv").write_text("path,publish_date,level\ngov.txt,2024-03-01,部门\n", encoding="utf-8")
    [entry] = sweep([tmp_path / "gov.txt"], cfg, host, manifest=tmp_path / "m.csv", progress=False)["results"]
    assert "D404" in codes(entry)


def test_bad_manifest_rows_are_reported_together(tmp_path, loaded):
    cfg, host = loaded
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "m.csv").write_text(
        "path,agency,year,publish_date,level,url\n"
        "a.txt,某局,20x3,2024-01-01,department,\n"
        "missing.txt,某局,2023,2024-13-01,county,\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        sweep([tmp_path], cfg, host, manifest=tmp_path / "m.csv", progress=False)
    msg = e.value.text["en"]
    for part in ("line 2", "20x3", "line 3", "no such file", "2024-13-01", "county"):
        assert part in msg
    assert "第 2 行" in e.value.text["zh"]
    (tmp_path / "m.csv").write_text("file,agency\na.txt,x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="path"):
        sweep([tmp_path], cfg, host, manifest=tmp_path / "m.csv", progress=False)




def test_timeout_and_dead_worker_get_errors_and_the_rest_goes_on(tmp_path, loaded):
    (tmp_path / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("plugins:\n  local: [plugin.py]\n", encoding="utf-8")
    cfg, host = C.load(str(tmp_path / "auditor.yaml"))
    reports = tmp_path / "reports"
    reports.mkdir()
    t = tables_chain([2023], seed=1)[2023]
    names = ["甲县商务局", "沉睡县商务局", "乙县商务局", "崩溃县商务局", "丙县商务局", "丁县商务局"]
    for i, name in enumerate(names):
        write_report(reports, f"{i}.txt", name, 2023, t)
    out = sweep([reports], cfg, host, jobs=2, timeout=4, progress=False)
    results = out["results"]
    assert [r.get("error_kind") for r in results] == [None, "timeout", None, "crashed", None, None]
    assert "4" in results[1]["error"]["zh"] and "4" in results[1]["error"]["en"] and results[1]["failed"]
    assert all(r["score"] == 100.0 for i, r in enumerate(results) if i not in (1, 3))


def test_ctrl_c_keeps_what_finished(tmp_path, loaded, monkeypatch):
    import auditor.sweep.run as S
    from auditor.sweep.store import counts, open_store
    cfg, host = loaded
    make_corpus(tmp_path / "c", 8, seed=2, formats=("text",))
    real, calls = S.work, []

    def interrupted(task, settings):
        calls.append(task["index"])
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(task, settings)
    monkeypatch.setattr(S, "work", interrupted)
    out = sweep([tmp_path / "c"], cfg, host, db=str(tmp_path / "s.db"), progress=False)
    assert out["interrupted"] and len(out["results"]) == 3
    assert counts(open_store(tmp_path / "s.db"))["results"] == 3
    monkeypatch.setattr(S, "work", real)
    again = sweep([tmp_path / "c"], cfg, host, db=str(tmp_path / "s.db"), progress=False)
    assert again["stats"]["reused"] == 3 and len(again["results"]) == 8


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        draw = progress_bar(10, "en", stream)
        draw(3, True)
        draw(10, True)
    assert pipe.getvalue() == ""
    text = tty.getvalue()
    assert "3/10" in text and "10/10" in text and "files/s" in text and "ETA" in text
    zh = Tty()
    progress_bar(4, "zh", zh)(2, True)
    assert "2/4" in zh.getvalue() and "剩余" in zh.getvalue()


def test_one_job_reads_pdfs_in_a_worker_so_a_killing_pdf_costs_only_that_file(tmp_path, loaded):
    """With -j 1 and a store, PDFs are read in a worker process (PDFium never runs in the process
    holding the store): a file that kills its process is that file's error, the rest is kept."""
    from auditor.sweep.store import counts, open_store
    from tests.corpus.document import make_report
    from tests.corpus.pdfgen import render_pdf
    (tmp_path / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("plugins:\n  local: [plugin.py]\n", encoding="utf-8")
    cfg, host = C.load(str(tmp_path / "auditor.yaml"))
    reports = tmp_path / "reports"
    reports.mkdir()
    for i, name in enumerate(["甲县商务局", "崩溃县商务局", "乙县商务局"]):
        (reports / f"{i}.pdf").write_bytes(render_pdf(make_report(agency=name)))
    out = sweep([reports], cfg, host, jobs=1, db=str(tmp_path / "s.db"), progress=False)
    assert [r.get("error_kind") for r in out["results"]] == [None, "crashed", None]
    assert counts(open_store(tmp_path / "s.db"))["results"] == 2     # a crash is tried again next time
