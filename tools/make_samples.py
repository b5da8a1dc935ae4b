"""Write the generated PDF and HTML sample reports into ``samples/``.

    python tools/make_samples.py            # (re)write samples/1xx_*.pdf and *.html

Each sample is drawn from a known document with realistic, mostly consistent numbers
(a fixed random seed, so the files are the same every run) by the same generators the
reader tests use (``tests/corpus``).  One sample carries deliberate defects so that
``auditor audit samples`` shows findings on PDFs and web pages too.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.templates import REQUEST_COLUMNS, request_rows  # noqa: E402
from tests.corpus import document as d  # noqa: E402
from tests.corpus.htmlgen import HtmlStyle, render_html  # noqa: E402
from tests.corpus.pdfgen import Style, render_pdf  # noqa: E402

BOOK = ("new_received", "carried_over", "total_processed", "carried_forward")


def consistent_tables(template: str, seed: int) -> dict:
    """Tables whose arithmetic holds: row totals, results total and the balance."""
    rnd = random.Random(seed)
    tables = d.distinct_tables(template)
    for row in tables["proactive"].values():
        for col in row:
            row[col] = round(rnd.uniform(1, 400), 2) if isinstance(row[col], float) else rnd.randint(0, 60)
    rq = tables["requests"]
    applicants = REQUEST_COLUMNS[:6]
    results = [r.key for r in request_rows(template) if r.result]
    for key in results:
        for col in applicants:
            busy = key in ("granted", "partially_granted", "unable_not_held") and col in ("natural_person", "commercial")
            rq[key][col] = rnd.randint(1, 30) if busy else (rnd.randint(0, 2) if rnd.random() < 0.15 else 0)
    if "other_fee_unpaid" in rq:                 # section 六 of the samples states no fee notices
        rq["other_fee_unpaid"] = dict.fromkeys(rq["other_fee_unpaid"], 0)
    for col in applicants:
        rq["total_processed"][col] = sum(rq[k][col] for k in results)
        rq["carried_over"][col] = rnd.randint(0, 2) if col == "natural_person" else 0
        rq["carried_forward"][col] = rnd.randint(0, 3) if col == "natural_person" else 0
        rq["new_received"][col] = (rq["total_processed"][col] + rq["carried_forward"][col]
                                   - rq["carried_over"][col])
        if rq["new_received"][col] < 0:
            rq["carried_over"][col] += -rq["new_received"][col]
            rq["new_received"][col] = 0
    for row in rq.values():
        row["total"] = sum(row[c] for c in applicants)
    for group in tables["review_litigation"].values():
        parts = ("upheld", "corrected", "other", "pending")
        for c in parts:
            group[c] = rnd.choice((0, 0, 0, 1, 2))
        group["total"] = sum(group[c] for c in parts)
    return tables


def sample_report(template: str, year: int, agency: str, seed: int, defects: bool = False,
                  blank: bool = True) -> d.Report:
    report = d.make_report(template, year=year, agency=agency)
    report.tables = consistent_tables(template, seed)
    if defects:                                   # a row total off by one and a blank cell
        report.tables["requests"]["granted"]["total"] += 1
        if blank:                                 # (a blank is only visible where cells are ruled)
            report.tables["requests"]["denied_third_party"]["research"] = None
    for block in report.blocks:
        if block.table is None:
            continue
        if block.table.key == "proactive":
            block.table = d.proactive_table(report.tables, template)
        elif block.table.key == "requests":
            block.table = d.requests_table(report.tables, template)
        else:
            block.table = d.review_table(report.tables)
    return report


SAMPLES = [
    ("101_ruled-table-2023.pdf",
     lambda: render_pdf(sample_report("2021", 2023, "某某市交通运输局", 1), Style(furniture="dash"))),
    ("102_plain-text-tables-2020.pdf",
     lambda: render_pdf(sample_report("2019", 2020, "某某县自然资源局", 2, defects=True, blank=False),
                        Style(ruled=False, furniture="cn"))),
    ("103_cms-page-gb2312-2022.html",
     lambda: render_html(sample_report("2021", 2022, "某某区卫生健康委员会", 3),
                         HtmlStyle(encoding="gb2312", split_numbers=True, br_labels=True, nbsp=True,
                                   pubdate="meta", date="2023-01-18"))),
    ("104_cms-page-late-2023.html",
     lambda: render_html(sample_report("2021", 2023, "某某县人民政府", 4, defects=True),
                         HtmlStyle(pubdate="text", date="2024-04-15"))),
]


def main() -> None:
    out = ROOT / "samples"
    out.mkdir(exist_ok=True)
    for name, make in SAMPLES:
        data = make()
        (out / name).write_bytes(data)
        print(f"samples/{name}  {len(data):,} bytes")


if __name__ == "__main__":
    main()
