"""JSON: the machine-readable contract of ``cli.md`` plus ``tool`` and ``config_digest``."""
from __future__ import annotations

import json


def render_json(run: dict, lang: str = "zh") -> str:
    out = {"tool": run.get("tool"), "config_digest": run.get("config_digest"),
           "reports": run.get("reports", []), "summary": run.get("summary")}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
