#!/usr/bin/env python3
"""Measure the parser and the rules on the issue-16 variant corpus (``tests/corpus/variants.py``).

    python tools/variant_corpus.py -n 40 --seed 1 [--formats text,html,...] [--show 5]

For every format: cells exact (against the generating tables), agency/year/period right,
recall of the injected defects and false alarms on the clean opportunities (per rule code).
Converters that are not installed (pandoc, html2text) are skipped.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(n: int, seed: int, formats: list[str], show: int = 0) -> dict:
    from tests.corpus.variants import evaluate, make_variant
    totals: dict[str, Counter] = {}
    for fmt in formats:
        t = totals.setdefault(fmt, Counter())
        for i in range(n):
            try:
                v = make_variant(seed * 100003 + i, fmt)
            except (FileNotFoundError, ImportError):
                break
            r = evaluate(v)
            t["reports"] += 1
            t["cells"] += r["cells"]
            t["wrong"] += len(r["wrong"])
            t["meta_ok"] += r["meta_ok"]
            t["injected"] += len(v.injected)
            t["caught"] += len(v.injected & r["codes"])
            t["clean"] += len(v.clean)
            t["false"] += len(v.clean & r["codes"])
            if show and (r["wrong"] or not r["meta_ok"] or v.injected - r["codes"] or v.clean & r["codes"]):
                show -= 1
                print(f"-- {fmt} seed {seed * 100003 + i}: {v.kinds}", file=sys.stderr)
                print(f"   wrong {r['wrong'][:4]} meta {r['meta']} missed {v.injected - r['codes']} "
                      f"false {v.clean & r['codes']}", file=sys.stderr)
    return totals


def main(argv=None) -> int:
    from tests.corpus.variants import FORMATS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--show", type=int, default=0, help="print this many failing variants")
    args = ap.parse_args(argv)
    totals = measure(args.n, args.seed, args.formats.split(","), args.show)
    print(f"{'format':20} {'reports':>7} {'cells':>8} {'meta':>7} {'recall':>12} {'false':>12}")
    for fmt, t in totals.items():
        if not t["reports"]:
            print(f"{fmt:20} skipped (converter not installed)")
            continue
        print(f"{fmt:20} {t['reports']:7} {1 - t['wrong'] / t['cells']:8.2%} {t['meta_ok'] / t['reports']:7.1%} "
              f"{t['caught']:>5}/{t['injected']:<5}  {t['false']:>5}/{t['clean']:<5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
