"""Parse: :class:`auditor.layout.Layout` → the report document (``docs/document-model.md``).

The steps, each in its own module:

1. :mod:`.sections` finds the six headings and cuts the report into sections;
2. :mod:`.meta` finds title, agency, year, statistics period and template;
3. :mod:`.tokens` turns the lines of a table's section into label text and values;
4. :mod:`.tables` matches them to the template's rows and columns.

The same parser serves every format: readers differ only in how they build
the layout.
"""
from __future__ import annotations

from auditor.errors import NotAReport, TooLarge
from auditor.layout import Layout, Line
from auditor.normalize import compact
from auditor.parse.meta import (agency_and_year, detect_template, find_fingerprints, find_period,
                                find_title, table_templates)
from auditor.parse.sections import find_headings, section_entries, section_spans
from auditor.parse.tables import read_proactive, read_requests, read_review
from auditor.parse.tokens import tokens_of, value_groups
from auditor.read import read

SCHEMA_VERSION = 1
# A report is a few hundred lines, a long one with appendices a few thousand; a layout of more is
# no report, and parsing 200,000 lines would take seconds a file for nothing.
MAX_LINES = 50_000


def _region(lines: list[Line], spans: dict, key: str, first_word: str | None = None,
            last_word: str | None = None) -> list[Line]:
    """The lines of a section; without its heading, the lines from a marker word to another
    marker word (inclusive) or to the next section heading."""
    if key in spans:
        start, end = spans[key]
        return lines[start:end]
    if first_word is None:
        return []
    start = next((i for i, l in enumerate(lines) if first_word in compact(l.text)), None)
    if start is None:
        return []
    if last_word:
        end = next((i + 1 for i in range(start, len(lines)) if last_word in compact(lines[i].text)),
                   len(lines))
    else:
        end = min([s for s, _ in spans.values() if s - 1 > start] + [len(lines) + 1]) - 1
    return lines[start:end]


def _is_report(title: str | None, headings: list, tables: dict) -> bool:
    titled = bool(title) and "政府信息公开" in compact(title)
    return (titled and (len(headings) >= 2 or bool(tables))) or len(headings) >= 4 or len(tables) >= 2


def parse_layout(layout: Layout) -> dict:
    """Build the report document; raises :class:`NotAReport` when it is not an annual report,
    :class:`TooLarge` for more than :data:`MAX_LINES` lines."""
    if len(layout.lines) > MAX_LINES:
        raise TooLarge(f"文件有 {len(layout.lines)} 行文字，超过上限 {MAX_LINES} 行：年度报告通常只有几百行，"
                       "这不像一份年度报告",
                       f"the file holds {len(layout.lines)} lines of text, more than the limit of "
                       f"{MAX_LINES}: a report has a few hundred, so this is not a report")
    lines = [line for line in layout.lines if line.text.strip()]
    headings, notes = find_headings(lines)
    spans = section_spans(headings, len(lines))
    title, _ = find_title(lines, headings[0].index if headings else None)
    agency, year = agency_and_year(title)
    period = find_period(lines)
    if year is None and period:
        year = int(period["start"][:4])

    regions = {
        "proactive": _region(lines, spans, "proactive", "第二十条", "行政事业性收费"),
        "requests": _region(lines, spans, "requests", "本年新收", "结转下年度"),
        "review_litigation": _region(lines, spans, "review_litigation", "复议"),
    }
    fingerprints = find_fingerprints(regions["proactive"] + regions["requests"] or lines)
    if regions["proactive"] or regions["requests"]:
        template, proactive_t, requests_t = table_templates(regions["proactive"], regions["requests"], year)
    else:
        template = proactive_t = requests_t = detect_template(fingerprints, year)

    builders = [
        read_proactive(value_groups(tokens_of(regions["proactive"])), proactive_t),
        read_requests(value_groups(tokens_of(regions["requests"])), requests_t),
        read_review(value_groups(tokens_of(regions["review_litigation"]))),
    ]
    tables = {b.table: b.rows for b in builders if b.rows}
    if not _is_report(title, headings, tables):
        raise NotAReport(
            "不是政府信息公开工作年度报告：找不到报告标题、章节标题或统计表",
            "not a disclosure annual report: no report title, section headings or tables were found")

    return {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": layout.path, "format": layout.format, "sha256": layout.sha256,
                   "pages": layout.pages, **({"published": layout.published} if layout.published else {})},
        "agency": agency,
        "year": year,
        "template": template,
        "title": title,
        "statistics_period": period,
        "sections": section_entries(lines, headings),
        "tables": tables,
        "cells": [c for b in builders for c in b.cells],
        "notes": layout.notes + notes + [n for b in builders for n in b.notes],
        "template_fingerprints": fingerprints,
    }


def parse_file(path) -> dict:
    """Read and parse one file (raises :class:`auditor.errors.InputError` with a user message)."""
    return parse_layout(read(path))
