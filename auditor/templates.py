"""Everything the tool knows about the national report templates, in one place.

The parser reads labels and keywords from here, the JSON Schemas in
``schemas/`` are generated from here (``python -m auditor.templates``), and
rules use the row/column keys.  Nothing else in the code base spells out a
template label.

Keys follow ``docs/document-model.md``.  Keywords are matched against
*normalised* text (see :mod:`auditor.normalize`): full-width punctuation is
folded to ASCII, spaces inside Chinese text are removed, traditional
characters are folded to simplified ones.
"""
from __future__ import annotations

import re

import json
from dataclasses import dataclass

TEMPLATES = ("2019", "2021")

# Default mapping from report year to template (configurable, see config.py).
DEFAULT_YEAR_TEMPLATES = [
    {"template": "2019", "from": 2019, "to": 2020},
    {"template": "2021", "from": 2021, "to": None},
]
YEAR_RANGE_RE = re.compile(r"^(\d{4})(?:-(\d{4})?)?$")
DEFAULT_YEAR_MAPPING = {f"{e['from']}-{e['to'] or ''}": e["template"] for e in DEFAULT_YEAR_TEMPLATES}


def template_for_year(mapping: dict | None, year: int | None) -> str | None:
    """The template a year → template mapping assigns to ``year``: the one place this is decided.

    ``mapping`` has the configuration's form, ``{"2019-2020": "2019", "2021-": "2021"}`` (a single
    year, a closed range or an open one); the range starting latest wins, then the narrower one.
    """
    if year is None:
        return None
    best = None
    for key, template in (DEFAULT_YEAR_MAPPING if mapping is None else mapping).items():
        m = YEAR_RANGE_RE.match(str(key))
        if not m:
            continue
        start = int(m.group(1))
        end = start if "-" not in str(key) else (int(m.group(2)) if m.group(2) else None)
        if start <= year and (end is None or year <= end):
            rank = (start, -(end if end is not None else 10**6))
            if best is None or rank >= best[0]:
                best = (rank, str(template))
    return best[1] if best else None


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    key: str
    number: int
    heading: str  # canonical heading, without its number
    # Each entry is a tuple of keywords that must all occur in the heading.
    keywords: tuple[tuple[str, ...], ...]


SECTIONS = (
    Section("overall", 1, "总体情况", (("总体情况",), ("概述",), ("总体",))),
    Section("proactive", 2, "主动公开政府信息情况", (("主动公开",),)),
    Section("requests", 3, "收到和处理政府信息公开申请情况",
            (("收到", "申请"), ("处理", "申请"), ("依申请",))),
    Section("review_litigation", 4, "政府信息公开行政复议、行政诉讼情况",
            (("复议", "诉讼"),)),
    Section("problems", 5, "存在的主要问题及改进情况",
            (("问题", "改进"), ("问题", "整改"), ("问题", "措施"), ("不足", "改进"),
             ("不足", "措施"))),
    Section("other", 6, "其他需要报告的事项", (("其他", "事项"), ("其他需要报告",))),
)
# Headings as printed in real reports; an unnumbered line is
# a heading only when it is one of these.
SECTION_VARIANTS = {
    "overall": ("总体情况", "概述"),
    "proactive": ("主动公开政府信息情况",),
    "requests": ("收到和处理政府信息公开申请情况",),
    "review_litigation": ("政府信息公开行政复议、行政诉讼情况",
                          "因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    "problems": ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况",
                 "存在问题及改进情况", "存在的主要问题及改进措施", "存在的问题及改进措施"),
    "other": ("其他需要报告的事项", "其他事项"),
}
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
CHINESE_NUMERALS = "一二三四五六七八九十"

# --------------------------------------------------------------------------
# Table 三 (requests)
# --------------------------------------------------------------------------

REQUEST_COLUMNS = ("natural_person", "commercial", "research", "social_welfare",
                   "legal_service", "other", "total")
REQUEST_COLUMN_LABELS = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
    "social_welfare": "社会公益组织", "legal_service": "法律服务机构",
    "other": "其他", "total": "总计",
}
REQUEST_APPLICANT_COLUMNS = REQUEST_COLUMNS[:6]


@dataclass(frozen=True)
class Row:
    key: str
    label: str                       # exact template label
    keywords: tuple[str, ...]        # any of these identifies the row in normalised text
    group: str | None = None         # result group (（三）…（六）) for result rows
    result: bool = False             # counted in （七）总计


_REQUEST_ROWS_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    Row("granted", "（一）予以公开", ("予以公开",), result=True),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("部分公开",), result=True),
    Row("denied_state_secret", "1.属于国家秘密", ("国家秘密",), "denied", True),
    Row("denied_law_forbidden", "2.其他法律行政法规禁止公开", ("禁止公开",), "denied", True),
    Row("denied_three_safety", "3.危及“三安全一稳定”", ("三安全", "一稳定"), "denied", True),
    Row("denied_third_party", "4.保护第三方合法权益", ("第三方",), "denied", True),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", ("内部事务",), "denied", True),
    Row("denied_process_info", "6.属于四类过程性信息", ("过程性",), "denied", True),
    Row("denied_enforcement_file", "7.属于行政执法案卷", ("执法案卷",), "denied", True),
    Row("denied_admin_query", "8.属于行政查询事项", ("查询事项",), "denied", True),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", ("不掌握",), "unable", True),
    Row("unable_need_create", "2.没有现成信息需要另行制作", ("另行制作", "没有现成"), "unable", True),
    Row("unable_unclear", "3.补正后申请内容仍不明确", ("不明确",), "unable", True),
    Row("not_processed_petition", "1.信访举报投诉类申请", ("信访", "举报投诉"), "not_processed", True),
    Row("not_processed_repeat", "2.重复申请", ("重复申请",), "not_processed", True),
    Row("not_processed_publication", "3.要求提供公开出版物", ("出版物",), "not_processed", True),
    Row("not_processed_massive", "4.无正当理由大量反复申请", ("大量反复",), "not_processed", True),
    Row("not_processed_confirm", "5.要求行政机关确认或重新出具已获取信息",
        ("重新出具", "确认或"), "not_processed", True),
)
_REQUEST_ROWS_TAIL = (
    Row("total_processed", "（七）总计", ("总计",)),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度", "下年度继续")),
)
REQUEST_GROUP_LABELS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理",
                        "other": "（六）其他处理"}
REQUEST_ROWS = {
    "2021": _REQUEST_ROWS_HEAD + (
        Row("other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ("逾期不补正",), "other", True),
        Row("other_fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ("收费通知", "缴纳费用"), "other", True),
        Row("other_other", "3.其他", ("其他",), "other", True),
    ) + _REQUEST_ROWS_TAIL,
    "2019": _REQUEST_ROWS_HEAD + (
        Row("other", "（六）其他处理", ("其他处理",), "other", True),
    ) + _REQUEST_ROWS_TAIL,
}

# Rows real reports print in place of the template's own: a 2021 report giving （六）其他处理
# as one row without its three sub-rows (the 2019 row).  Its values go to a row of their own
# (the 2019 key), never to the first sub-row; the schema then reports the deviation (S104).
REQUEST_ROW_DEVIATIONS = {
    "2021": (Row("other", "（六）其他处理", ("其他处理",), "other", True),),
    "2019": (),
}

# --------------------------------------------------------------------------
# Table 四 (review_litigation)
# --------------------------------------------------------------------------

REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼（未经复议直接起诉）",
                       "litigation_after_review": "行政诉讼（复议后起诉）"}
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                        "pending": "尚未审结", "total": "总计"}

# --------------------------------------------------------------------------
# Table 二 (proactive)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProactiveRow:
    key: str
    label: str
    columns: tuple[str, ...]
    match: tuple[str, ...]            # the row label, normalised; matched at the start of a row
    exclude: tuple[str, ...] = ()     # labels that start with `match` but are another row
    money: tuple[str, ...] = ()       # columns holding amounts (float allowed)
    signed: tuple[str, ...] = ()      # columns that may be negative


PROACTIVE_ROWS = {
    "2021": (
        ProactiveRow("regulations", "规章", ("issued", "repealed", "in_force"), ("规章",)),
        ProactiveRow("normative_docs", "行政规范性文件", ("issued", "repealed", "in_force"),
                     ("行政规范性文件", "规范性文件")),
        ProactiveRow("licensing", "行政许可", ("decisions",), ("行政许可",)),
        ProactiveRow("punishment", "行政处罚", ("decisions",), ("行政处罚",)),
        ProactiveRow("enforcement", "行政强制", ("decisions",), ("行政强制",)),
        ProactiveRow("admin_fees", "行政事业性收费", ("amount_10k_yuan",), ("行政事业性收费",),
                     money=("amount_10k_yuan",)),
    ),
    "2019": (
        ProactiveRow("regulations", "规章", ("made", "published", "total_public"), ("规章",)),
        ProactiveRow("normative_docs", "规范性文件", ("made", "published", "total_public"),
                     ("规范性文件", "行政规范性文件")),
        ProactiveRow("licensing", "行政许可", ("previous_items", "change", "decisions"),
                     ("行政许可",), signed=("change",)),
        ProactiveRow("other_services", "其他对外管理服务事项",
                     ("previous_items", "change", "decisions"), ("其他对外管理服务事项", "其他对外管理"),
                     signed=("change",)),
        ProactiveRow("punishment", "行政处罚", ("previous_items", "change", "decisions"),
                     ("行政处罚",), signed=("change",)),
        ProactiveRow("enforcement", "行政强制", ("previous_items", "change", "decisions"),
                     ("行政强制",), signed=("change",)),
        ProactiveRow("admin_fees", "行政事业性收费", ("previous_items", "change"),
                     ("行政事业性收费",), signed=("change",)),
        ProactiveRow("procurement", "政府集中采购", ("items", "amount"), ("政府集中采购",),
                     money=("amount",)),
    ),
}
PROACTIVE_COLUMN_LABELS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "decisions": "本年处理决定数量", "amount_10k_yuan": "本年收费金额（单位：万元）",
    "made": "本年新制作数量", "published": "本年新公开数量", "total_public": "对外公开总数量",
    "previous_items": "上一年项目数量", "change": "本年增/减",
    "items": "采购项目数量", "amount": "采购总金额",
}

# --------------------------------------------------------------------------
# Template fingerprints (docs/document-model.md, "Template and year")
# --------------------------------------------------------------------------

FINGERPRINTS = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
             "本年收费金额(单位:万元)", "行政规范性文件", "逾期不补正", "逾期未按收费通知要求缴纳费用"),
}

# Table names as printed in reports, for messages.
TABLE_LABELS = {"proactive": "表二（主动公开政府信息情况）",
                "requests": "表三（收到和处理政府信息公开申请情况）",
                "review_litigation": "表四（行政复议、行政诉讼情况）"}
TABLE_LABELS_EN = {"proactive": "table 2 (proactive disclosure)",
                   "requests": "table 3 (requests received and handled)",
                   "review_litigation": "table 4 (administrative review and litigation)"}


def request_rows(template: str) -> tuple[Row, ...]:
    return REQUEST_ROWS[template]


def proactive_rows(template: str) -> tuple[ProactiveRow, ...]:
    return PROACTIVE_ROWS[template]


def row_label(table: str, row: str, template: str = "2021") -> str:
    """The printed label of a row, for messages."""
    if table == "requests":
        for r in REQUEST_ROWS.get(template, ()) + REQUEST_ROWS["2019"] + REQUEST_ROWS["2021"]:
            if r.key == row:
                return r.label
    if table == "proactive":
        for r in PROACTIVE_ROWS.get(template, ()) + PROACTIVE_ROWS["2019"] + PROACTIVE_ROWS["2021"]:
            if r.key == row:
                return r.label
    if table == "review_litigation":
        return REVIEW_GROUP_LABELS.get(row, row)
    return row


def column_label(table: str, column: str) -> str:
    if table == "requests":
        return REQUEST_COLUMN_LABELS.get(column, column)
    if table == "review_litigation":
        return REVIEW_COLUMN_LABELS.get(column, column)
    return PROACTIVE_COLUMN_LABELS.get(column, column)


# --------------------------------------------------------------------------
# JSON Schema generation
# --------------------------------------------------------------------------

_COUNT = {"type": ["integer", "null"], "minimum": 0}
_SIGNED = {"type": ["integer", "null"]}
_MONEY = {"type": ["number", "null"], "minimum": 0}


def _object(properties: dict, required: bool = True) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(properties)
    return out


def json_schema(template: str) -> dict:
    """The JSON Schema (2020-12) of a report document on ``template``."""
    proactive = _object({
        r.key: _object({c: (_MONEY if c in r.money else _SIGNED if c in r.signed else _COUNT)
                        for c in r.columns})
        for r in PROACTIVE_ROWS[template]
    })
    requests = _object({r.key: _object({c: _COUNT for c in REQUEST_COLUMNS})
                        for r in REQUEST_ROWS[template]})
    review = _object({g: _object({c: _COUNT for c in REVIEW_COLUMNS}) for g in REVIEW_GROUPS})
    section = {
        "type": "object",
        "required": ["number", "heading", "text", "line"],
        "properties": {
            "number": {"type": "integer", "minimum": 1, "maximum": 6},
            "heading": {"type": "string"},
            "text": {"type": "string"},
            "line": {"type": ["integer", "null"]},
            "page": {"type": ["integer", "null"]},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://disclosure-auditor.example/schemas/{template}.json",
        "title": f"政府信息公开工作年度报告 — {template} template (国办公开办函〔{template}〕"
                 f"{'60' if template == '2019' else '30'}号)",
        "type": "object",
        "required": ["schema_version", "source", "agency", "year", "template", "title",
                     "statistics_period", "sections", "tables", "cells", "notes"],
        "properties": {
            "schema_version": {"const": 1},
            "source": {
                "type": "object",
                "required": ["path", "format", "sha256"],
                "properties": {
                    "path": {"type": "string"},
                    # the reader's format: built-in ones (pdf, text, markdown, html, docx …) or a
                    # plugin reader's — any short lower-case name
                    "format": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "pages": {"type": ["integer", "null"], "minimum": 0},
                },
            },
            "agency": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"], "minimum": 1990, "maximum": 2100},
            "template": {"const": template},
            "title": {"type": ["string", "null"]},
            "statistics_period": {
                "oneOf": [
                    {"type": "null"},
                    {"type": "object", "required": ["start", "end", "text"],
                     "properties": {
                         "start": {"type": "string", "format": "date"},
                         "end": {"type": "string", "format": "date"},
                         "text": {"type": "string"},
                         "line": {"type": ["integer", "null"]},
                         "page": {"type": ["integer", "null"]},
                     }},
                ]
            },
            "sections": {
                # A missing section is S101's business, not the schema's.
                "type": "object",
                "properties": {s.key: section for s in SECTIONS},
                "additionalProperties": False,
            },
            # A missing table is S103's business; a table that is there must
            # have every row and column of the template (S104).
            "tables": _object({"proactive": proactive, "requests": requests,
                               "review_litigation": review}, required=False),
            "cells": {"type": "array", "items": {
                "type": "object", "required": ["table", "row", "column", "raw", "value"],
                "properties": {
                    "table": {"type": "string"}, "row": {"type": "string"},
                    "column": {"type": "string"}, "raw": {"type": "string"},
                    "value": {"type": ["number", "null"]},
                    "page": {"type": ["integer", "null"]}, "line": {"type": ["integer", "null"]},
                    "source": {"type": "object"},   # the cell's place in the source (Word table/row/column)
                }}},
            "notes": {"type": "array", "items": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
        },
    }


def main() -> None:  # pragma: no cover - used to regenerate schemas/
    import pathlib
    import sys
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")
    for t in TEMPLATES:
        (out / f"{t}.json").write_text(
            json.dumps(json_schema(t), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
