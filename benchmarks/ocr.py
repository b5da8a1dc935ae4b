"""OCR benchmark: seconds per page on one core, and the share of cells flagged uncertain.

Scans of the generated reports (both templates, the tests' mild damage: ≈1° rotation, noise,
blur) at 150 and 200 dpi, read as image-only PDFs through ``read_bytes``.  Each scan is read
``--repeat`` times; the minimum and the median per page are printed (other processes on the
machine add noise: compare minima, and the process's CPU seconds per page, which other
processes do not inflate as much).  Run pinned to one core for the one-core figure::

    taskset -c 0 python benchmarks/ocr.py [--repeat 3] [--dpi 150 200]

Needs the ``ocr`` extra and a CJK font for pdfium (``fonts-arphic-uming``).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def scan(template: str, dpi: int) -> tuple[object, bytes]:
    """(known report, image-only PDF of its damaged scan)."""
    from tests.corpus import scangen
    from tests.corpus.document import make_report
    from tests.corpus.pdfgen import Style, render_pdf
    report = make_report(template, start=11 if template == "2021" else 301)
    images = scangen.pages(render_pdf(report, Style()), dpi,
                           scangen.Damage(degrees=1.0 if template == "2021" else -1.0, noise=6, blur=0.6))
    return report, scangen.image_pdf(images, dpi)


def measure(template: str, dpi: int, repeat: int) -> dict:
    from auditor.parse import parse_layout
    from auditor.read import read_bytes
    from tests.read.helpers import table_diff, cell_count
    report, data = scan(template, dpi)
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        layout = read_bytes(data, f"scan-{template}-{dpi}.pdf")
        times.append((time.perf_counter() - t) / layout.pages)
        cpu.append((time.process_time() - c) / layout.pages)
    cells = cell_count(report.tables)
    flagged = sum(n["code"] == "ocr-uncertain" for n in layout.notes)
    return {"template": template, "dpi": dpi, "pages": layout.pages, "min": min(times),
            "median": statistics.median(times), "cpu": min(cpu), "cells": cells, "flagged": flagged,
            "wrong": len(table_diff(report.tables, parse_layout(layout)))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200])
    args = ap.parse_args(argv)
    from auditor.read.ocr_engine import recognise
    import numpy as np
    recognise([np.full((20, 40), 255, np.uint8)])          # load the model outside the timing
    print(f"{'scan':<14}{'pages':>6}{'s/page min':>12}{'median':>9}{'cpu s/page':>12}{'flagged':>9}"
          f"{'not exact':>11}")
    for dpi in args.dpi:
        for template in ("2021", "2019"):
            r = measure(template, dpi, args.repeat)
            print(f"{template} {dpi} dpi{'':<3}{r['pages']:>6}{r['min']:>12.2f}{r['median']:>9.2f}{r['cpu']:>12.2f}"
                  f"{r['flagged'] / r['cells']:>9.1%}{r['wrong']:>6} of {r['cells']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
