"""auditor-provincial-example: a provincial rule pack for disclosure-auditor.

This module is the plugin (entry point ``provincial_example`` in group ``auditor``).  It
implements two hooks, as any third-party plugin would:

- ``auditor_register_rules``: the province's rule P901 (``rules.py``);
- ``auditor_register_reporters``: ``--format provincial``, the submission sheet the province
  asks its counties for (``report.py``).

The rules and the reporter are imported inside the hooks so that loading the plugin stays cheap.
"""
from auditor.hookspecs import hookimpl

__version__ = "0.1.0"


@hookimpl
def auditor_register_rules():
    from auditor_provincial.rules import RULES
    return list(RULES)


@hookimpl
def auditor_register_reporters():
    from auditor_provincial.report import REPORTERS
    return list(REPORTERS)
