"""Compare two ``auditor audit --format json`` outputs report by report.

    python tools/compare_runs.py before.json after.json

Prints every report whose score, grade, verdict, error or findings (code, severity, message,
deduction, location) differ, and exits 1 when any does: the check kept for redesigns that
must not change what the tool says.
"""
from __future__ import annotations

import json
import sys

FINDING_KEYS = ("code", "severity", "message", "deduction", "location", "data")
REPORT_KEYS = ("agency", "year", "template", "score", "grade", "failed", "error")


def _reports(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return {r["path"]: r for r in json.load(fh)["reports"]}


def _finding(f: dict) -> tuple:
    return tuple(json.dumps(f.get(k), sort_keys=True, ensure_ascii=False) for k in FINDING_KEYS)


def differences(before: dict, after: dict) -> list[str]:
    out = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a is None or b is None:
            out.append(f"{path}: only in {'after' if a is None else 'before'}")
            continue
        for k in REPORT_KEYS:
            if a.get(k) != b.get(k):
                out.append(f"{path}: {k} {a.get(k)!r} → {b.get(k)!r}")
        fa = sorted(_finding(f) for f in a.get("findings") or ())
        fb = sorted(_finding(f) for f in b.get("findings") or ())
        for f in sorted(set(fa) ^ set(fb)):
            out.append(f"{path}: {'-' if f in fa else '+'} {' '.join(f)}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    diffs = differences(_reports(argv[0]), _reports(argv[1]))
    print("\n".join(diffs) if diffs else "identical")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
