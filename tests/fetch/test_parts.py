"""The pieces of ``auditor fetch``: charsets, names, page reading, robots Crawl-delay, progress,
an interrupted run."""
from __future__ import annotations

import io
import time

import pytest

from auditor.fetch import _progress
from auditor.fetch.http import Client, Policy
from auditor.fetch.page import decode_text, listing_links, names_report, page_info
from auditor.fetch.run import fetch
from auditor.fetch.save import disposition_name, load_state, safe_name

GBK_PAGE = "<html><head><title>某某镇2023年政府信息公开工作年度报告_年报</title></head><body>发布日期：2024年1月5日</body></html>"


def test_decode_by_header_meta_or_sniffing():
    data = GBK_PAGE.encode("gbk")
    assert decode_text(data, "gb2312") == GBK_PAGE                    # declared by the server
    assert decode_text(data) == GBK_PAGE                               # sniffed: not UTF-8, so GB18030
    with_meta = GBK_PAGE.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=GBK">')
    assert decode_text(with_meta.encode("gbk"), "iso-8859-1-wrong") == with_meta
    assert decode_text(b"\xef\xbb\xbf" + "年报".encode()) == "年报"


def test_page_info_from_date_line_and_title():
    info = page_info(GBK_PAGE, "http://127.0.0.1/a/b.html")
    assert (info["agency"], info["year"], info["publish_date"]) == ("某某镇", 2023, "2024-01-05")
    assert info["names_report"] and not info["carries_text"] and info["attachments"] == []


def test_agency_from_title():
    html = "<html><head><meta name='ArticleTitle' content='关于某某市统计局2023年度政府信息公开工作年度报告'></head></html>"
    assert page_info(html, "http://127.0.0.1/")["agency"] == "某某市统计局"
    assert page_info("<title>政府信息公开工作年度报告</title>", "http://127.0.0.1/")["agency"] == ""


def test_listing_links_year_filter_pagination_and_trs_pager():
    html = ('<a href="r1.html">某局2023年政府信息公开工作年度报告</a><a href="r2.html">某局2022年度政府信息公开年报</a>'
            '<a href="/x.pdf">2</a><a href="http://127.0.0.1:9/r.html">外站2023年政府信息公开工作年度报告</a>'
            '<script>createPageHTML(3, 0, "index", "html");</script>')
    reports, pages = listing_links(html, "http://127.0.0.1:8/col/index.html", 2023)
    assert reports == [("http://127.0.0.1:8/col/r1.html", "某局2023年政府信息公开工作年度报告")]
    assert pages == ["http://127.0.0.1:8/col/index_1.html", "http://127.0.0.1:8/col/index_2.html"]
    assert names_report("某局2022年度政府信息公开年报", 2022) and not names_report("政府信息公开指南")


@pytest.mark.parametrize("raw, suffix, expected", [
    ("../../etc/passwd", ".pdf", "passwd.pdf"),
    ("..\\..\\boot.ini", "", "boot.ini"),
    ("a\x00b\x1fc:d*e?.PDF", "", "a_b_c_d_e_.pdf"),
    ("...", ".html", "file.html"),
    ("%E5%B9%B4%E6%8A%A5.docx", "", "年报.docx"),
    ("x" * 300 + ".pdf", "", "x" * 80 + ".pdf"),
    ("t2024_1.html", ".page", "t2024_1.html.page"),
])
def test_safe_name(raw, suffix, expected):
    assert safe_name(raw, suffix) == expected


def test_disposition_name_utf8_star_and_raw_gbk():
    assert disposition_name("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf") == "年报.pdf"
    raw = "年报.pdf".encode("gbk").decode("latin-1")       # how such a header arrives
    assert disposition_name(f'attachment; filename="{raw}"') == "年报.pdf"
    assert disposition_name("inline") is None


def test_crawl_delay_from_robots_txt(site):
    site.put("/robots.txt", b"User-agent: disclosure-auditor\nCrawl-delay: 1\nDisallow:\n", "text/plain")
    with Client(Policy(delay=0.0, timeout=1, retries=0)) as client:
        client.get(site.url("/guide.html"))
        client.get(site.url("/guide.html"))
    times = [t for p, _, t in site.log if p == "/guide.html"]
    assert times[1] - times[0] >= 0.99       # robotparser reads whole seconds only


@pytest.mark.parametrize("status, outcome", [(404, None), (503, "server-error")])
def test_robots_txt_missing_allows_unavailable_refuses(site, status, outcome):
    from auditor.fetch.http import FetchError
    site.robots_status = status
    with Client(Policy(delay=0.0, timeout=2, retries=1, backoff=0.01)) as client:
        try:
            client.get(site.url("/private/t2024_5.html"))
            kind = None
        except FetchError as e:
            kind = e.kind
    assert kind == outcome
    assert site.requests_to("/robots.txt") == (1 if status == 404 else 2)     # 5xx retried once
    assert site.requests_to("/private/t2024_5.html") == (1 if status == 404 else 0)


def test_progress_on_a_terminal_only():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    assert _progress(io.StringIO()) is None
    tty = Tty()
    show = _progress(tty)
    show(0, 2, "http://127.0.0.1/a")
    show(2, 2, "")
    assert "[0/2] http://127.0.0.1/a" in tty.getvalue() and tty.getvalue().endswith("[2/2] \n")


def test_interrupted_run_keeps_what_was_fetched(site, tmp_path):
    src = tmp_path / "urls.csv"
    src.write_text(f"url\n{site.url('/files/report-2023.pdf')}\n{site.url('/nianbao/t2023_2.html')}\n",
                   encoding="utf-8")

    def stop_at_second(done, total, url):
        if done == 1:
            raise KeyboardInterrupt

    out = tmp_path / "r"
    result = fetch(str(src), out, policy=Policy(delay=0, timeout=1, retries=0), progress=stop_at_second)
    assert result["interrupted"]
    assert list(load_state(out)["files"]) == [site.url("/files/report-2023.pdf")]
    assert site.url("/files/report-2023.pdf") in (out / "manifest.csv").read_text("utf-8-sig")
    start = time.monotonic()
    again = fetch(str(src), out, policy=Policy(delay=0, timeout=1, retries=0))
    assert [o["outcome"] for o in again["outcomes"]] == ["unchanged", "saved"]
    assert time.monotonic() - start < 5
