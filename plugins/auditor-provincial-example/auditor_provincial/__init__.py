"""auditor-provincial-example: a provincial rule pack for disclosure-auditor.

This module is the plugin (entry point ``provincial_example`` in group
``auditor``).  It implements one hook; the rules are imported inside it so
that loading the plugin stays cheap.
"""
from auditor.hookspecs import hookimpl

__version__ = "0.1.0"


@hookimpl
def auditor_register_rules():
    from auditor_provincial.rules import RULES
    return list(RULES)
