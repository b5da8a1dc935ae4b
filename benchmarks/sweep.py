#!/usr/bin/env python3
"""Sweep benchmark: N generated reports, a first sweep with J workers and a store, then a rerun.

    python benchmarks/sweep.py                 # 1,000 reports, 2 workers
    python benchmarks/sweep.py -n 200 -j 4 --formats text,html

Prints the figures (files/s, first run, rerun, speed-up, a rerun after a configuration
change that reuses the extraction cache).  The progress bar shows when stderr is a terminal.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor import settings as C  # noqa: E402
from auditor.sweep.store import counts, open_store  # noqa: E402
from auditor.sweep.run import sweep  # noqa: E402
from tools.make_corpus import make_corpus  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=1000)
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--formats", default="text,markdown,html,pdf")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temporary folder")
    args = p.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="auditor-bench-"))
    corpus, db = work / "corpus", work / "results.db"
    if db.exists():
        db.unlink()
    formats = tuple(args.formats.split(","))
    made, t_gen = timed(lambda: make_corpus(corpus, args.n, args.seed, formats))
    print(f"generated {len(made['files'])} reports ({', '.join(formats)}) in {t_gen:.1f} s → {corpus}")
    cfg, host = C.load(None, cwd=str(work))
    manifest = corpus / "manifest.csv"

    def run(config=cfg, plugin_host=host):
        return sweep([corpus], config, plugin_host, jobs=args.jobs, db=str(db), manifest=str(manifest))

    first, t1 = timed(run)
    second, t2 = timed(run)
    cfg2, host2 = C.load(None, cwd=str(work), ignore=["N503"])
    third, t3 = timed(lambda: run(cfg2, host2))
    errors = sum(1 for r in first["results"] if r.get("error"))
    x601 = sum(1 for r in first["results"] for f in r.get("findings", ()) if f["code"] == "X601")
    print(f"first sweep:   {t1:7.2f} s  {args.n / t1:7.1f} files/s  ({args.jobs} workers; "
          f"{errors} not audited, {x601} X601 findings)")
    print(f"rerun:         {t2:7.2f} s  reused {second['stats']['reused']}/{args.n}  "
          f"speed-up {t1 / t2:.0f}×")
    print(f"config change: {t3:7.2f} s  extraction cache only (rules rerun)  speed-up {t1 / t3:.1f}×")
    print(f"identical results on rerun: {second['results'] == first['results']}")
    print(f"store: {counts(open_store(db))}  ({db.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
