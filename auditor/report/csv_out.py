"""CSV: one row per finding (a report without findings, or not audited, gets one row).

UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly.
"""
from __future__ import annotations

import csv
import io

COLUMNS = ("path", "agency", "year", "template", "score", "grade", "failed", "error",
           "code", "name", "severity", "deduction", "message",
           "section", "table", "row", "column", "page", "line", "waived", "new", "reasons")


def _rows(run: dict):
    for report in run.get("reports", []):
        base = {k: report.get(k) for k in ("path", "agency", "year", "template", "score", "grade",
                                            "error")}
        base["failed"] = "yes" if report.get("failed") else "no"
        base["reasons"] = " ".join((report.get("verdict") or {}).get("reasons") or ())
        findings = report.get("findings") or []
        if not findings:
            yield base
        for f in findings:
            row = dict(base)
            row.update({k: f.get(k) for k in ("code", "name", "severity", "deduction", "message")})
            row.update(f.get("location") or {})
            row["waived"] = (f.get("waived") or {}).get("reason") or ("yes" if f.get("waived") else "")
            row["new"] = {True: "yes", False: "no"}.get(f.get("new"), "")
            yield row


def render_csv(run: dict, lang: str = "zh") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(run):
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in COLUMNS})
    return "\ufeff" + buf.getvalue()
