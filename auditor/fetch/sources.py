"""What to fetch: the rows of a URL list (CSV) or the report links of a listing page (年报 column).

Both return ``(targets, outcomes)``: a target is ``{"url", "agency", "year", "level"}`` (empty
strings where unknown); an outcome (``url``, ``outcome``, ``kind``, ``zh``, ``en``) is a failure —
a bad row, a listing page that could not be read — or, for a listing page that was read,
``outcome`` ``listing``: nothing is dropped silently.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from auditor.agencies import LEVELS
from auditor.errors import ConfigError
from auditor.fetch.http import FetchError
from auditor.fetch.page import charset_of, decode_text, listing_links, report_year
from auditor.sweep.manifest import LEVEL_ALIASES


def failure(url: str, kind: str, zh: str, en: str) -> dict:
    """An outcome saying ``url`` failed, with its reason."""
    return {"url": url, "outcome": "failed", "kind": kind, "zh": zh, "en": en}


def _scheme_problem(url: str) -> tuple[str, str] | None:
    if not re.match(r"(?i)^https?://[^/\s]+", url):
        return "网址必须以 http:// 或 https:// 开头", "the URL must start with http:// or https://"
    return None


def _row_target(row: dict) -> tuple[dict, list[tuple[str, str]]]:
    """(target, problems) of one CSV row."""
    cells = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
    target = {"url": cells.get("url", ""), "agency": cells.get("agency", ""),
              "year": cells.get("year", ""), "level": cells.get("level", "")}
    problems = []
    if not target["url"]:
        problems.append(("缺少 url", "url is empty"))
    elif _scheme_problem(target["url"]):
        problems.append(_scheme_problem(target["url"]))
    if target["year"] and not re.fullmatch(r"(19|20)\d{2}", target["year"]):
        problems.append((f"year“{target['year']}”不是四位年份", f"year {target['year']!r} is not a year"))
    if target["level"]:
        target["level"] = LEVEL_ALIASES.get(target["level"], target["level"].lower())
        if target["level"] not in LEVELS:
            problems.append((f"level“{cells['level']}”应为 department、government 或 township",
                             f"level {cells['level']!r} must be department, government or township"))
    if None in row:
        problems.append(("列数多于表头", "more cells than the header"))
    return target, problems


def read_url_list(path: str | Path) -> tuple[list[dict], list[dict]]:
    """Targets of a CSV with a ``url`` column (``agency``, ``year``, ``level`` optional).

    A file without a ``url`` header is a usage error (:class:`ConfigError`); a bad row is a
    failure naming its line, and the other rows go on.
    """
    path = Path(path)
    try:
        text = decode_text(path.read_bytes())
    except OSError as e:
        raise ConfigError(f"无法读取网址列表 {path}：{e.strerror}", f"cannot read URL list {path}: {e.strerror}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip().lower() for h in reader.fieldnames or ()]
    if "url" not in header:
        raise ConfigError(f"网址列表 {path} 的第一行必须是表头，至少包含 url 列（url,agency,year,level）",
                          f"URL list {path}: the first line must be a header with a url column "
                          "(url,agency,year,level)")
    reader.fieldnames = header
    targets, failures, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        target, problems = _row_target(row)
        where = target["url"] or f"{path}:{line}"
        if not problems and target["url"] in seen:
            problems.append((f"与第 {seen[target['url']]} 行重复", f"same URL as line {seen[target['url']]}"))
        if problems:
            failures.append(failure(where, "bad-row", f"第 {line} 行：" + "；".join(z for z, _ in problems),
                                    f"line {line}: " + "; ".join(e for _, e in problems)))
            continue
        seen[target["url"]] = line
        targets.append(target)
    return targets, failures


def crawl_listing(client, url: str, year: int | None, max_pages: int) -> tuple[list[dict], list[dict]]:
    """Targets linked from the listing page ``url`` and its pagination (same site only, each
    page once, at most ``max_pages`` pages): links whose text names a 政府信息公开工作年度报告
    (of ``year`` when given)."""
    queue, seen, found, outcomes, read = [url], {url}, {}, [], 0
    while queue:
        page = queue.pop(0)
        if read >= max_pages:
            outcomes += [failure(u, "page-limit", f"列表页超过 {max_pages} 页，未读取（见 --max-pages）",
                                 f"listing beyond {max_pages} pages, not read (see --max-pages)")
                         for u in [page] + queue]
            break
        read += 1
        try:
            resp = client.get(page)
        except FetchError as e:
            outcomes.append(failure(page, e.kind, f"列表页：{e.zh}", f"listing page: {e.en}"))
            continue
        html = decode_text(resp.body, charset_of(resp.headers.get("content-type", "")))
        reports, pages = listing_links(html, resp.url, year)
        outcomes.append({"url": page, "outcome": "listing", "zh": f"列表页：{len(reports)} 个报告链接",
                         "en": f"listing page: {len(reports)} report link(s)"})
        for link, text in reports:
            found.setdefault(link, {"url": link, "agency": "", "level": "",
                                    "year": str(report_year(text) or year or "")})
        for p in pages:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    if not found:
        what = f"{year} 年度的" if year else ""
        outcomes.append(failure(url, "no-report-links",
                                f"列表页上没有{what}政府信息公开工作年度报告的链接",
                                "no links to a government information-disclosure annual report"
                                + (f" of {year}" if year else "") + " on the listing page"))
    return list(found.values()), outcomes

