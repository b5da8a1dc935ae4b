"""Per-agency scorecards: agencies × years, from the results store or from ``audit --format json``.

:func:`load_records` reads report results (every file's latest result in the
store, or the ``reports`` of audit JSON files); :func:`build` turns them into
the scorecard — one row per agency and year with score, grade, counts by
severity, the failing rule codes, the change against the agency's previous
year, and every finding for the drill-down.  Output formats only render it.
"""
from __future__ import annotations

import json
from pathlib import Path

from auditor.agencies import agency_key, infer_level
from auditor.errors import ConfigError
from auditor.sweep.store import current_results, open_store

SEVERITIES = ("error", "warning", "info")


def records_from_store(db: str | Path) -> list[dict]:
    """``{"entry", "metadata"}`` of every file's latest result in the store."""
    if not Path(db).is_file():
        raise ConfigError(f"找不到结果库：{db}", f"results store not found: {db}")
    conn = open_store(db)
    try:
        return [{"entry": r["entry"], "metadata": r["metadata"]} for r in current_results(conn)]
    finally:
        conn.close()


def records_from_json(paths: list[str | Path]) -> list[dict]:
    """``{"entry", "metadata"}`` of every report in ``audit --format json`` outputs."""
    out = []
    for p in paths:
        try:
            data = json.loads(Path(p).read_text(encoding="utf-8-sig"))
        except OSError as e:
            raise ConfigError(f"无法读取 {p}：{e.strerror}", f"cannot read {p}: {e.strerror}") from None
        except json.JSONDecodeError as e:
            raise ConfigError(f"{p} 不是有效的 JSON（第 {e.lineno} 行）：请用 auditor audit --format json 生成",
                              f"{p} is not valid JSON (line {e.lineno}); make it with auditor audit --format json"
                              ) from None
        reports = data.get("reports") if isinstance(data, dict) else None
        if not isinstance(reports, list):
            raise ConfigError(f"{p} 不是 auditor audit --format json 的输出（缺少 reports）",
                              f"{p} is not output of auditor audit --format json (no reports)")
        out += [{"entry": r, "metadata": r.get("metadata") or {}} for r in reports if isinstance(r, dict)]
    return out


def _row(entry: dict, metadata: dict) -> dict:
    findings = entry.get("findings") or []
    counts = {s: sum(1 for f in findings if f.get("severity") == s) for s in SEVERITIES}
    agency = metadata.get("agency") or entry.get("agency")
    return {
        "agency": agency or "", "key": agency_key(agency) or f"?{entry.get('path')}",
        "year": entry.get("year"), "level": metadata.get("level") or infer_level(agency) or "",
        "region": metadata.get("region") or "", "path": entry.get("path") or "",
        "url": metadata.get("url") or "", "publish_date": metadata.get("publish_date") or "",
        "score": entry.get("score"), "grade": entry.get("grade") or "",
        "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
        "failing": sorted({f.get("code") for f in findings if f.get("code")}),
        "change": None, "error": entry.get("error"), "findings": findings,
    }


def build(records: list[dict], *, year: int | None = None, region: str | None = None,
          level: str | None = None) -> dict:
    """The scorecard: ``{"rows": [...], "agencies": n, "years": [...], "filters": {...}}``.

    One row per agency and year (the first report in path order when an agency has
    two for one year); ``change`` is the score minus the same agency's score the year
    before, computed before the filters so ``--year`` still shows it.
    """
    rows: dict = {}
    for rec in sorted(records, key=lambda r: str(r["entry"].get("path") or "")):
        row = _row(rec["entry"], rec.get("metadata") or {})
        rows.setdefault((row["key"], row["year"]), row)
    for (key, yr), row in rows.items():
        prev = rows.get((key, yr - 1)) if isinstance(yr, int) else None
        if prev and isinstance(row["score"], (int, float)) and isinstance(prev["score"], (int, float)):
            row["change"] = round(row["score"] - prev["score"], 2)
    selected = [r for r in rows.values() if _keep(r, year, region, level)]
    selected.sort(key=lambda r: (r["key"], r["year"] if isinstance(r["year"], int) else 0, r["path"]))
    return {"rows": selected, "agencies": len({r["key"] for r in selected}),
            "years": sorted({r["year"] for r in selected if isinstance(r["year"], int)}),
            "filters": {"year": year, "region": region, "level": level}}


def _keep(row: dict, year, region, level) -> bool:
    if year is not None and row["year"] != year:
        return False
    if level and row["level"] != level:
        return False
    if region:
        want = agency_key(region) or ""
        if want != agency_key(row["region"]) and want not in (agency_key(row["agency"]) or ""):
            return False
    return True
