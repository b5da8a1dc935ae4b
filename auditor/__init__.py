"""disclosure-auditor: audit and score 政府信息公开工作年度报告 against the national templates.

One file travels through one module per stage (``pipeline.py`` runs them)::

    read/ (bytes → Layout) → parse/ (Layout → report document) → check.py (JSON Schema)
    → rules/ (rule API, plugin host, runner → findings) → score.py (score, grade, verdict)
    → results.py (language-neutral result) → report/ (one format in one language)

``settings.py`` resolves the configuration once; ``sweep/`` runs many files (plan, executors,
store, cross-year, scorecard); ``cli.py`` is the command line.  See docs/architecture.md.
"""
__version__ = "0.1.0"
