#!/usr/bin/env python3
"""Generate a corpus of annual reports to exercise and benchmark sweeps.

    python tools/make_corpus.py OUT_DIR -n 1000 --seed 7 --formats text,markdown,html,pdf

Writes N reports of multi-year agencies (each agency reports for consecutive
years, so the cross-year rules have chains to check) across the formats, and a
``manifest.csv`` (path, agency, year, publish_date, level, url, region) beside
them, plus ``.defects.json`` (hidden, so a sweep of the folder skips it) saying which defect was injected where.  The same
seed gives byte-identical files.

Tables are consistent (every 勾稽关系 holds, carry-over and in-force chains
hold) except where a defect is injected:

- ``balance``: one table 三 total is off by one (A201/A202);
- ``carry_break``: 上年结转 does not match last year's 结转下年度 (X601);
- ``in_force_jump``: 现行有效件数 does not follow last year's (X602);
- ``late``: published after the deadline (D404, through the manifest);
- ``no_period``: no statistics period (D401);
- ``blank_cells``: zero cells written as ``/`` (A206).

HTML and PDF reuse the test generators in ``tests/corpus/`` (PDF needs reportlab,
a test dependency); without them those formats fall back to text.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from auditor.templates import (PROACTIVE_COLUMN_LABELS, PROACTIVE_ROWS, REQUEST_COLUMNS,  # noqa: E402
                               REVIEW_COLUMNS, REVIEW_GROUPS, request_rows)

REGIONS = ["临江县", "青山区", "白水县", "云岭市", "东湖区", "石门县", "北川县", "南溪区", "安平县", "永和县",
           "金沙县", "长乐区", "清河县", "凤城市", "平阳县", "龙泉市", "宁远县", "西林区", "丰宁县", "汉阴县"]
BUREAUS = ["商务局", "教育局", "财政局", "民政局", "卫生健康委员会", "自然资源局", "生态环境局", "交通运输局",
           "住房和城乡建设局", "农业农村局", "文化和旅游局", "应急管理局", "市场监督管理局", "统计局", "医疗保障局",
           "水利局", "司法局", "人力资源和社会保障局", "审计局", "林业局"]
TOWNS = ["城关镇", "新华街道办事处", "河口乡"]
DEFECTS = ("balance", "carry_break", "in_force_jump", "late", "no_period", "blank_cells")
FORMATS = ("text", "markdown", "html", "pdf")


# -- the numbers -------------------------------------------------------------------

def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def requests_table(template: str, carried_over: dict, rng: random.Random) -> dict:
    """Table 三 with every identity holding, starting from last year's carry-forward."""
    rows = [r.key for r in request_rows(template)]
    result_rows = [k for k in rows if k not in ("new_received", "carried_over", "total_processed",
                                                 "carried_forward")]
    table = {k: {} for k in rows}
    for col in REQUEST_COLUMNS[:-1]:
        new = rng.choice([0, 0, 1, 2, 3, 5, 8, 13]) if col != "natural_person" else rng.randint(0, 40)
        before = carried_over.get(col, 0)
        forward = rng.randint(0, min(2, new + before))
        handled = new + before - forward
        spread = [0] * len(result_rows)
        weights = _split(handled, 3, rng)
        third = rng.choice([i for i, k in enumerate(result_rows) if i > 1 and k != "other_fee_unpaid"])
        for i, n in zip((0, 1, third), weights):
            spread[i] += n
        for k, n in zip(result_rows, spread):
            table[k][col] = n
        table["new_received"][col], table["carried_over"][col] = new, before
        table["total_processed"][col], table["carried_forward"][col] = handled, forward
    for k in rows:
        table[k]["total"] = sum(table[k][c] for c in REQUEST_COLUMNS[:-1])
    return table


def proactive_table(template: str, in_force: dict, rng: random.Random) -> dict:
    out = {}
    for row in PROACTIVE_ROWS[template]:
        vals = {}
        for col in row.columns:
            vals[col] = round(rng.uniform(0, 500), 2) if col in row.money else rng.randint(0, 60)
        if "in_force" in vals:
            issued, repealed = rng.randint(0, 20), 0
            before = in_force.get(row.key, rng.randint(10, 200))
            repealed = rng.randint(0, min(5, before))
            vals.update(issued=issued, repealed=repealed, in_force=before + issued - repealed)
        out[row.key] = vals
    return out


def review_table(rng: random.Random) -> dict:
    out = {}
    for g in REVIEW_GROUPS:
        parts = [rng.choice([0, 0, 0, 1, 2]) for _ in REVIEW_COLUMNS[:-1]]
        out[g] = dict(zip(REVIEW_COLUMNS, parts + [sum(parts)]))
    return out


# -- rendering -----------------------------------------------------------------------

def _fmt(v, blank: bool) -> str:
    if v is None or (blank and v == 0):
        return "/"        # a placeholder: copied text loses truly empty cells
    return f"{v:g}" if isinstance(v, float) else str(v)


def text_report(agency: str, year: int, template: str, tables: dict, *, period: bool = True,
                blank: bool = False, markdown: bool = False) -> str:
    """The report as copied text (tab-separated tables) or Markdown (pipe tables)."""
    def row(cells):
        return ("| " + " | ".join(cells) + " |") if markdown else "\t".join(cells)

    def head(text):
        return f"## {text}" if markdown else text

    def table(header, rows):
        out = [row(header)]
        if markdown:
            out.append(row(["---"] * len(header)))
        return out + [row(r) for r in rows]

    req = tables["requests"]
    handled, received = req["total_processed"]["total"], req["new_received"]["total"]
    out = [("# " if markdown else "") + f"{agency}{year}年政府信息公开工作年度报告", ""]
    if period:
        out.append(f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。")
    out += [head("一、总体情况"),
            f"（一）主动公开。{year}年，{agency}通过门户网站主动公开政府信息。（二）依申请公开。"
            f"全年共收到政府信息公开申请{received}件，办结{handled}件。（三）政府信息管理。"
            "（四）政府信息公开平台建设。（五）监督保障。",
            head("二、主动公开政府信息情况")]
    previous = None
    rows: list = []
    for prow in PROACTIVE_ROWS[template]:
        if prow.columns != previous:
            if rows:
                out += table(hdr, rows)
            hdr, rows, previous = ["信息内容"] + [PROACTIVE_COLUMN_LABELS[c] for c in prow.columns], [], prow.columns
        rows.append([prow.label] + [_fmt(tables["proactive"][prow.key][c], blank) for c in prow.columns])
    out += table(hdr, rows)
    out += [head("三、收到和处理政府信息公开申请情况"),
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    out += table(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
                 [[r.label] + [_fmt(req[r.key][c], blank) for c in REQUEST_COLUMNS] for r in request_rows(template)])
    out += [head("四、政府信息公开行政复议、行政诉讼情况"), row(["行政复议", "行政诉讼"]),
            row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3),
            row([_fmt(tables["review_litigation"][g][c], blank) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]),
            head("五、存在的主要问题及改进情况"),
            "一是政策解读形式较为单一；二是公开内容的及时性有待提高。针对上年度报告指出的问题，本年度已逐项整改到位。",
            head("六、其他需要报告的事项"),
            "本年度未发出收费通知，未收取信息处理费。" if template == "2021" else "无其他需要报告的事项。"]
    return "\n".join(out) + "\n"


def _corpus_report(agency: str, year: int, template: str, tables: dict):
    """A ``tests/corpus`` Report with our tables (for the HTML and PDF generators), or None."""
    try:
        from tests.corpus import document as D
    except ImportError:
        return None
    rep = D.make_report(template, year, agency)
    builders = {"proactive": D.proactive_table, "requests": D.requests_table}
    for block in rep.blocks:
        if block.kind == "table" and block.table is not None:
            key = block.table.key
            block.table = builders[key](tables, template) if key in builders else D.review_table(tables)
    rep.tables = tables
    return rep


def render(fmt: str, agency: str, year: int, template: str, tables: dict, published: str,
           defect: str | None) -> tuple[str, bytes]:
    """(suffix, bytes) of one report in ``fmt`` (falling back to text when a generator is missing)."""
    plain = defect in ("no_period", "blank_cells")
    if fmt in ("html", "pdf") and not plain:
        rep = _corpus_report(agency, year, template, tables)
        try:
            if rep is not None and fmt == "html":
                from tests.corpus.htmlgen import HtmlStyle, render_html
                return ".html", render_html(rep, HtmlStyle(date=published))
            if rep is not None and fmt == "pdf":
                from tests.corpus.pdfgen import render_pdf
                return ".pdf", render_pdf(rep)
        except ImportError:
            pass
    text = text_report(agency, year, template, tables, period=defect != "no_period",
                       blank=defect == "blank_cells", markdown=fmt == "markdown")
    return (".md" if fmt == "markdown" else ".txt"), text.encode("utf-8")


# -- the corpus ----------------------------------------------------------------------

def agencies(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, level, region) for ``count`` distinct agencies."""
    out, seen = [], set()
    while len(out) < count:
        region = rng.choice(REGIONS)
        kind = rng.random()
        if kind < 0.15:
            name, level = f"{region}人民政府", "government"
        elif kind < 0.22:
            name, level = f"{region}{rng.choice(TOWNS)}", "township"
        else:
            name, level = f"{region}{rng.choice(BUREAUS)}", "department"
        if name not in seen:
            seen.add(name)
            out.append((name, level, region))
    return out


def publish_date(year: int, level: str, late: bool, rng: random.Random) -> str:
    deadline = dt.date(year + 1, 1, 31) if level == "department" else dt.date(year + 1, 3, 31)
    day = deadline + dt.timedelta(days=rng.randint(3, 40)) if late else \
        deadline - dt.timedelta(days=rng.randint(0, 25))
    return day.isoformat()


def make_corpus(out: Path, n: int, seed: int = 1, formats: tuple[str, ...] = ("text", "markdown", "html"),
                years: tuple[int, int] = (2021, 2023), defect_rate: float = 0.2) -> dict:
    """Write the corpus; returns ``{"files": [...], "defects": {path: defect}}``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    span = list(range(years[0], years[1] + 1))
    names = agencies((n + len(span) - 1) // len(span), rng)
    rows, defects, files = [], {}, []
    count = 0
    for a_index, (agency, level, region) in enumerate(names):
        carried, in_force = {}, {}
        for year in span:
            if count >= n:
                break
            template = "2021" if year >= 2021 else "2019"
            defect = rng.choice(DEFECTS) if rng.random() < defect_rate else None
            if defect in ("carry_break", "in_force_jump") and year == span[0]:
                defect = None
            tables = {"proactive": proactive_table(template, in_force, rng),
                      "requests": requests_table(template, carried, rng),
                      "review_litigation": review_table(rng)}
            carried = {c: v for c, v in tables["requests"]["carried_forward"].items()}
            in_force = {k: v["in_force"] for k, v in tables["proactive"].items() if "in_force" in v}
            _inject(tables, defect, rng)
            fmt = formats[count % len(formats)]
            published = publish_date(year, level, defect == "late", rng)
            suffix, data = render(fmt, agency, year, template, tables, published, defect)
            rel = f"{a_index:04d}-{year}{suffix}"
            (out / rel).write_bytes(data)
            files.append(rel)
            rows.append([rel, agency, year, published, level, f"http://example.invalid/{a_index}/{year}", region])
            if defect:
                defects[rel] = defect
            count += 1
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "agency", "year", "publish_date", "level", "url", "region"])
        w.writerows(rows)
    (out / ".defects.json").write_text(json.dumps(defects, ensure_ascii=False, indent=1, sort_keys=True),
                                      encoding="utf-8")
    return {"files": files, "defects": defects}


def _inject(tables: dict, defect: str | None, rng: random.Random) -> None:
    req = tables["requests"]
    if defect == "balance":
        req["total_processed"]["natural_person"] += 1
    elif defect == "carry_break":
        req["carried_over"]["natural_person"] += 2
        req["carried_over"]["total"] += 2
        req["new_received"]["natural_person"] = max(0, req["new_received"]["natural_person"] - 2)
        req["new_received"]["total"] = sum(req["new_received"][c] for c in REQUEST_COLUMNS[:-1])
    elif defect == "in_force_jump" and "normative_docs" in tables["proactive"]:
        tables["proactive"]["normative_docs"]["in_force"] += rng.randint(5, 30)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate a corpus of annual reports (see the module docstring).")
    p.add_argument("out", help="output folder")
    p.add_argument("-n", type=int, default=100, help="number of reports (default 100)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--formats", default="text,markdown,html",
                   help=f"comma-separated, from {','.join(FORMATS)} (default text,markdown,html)")
    p.add_argument("--years", default="2021-2023", help="first-last report year (default 2021-2023)")
    p.add_argument("--defect-rate", type=float, default=0.2)
    args = p.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        p.error(f"unknown format(s) {bad}; choose from {', '.join(FORMATS)}")
    first, _, last = args.years.partition("-")
    result = make_corpus(Path(args.out), args.n, args.seed, formats, (int(first), int(last or first)),
                         args.defect_rate)
    print(f"wrote {len(result['files'])} reports ({len(result['defects'])} with a defect) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
