"""``auditor fetch`` against a generated portal on 127.0.0.1 (tests/fetch/portal.py)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from auditor.cli import main as cli_main
from auditor.errors import ConfigError
from auditor.fetch.http import USER_AGENT, Policy
from auditor.fetch.run import fetch
from auditor.sweep.manifest import read_manifest

FAST = dict(delay=0.0, timeout=3, retries=1, backoff=0.01, max_size=200_000)


def run(site_or_source, out, **kw):
    policy = Policy(**dict(FAST, **kw.pop("policy", {})))
    return fetch(site_or_source, out, policy=policy, **kw)


def by_url(result) -> dict:
    return {o["url"]: o for o in result["outcomes"]}


def manifest_rows(out: Path) -> dict:
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["url"]: r for r in csv.DictReader(fh)}


def test_listing_fetches_every_report_with_attachments(site, tmp_path):
    out = tmp_path / "reports"
    result = run(site.url("/nianbao/index.html"), out)
    o = by_url(result)
    saved = {u.split(":", 2)[2].split("/", 1)[1] for u, x in o.items() if x["outcome"] == "saved"}
    assert saved == {"nianbao/t2024_1.html", "files/report-2023.pdf", "files/report-2023.docx",
                     "nianbao/t2023_2.html", "nianbao/t2024_3.html", "download?id=7",
                     "flaky/t2024_4.html", "nianbao/t2024_6.html"}
    failed = {u.split(":", 2)[2].split("/", 1)[1]: x["kind"] for u, x in o.items() if x["outcome"] == "failed"}
    assert failed == {"nianbao/missing.html": "not-found", "loop/a": "redirect-loop",
                      "private/t2024_5.html": "robots", "files/huge.pdf": "too-large"}
    # reported, not fetched: robots.txt forbids /private/; the oversized file is abandoned
    assert site.requests_to("/private/t2024_5.html") == 0
    assert not any("huge" in p.name for p in out.rglob("*"))
    # the pagination loop (index_2 -> index) and the self-link read each listing page once
    assert [site.requests_to(f"/nianbao/index{s}.html") for s in ("", "_1", "_2")] == [1, 1, 1]
    assert site.requests_to("/flaky/t2024_4.html") == 2          # 500, then retried
    assert site.requests_to("/nianbao/missing.html") == 1         # 404: no retry
    assert not any(p.startswith("/elsewhere") for p, _, _ in site.log)   # other sites not followed
    assert all(h.get("User-Agent") == USER_AGENT for _, h, _ in site.log)


def test_manifest_marks_versions_and_reads_the_pages(site, tmp_path):
    out = tmp_path / "reports"
    run(site.url("/nianbao/index.html"), out)
    rows = manifest_rows(out)
    page, pdf, docx = (rows[site.url(p)] for p in ("/nianbao/t2024_1.html", "/files/report-2023.pdf",
                                                   "/files/report-2023.docx"))
    assert page["report"] == pdf["report"] == docx["report"] == site.url("/nianbao/t2024_1.html")
    assert {r["agency"] for r in (page, pdf, docx)} == {"某某县人民政府"}
    assert {r["publish_date"] for r in (page, pdf, docx)} == {"2024-01-25"}     # <meta name="PubDate">
    assert page["path"].endswith(".html") and pdf["path"].endswith(".pdf") and docx["path"].endswith(".docx")
    gbk = rows[site.url("/nianbao/t2023_2.html")]
    assert (gbk["agency"], gbk["year"], gbk["publish_date"]) == ("某某区卫生健康委员会", "2022", "2023-01-18")
    # the wrapper page is kept (hidden, so sweeps skip it) and its attachment carries its metadata
    assert site.url("/nianbao/t2024_3.html") not in rows
    wrapper_files = sorted(p.name for p in out.rglob(".*.html"))
    assert wrapper_files == [".t2024_3.html", ".t2024_6.html"]
    att = rows[site.url("/download?id=7")]
    assert (att["agency"], att["year"], att["publish_date"]) == ("某某县商务局", "2023", "2024-01-22")
    # Content-Disposition "../../evil\x01name.pdf": the last component, sanitised, inside DIR
    assert Path(att["path"]).name == "evil_name.pdf"
    assert (out / att["path"]).resolve().is_relative_to(out.resolve())
    assert all(r["fetched_at"] for r in rows.values())
    # the manifest reader accepts it as it is (extra columns kept as metadata)
    meta = read_manifest(out / "manifest.csv")
    assert len(meta) == len(rows) == 6
    assert {m.get("report") for m in meta.values()} >= {site.url("/nianbao/t2024_1.html")}


def test_rerun_fetches_nothing_new_then_reports_a_republished_file(site, tmp_path):
    out = tmp_path / "reports"
    run(site.url("/nianbao/index.html"), out)
    first = (out / "manifest.csv").read_bytes()
    requests_before = len(site.log)
    again = run(site.url("/nianbao/index.html"), out)
    kinds = {o["outcome"] for o in again["outcomes"]}
    assert "saved" not in kinds and "republished" not in kinds
    assert sum(o["outcome"] == "unchanged" for o in again["outcomes"]) == 8
    assert (out / "manifest.csv").read_bytes() == first
    # conditional requests: ETag where given, Last-Modified otherwise
    rerun_headers = {p: h for p, h, _ in site.log[requests_before:]}
    assert "If-None-Match" in rerun_headers["/files/report-2023.pdf"]
    assert "If-Modified-Since" in rerun_headers["/files/report-2023.docx"]

    pdf_path = out / manifest_rows(out)[site.url("/files/report-2023.pdf")]["path"]
    old = pdf_path.read_bytes()
    site.put("/files/report-2023.pdf", old + b"\n% corrected\n", "application/pdf")
    third = by_url(run(site.url("/nianbao/index.html"), out))
    assert third[site.url("/files/report-2023.pdf")]["outcome"] == "republished"
    assert [o["outcome"] for o in third.values()].count("republished") == 1
    assert pdf_path.read_bytes().endswith(b"% corrected\n")
    kept = list((out / ".fetch" / "previous").iterdir())
    assert [k.read_bytes() for k in kept] == [old]
    log = list(csv.DictReader(open(out / "fetch-log.csv", encoding="utf-8-sig")))
    assert {r["outcome"] for r in log if r["url"] == site.url("/files/report-2023.pdf")} == {"republished"}


def test_gbk_page_without_validators_is_compared_by_content(site, tmp_path):
    out = tmp_path / "r"
    src = tmp_path / "urls.csv"
    src.write_text(f"url\n{site.url('/nianbao/t2023_2.html')}\n", encoding="utf-8")
    assert by_url(run(str(src), out))[site.url("/nianbao/t2023_2.html")]["outcome"] == "saved"
    assert by_url(run(str(src), out))[site.url("/nianbao/t2023_2.html")]["outcome"] == "unchanged"
    page = site.routes["/nianbao/t2023_2.html"]
    site.put("/nianbao/t2023_2.html", page["body"].replace(b"2023-01-18", b"2023-02-18"), "text/html",
             etag=False, last_modified=False)
    third = run(str(src), out)
    assert by_url(third)[site.url("/nianbao/t2023_2.html")]["outcome"] == "republished"
    assert manifest_rows(out)[site.url("/nianbao/t2023_2.html")]["publish_date"] == "2023-02-18"


def test_rerun_of_a_file_named_only_by_content_disposition(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text(f"url\n{site.url('/download?id=7')}\n", encoding="utf-8")
    first = run(str(src), tmp_path / "r")["outcomes"]
    again = run(str(src), tmp_path / "r")["outcomes"]
    assert [(o["outcome"], o["path"]) for o in first] == [("saved", first[0]["path"])]
    assert first[0]["path"].endswith("/evil_name.pdf")
    assert [(o["outcome"], o["path"]) for o in again] == [("unchanged", first[0]["path"])]
    assert site.log[-1][1].get("If-None-Match")          # answered 304 without Content-Disposition


def test_url_list_rows_bad_rows_and_limits(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text("url,agency,year,level\n"
                   f"{site.url('/files/report-2023.pdf')},某某县人民政府,2023,政府\n"
                   f"{site.url('/nianbao/t2024_3.html')},,,\n"
                   "ftp://example.gov.cn/a.pdf,x,2023,department\n"
                   f"{site.url('/guide.html')},x,23,\n"
                   f"{site.url('/slow')},,,\n"
                   f"{site.url('/guide.html')},,,\n"
                   f"{site.url('/files/report-2023.pdf')},,,\n"
                   ",a,b,c,d\n", encoding="utf-8")
    site.slow_seconds = 1.5
    out = tmp_path / "r"
    o = run(str(src), out, policy={"timeout": 0.5, "retries": 1})["outcomes"]
    failures = [(x["url"], x["kind"], x["en"]) for x in o if x["outcome"] == "failed"]
    assert ("ftp://example.gov.cn/a.pdf", "bad-row", "line 4: the URL must start with http:// or https://") in failures
    assert any(k == "bad-row" and "line 5" in en and "not a year" in en for _, k, en in failures)
    assert any(k == "bad-row" and "same URL as line 2" in en for _, k, en in failures)
    assert any(k == "bad-row" and "line 9" in en and "url is empty" in en and "more cells" in en
               for _, k, en in failures)
    assert (site.url("/slow"), "timeout", "timed out") in failures
    assert site.requests_to("/slow") == 2                        # one retry on a timeout
    assert (site.url("/guide.html"), "not-a-report") in {(u, k) for u, k, _ in failures}
    rows = manifest_rows(out)
    pdf = rows[site.url("/files/report-2023.pdf")]
    assert (pdf["agency"], pdf["year"], pdf["level"], pdf["report"]) == (
        "某某县人民政府", "2023", "government", site.url("/files/report-2023.pdf"))
    assert site.url("/download?id=7") in rows
    assert len(o) == 9                  # every row has its outcome, the duplicate and the bad ones too


def test_redirects_scheme_and_size_cap_while_streaming(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text("url\n" + "".join(site.url(p) + "\n" for p in ("/moved", "/to-ftp", "/stream.pdf"))
                   + "http://127.0.0.1:9/report.pdf\nhttp://127.0.0.1:99999/x.pdf\nhttp://[::1/x.pdf\n",
                   encoding="utf-8")
    o = by_url(run(str(src), tmp_path / "r"))
    assert o[site.url("/moved")]["outcome"] == "saved"
    assert (tmp_path / "r" / o[site.url("/moved")]["path"]).read_bytes() == site.routes["/files/report-2023.pdf"]["body"]
    assert (o[site.url("/to-ftp")]["kind"], o[site.url("/stream.pdf")]["kind"]) == ("scheme", "too-large")
    assert o["http://127.0.0.1:9/report.pdf"]["kind"] == "connection"     # nothing listens on port 9
    assert o["http://127.0.0.1:9/report.pdf"]["en"] == "cannot connect to the server (reading robots.txt)"
    assert o["http://127.0.0.1:99999/x.pdf"]["kind"] == o["http://[::1/x.pdf"]["kind"] == "bad-url"
    assert not list((tmp_path / "r").rglob("stream*"))


def test_polite_delay_and_size_cap_from_content_length(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text("url\n" + "".join(site.url(p) + "\n" for p in
                                     ("/files/report-2023.pdf", "/files/report-2023.docx", "/files/huge.pdf")),
                   encoding="utf-8")
    run(str(src), tmp_path / "r", policy={"delay": 0.15})
    times = [t for p, _, t in site.log]
    assert len(times) == 4                                       # robots.txt + three files
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.14


def test_run_time_limit_ends_every_remaining_url_with_a_reason(site, tmp_path):
    import time
    src = tmp_path / "urls.csv"
    src.write_text(f"url\n{site.url('/slow')}\n{site.url('/files/report-2023.pdf')}\n", encoding="utf-8")
    site.slow_seconds = 0.5
    t0 = time.monotonic()
    o = run(str(src), tmp_path / "r", policy={"timeout": 5, "retries": 0, "deadline": time.monotonic() + 0.3})
    assert time.monotonic() - t0 < 2
    assert [(x["kind"]) for x in o["outcomes"]] == ["timeout", "time-limit"]


def test_listing_without_report_links_and_pagination_limit(site, tmp_path):
    site.put("/empty.html", b"<html><body><a href='/guide.html'>guide</a></body></html>")
    o = run(site.url("/empty.html"), tmp_path / "a")["outcomes"]
    assert [(x["outcome"], x.get("kind"), x["en"]) for x in o] == [
        ("listing", None, "listing page: 0 report link(s)"),
        ("failed", "no-report-links",
         "no links to a government information-disclosure annual report on the listing page")]
    o = run(site.url("/nianbao/index.html"), tmp_path / "b", max_pages=1, year=2022)["outcomes"]
    kinds = {x["url"].rsplit("/", 1)[1]: x.get("kind") or x["outcome"] for x in o}
    assert kinds == {"index.html": "listing", "t2023_2.html": "saved", "index_1.html": "page-limit"}


def test_usage_errors(site, tmp_path):
    with pytest.raises(ConfigError):
        fetch("ftp://example.gov.cn/list", tmp_path / "a")
    with pytest.raises(ConfigError):
        fetch(str(tmp_path / "missing.csv"), tmp_path / "a")
    src = tmp_path / "urls.csv"
    src.write_text("link\nhttp://127.0.0.1:9/\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="url"):
        fetch(str(src), tmp_path / "a")


def test_cli_fetch_then_audit_with_the_manifest(site, tmp_path, capsys):
    out = tmp_path / "reports"
    args = ["fetch", site.url("/nianbao/index.html"), "-o", str(out), "--delay", "0", "--timeout", "2",
            "--retries", "1", "--backoff", "0.01", "--max-size", "0.2"]
    assert cli_main(args + ["--lang", "en"]) == 1              # the 404, loop, robots and size cap failed
    text = capsys.readouterr().out
    assert "8 saved, 0 republished, 0 unchanged, 4 failed" in text
    assert "disallowed by robots.txt" in text and "not found (HTTP 404)" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace(str(out), ""))   # English only

    assert cli_main(["audit", str(out), "--manifest", str(out / "manifest.csv"), "--format", "json",
                     "-o", str(tmp_path / "audit.json")]) in (0, 1)
    run = json.loads((tmp_path / "audit.json").read_text("utf-8"))
    reports = [r for r in run["reports"] if not r["path"].endswith(WORD)]
    assert len(reports) == 5                                    # 3 pages with text + 2 PDFs
    assert [r.get("error") for r in reports] == [None] * 5
    _every_file_once(out, run)
    rows = {str((out / r["path"]).resolve()): r for r in manifest_rows(out).values()}
    for r in reports:
        assert r["agency"] == rows[str(Path(r["path"]).resolve())]["agency"]

    assert cli_main(args) == 1                                  # rerun: nothing new, in Chinese
    text = capsys.readouterr().out
    assert "新保存 0，重新发布 0，未变化 8，失败 4" in text


WORD = (".doc", ".docx", ".wps")     # the portal's Word attachments are not real Word files


def _every_file_once(out: Path, run: dict) -> None:
    """The sweep's inventory names every file fetch left outside its hidden state folder once."""
    on_disk = sorted(str(p) for p in out.rglob("*") if p.is_file() and ".fetch" not in p.parts)
    assert sorted(i["path"] for i in run["inventory"]) == on_disk


def test_url_list_then_audit(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text("url,agency,year,level\n"
                   f"{site.url('/nianbao/t2024_1.html')},某某县人民政府,2023,政府\n"
                   f"{site.url('/nianbao/t2023_2.html')},,,department\n"
                   f"{site.url('/nianbao/t2024_3.html')},,,部门\n", encoding="gbk")
    out = tmp_path / "reports"
    assert cli_main(["fetch", str(src), "-o", str(out), "--delay", "0"]) == 0
    assert cli_main(["audit", str(out), "--manifest", str(out / "manifest.csv"), "--format", "json",
                     "-o", str(tmp_path / "audit.json")]) in (0, 1)
    run = json.loads((tmp_path / "audit.json").read_text("utf-8"))
    reports = [r for r in run["reports"] if not r["path"].endswith(WORD)]
    _every_file_once(out, run)
    assert sorted(Path(r["path"]).name for r in reports) == [
        "evil_name.pdf", "report-2023.pdf", "t2023_2.html", "t2024_1.html"]
    assert [r.get("error") for r in reports] == [None] * 4
    agencies = {Path(r["path"]).name: r["agency"] for r in reports}
    assert agencies["evil_name.pdf"] == "某某县商务局" and agencies["t2023_2.html"] == "某某区卫生健康委员会"
    levels = {r["path"]: r["level"] for r in manifest_rows(out).values()}
    assert sorted(levels.values()) == ["department", "department", "government", "government", "government"]
