"""D404 — the report was published after its deadline.

The publication date comes from the sweep manifest (``ctx.metadata["publish_date"]``)
or, failing that, from the document (``doc["source"]["published"]``, e.g. an HTML
page's date).  Deadlines are configuration (``deadlines`` in ``auditor.yaml``):
departments by 01-31 and governments by 03-31 of the year after the report year,
overridable per jurisdiction.  Without a known date the rule says nothing.
"""
from __future__ import annotations

import datetime as dt

from auditor.agencies import agency_key, infer_level
from auditor.rules.api import rule

DEFAULTS = {"department": "01-31", "government": "03-31"}
LEVEL_ZH = {"department": "部门", "government": "人民政府", "township": "乡镇人民政府（街道）"}


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _jurisdiction(deadlines: dict, metadata: dict, agency: str | None) -> tuple[str | None, dict]:
    """The configured jurisdiction the report falls under: named by the manifest, else by the name."""
    table = deadlines.get("jurisdictions") or {}
    for key in ("jurisdiction", "region"):
        name = metadata.get(key)
        if name in table:
            return name, table[name] or {}
    name_key = agency_key(agency) or ""
    hits = [j for j in table if agency_key(j) and agency_key(j) in name_key]
    if hits:
        best = max(hits, key=len)
        return best, table[best] or {}
    return None, {}


def deadline_for(year: int, level: str, deadlines: dict, metadata: dict, agency: str | None
                 ) -> tuple[dt.date, str | None]:
    """(deadline date, jurisdiction) of a report of ``year`` at ``level``."""
    jur_name, jur = _jurisdiction(deadlines, metadata, agency)
    keys = [level, "government"] if level == "township" else [level]
    mmdd = next((src[k] for k in keys for src in (jur, deadlines, DEFAULTS) if src.get(k)), "03-31")
    month, day = (int(x) for x in str(mmdd).split("-"))
    return dt.date(year + 1, month, day), jur_name


@rule(code="D404", name="published-late", title_zh="报告公开晚于规定期限",
      title_en="Report published after the deadline", severity="warning", weight=3)
def published_late(doc, ctx):
    """The report was published by its deadline.

    **What it checks.** The publication date — the sweep manifest's ``publish_date``, else the
    date the source states (``source.published``, e.g. an HTML page's date) — against the
    deadline in the year after the report year: ``deadlines.department`` (default 01-31) for a
    government department, ``deadlines.government`` (default 03-31) for a people's government
    (a township's own report too). ``deadlines.jurisdictions`` overrides both for a jurisdiction
    named by the manifest (``jurisdiction`` or ``region`` column) or contained in the agency's
    name. The level comes from the manifest's ``level``, else it is guessed from the name
    (…人民政府 / 管委会 → government, …乡/镇/街道 → township, otherwise department). Without a
    publication date the rule says nothing.

    **Why.** 《政府信息公开条例》第四十九条: departments publish last year's annual report by
    31 January, and the people's governments at county level and above by 31 March; local
    rules may be stricter, so the dates are configuration.

    **Passes:** a department's 2023 report published 2024-01-25.

    **Fails:** a department's 2023 report published 2024-02-20 →
    "报告于2024-02-20公开，晚于部门年度报告的公开期限2024-01-31（逾期20天）".
    """
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        return
    metadata = ctx.metadata if isinstance(ctx.metadata, dict) else {}
    source = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    published = _date(metadata.get("publish_date")) or _date(source.get("published"))
    if published is None:
        return
    agency = doc.get("agency") if isinstance(doc.get("agency"), str) else None
    level = metadata.get("level") or infer_level(agency) or "department"
    config = ctx.config if isinstance(ctx.config, dict) else {}
    deadline, jur = deadline_for(year, level, config.get("deadlines") or {}, metadata, agency)
    if published <= deadline:
        return
    late = (published - deadline).days
    where = f"（{jur}）" if jur else ""
    yield ctx.finding(
        f"报告于{published.isoformat()}公开，晚于{LEVEL_ZH.get(level, level)}年度报告的公开期限"
        f"{deadline.isoformat()}{where}（逾期{late}天）",
        f"published on {published.isoformat()}, after the {level} deadline {deadline.isoformat()}"
        f"{f' ({jur})' if jur else ''}, {late} day(s) late",
        data={"published": published.isoformat(), "deadline": deadline.isoformat(), "days_late": late,
              "level": level, "jurisdiction": jur,
              "date_source": "manifest" if _date(metadata.get("publish_date")) else "document"})


RULES = [published_late]
