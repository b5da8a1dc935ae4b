"""The built-in rule pack, registered like any third-party plugin.

Installed as ``auditor_rules`` and found through the ``auditor`` entry-point
group (``builtin = "auditor_rules"``).  One module per family:

- :mod:`.structure` — S1xx, sections, tables, schema, template
- :mod:`.arithmetic` — A2xx, the 勾稽关系 of tables 二–四
- :mod:`.fees` — F3xx, the 信息处理费 statement (2021 on)
- :mod:`.dates` — D4xx, statistics period and report year
- :mod:`.narrative` — N5xx, what the text states and covers

X601, X602 (cross-year), V701 (versions of one report) and D404 (publication date) need a
sweep and live in :mod:`.crossyear`, :mod:`.versions` and :mod:`.deadlines`.
"""
from __future__ import annotations

from auditor.hookspecs import hookimpl

from . import arithmetic, crossyear, dates, deadlines, fees, narrative, structure, versions

FAMILIES = (structure, arithmetic, fees, dates, narrative)
# D404 (publication date), X6xx (last year's report), V7xx (other files of the same report)
SWEEP_FAMILIES = (deadlines, crossyear, versions)


def all_rules() -> list:
    """Every built-in rule, in code order."""
    return [r for module in FAMILIES + SWEEP_FAMILIES for r in module.RULES]


@hookimpl
def auditor_register_rules():
    return all_rules()
