"""``auditor fetch SOURCE -o DIR``: collect a year's reports from a URL list or a 年报 column.

This module holds the command line only (``add_parser`` and ``main``) and imports nothing
heavy: the work is in :func:`auditor.fetch.run.fetch`, the HTTP client (httpx, the ``fetch``
extra) in :mod:`auditor.fetch.http`, page reading in :mod:`auditor.fetch.page`, the output
folder in :mod:`auditor.fetch.save`.  See docs/fetch.md.
"""
from __future__ import annotations

import argparse
import sys

from auditor.errors import ConfigError
from auditor.i18n import LANGS

EXIT_OK, EXIT_FAILED = 0, 1
MAX_LISTED = 30       # failures and republished files listed in the summary (all are in the log)

EPILOG = """\
退出状态 / exit status:
  0  每个网址都已保存或未变化 / every URL saved or unchanged
  1  有网址抓取失败（原因见摘要和 DIR/fetch-log.csv）/ some URL failed (see the summary and DIR/fetch-log.csv)
  2  用法错误 / usage error
"""


def _positive(kind, zero: bool = True):
    """An argparse type: a number of ``kind``, not negative (nor zero unless ``zero``)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}" if not zero
                                             else f"must not be negative: {text!r}")
        return value
    return parse


def add_parser(subparsers) -> None:
    """Register ``fetch`` on the ``auditor`` command's subparsers."""
    p = subparsers.add_parser(
        "fetch", help="从网址列表或年报栏目下载报告 / download reports from a URL list or a 年报 column",
        description="下载报告页面和附件（PDF/DOC/DOCX/WPS），写出 DIR/manifest.csv 供 auditor audit 使用。"
                    "Download report pages and attachments into DIR and write DIR/manifest.csv for "
                    "`auditor audit DIR --manifest DIR/manifest.csv`.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", metavar="SOURCE",
                   help="CSV 网址列表（url[,agency,year,level]）或年报栏目网址 / "
                        "a CSV URL list (url[,agency,year,level]) or the URL of a listing page")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="保存的文件夹 / output folder")
    p.add_argument("--year", type=int, metavar="YEAR",
                   help="只要这一年度的报告（栏目网址时）/ only reports of this year (listing pages)")
    p.add_argument("--delay", type=_positive(float), default=1.0, metavar="SECS",
                   help="同一网站两次请求的间隔（默认 1 秒）/ pause between requests to a site (default 1)")
    p.add_argument("--timeout", type=_positive(float, zero=False), default=30.0, metavar="SECS",
                   help="每个请求的时限（默认 30 秒）/ time limit per request (default 30)")
    p.add_argument("--retries", type=_positive(int), default=3, metavar="N",
                   help="5xx、超时、连接错误的重试次数（默认 3）/ retries on 5xx, timeouts, connection errors")
    p.add_argument("--backoff", type=_positive(float), default=1.0, metavar="SECS",
                   help="第一次重试前的等待，之后每次加倍（默认 1 秒）/ wait before the first retry, "
                        "doubled each time (default 1)")
    p.add_argument("--max-size", type=_positive(float, zero=False), default=100.0, metavar="MB",
                   help="单个文件的大小上限（默认 100 MB）/ size cap per file (default 100 MB)")
    p.add_argument("--max-pages", type=_positive(int, zero=False), default=50, metavar="N",
                   help="最多读取的列表页数（默认 50）/ listing pages read at most (default 50)")
    p.add_argument("--max-time", type=_positive(float, zero=False), metavar="SECS",
                   help="整个运行的时限 / time limit for the whole run")
    # SUPPRESS: an unset --lang here must not undo `auditor --lang en fetch …`
    p.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                   help="信息语言 / language of messages (default zh)")
    p.set_defaults(func=main)


def _progress(stream):
    """A one-line progress display on a terminal, nothing otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, url: str) -> None:
        stream.write(f"\r\x1b[K[{done}/{total}] {url[:100]}" + ("\n" if done == total else ""))
        stream.flush()
    return show


def summary_text(result: dict, lang: str) -> str:
    """Counts by outcome, then each failure with its reason and each republished file."""
    en = lang == "en"
    outcomes = result["outcomes"]
    count = {k: sum(o["outcome"] == k for o in outcomes) for k in ("saved", "republished", "unchanged", "failed")}
    lines = [(f"fetched: {count['saved']} saved, {count['republished']} republished, "
              f"{count['unchanged']} unchanged, {count['failed']} failed ({result['requests']} requests)") if en else
             (f"抓取：新保存 {count['saved']}，重新发布 {count['republished']}，未变化 {count['unchanged']}，"
              f"失败 {count['failed']}（共 {result['requests']} 个请求）")]
    for kind, title in (("failed", "failed:" if en else "失败："),
                        ("republished", "republished (same URL, new content):" if en else "重新发布（同一网址，内容已变）：")):
        chosen = [o for o in outcomes if o["outcome"] == kind]
        if chosen:
            lines.append(title)
            lines += [f"  {o['url']}  {(o['en'] if en else o['zh']) if kind == 'failed' else o['path']}"
                      for o in chosen[:MAX_LISTED]]
            if len(chosen) > MAX_LISTED:
                lines.append(f"  … {len(chosen) - MAX_LISTED} more in {result['log']}" if en
                             else f"  ……另有 {len(chosen) - MAX_LISTED} 个，见 {result['log']}")
    lines.append(f"manifest: {result['manifest']}  log: {result['log']}" if en
                 else f"清单：{result['manifest']}  日志：{result['log']}")
    return "\n".join(lines) + "\n"


def main(args) -> int:
    """Run ``auditor fetch`` for parsed ``args``; 0 when nothing failed, 1 otherwise."""
    lang = getattr(args, "lang", None) or "zh"
    try:
        from auditor.fetch.http import Policy
        from auditor.fetch.run import fetch
    except ImportError as e:
        raise ConfigError(f"auditor fetch 需要 httpx：pip install 'disclosure-auditor[fetch]'（{e}）",
                          f"auditor fetch needs httpx: pip install 'disclosure-auditor[fetch]' ({e})") from None
    import time
    policy = Policy(delay=args.delay, timeout=args.timeout, retries=args.retries, backoff=args.backoff,
                    max_size=int(args.max_size * 2**20),
                    deadline=time.monotonic() + args.max_time if args.max_time else None)
    result = fetch(args.source, args.output, year=args.year, policy=policy, max_pages=args.max_pages,
                   lang=lang, progress=_progress(sys.stderr))
    sys.stdout.write(summary_text(result, lang))
    if result["interrupted"]:
        print("auditor: interrupted; what was fetched is kept" if lang == "en"
              else "auditor: 已中断；已抓取的文件已保存", file=sys.stderr)
        return 130
    return EXIT_FAILED if any(o["outcome"] == "failed" for o in result["outcomes"]) else EXIT_OK
