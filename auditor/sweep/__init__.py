"""Sweeps: many files, an executor, the results store, the cross-year rules, scorecards.

``plan`` → ``executor`` (``local``, plugins) running ``work`` (the pipeline) → ``store`` →
``crossyear`` → ``scorecard``; :func:`auditor.sweep.run.sweep` puts them together.  This package
file imports nothing, so loading the local executor's plugin costs nothing at start-up.
"""
