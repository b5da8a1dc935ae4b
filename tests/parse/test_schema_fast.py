"""The fast schema check is sound: whenever it passes a document, jsonschema finds no error.

``auditor.check.validate`` answers "valid" from a predicate generated from the schema and
falls back to jsonschema otherwise; these tests damage documents in many ways and compare.
"""
from __future__ import annotations

import copy
import random

import pytest

from auditor import check as schemas
from auditor.parse import parse_layout
from auditor.read import read_bytes
from tests.parse import synth


def _doc(template: str) -> dict:
    text = synth.render(synth.distinct_tables(template), template, 2020 if template == "2019" else 2023)
    return parse_layout(read_bytes(text.encode("utf-8"), "r.txt"))


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


REPLACEMENTS = [None, True, False, 0, -1, 1.0, 2.5, -0.5, "", "x", "2023-02-30", "2023-01-01", [], {},
                {"extra": 1}, [1], 10 ** 6, 1989, 2101, "a" * 64, "0" * 64]


def _mutations(doc, rng, n):
    paths = [p for p in _paths(doc) if p]
    for _ in range(n):
        d = copy.deepcopy(doc)
        path = rng.choice(paths)
        parent = _get(d, path[:-1])
        kind = rng.random()
        if kind < 0.6:
            parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
        elif kind < 0.8 and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent["unexpected_" + str(rng.randint(0, 9))] = rng.choice(REPLACEMENTS)
        else:
            parent.append(copy.deepcopy(rng.choice(REPLACEMENTS)))
        yield d


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_valid_documents_take_the_fast_path(template):
    doc = _doc(template)
    validator = schemas._validator(template)
    assert list(validator.iter_errors(doc)) == []
    assert schemas._fast_check(template)(doc) is True
    assert schemas.validate(doc) == []


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_fast_check_never_passes_an_invalid_document(template):
    doc = _doc(template)
    validator = schemas._validator(template)
    fast = schemas._fast_check(template)
    rng = random.Random(int(template))
    passed = failed = 0
    for d in _mutations(doc, rng, 400):
        if fast(d):
            errors = list(validator.iter_errors(d))
            assert errors == [], (errors[0].message, errors[0].absolute_path)
            passed += 1
        else:
            failed += 1
    assert passed and failed          # both branches were exercised


def test_unknown_keywords_fall_back_to_jsonschema():
    check = schemas.compile_check({"type": "object", "properties": {"a": {"$ref": "#/x"}}})
    assert check({"a": 1}) is False
    check = schemas.compile_check({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}},
                                   "additionalProperties": False})
    assert check({"a": 1}) is True
    assert check({"a": 1, "b": 2}) is False
    assert check({"a": True}) is False          # bool is not an integer
    assert check({"a": 1.0}) is False           # integral float: jsonschema decides


def test_one_of_with_an_integral_float():
    schema = {"oneOf": [{"type": "integer"}, {"type": "number", "maximum": 5}]}
    check = schemas.compile_check(schema)
    assert check(3) is False          # both branches hold: jsonschema reports the oneOf error
    assert check(7) is False          # only one holds, but that is not certain here: jsonschema decides
    assert check(4.5) is True         # only the number branch holds
    assert check(3.0) is False        # an integral float is an integer too: both branches hold
    assert check(7.0) is False


def test_date_format_is_checked_as_jsonschema_checks_it():
    from jsonschema import Draft202012Validator
    checker = Draft202012Validator.FORMAT_CHECKER
    samples = ["2023-01-01", "2023-02-29", "2024-02-29", "2023-13-01", "2023-1-1", "2023-01-01T00:00",
               " 2023-01-01", "2023-01-01\n", "２０２３-01-01", "0000-01-01", "9999-12-31", "", "x",
               "2023/01/01", 20230101, None]
    check = schemas.compile_check({"format": "date"}, formats=True)
    for value in samples:
        assert check(value) is checker.conforms(value, "date"), value
    assert schemas.compile_check({"format": "email"}, formats=True)("a@b.c") is False  # unknown: jsonschema decides
    assert schemas.compile_check({"format": "email"})("a@b.c") is True                  # formats not asserted


def test_a_valid_document_is_checked_without_importing_jsonschema(tmp_path):
    """jsonschema costs ~0.1 s to import in every worker process; a valid report never needs it."""
    import json
    import subprocess
    import sys
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_doc("2021"), ensure_ascii=False), encoding="utf-8")
    code = ("import json, sys; from auditor.check import validate; "
            f"assert validate(json.load(open({str(path)!r}, encoding='utf-8'))) == []; "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
