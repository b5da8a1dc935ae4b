"""Per-agency scorecards: agencies × years, from the results store or from ``audit --format json``.

:func:`load_records` reads report results (every file's latest result in the
store, or the ``reports`` of audit JSON files); :func:`build` turns them into
the scorecard — one row per agency and year with its **verdict** (passed, failed,
not audited, or missing: expected but never published), the rules that made it fail,
score, grade, counts by severity, the change against the agency's previous year, the
primary file and its copies (the same report saved several times), and every finding
for the drill-down — plus a summary.  Output formats only render it.
"""
from __future__ import annotations

import json
from pathlib import Path

from auditor.agencies import agency_key, infer_level
from auditor.errors import ConfigError
from auditor.sweep.store import current_results, open_store

SEVERITIES = ("error", "warning", "info")
VERDICTS = ("passed", "failed", "error", "missing")
MISSING = "missing"             # the verdict reason of an expected report that was not found
DEFAULT_PREFER = (".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md")


def records_from_store(db: str | Path) -> list[dict]:
    """``{"entry", "metadata"}`` of every file's latest result in the store."""
    if not Path(db).is_file():
        raise ConfigError(f"找不到结果库：{db}", f"results store not found: {db}")
    conn = open_store(db)
    try:
        rows = current_results(conn)
    finally:
        conn.close()
    # Files with the same bytes share one stored result, which shows the path of the file
    # stored first: every other file is named by its own path.
    return [{"entry": r["entry"] if _same_file(r["entry"].get("path"), r["path"])
             else dict(r["entry"], path=r["path"]), "metadata": r["metadata"], "sha256": r["sha256"],
             "rkey": r["rkey"]} for r in rows]


def documents_from_store(db: str | Path, rows: list[dict]) -> dict:
    """``{row path: document}`` of the scorecard rows whose document the store keeps."""
    from auditor.sweep.store import get_doc, open_store
    conn = open_store(db)
    try:
        out = {}
        for row in rows:
            text = get_doc(conn, row["rkey"]) if row.get("rkey") else None
            if text:
                out[row["path"]] = json.loads(text)
        return out
    finally:
        conn.close()


def _same_file(shown: str | None, key: str) -> bool:
    from auditor.sweep.manifest import path_key
    return bool(shown) and path_key(shown) == key


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


def expected_from_manifest(path: str | Path) -> list[dict]:
    """The manifest rows whose file does not exist: reports the team expects but has not got
    (each ``{"agency", "year", "level"?, "region"?, "url"?, "path"}``).  Rows without an agency
    are left out: nothing says whose report is missing."""
    from auditor.sweep.manifest import read_manifest
    missing: list[dict] = []
    read_manifest(path, missing=missing)
    return [m for m in missing if m.get("agency")]


def expected_from_store(db: str | Path) -> list[dict]:
    """The reports the store remembers as expected but not found (manifest rows without a file)."""
    from auditor.sweep.store import expected_rows, open_store
    conn = open_store(db)
    try:
        return [dict(row) for row in expected_rows(conn).values() if row.get("agency")]
    finally:
        conn.close()


def expected_from_json(paths: list[str | Path]) -> list[dict]:
    """The reports ``audit --format json`` outputs list as missing in their inventory."""
    out = []
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8-sig"))
        out += [{k: i[k] for k in ("agency", "year", "path") if i.get(k)}
                for i in data.get("inventory") or () if i.get("outcome") == "missing" and i.get("agency")]
    return out


def expected_from_agencies(path: str | Path) -> list[dict]:
    """The agencies a team expects a report from: one name a line, or a CSV with a header
    naming ``agency`` (and optionally ``year``, ``level``, ``region``).  Without a year an
    agency is expected in every year the scorecard shows."""
    import csv
    import io
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise ConfigError(f"无法读取机关名单 {path}：{e.strerror}",
                          f"cannot read agency list {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"机关名单 {path} 不是 UTF-8 文本", f"agency list {path} is not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return []
    header = [h.strip().lower() for h in lines[0].split(",")]
    if "agency" not in header:
        return [{"agency": line} for line in lines]
    out = []
    for n, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), 2):
        item = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not item.get("agency"):
            continue
        year = item.get("year")
        if year and not year.isdigit():
            raise ConfigError(f"机关名单 {path} 第 {n} 行：year“{year}”不是年份",
                              f"agency list {path} line {n}: year {year!r} is not a year")
        out.append({k: (int(v) if k == "year" else v) for k, v in item.items() if v})
    return out


def rule_titles(host) -> dict:
    """``{code: {"zh", "en"}}`` of every loaded rule, for the failing-rules column."""
    return {code: {"zh": r.title_zh, "en": r.title_en} for code, r in host.rules.items()}


def _reasons(entry: dict) -> list[str]:
    """Why a report failed: its verdict's reasons, or (a result stored before verdicts) the
    codes of its unwaived error findings."""
    verdict = entry.get("verdict")
    if isinstance(verdict, dict) and isinstance(verdict.get("reasons"), list):
        return list(verdict["reasons"])
    if entry.get("failed") is False:
        return []
    return sorted({f.get("code") for f in entry.get("findings") or ()
                   if f.get("severity") == "error" and not f.get("waived") and f.get("code")})


def _row(entry: dict, metadata: dict, sha256: str | None = None, rkey: str | None = None) -> dict:
    findings = entry.get("findings") or []
    live = [f for f in findings if not f.get("waived")]
    counts = {s: sum(1 for f in live if f.get("severity") == s) for s in SEVERITIES}
    agency = metadata.get("agency") or entry.get("agency")
    error = entry.get("error")
    reasons = [] if error else _reasons(entry)
    return {
        "agency": agency or "", "key": agency_key(agency) or f"?{entry.get('path')}",
        "year": entry.get("year"), "level": metadata.get("level") or infer_level(agency) or "",
        "region": metadata.get("region") or "", "path": entry.get("path") or "",
        "url": metadata.get("url") or "", "publish_date": metadata.get("publish_date") or "",
        "verdict": "error" if error else ("failed" if entry.get("failed") or reasons else "passed"),
        "score": entry.get("score"), "grade": entry.get("grade") or "",
        "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
        "waived": len(findings) - len(live), "failing": reasons, "copies": [],
        "change": None, "error": error, "findings": findings, "sha256": sha256, "rkey": rkey,
    }


def _missing_row(expected: dict, year) -> dict:
    agency = expected["agency"]
    return {
        "agency": agency, "key": agency_key(agency), "year": year,
        "level": expected.get("level") or infer_level(agency) or "", "region": expected.get("region") or "",
        "path": expected.get("path") or "", "url": expected.get("url") or "", "publish_date": "",
        "verdict": MISSING, "score": None, "grade": "", "errors": 0, "warnings": 0, "infos": 0,
        "waived": 0, "failing": [MISSING], "copies": [], "change": None, "error": None,
        "findings": [], "sha256": None, "rkey": None,
    }


def _suffix_rank(path: str, prefer) -> int:
    suffix = Path(path).suffix.lower()
    return list(prefer).index(suffix) if suffix in prefer else len(prefer)


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Rows that hold the same report: the same agency and year, or the same bytes (sha256) —
    joined transitively; audited rows only (a file that could not be read stands alone)."""
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict = {}
    for i, row in enumerate(rows):
        keys = [("sha", row["sha256"])] if row["sha256"] else []
        if not row["error"] and isinstance(row["year"], int) and not row["key"].startswith("?"):
            keys.append(("ay", row["key"], row["year"]))
        for k in keys:
            if k in seen:
                parent[find(i)] = find(seen[k])
            else:
                seen[k] = i
    out: dict = {}
    for i, row in enumerate(rows):
        out.setdefault(find(i), []).append(row)
    return list(out.values())


def _merge(group: list[dict], prefer) -> dict:
    """One agency-year row of a group: the preferred file (suffix order of ``prefer``, then
    path order) with the others listed as its copies."""
    ordered = sorted(group, key=lambda r: (_suffix_rank(r["path"], prefer), r["path"]))
    primary = dict(ordered[0])
    primary["copies"] = [r["path"] for r in ordered[1:]]
    return primary


def build(records: list[dict], *, year: int | None = None, region: str | None = None,
          level: str | None = None, expected: list[dict] = (), titles: dict | None = None,
          prefer=DEFAULT_PREFER) -> dict:
    """The scorecard: ``{"rows", "agencies", "years", "filters", "rules", "summary"}``.

    One row per agency and year: several files holding it (the same agency-year, or the same
    bytes) give one row on the preferred file, its ``copies`` listed.  ``expected`` agencies
    (``{"agency", "year"?}``) without an audited report for a year get a row with verdict
    ``missing`` (failing).  ``change`` is the score minus the same agency's score the year
    before, computed before the filters so ``--year`` still shows it.  ``rules`` gives the title
    of every code in a failing-rules column (from ``titles``).
    """
    audited = [_row(rec["entry"], rec.get("metadata") or {}, rec.get("sha256"), rec.get("rkey"))
               for rec in sorted(records, key=lambda r: str(r["entry"].get("path") or ""))]
    rows: dict = {}
    for group in sorted(_groups(audited), key=lambda g: bool(g[0]["error"])):    # audited ones first
        row = _merge(group, prefer)
        key = (row["key"], row["year"])
        if key not in rows:
            rows[key] = row
        elif row["error"]:                 # a file of an audited agency-year that could not be read
            rows[key]["copies"] = rows[key]["copies"] + [row["path"]]
        else:
            rows[("?", row["path"])] = row
    shown_years = sorted({r["year"] for r in rows.values() if isinstance(r["year"], int)})
    for e in expected:
        for yr in ([e["year"]] if e.get("year") else [year] if year else shown_years):
            key = (agency_key(e["agency"]), yr)
            if key not in rows:
                rows[key] = _missing_row(e, yr)
    for (key, yr), row in rows.items():
        prev = rows.get((key, yr - 1)) if isinstance(yr, int) else None
        if prev and isinstance(row["score"], (int, float)) and isinstance(prev["score"], (int, float)):
            row["change"] = round(row["score"] - prev["score"], 2)
    selected = [r for r in rows.values() if _keep(r, year, region, level)]
    selected.sort(key=lambda r: (r["key"], r["year"] if isinstance(r["year"], int) else 0, r["path"]))
    codes = sorted({c for r in selected for c in r["failing"]} | {f.get("code") for r in selected
                                                                  for f in r["findings"] if f.get("code")})
    return {"rows": selected, "agencies": len({r["key"] for r in selected}),
            "years": sorted({r["year"] for r in selected if isinstance(r["year"], int)}),
            "filters": {"year": year, "region": region, "level": level},
            "rules": {c: (titles or {}).get(c) or {"zh": "", "en": ""} for c in codes},
            "summary": summary(selected)}


def summary(rows: list[dict]) -> dict:
    """Figures for a scorecard's summary: rows by verdict, pass rate, grades, mean score and its
    change on the previous year (over agencies with both years), the most frequent failing rules."""
    by = {v: sum(1 for r in rows if r["verdict"] == v) for v in VERDICTS}
    scores = [r["score"] for r in rows if isinstance(r.get("score"), (int, float)) and not r["error"]]
    changes = [r["change"] for r in rows if isinstance(r.get("change"), (int, float))]
    grades: dict = {}
    for r in rows:
        if r["grade"] and not r["error"]:
            grades[r["grade"]] = grades.get(r["grade"], 0) + 1
    freq: dict = {}
    for r in rows:
        for c in r["failing"]:
            freq[c] = freq.get(c, 0) + 1
    return {"rows": len(rows), **by,
            "pass_rate": round(100 * by["passed"] / len(rows), 1) if rows else None,
            "grades": dict(sorted(grades.items())),
            "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
            "mean_change": round(sum(changes) / len(changes), 2) if changes else None,
            "top_failing": sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
            "waived": sum(r["waived"] for r in rows),
            "new": sum(1 for r in rows for f in r["findings"] if f.get("new"))}


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
