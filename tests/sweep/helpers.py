"""Small corpora for sweep, store and scorecard tests (text reports, generated in tmp folders)."""
from __future__ import annotations

import random
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.make_corpus import (make_corpus, proactive_table, requests_table, review_table,  # noqa: E402,F401
                               text_report)


def tables_chain(years, seed: int = 5, break_at: int | None = None) -> dict:
    """Consistent tables for consecutive ``years``; at ``break_at`` the carry-over breaks."""
    rng = random.Random(seed)
    out, carried, in_force = {}, {"natural_person": 2}, {}
    for year in years:
        tables = {"proactive": proactive_table("2021", in_force, rng),
                  "requests": requests_table("2021", carried, rng),
                  "review_litigation": review_table(rng)}
        # at least one request carried forward, so a break is visible
        req = tables["requests"]
        if req["carried_forward"]["natural_person"] == 0:
            req["carried_forward"]["natural_person"] = 1
            req["new_received"]["natural_person"] += 1
            req["carried_forward"]["total"] += 1
            req["new_received"]["total"] += 1
        carried = dict(req["carried_forward"])
        in_force = {k: v["in_force"] for k, v in tables["proactive"].items() if "in_force" in v}
        if year == break_at:
            req["carried_over"]["natural_person"] += 3
            req["carried_over"]["total"] += 3
            req["total_processed"]["natural_person"] += 3
            req["total_processed"]["total"] += 3
            req["granted"]["natural_person"] += 3
            req["granted"]["total"] += 3
        out[year] = tables
    return out


def write_report(folder: Path, name: str, agency: str, year: int, tables: dict, **kw) -> Path:
    path = folder / name
    path.write_text(text_report(agency, year, "2021", tables, **kw), encoding="utf-8")
    return path


def two_years(folder: Path) -> tuple[Path, Path]:
    """Folders ``2022`` and ``2023`` under ``folder``, each with one report of 临江县商务局; the
    2023 report's carry-over does not match 2022's carried-forward figure (X601 fires)."""
    t = tables_chain([2022, 2023], seed=3, break_at=2023)
    last, this = folder / "2022", folder / "2023"
    last.mkdir()
    this.mkdir()
    write_report(last, "a.txt", "临江县商务局", 2022, t[2022])
    write_report(this, "a.txt", "临江县商务局", 2023, t[2023])
    return last, this


# A rule plugin that hangs on a report of an agency named with 沉睡 and kills its process on one
# named with 崩溃: a stand-in for a pathological PDF.
FAULT_PLUGIN = textwrap.dedent('''
    import os, time
    from auditor.hookspecs import hookimpl
    from auditor.rules.api import rule

    @rule(code="Z901", name="pathological", title_zh="测试", title_en="Test", severity="info", weight=1)
    def pathological(doc, ctx):
        """Hangs or kills its worker on marked reports (a stand-in for a pathological PDF)."""
        agency = doc.get("agency") or ""
        if "沉睡" in agency:
            time.sleep(120)
        if "崩溃" in agency:
            os._exit(3)
        return []

    @hookimpl
    def auditor_register_rules():
        return [pathological]
''')
