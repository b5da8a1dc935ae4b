"""A generated government portal served on 127.0.0.1 for the fetch tests.

``Site.routes`` maps a path to ``{"body", "type", "headers", "etag", "last_modified"}``; tests
may change a body between runs (``site.put``).  Special paths: ``/robots.txt`` (disallows
``/private/``), ``/flaky/…`` (HTTP 500 on the first request, then the page), ``/loop/a`` ⇄
``/loop/b`` (redirect loop), ``/slow`` (answers after ``slow_seconds``), ``/moved`` (301 to the 2023 PDF), ``/to-ftp`` (301 to
an ftp URL), ``/stream.pdf`` (300 kB without Content-Length), anything unknown (404).
Every request is logged as ``(path, headers, time.monotonic())``.
"""
from __future__ import annotations

import hashlib
import io
import threading
import time
import zipfile
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def docx_bytes(text: str) -> bytes:
    """A minimal DOCX (a zip with document.xml) holding ``text``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document><w:body><w:p><w:t>{text}</w:t></w:p></w:body></w:document>")
    return buf.getvalue()


def listing(title: str, reports: list[tuple[str, str]], pager: list[tuple[str, str]]) -> bytes:
    """A 年报 column page: report links, other links, pagination."""
    items = "".join(f'<li><a href="{href}">{text}</a><span>2024-01-20</span></li>' for href, text in reports)
    pages = " ".join(f'<a href="{href}">{text}</a>' for href, text in pager)
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a><a href="/guide.html">政府信息公开指南</a></div>'
            f'<ul class="list">{items}</ul><div class="page">{pages}</div></body></html>').encode("utf-8")


def wrapper(title: str, attachments: list[tuple[str, str]], date: str = "2024-01-22") -> bytes:
    """A report page that only links to its attachments (发文日期 line, no PubDate meta)."""
    links = "".join(f'<p>附件：<a href="{h}">{t}</a></p>' for h, t in attachments)
    return (f'<html><head><meta charset="utf-8"><title>{title}_年报</title></head><body>'
            f'<h1>{title}</h1><div class="info">发文日期：{date}</div>'
            f'<p>现将{title}予以公开，详见附件。</p>{links}</body></html>').encode("utf-8")


def with_attachments(html: bytes, links: list[tuple[str, str]], pubdate: str) -> bytes:
    """A sample CMS page with a PubDate meta and attachment links added."""
    extra = "".join(f'<p>附件：<a href="{h}">{t}</a></p>' for h, t in links)
    html = html.replace(b"<head>", f'<head>\n<meta name="PubDate" content="{pubdate} 10:00">'.encode(), 1)
    return html.replace(b'<div class="share">', extra.encode() + b'<div class="share">', 1)


class Site:
    """The portal; ``url(path)`` is its absolute URL once started."""

    def __init__(self):
        self.routes: dict[str, dict] = {}
        self.log: list[tuple[str, dict, float]] = []
        self.slow_seconds = 1.0
        self.robots_status = 200          # 503: the site's robots.txt is unavailable
        self.seen_flaky: set[str] = set()
        self.server: ThreadingHTTPServer | None = None
        self.build()

    # -- content -------------------------------------------------------------------

    def put(self, path: str, body: bytes, type: str = "text/html; charset=utf-8", headers: dict | None = None,
            etag: bool = True, last_modified: bool = True) -> None:
        self.routes[path] = {"body": body, "type": type, "headers": headers or {},
                             "etag": etag, "last_modified": last_modified}

    def build(self) -> None:
        county = (SAMPLES / "104_cms-page-late-2023.html").read_bytes()
        gbk = (SAMPLES / "103_cms-page-gb2312-2022.html").read_bytes()
        pdf_2023 = (SAMPLES / "101_ruled-table-2023.pdf").read_bytes()
        pdf_2020 = (SAMPLES / "102_plain-text-tables-2020.pdf").read_bytes()
        self.put("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
        self.put("/nianbao/index.html", listing("政府信息公开年报", [
            ("/nianbao/t2024_1.html", "某某县人民政府2023年政府信息公开工作年度报告"),
            ("t2023_2.html", "某某区卫生健康委员会2022年政府信息公开工作年度报告"),
            ("http://127.0.0.1:9/elsewhere.html", "外站2023年政府信息公开工作年度报告"),
        ], [("index.html", "1"), ("index_1.html", "2"), ("index_1.html", "下一页")]))
        self.put("/nianbao/index_1.html", listing("政府信息公开年报", [
            ("/nianbao/t2024_3.html", "某某县商务局2023年政府信息公开工作年度报告"),
            ("/flaky/t2024_4.html", "某某县交通运输局2023年政府信息公开工作年度报告"),
            ("/nianbao/missing.html", "某某县水利局2023年政府信息公开工作年度报告"),
            ("/loop/a", "某某县林业局2023年政府信息公开工作年度报告"),
            ("/private/t2024_5.html", "某某县财政局2023年政府信息公开工作年度报告"),
            ("/nianbao/t2024_6.html", "某某县教育局2023年政府信息公开工作年度报告"),
        ], [("index.html", "1"), ("index_2.html", "3"), ("index_2.html", "下一页")]))
        # the last page's "next" goes back to the first: an endless pagination loop
        self.put("/nianbao/index_2.html", listing("政府信息公开年报", [], [("index.html", "下一页")]))
        self.put("/nianbao/t2024_1.html", with_attachments(county, [
            ("/files/report-2023.pdf", "某某县人民政府2023年政府信息公开工作年度报告.pdf"),
            ("/files/report-2023.docx", "某某县人民政府2023年政府信息公开工作年度报告.docx")], "2024-01-25"))
        self.put("/files/report-2023.pdf", pdf_2023, "application/pdf")
        self.put("/files/report-2023.docx", docx_bytes("某某县人民政府2023年政府信息公开工作年度报告"),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", etag=False)
        # GBK page: charset only in its <meta>, no validators: a rerun compares content hashes
        self.put("/nianbao/t2023_2.html", gbk, "text/html", etag=False, last_modified=False)
        self.put("/nianbao/t2024_3.html", wrapper("某某县商务局2023年政府信息公开工作年度报告",
                                                  [("/download?id=7", "某某县商务局2023年年报.pdf")]))
        self.put("/download", pdf_2020, "application/octet-stream",
                 headers={"Content-Disposition": 'attachment; filename="../../evil\x01name.pdf"'})
        self.put("/flaky/t2024_4.html", county.replace("某某县人民政府2023".encode(), "某某县交通运输局2023".encode()))
        self.put("/private/t2024_5.html", county)
        self.put("/nianbao/t2024_6.html", wrapper("某某县教育局2023年政府信息公开工作年度报告",
                                                  [("/files/huge.pdf", "某某县教育局2023年年报.pdf")]))
        self.put("/files/huge.pdf", b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf")
        self.put("/guide.html", "<html><body>政府信息公开指南</body></html>".encode("utf-8"))

    # -- serving -------------------------------------------------------------------

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def requests_to(self, path: str) -> int:
        return sum(p == path for p, _, _ in self.log)

    def start(self) -> "Site":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.log.append((self.path, dict(self.headers), time.monotonic()))
                site.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        if path.startswith("/loop/"):
            return self.send(h, 302, b"", {"Location": "/loop/b" if path == "/loop/a" else "/loop/a"})
        if path == "/robots.txt" and self.robots_status != 200:
            return self.send(h, self.robots_status, b"", {"Content-Type": "text/plain"})
        if path in ("/moved", "/to-ftp"):
            target = "/files/report-2023.pdf" if path == "/moved" else "ftp://127.0.0.1/report.pdf"
            return self.send(h, 301, b"", {"Location": target})
        if path == "/stream.pdf":     # no Content-Length: the size cap must stop the download itself
            return self.send(h, 200, b"%PDF-1.4\n" + b"1" * 300_000, {"Content-Type": "application/pdf"},
                             length=False)
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return self.send(h, 200, b"<html>late</html>", {"Content-Type": "text/html"})
        if path.startswith("/flaky/") and path not in self.seen_flaky:
            self.seen_flaky.add(path)
            return self.send(h, 500, b"busy", {"Content-Type": "text/plain"})
        route = self.routes.get(path)
        if route is None:
            return self.send(h, 404, b"not found", {"Content-Type": "text/plain"})
        headers = dict(route["headers"], **{"Content-Type": route["type"]})
        etag = '"' + hashlib.sha1(route["body"]).hexdigest()[:16] + '"'
        if route["etag"]:
            headers["ETag"] = etag
        if route["last_modified"]:
            headers["Last-Modified"] = LAST_MODIFIED
        if (route["etag"] and h.headers.get("If-None-Match") == etag) or (
                not route["etag"] and route["last_modified"]
                and h.headers.get("If-Modified-Since") == LAST_MODIFIED):
            # as many servers do: validators only, no Content-Type or Content-Disposition
            return self.send(h, 304, b"", {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")})
        return self.send(h, 200, route["body"], headers)

    def send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict,
             length: bool = True) -> None:
        try:
            self._send(h, status, body, headers, length)
        except (BrokenPipeError, ConnectionResetError):   # the client gave up (timeouts, size cap)
            pass

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict, length: bool) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        if status != 304 and length:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body)
