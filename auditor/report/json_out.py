"""JSON: the machine-readable run (docs/architecture.md, "Results"): reports, summary,
inventory, ``tool`` and ``config_digest``.

Laid out for people too: one key per line down to each report, one finding per line.  Each
piece goes through the C encoder (``json.dumps`` without ``indent``), which matters for a
sweep's thousands of findings: Python's indenting encoder is pure Python.
"""
from __future__ import annotations

import json


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _report(report: dict) -> str:
    fields = [f"      {_dump(k)}: {_dump(v)}" for k, v in report.items() if k != "findings"]
    if "findings" in report:
        findings = report["findings"] or []
        body = ",\n".join(f"        {_dump(f)}" for f in findings)
        fields.append('      "findings": ' + (f"[\n{body}\n      ]" if findings else "[]"))
    return "    {\n" + ",\n".join(fields) + "\n    }"


def render_json(run: dict, lang: str = "zh") -> str:
    reports = run.get("reports", [])
    body = ",\n".join(_report(r) for r in reports)
    return ("{\n"
            f'  "tool": {_dump(run.get("tool"))},\n'
            f'  "config_digest": {_dump(run.get("config_digest"))},\n'
            '  "reports": ' + (f"[\n{body}\n  ]" if reports else "[]") + ",\n"
            f'  "summary": {_dump(run.get("summary"))}'
            + (f',\n  "inventory": {_inventory(run["inventory"])}' if "inventory" in run else "")
            + "\n}\n")


def _inventory(rows: list[dict]) -> str:
    if not rows:
        return "[]"
    return "[\n" + ",\n".join(f"    {_dump(r)}" for r in rows) + "\n  ]"
