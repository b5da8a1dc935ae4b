"""``fetch()``: collect the reports of a URL list or a listing page into a folder.

For each target URL: a report *page* is saved with its PDF/DOC/DOCX/WPS attachments, all of them
marked (manifest column ``report``) as versions of one report; a *file* is saved as it is.  A
rerun sends ``If-None-Match`` / ``If-Modified-Since`` for what it already has and compares
content hashes, so an unchanged file is neither written nor counted as new, and a file whose
content changed at the same URL is reported as *republished* (the old copy is kept).

Every URL ends as one outcome — ``saved``, ``republished``, ``unchanged`` or ``failed`` with a
reason — in the returned list and in ``DIR/fetch-log.csv``.  The state is written after each
report, so an interrupted run keeps what it fetched.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Callable

import httpx

from auditor.errors import ConfigError
from auditor.fetch import save as S
from auditor.fetch.http import Client, FetchError, Policy, Response, check_scheme
from auditor.fetch.page import ATTACHMENT_SUFFIXES, charset_of, decode_text, has_suffix, page_info
from auditor.fetch.sources import crawl_listing, failure, read_url_list

DOCUMENT_TYPES = {"application/pdf": ".pdf", "application/msword": ".doc", "application/vnd.ms-works": ".wps",
                  "application/kswps": ".wps", "application/wps-office.wps": ".wps",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}
# response headers kept in the state: validators for the next run, and what a 304 leaves out
KEPT_HEADERS = {"etag": "etag", "last_modified": "last-modified", "content_type": "content-type",
                "content_disposition": "content-disposition"}
# A page that only links to its attachments is kept as a hidden file (".NAME.html"): sweeps list
# hidden files as skipped instead of refusing the page as "not a report".
WRAPPER_PREFIX = "."


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def is_url(source: str) -> bool:
    """Is SOURCE a URL (of any scheme) rather than a file?"""
    return "://" in source


def _content_type(resp) -> str:
    return resp.headers.get("content-type", "").split(";")[0].strip().lower()


def _is_html(resp, body: bytes) -> bool:
    ctype = _content_type(resp)
    if ctype in ("text/html", "application/xhtml+xml"):
        return True
    return not ctype and body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _document_suffix(resp, url: str, link_text: str = "") -> str | None:
    """The suffix a document is saved under (from its name, URL, link text or type), or None."""
    name = S.disposition_name(resp.headers.get("content-disposition", "")) or ""
    for candidate in (name, url, link_text):
        if candidate and has_suffix(candidate):
            return os.path.splitext(candidate.split("?")[0])[1].lower()
    return DOCUMENT_TYPES.get(_content_type(resp))


class _Run:
    """One run's shared things: client, output folder, state, outcomes, URLs done."""

    def __init__(self, client: Client, out: Path, state: dict):
        self.client, self.out, self.state = client, out, state
        self.outcomes: list[dict] = []
        self.done: set[str] = set()

    def record(self, outcome: dict) -> None:
        self.outcomes.append(dict(outcome, time=_now()))


def _get(run: _Run, url: str):
    """(response, body): a conditional GET when the file is on disk; a 304 reads it back."""
    entry = run.state["files"].get(url)
    have = entry is not None and (run.out / entry["path"]).is_file()
    headers = {}
    if have and entry.get("etag"):
        headers["If-None-Match"] = entry["etag"]
    if have and entry.get("last_modified"):
        headers["If-Modified-Since"] = entry["last_modified"]
    resp = run.client.get(url, headers)
    if resp.status == 304:
        if not have:
            raise FetchError("http-error", "服务器回答“未修改”，但本地没有副本",
                             "the server said 'not modified' but there is no local copy")
        # a 304 often omits Content-Type and Content-Disposition: use the ones of the saved copy
        remembered = httpx.Headers({h: entry[k] for k, h in KEPT_HEADERS.items() if entry.get(k)})
        remembered.update(resp.headers)
        return Response(resp.url, 304, remembered, b""), (run.out / entry["path"]).read_bytes()
    return resp, resp.body


def _store(run: _Run, url: str, resp, body: bytes, name: str, meta: dict) -> dict:
    """Save ``body`` for ``url`` (unless unchanged) and update its state entry; the outcome."""
    files = run.state["files"]
    entry = files.get(url)
    sha = hashlib.sha256(body).hexdigest()
    on_disk = entry is not None and (run.out / entry["path"]).is_file()
    outcome = {"url": url, "report": meta.get("report", "")}
    if on_disk and (resp.status == 304 or entry.get("sha256") == sha):
        outcome["outcome"] = "unchanged"
        entry.update(meta, checked_at=_now())
    else:
        if on_disk:
            kept = S.keep_previous(run.out, entry)
            entry.setdefault("previous", []).append({"sha256": entry["sha256"], "fetched_at": entry["fetched_at"],
                                                     "kept": kept})
            outcome["outcome"] = "republished"
        else:
            outcome["outcome"] = "saved"
            url_of = {e["path"]: u for u, e in files.items()}
            entry = files[url] = {"path": entry["path"] if entry else S.relative_path(url, name, url_of)}
        S.write_atomic(run.out / entry["path"], body)
        entry.update(meta, sha256=sha, size=len(body), fetched_at=_now(), checked_at=_now())
    for key, header in KEPT_HEADERS.items():
        if resp.headers.get(header):
            entry[key] = resp.headers[header]
    outcome["path"] = entry["path"]
    return outcome


def _file_name(resp, url: str, suffix: str) -> str:
    """Content-Disposition name, else the URL's last path segment, sanitised, with ``suffix``."""
    name = S.disposition_name(resp.headers.get("content-disposition", ""))
    if not name:
        name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        if "/" not in url.split("://", 1)[1].rstrip("/"):
            name = "index"
    return S.safe_name(name, suffix)


def _save_document(run: _Run, url: str, resp, body: bytes, meta: dict, link_text: str = "") -> None:
    """Save a PDF/DOC/DOCX/WPS answer (a report on its own or a page's attachment); anything
    else is a failure."""
    suffix = _document_suffix(resp, url, link_text)
    if _is_html(resp, body) or suffix not in ATTACHMENT_SUFFIXES:
        ctype = _content_type(resp)
        run.record(failure(url, "not-a-report", f"不是报告页面或 PDF/DOC/DOCX/WPS 文件（{ctype or '类型不明'}）",
                           f"neither a report page nor a PDF/DOC/DOCX/WPS file ({ctype or 'unknown type'})")
                   | {"report": meta.get("report", "")})
        return
    run.record(_store(run, url, resp, body, _file_name(resp, url, suffix), dict(meta, in_manifest=True)))


def _fetch_attachment(run: _Run, url: str, meta: dict, link_text: str) -> None:
    try:
        resp, body = _get(run, url)
    except FetchError as e:
        run.record(failure(url, e.kind, e.zh, e.en) | {"report": meta.get("report", "")})
        return
    _save_document(run, url, resp, body, meta, link_text)


def _target_meta(target: dict, info: dict | None, report: str) -> dict:
    """Manifest metadata: the URL list's values win over what the page says."""
    info = info or {}
    return {"agency": target.get("agency") or info.get("agency", ""),
            "year": target.get("year") or str(info.get("year") or ""),
            "publish_date": info.get("publish_date", ""), "level": target.get("level", ""), "report": report}


def fetch_target(run: _Run, target: dict) -> None:
    """One report: its page and attachments, or one file."""
    url = target["url"]
    if url in run.done:
        return
    run.done.add(url)
    try:
        resp, body = _get(run, url)
    except FetchError as e:
        run.record(failure(url, e.kind, e.zh, e.en))
        return
    if not _is_html(resp, body):
        _save_document(run, url, resp, body, _target_meta(target, None, url))
        return
    info = page_info(decode_text(body, charset_of(resp.headers.get("content-type", ""))), resp.url)
    if not (info["names_report"] or info["attachments"]):
        run.record(failure(url, "not-a-report", "页面既没有提到政府信息公开工作年度报告，也没有附件",
                           "the page neither names a disclosure annual report nor has attachments"))
        return
    meta = _target_meta(target, info, url)
    wrapper = bool(info["attachments"]) and not info["carries_text"]
    name = (WRAPPER_PREFIX if wrapper else "") + _file_name(resp, url, ".html")
    run.record(_store(run, url, resp, body, name, dict(meta, in_manifest=not wrapper)))
    for link, text in info["attachments"]:
        if link not in run.done:
            run.done.add(link)
            _fetch_attachment(run, link, meta, text)


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} 不是文件夹", f"{out} is not a folder")
    out.mkdir(parents=True, exist_ok=True)


def fetch(source: str, out: str | Path, *, year: int | None = None, policy: Policy | None = None,
          max_pages: int = 50, lang: str = "zh",
          progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Fetch the reports of ``source`` (a CSV URL list or a listing page URL) into ``out``.

    Returns ``{"outcomes": [...], "manifest": Path, "log": Path, "interrupted": bool}``; raises
    :class:`ConfigError` for a usage error (no such file, no ``url`` column, a non-http SOURCE).
    """
    out = Path(out)
    if is_url(source):
        try:
            check_scheme(source)
        except FetchError as e:
            raise ConfigError(e.zh, e.en) from None
    elif not Path(source).is_file():
        raise ConfigError(f"找不到网址列表 {source}（应为 CSV 文件或列表页网址）",
                          f"no such URL list {source} (give a CSV file or a listing page URL)")
    _prepare(out)
    state = S.load_state(out)
    interrupted = False
    with Client(policy) as client:
        run = _Run(client, out, state)
        try:
            targets, failures = (crawl_listing(client, source, year, max_pages) if is_url(source)
                                 else read_url_list(source))
            for f in failures:
                run.record(f)
            for i, target in enumerate(targets):
                if progress:
                    progress(i, len(targets), target["url"])
                fetch_target(run, target)
                S.save_state(out, run.state)
            if progress:
                progress(len(targets), len(targets), "")
        except KeyboardInterrupt:
            interrupted = True
        finally:
            S.save_state(out, run.state)
            manifest = S.write_manifest(out, run.state)
            log = S.write_log(out, run.outcomes, lang)
    return {"outcomes": run.outcomes, "manifest": manifest, "log": log, "interrupted": interrupted,
            "requests": client.requests}
