"""Parse: :class:`auditor.layout.Layout` → the report document (``../shared/spec/model.md``).

(The implementation is being written; ``parse_layout`` and ``parse_file`` are the public API.)
"""
from __future__ import annotations


def parse_layout(layout) -> dict:
    raise NotImplementedError


def parse_file(path) -> dict:
    from auditor.readers import read
    return parse_layout(read(path))
