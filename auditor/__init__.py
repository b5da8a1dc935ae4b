"""disclosure-auditor: audit and score 政府信息公开工作年度报告 against the national templates.

The data flows through one module per stage::

    readers/ (file → Layout) → parse/ (Layout → report document) → schemas.py (validate)
    → engine.py (rule plugins → findings) → scoring.py (score, grade) → output/ (render)

``sweep.py``, ``store.py`` and ``scorecard.py`` run many files; ``cli.py`` is the command line.
"""
__version__ = "0.1.0"
