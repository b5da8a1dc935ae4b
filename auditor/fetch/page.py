"""What ``auditor fetch`` reads from a web page: charset, links, title, date, agency, attachments.

Pages are scanned with the standard library's :mod:`html.parser` (scripts and styles skipped);
nothing here touches the network.
"""
from __future__ import annotations

import codecs
import re
import urllib.parse
from html.parser import HTMLParser

from auditor.sweep.manifest import parse_date

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")
# the link text or title of a report: 政府信息公开工作年度报告 / 政府信息公开年度报告 / 政府信息公开年报
REPORT_RE = re.compile(r"政府信息公开(?:工作)?(?:年度(?:工作)?报告|年报)")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度?")
# the title's agency: whatever precedes "2023年(度)…政府信息公开…"
AGENCY_RE = re.compile(r"^\s*(?:关于)?(.{2,40}?)\s*(?:19|20)\d{2}\s*年度?\s*(?:本单位|本机关)?\s*政府信息公开")
DATE_LINE_RE = re.compile(r"(?:发布日期|发文日期|发布时间)\s*[:：]?\s*"
                          r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)")
META_DATES = ("pubdate", "publishdate", "firstpublishedtime", "dc.date")
# headings of the national templates: a page with two of them carries the report as text
HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议", "存在的主要问题及改进情况")
PAGER_RE = re.compile(r"^\s*(?:下一页|下页|后一页|\d{1,3}|>|›|»)\s*$")
# TRS-style pagination written by script: createPageHTML(pages, current, "index", "html")
TRS_PAGER_RE = re.compile(r"createPageHTML\(\s*(\d{1,4})\s*,\s*\d+\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)


def _codec(name: str | None) -> str | None:
    """Python's codec for a declared charset; GB2312/GBK read as their superset GB18030."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "gb18030" if codec in ("gb2312", "gbk") else codec


def charset_of(content_type: str) -> str | None:
    """The ``charset=`` of a Content-Type header, or None."""
    m = re.search(r"charset\s*=\s*[\"']?([\w-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Text of ``data``: BOM, then the declared charset, then a ``<meta charset>``, then UTF-8,
    then GB18030; undecodable bytes are replaced only when nothing fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    meta = _META_CHARSET_RE.search(data[:4096])
    tries = [_codec(declared), _codec(meta.group(1).decode("ascii", "ignore")) if meta else None,
             "utf-8", "gb18030"]
    for enc in dict.fromkeys(t for t in tries if t):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", "replace")


class _Scan(HTMLParser):
    """Collects links (href, text), meta tags, <title>, <h1> and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []
        self.meta: dict[str, str] = {}
        self.parts: dict[str, list[str]] = {"title": [], "h1": [], "text": []}
        self.open: list[str] = []
        self.skip = 0
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "meta" and a.get("name"):
            self.meta.setdefault(a["name"].strip().lower(), a.get("content", "").strip())
        elif tag == "a":
            self.links.append([a.get("href", "").strip(), ""])
            self.in_link = True
        elif tag in ("title", "h1"):
            self.open.append(tag)
        if tag in ("p", "br", "div", "tr", "li", "h1", "h2", "h3", "span", "td"):
            self.parts["text"].append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        elif tag in ("title", "h1") and tag in self.open:
            self.open.remove(tag)
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.skip:
            return
        self.parts["text"].append(data)
        for tag in self.open:
            self.parts[tag].append(data)
        if self.in_link:
            self.links[-1][1] += data


def scan(html: str) -> _Scan:
    """The parsed page (never raises on broken HTML)."""
    s = _Scan()
    try:
        s.feed(html)
        s.close()
    except Exception:   # noqa: BLE001 - html.parser is lenient; keep whatever was read
        pass
    return s


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def links(s: _Scan, base: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) of every http(s) link, in page order."""
    out = []
    for href, text in s.links:
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urllib.parse.urldefrag(urllib.parse.urljoin(base, href))[0]
        if urllib.parse.urlsplit(url).scheme in ("http", "https"):
            out.append((url, _squash(text)))
    return out


def names_report(text: str, year: int | None = None) -> bool:
    """Does ``text`` name a disclosure annual report (of ``year`` when given)?"""
    if not REPORT_RE.search(text):
        return False
    return year is None or any(int(y) == year for y in YEAR_RE.findall(text))


def has_suffix(url_or_name: str, suffixes: tuple[str, ...] = ATTACHMENT_SUFFIXES) -> bool:
    """Does the URL's path (or the name) end with one of ``suffixes``?"""
    path = urllib.parse.urlsplit(url_or_name).path if "://" in url_or_name else url_or_name
    return path.lower().rstrip().endswith(suffixes)


def report_year(text: str) -> int | None:
    """The report year named next to 政府信息公开… in a title or link text."""
    m = re.search(r"((?:19|20)\d{2})\s*年度?\s*(?:本单位|本机关)?\s*政府信息公开", text)
    return int(m.group(1)) if m else None


def page_info(html: str, url: str) -> dict:
    """What a report page says about itself.

    ``title``; ``agency`` (the title's words before the year) and ``year``; ``publish_date`` (ISO,
    from ``<meta name="PubDate">`` or a 发布日期/发文日期/发布时间 line); ``attachments``
    [(url, link text)] of PDF/DOC/DOCX/WPS files; ``carries_text`` (the template's headings are
    on the page); ``names_report``.
    """
    s = scan(html)
    title = (s.meta.get("articletitle") or _squash("".join(s.parts["h1"]))
             or _squash("".join(s.parts["title"])).split("_")[0])
    text = "".join(s.parts["text"])
    agency = AGENCY_RE.match(title)
    date = next((parse_date(s.meta[k][:10]) for k in META_DATES if s.meta.get(k)), None)
    if date is None:
        m = DATE_LINE_RE.search(text)
        date = parse_date(m.group(1)) if m else None
    attachments = [(u, t) for u, t in links(s, url) if has_suffix(u) or has_suffix(t)]
    return {"title": title, "agency": agency.group(1).strip() if agency else "",
            "year": report_year(title), "publish_date": date or "",
            "attachments": list(dict((u, (u, t)) for u, t in attachments).values()),
            "carries_text": sum(h in text for h in HEADINGS) >= 2,
            "names_report": names_report(title) or names_report(text)}


def listing_links(html: str, url: str, year: int | None) -> tuple[list[tuple[str, str]], list[str]]:
    """(report links [(url, text)], pagination URLs) of a listing page, both within its site."""
    s = scan(html)
    host = urllib.parse.urlsplit(url).netloc.lower()
    here = [(u, t) for u, t in links(s, url) if urllib.parse.urlsplit(u).netloc.lower() == host]
    reports = [(u, t) for u, t in here if names_report(t, year)]
    report_urls = {u for u, _ in reports}
    pages = [u for u, t in here if PAGER_RE.match(t) and u not in report_urls and not has_suffix(u)]
    m = TRS_PAGER_RE.search(html)
    if m:
        total, stem, ext = int(m.group(1)), m.group(2), m.group(3)
        pages += [urllib.parse.urljoin(url, f"{stem}_{i}.{ext}") for i in range(1, min(total, 1000))]
    return list(dict((u, (u, t)) for u, t in reports).values()), list(dict.fromkeys(pages))
