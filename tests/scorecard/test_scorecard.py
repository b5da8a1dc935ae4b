"""Scorecards: agencies × years, change against last year, filters, formats, the CLI."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from auditor.report import SCORECARD
from auditor.report.builtin import render
from auditor.sweep.scorecard import build


def rec(agency, year, score, codes=(), level=None, region=None, error=None):
    findings = [{"code": c, "severity": s, "message": f"{c} <问题>", "deduction": 1,
                 "location": {"page": 2, "line": 9}} for c, s in codes]
    entry = {"path": f"/r/{agency}-{year}.txt", "agency": agency, "year": year,
             "score": None if error else score, "grade": "" if error else ("A" if score >= 90 else "B"),
             "findings": findings}
    if error:
        entry["error"] = error
    meta = {k: v for k, v in (("level", level), ("region", region)) if v}
    return {"entry": entry, "metadata": meta}


RECORDS = [
    rec("临江县商务局", 2022, 90.0, [("A201", "error")]),
    rec("临江县商务局", 2023, 95.5, [("X601", "warning"), ("N503", "info"), ("X601", "warning")]),
    rec("临江县人民政府", 2023, 80.0, [("D404", "warning")]),
    rec("白水县教育局", 2023, 70.0, level="township", region="白水"),
    rec("坏文件局", 2023, 0, error="扫描件，没有文字层"),
]


def test_rows_counts_codes_and_change():
    card = build(RECORDS)
    rows = {(r["agency"], r["year"]): r for r in card["rows"]}
    r = rows[("临江县商务局", 2023)]
    assert (r["errors"], r["warnings"], r["infos"]) == (0, 2, 1)
    assert r["failing"] == [] and r["verdict"] == "passed" and r["change"] == 5.5   # warnings do not fail
    assert rows[("临江县商务局", 2022)]["failing"] == ["A201"]
    assert rows[("临江县商务局", 2022)]["verdict"] == "failed"
    assert rows[("临江县商务局", 2022)]["change"] is None
    assert rows[("临江县人民政府", 2023)]["level"] == "government"
    assert card["agencies"] == 4 and card["years"] == [2022, 2023]


def test_filters_keep_change_from_unfiltered_years():
    only = build(RECORDS, year=2023)
    assert {r["year"] for r in only["rows"]} == {2023}
    assert next(r for r in only["rows"] if r["agency"] == "临江县商务局")["change"] == 5.5
    assert [r["agency"] for r in build(RECORDS, level="government")["rows"]] == ["临江县人民政府"]
    assert {r["agency"] for r in build(RECORDS, region="临江县")["rows"]} == {"临江县商务局", "临江县人民政府"}
    assert [r["agency"] for r in build(RECORDS, region="白水")["rows"]] == ["白水县教育局"]


def test_agencies_match_across_spellings():
    card = build([rec("白水縣 教育局", 2022, 60.0), rec("白水县教育局", 2023, 70.0)])
    assert card["agencies"] == 1 and card["rows"][1]["change"] == 10.0


def test_formats():
    card = build(RECORDS)
    text = render(card, "table", "zh", SCORECARD)
    assert "临江县商务局" in text and "+5.5" in text and "无法审核" in text
    md = render(card, "markdown", "en", SCORECARD)
    assert md.startswith("# Scorecard") and "| agency" in md
    data = render(card, "csv", "en", SCORECARD)
    assert data.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data[1:])))
    assert len(rows) == 5 and rows[0]["agency"] and {"score", "grade", "failing rules", "vs last year"} <= set(rows[0])
    zh = list(csv.DictReader(io.StringIO(render(card, "csv", "zh", SCORECARD)[1:])))
    assert {"机关", "得分", "等级", "未通过的规则", "较上年"} <= set(zh[0])     # one language per run
    assert json.loads(render(card, "json", "zh", SCORECARD))["rows"][0]["agency"] == card["rows"][0]["agency"]


def test_html_is_self_contained_and_escaped():
    evil = rec("<img src=x onerror=alert(1)>局", 2023, 50.0, [("A201", "error")])
    html = render(build(RECORDS + [evil]), "html", "zh", SCORECARD)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;局" in html
    assert "A201 &lt;问题&gt;" in html
    for remote in ("http://", "https://", "<link", "src="):
        assert remote not in html.replace("&lt;img src=x", "")
    assert html.count('class="agency"') == 5


def test_cli_scorecard_from_json_and_store(tmp_path):
    run = {"reports": [r["entry"] for r in RECORDS], "summary": {}}
    (tmp_path / "a.json").write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "card.csv"
    res = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--from-json", str(tmp_path / "a.json"),
                          "--format", "csv", "--year", "2023", "-o", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and len(out.read_text("utf-8-sig").splitlines()) == 5
    bad = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--from-json", str(out)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "JSON" in bad.stderr
    none = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--lang", "en"],
                          capture_output=True, text=True)
    assert none.returncode == 2 and "--db" in none.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "html"])
def test_cli_audit_db_then_scorecard(tmp_path, fmt):
    import shutil
    from pathlib import Path
    samples = Path(__file__).resolve().parents[2] / "samples"
    folder = tmp_path / "s"
    folder.mkdir()
    for f in sorted(samples.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    db = tmp_path / "s.db"
    audit = subprocess.run([sys.executable, "-m", "auditor", "audit", str(folder), "--db", str(db)],
                           capture_output=True, text=True)
    assert audit.returncode in (0, 1), audit.stderr
    card = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--db", str(db), "--format", fmt],
                          capture_output=True, text=True)
    assert card.returncode == 0, card.stderr
    for agency in ("卫滨区商务局", "孟津区商务局", "渠县商务局"):
        assert agency in card.stdout


def _copy(record, path, sha=None):
    entry = dict(record["entry"], path=path)
    return {"entry": entry, "metadata": record["metadata"], "sha256": sha}


def test_copies_of_one_agency_year_become_one_row_on_the_preferred_file():
    page = _copy(rec("渠县商务局", 2023, 88.0), "/r/渠县商务局.html", "aaa")
    pdf = _copy(rec("渠县商务局", 2023, 90.0), "/r/附件/渠县商务局.pdf", "bbb")
    copy = _copy(rec("渠县商务局", 2023, 88.0), "/r/年报 副本 (2).html", "aaa")
    unnamed = _copy(rec(None, None, 88.0), "/r/unnamed.txt", "aaa")        # same bytes, no agency read
    card = build([page, pdf, copy, unnamed])
    [row] = card["rows"]
    assert row["path"] == "/r/附件/渠县商务局.pdf" and row["score"] == 90.0
    assert row["copies"] == ["/r/年报 副本 (2).html", "/r/渠县商务局.html", "/r/unnamed.txt"]
    html_first = build([page, pdf, copy], prefer=(".html", ".pdf"))["rows"][0]
    assert html_first["path"] == "/r/年报 副本 (2).html"
    text = render(card, "csv", "zh", SCORECARD)
    assert "/r/渠县商务局.html" in text and len(list(csv.reader(io.StringIO(text[1:])))) == 2


def test_expected_agencies_without_a_report_are_not_published_and_fail(tmp_path):
    (tmp_path / "有.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "path,agency,year,level\n有.txt,临江县商务局,2023,department\n无.pdf,临江县财政局,2023,department\n",
        encoding="utf-8")
    from auditor.sweep.scorecard import expected_from_agencies, expected_from_manifest
    expected = expected_from_manifest(tmp_path / "manifest.csv")
    assert [(e["agency"], e["year"]) for e in expected] == [("临江县财政局", 2023)]
    (tmp_path / "agencies.txt").write_text("临江县商务局\n白水县水利局\n", encoding="utf-8")
    expected += expected_from_agencies(tmp_path / "agencies.txt")
    card = build(RECORDS, expected=expected)
    missing = sorted((r["agency"], r["year"]) for r in card["rows"] if r["verdict"] == "missing")
    assert missing == [("临江县财政局", 2023), ("白水县水利局", 2022), ("白水县水利局", 2023)]
    assert card["summary"]["missing"] == 3
    for fmt, lang in (("table", "zh"), ("csv", "zh"), ("markdown", "zh"), ("html", "zh")):
        out = render(card, fmt, lang, SCORECARD)
        assert out.count("未发布") >= 3, fmt
    data = json.loads(render(card, "json", "zh", SCORECARD))
    row = next(r for r in data["rows"] if r["agency"] == "临江县财政局")
    assert row["verdict"] == "missing" and row["failing"] == ["missing"]


def test_every_format_carries_the_verdict_and_the_titles_of_the_failing_rules():
    card = build(RECORDS, titles={"A201": {"zh": "表三收支不平衡", "en": "Table 3 does not balance"}})
    for fmt in ("table", "csv", "markdown", "html"):
        zh, en = render(card, fmt, "zh", SCORECARD), render(card, fmt, "en", SCORECARD)
        assert "A201 表三收支不平衡" in zh and "未通过" in zh and "通过" in zh, fmt
        assert "A201 Table 3 does not balance" in en and "failed" in en and "passed" in en, fmt
        assert "表三收支不平衡" not in en, fmt
    zh_rows = list(csv.DictReader(io.StringIO(render(card, "csv", "zh", SCORECARD)[1:])))
    assert [r["结论"] for r in zh_rows].count("未通过") == 1


def test_a_manifest_row_without_a_file_is_not_published_in_every_format(tmp_path):
    import shutil
    from pathlib import Path
    sample = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))[0]
    shutil.copy(sample, tmp_path / "a.txt")
    (tmp_path / "m.csv").write_text("path,agency,year,level\na.txt,,,\n缺失.pdf,临江县财政局,2023,department\n",
                                    encoding="utf-8")
    db, out = tmp_path / "s.db", tmp_path / "audit.json"
    audit = subprocess.run([sys.executable, "-m", "auditor", "audit", str(tmp_path / "a.txt"), "--db", str(db),
                            "--manifest", str(tmp_path / "m.csv"), "--format", "json", "-o", str(out)],
                           capture_output=True, text=True)
    assert audit.returncode in (0, 1), audit.stderr
    assert "清单中 1 份报告未找到" in audit.stderr
    missing = [i for i in json.loads(out.read_text(encoding="utf-8"))["inventory"] if i["outcome"] == "missing"]
    assert [m["agency"] for m in missing] == ["临江县财政局"]
    formats = {"table": "未发布", "csv": "未发布", "markdown": "未发布", "json": '"missing"', "html": "未发布"}
    for source in (["--db", str(db)], ["--from-json", str(out)]):       # the store remembers it
        for fmt, shown in formats.items():
            card = subprocess.run([sys.executable, "-m", "auditor", "scorecard", *source, "--format", fmt],
                                  capture_output=True, text=True)
            assert card.returncode == 0, card.stderr
            assert shown in card.stdout and "临江县财政局" in card.stdout, (source, fmt)
    openpyxl = pytest.importorskip("openpyxl")
    xlsx = tmp_path / "card.xlsx"
    subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--db", str(db), "--format", "xlsx",
                    "-o", str(xlsx)], check=True, capture_output=True)
    rows = list(openpyxl.load_workbook(xlsx).worksheets[1].iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == "临江县财政局")
    assert "未发布" in row and oct(xlsx.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    import os
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_waived_findings_are_shown_and_counted_apart():
    r = rec("临江县商务局", 2023, 100.0, [("D404", "warning"), ("A201", "error")])
    r["entry"]["findings"][1].update(deduction=0, waived={"reason": "已核实", "expires": None, "deduction": 5})
    r["entry"]["failed"] = False
    card = build([r])
    [row] = card["rows"]
    assert (row["errors"], row["warnings"], row["waived"], row["verdict"]) == (0, 1, 1, "passed")
    assert "已豁免问题 1 个" in render(card, "table", "zh", SCORECARD)
    assert "1 finding(s) waived" in render(card, "markdown", "en", SCORECARD)
    html = render(card, "html", "zh", SCORECARD)
    assert "已豁免" in html and "已核实" in html
    rows = list(csv.DictReader(io.StringIO(render(card, "csv", "zh", SCORECARD)[1:])))
    assert rows[0]["豁免数"] == "1"


def test_an_unreadable_expected_report_is_not_also_missing_and_an_unreadable_copy_is_listed():
    scanned = rec("临江县财政局", 2023, 0, error="扫描件")
    ok = rec("临江县商务局", 2023, 95.0)
    bad_copy = rec("临江县商务局", 2023, 0, error="已损坏")
    bad_copy["entry"]["path"] = "/r/临江县商务局-副本.pdf"
    card = build([scanned, ok, bad_copy], expected=[{"agency": "临江县财政局", "year": 2023}])
    verdicts = sorted((r["agency"], r["verdict"]) for r in card["rows"])
    assert verdicts == [("临江县商务局", "passed"), ("临江县财政局", "error")]
    row = next(r for r in card["rows"] if r["agency"] == "临江县商务局")
    assert row["copies"] == ["/r/临江县商务局-副本.pdf"]


def test_scorecard_pages_one_per_report_linked_from_the_html_scorecard(tmp_path):
    import re
    import shutil
    from pathlib import Path
    samples = Path(__file__).resolve().parents[2] / "samples"
    folder = tmp_path / "s"
    folder.mkdir()
    for f in sorted(samples.glob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "auditor", "audit", str(folder), "--db", str(db)], capture_output=True)
    out = tmp_path / "out" / "card.html"
    out.parent.mkdir()
    res = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--db", str(db), "--format", "html",
                          "-o", str(out), "--pages", str(tmp_path / "out" / "pages")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    links = re.findall(r'<a class="page" href="([^"]+)"', out.read_text(encoding="utf-8"))
    assert len(links) == 3 and all(link.startswith("pages/report-") for link in links)
    for link in links:
        page = (out.parent / link).read_text(encoding="utf-8")
        assert "三、收到和处理政府信息公开申请情况" in page and "<table" in page
