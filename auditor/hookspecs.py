"""Every hook a plugin can implement.  Built-in rules use these same hooks.

A plugin is a module (or object) with functions decorated ``@hookimpl`` and
named after the specs below.  Third-party plugins are found through the
``auditor`` entry-point group::

    [project.entry-points.auditor]
    my_rules = "my_package.plugin"

Names are prefixed ``auditor_``; a misspelt ``auditor_*`` implementation is
an error when plugins are loaded (``PluginManager.check_pending``).
"""
from __future__ import annotations

import pluggy

PROJECT = "auditor"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def auditor_register_rules() -> list:
    """Return a list of :class:`auditor.rules.api.Rule` this plugin provides."""


@hookspec
def auditor_register_templates() -> list:
    """Return template descriptions a plugin adds, each a dict::

        {"template": "2027", "schema": {...JSON Schema...} or "path/to/schema.json",
         "from": 2027, "to": None}

    The year range becomes part of the default year→template mapping, which
    the configuration can still override.
    """


@hookspec
def auditor_default_config() -> dict:
    """Return configuration defaults merged under the user's configuration."""


@hookspec
def auditor_document_parsed(document: dict) -> None:
    """Called after parsing, before rules run: enrich ``document`` in place (e.g. agency metadata)."""


@hookspec
def auditor_register_readers() -> list:
    """Return a list of :class:`auditor.read.Reader` this plugin provides (a format's name,
    suffixes, a sniff on the first bytes and ``read(data, path) -> Layout``)."""


@hookspec
def auditor_register_reporters() -> list:
    """Return a list of :class:`auditor.report.Reporter` this plugin provides: an output format's
    name, whether it renders a run or a scorecard, and ``render(data, lang) -> str | bytes``."""


@hookspec
def auditor_register_executors() -> list:
    """Return a list of :class:`auditor.sweep.executor.Executor` this plugin provides: a name
    (``--executor NAME``) and ``run(tasks, work, options)`` yielding ``(task, result)`` pairs."""
