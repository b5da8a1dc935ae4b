"""A parsed document is plain JSON data.

Rules see the parser's document as it is when a sweep has no store (it travels as
``marshal`` data), and as JSON read back from the store on a rerun.  They judge the same
report the same way only if the document is nothing but dicts, lists, strings, numbers,
booleans and None: no tuples, no non-string keys, no NaN.
"""
from __future__ import annotations

import json
import math

import pytest

from auditor.parse import parse_file
from tests.conftest import REAL, ROOT, SEEDS

FILES = sorted((ROOT / "samples").iterdir()) + (sorted(SEEDS.iterdir()) if SEEDS.exists() else []) \
    + (sorted((REAL / "files").iterdir()) if REAL.exists() else [])


def _plain(node, path="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            assert type(k) is str, f"{path}: key {k!r}"
            _plain(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _plain(v, f"{path}[{i}]")
    else:
        assert type(node) in (str, int, float, bool, type(None)), f"{path}: {type(node).__name__}"
        assert not (type(node) is float and not math.isfinite(node)), f"{path}: {node}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parsed_document_is_plain_json(path):
    doc = parse_file(path)
    _plain(doc)
    assert json.loads(json.dumps(doc)) == doc
