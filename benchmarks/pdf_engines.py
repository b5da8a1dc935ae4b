#!/usr/bin/env python
"""The two PDF engines side by side: milliseconds per page, and the ratio to ``pdftotext``.

    python benchmarks/pdf_engines.py                  # 16 generated reports + a 60-page one, 5 rounds,
                                                      # then the real PDFs of ../shared/real if present
    python benchmarks/pdf_engines.py --files 8 --rounds 3 --no-big
    python benchmarks/pdf_engines.py --dir ../shared/real/files   # real PDFs instead
    python benchmarks/pdf_engines.py --sweep 200      # also: cold sweeps of 200 report PDFs

Each round reads every file once with each engine (``read_bytes`` with ``engines={"pdf": …}``:
the whole reader, layout included, not the parser), each engine in a process of its own after
a first pass (as in a sweep's workers), the two engines in turn and their order swapped every
round (A/B, B/A); ``pdftotext`` (poppler-utils, only here, as an external command, when
installed) runs on the same files in the same rounds.  Printed: the
median over rounds of each engine's milliseconds per page, wall and CPU time (the CPU time of
pdftotext's processes), pdfminer ÷ PDFium, and each engine ÷ pdftotext (the practical floor;
it pays a process start per file).  Also printed: how many
files the two engines read differently (should be 0) and how many pages the PDFium engine
handed to pdfminer (see :mod:`auditor.read.pdfium`; it depends on the document and, for fonts
that are not embedded, on the machine's fonts).

``--sweep N`` adds the cold sweep row: ``auditor audit DIR -j 2`` (no store, so nothing is
cached) over N generated report PDFs with each engine, interleaved, and ``pdftotext`` over the
same files; printed are the medians of wall and CPU time (the CPU time of the command's process
tree) and the ratios.  Prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENGINES = ("pdfium", "pdfminer")


def corpus(folder: Path, n: int, big: bool) -> list[Path]:
    """``n`` distinct generated report PDFs (and a 60-page one) written into ``folder``."""
    from benchmarks.corpus import big_pdf, pdf_report
    files = []
    for i in range(n):
        p = folder / f"report-{i:03d}.pdf"
        p.write_bytes(pdf_report(i))
        files.append(p)
    if big:
        p = folder / "big-60p.pdf"
        p.write_bytes(big_pdf(60))
        files.append(p)
    return files


def _read(data: bytes, path: str, engine: str):
    from auditor.errors import InputError
    from auditor.read import read_bytes
    try:
        return read_bytes(data, path, engines={"pdf": engine})
    except InputError as e:
        return e


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_engine(blobs: list[tuple[str, bytes]], engine: str) -> tuple[float, float]:
    """(wall, CPU) seconds to read every file with ``engine``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for path, data in blobs:
        _read(data, path, engine)
    return time.perf_counter() - wall, time.process_time() - cpu


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from benchmarks.pdf_engines import _time_engine
blobs = [(p, open(p, "rb").read()) for p in sys.argv[3:]]
_time_engine(blobs, sys.argv[2])                  # warm: imports, first documents
print(json.dumps(_time_engine(blobs, sys.argv[2])))
"""


def _time_engine_alone(files: list[Path], engine: str) -> tuple[float, float]:
    """(wall, CPU) seconds to read every file with ``engine`` in a process of its own, after a
    first pass: as a sweep's worker reads, one engine per process (pdfminer's heap left in the
    same process measurably slows PDFium's reading)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), engine, *map(str, files)],
                          capture_output=True, text=True, check=True)
    wall, cpu = json.loads(done.stdout)
    return wall, cpu


def _time_pdftotext(files: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``pdftotext`` on every file, one process each."""
    wall, cpu = time.perf_counter(), _children_cpu()
    for f in files:
        subprocess.run(["pdftotext", "-q", str(f), "-"], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - wall, _children_cpu() - cpu


def _canonical(result) -> str:
    if isinstance(result, Exception):
        return type(result).__name__
    result.meta.pop("engine", None)
    result.meta.pop("extractor", None)
    result.meta.pop("pages_read_by_pdfminer", None)     # the PDFium engine's own note
    return json.dumps(asdict(result), ensure_ascii=False, sort_keys=True)


def run(files: list[Path], rounds: int) -> dict:
    blobs = [(str(f), f.read_bytes()) for f in files]
    first = {e: [_read(d, p, e) for p, d in blobs] for e in ENGINES}     # warm-up, and sameness
    pages = sum(r.pages or 0 for r in first["pdfminer"] if not isinstance(r, Exception))
    handed = sum(len(r.meta.get("pages_read_by_pdfminer", ())) for r in first["pdfium"]
                 if not isinstance(r, Exception))
    differ = [p for (p, _), a, b in zip(blobs, first["pdfium"], first["pdfminer"])
              if _canonical(a) != _canonical(b)]
    poppler = shutil.which("pdftotext") is not None
    times: dict[str, list[tuple[float, float]]] = {e: [] for e in ENGINES + (("pdftotext",) if poppler else ())}
    for k in range(rounds):
        order = ENGINES if k % 2 == 0 else ENGINES[::-1]
        for engine in order:
            times[engine].append(_time_engine_alone(files, engine))
        if poppler:
            times["pdftotext"].append(_time_pdftotext(files))
    per_page = {kind: {name: 1000 * statistics.median(t[k] for t in ts) / max(pages, 1)
                       for name, ts in times.items()} for k, kind in enumerate(("wall", "cpu"))}
    return {"files": len(files), "pages": pages, "rounds": rounds, "ms_per_page": per_page,
            "differ": differ, "handed": handed}


def _time_sweep(folder: Path, engine: str) -> tuple[float, float]:
    """(wall, CPU) seconds of a cold ``auditor audit FOLDER -j 2`` with ``engine``."""
    cmd = [sys.executable, "-m", "auditor", "audit", str(folder), "-j", "2", "--pdf-engine", engine,
           "--format", "json", "-o", os.devnull]
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    return time.perf_counter() - wall, _children_cpu() - cpu


def sweep(n: int, rounds: int) -> None:
    """Print the cold sweep row: each engine through the CLI over ``n`` report PDFs."""
    from benchmarks.corpus import pdf_report
    with tempfile.TemporaryDirectory(prefix="pdf-sweep-") as tmp:
        folder = Path(tmp)
        files = []
        for i in range(n):
            files.append(folder / f"report-{i:04d}.pdf")
            files[-1].write_bytes(pdf_report(i))
        runs: dict[str, list[tuple[float, float]]] = {e: [] for e in ENGINES}
        poppler = shutil.which("pdftotext") is not None
        floor = []
        for k in range(rounds):
            for engine in (ENGINES if k % 2 == 0 else ENGINES[::-1]):
                runs[engine].append(_time_sweep(folder, engine))
            if poppler:
                floor.append(_time_pdftotext(files))
    print(f"cold sweep of {n} report PDFs, auditor audit -j 2, {rounds} interleaved rounds (median s)")
    med = {e: [statistics.median(t[k] for t in ts) for k in (0, 1)] for e, ts in runs.items()}
    for engine, (wall, cpu) in med.items():
        print(f"  {engine:10s} wall {wall:6.2f} s   CPU {cpu:6.2f} s")
    if floor:
        wall, cpu = (statistics.median(t[k] for t in floor) for k in (0, 1))
        print(f"  {'pdftotext':10s} wall {wall:6.2f} s   CPU {cpu:6.2f} s (one process, text only)")
    print(f"  pdfium ÷ pdfminer: wall {med['pdfium'][0] / med['pdfminer'][0]:.2f}, "
          f"CPU {med['pdfium'][1] / med['pdfminer'][1]:.2f}")


def report(result: dict) -> None:
    print(f"{result['files']} files, {result['pages']} pages, {result['rounds']} interleaved rounds "
          f"(median ms per page; CPU time is the steadier figure on a shared machine)")
    for kind, ms in result["ms_per_page"].items():
        for name, value in ms.items():
            ratio = f"   {value / ms['pdftotext']:.2f}× pdftotext" if "pdftotext" in ms and name != "pdftotext" else ""
            print(f"  {kind:4s} {name:10s} {value:8.2f} ms/page{ratio}")
        print(f"  {kind:4s} pdfminer ÷ pdfium: {ms['pdfminer'] / ms['pdfium']:.2f}×")
    if "pdftotext" not in result["ms_per_page"]["wall"]:
        print("  pdftotext: not installed (apt-get install poppler-utils)")
    print(f"  files read differently by the two engines: {len(result['differ'])} {result['differ'][:5]}")
    print(f"  pages the PDFium engine handed to pdfminer: {result['handed']} of {result['pages']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=16, help="generated report PDFs (default 16)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("--no-big", action="store_true", help="without the 60-page report")
    ap.add_argument("--dir", type=Path, help="read the PDFs of this folder instead of generating")
    ap.add_argument("--sweep", type=int, metavar="N", help="also time cold sweeps of N report PDFs")
    args = ap.parse_args(argv)
    if args.sweep:
        sweep(args.sweep, args.rounds)
    if args.dir:
        files = sorted(args.dir.glob("*.pdf"))
        report(run(files, args.rounds))
        return 0
    with tempfile.TemporaryDirectory(prefix="pdf-engines-") as tmp:
        files = corpus(Path(tmp), args.files, not args.no_big)
        report(run(files, args.rounds))
    real = sorted((ROOT.parent / "shared" / "real" / "files").glob("*.pdf"))
    if real:                                  # the development corpus, where it is beside us
        print("the real PDFs of ../shared/real:")
        report(run(real, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
