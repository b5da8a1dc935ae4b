"""The JSON Schemas reject what the templates forbid."""
from __future__ import annotations

import copy

from jsonschema import Draft202012Validator

from auditor.check import load_schema, validate
from tests.parse.synth import distinct_tables


def document(template="2021", **tables) -> dict:
    return {"schema_version": 1, "source": {"path": "x.txt", "format": "text", "sha256": "0" * 64},
            "agency": "某局", "year": 2023, "template": template, "title": "t",
            "statistics_period": None, "sections": {}, "tables": tables or distinct_tables(template),
            "cells": [], "notes": []}


def test_schemas_are_valid_2020_12():
    for t in ("2019", "2021"):
        Draft202012Validator.check_schema(load_schema(t))


def test_valid_documents_pass():
    assert validate(document("2021")) == []
    assert validate(document("2019")) == []


def test_missing_row_and_negative_count_are_reported_as_data():
    doc = document()
    del doc["tables"]["requests"]["granted"]
    doc["tables"]["review_litigation"]["review"]["total"] = -1
    errors = validate(doc)
    assert {(e.get("table"), e.get("validator")) for e in errors} >= {
        ("requests", "required"), ("review_litigation", "minimum")}
    missing = next(e for e in errors if e["validator"] == "required")
    assert missing["missing"] == ["granted"]


def test_signed_change_and_decimal_money_allowed_only_where_the_template_says():
    doc = document("2019")
    doc["tables"]["proactive"]["licensing"]["change"] = -5
    doc["tables"]["proactive"]["procurement"]["amount"] = 251000.5
    assert validate(doc) == []
    bad = copy.deepcopy(doc)
    bad["tables"]["proactive"]["licensing"]["decisions"] = 1.5
    assert [e["column"] for e in validate(bad)] == ["decisions"]


def test_null_cells_are_valid_and_2021_rows_are_not_2019_rows():
    doc = document("2021")
    doc["tables"]["requests"]["granted"]["total"] = None
    assert validate(doc) == []
    doc["tables"]["requests"]["other"] = doc["tables"]["requests"].pop("other_other")
    assert validate(doc)


def test_validation_never_raises_on_damaged_documents():
    """Validation results are data: any damage becomes error dicts, never an exception."""
    import random

    from auditor.testing import make_document
    rng = random.Random(7)
    base = make_document()
    weird = [None, [], {}, "x", 1.5, -1, True, {"a": 1}, [1, 2]]

    def paths(d, pre=()):
        items = d.items() if isinstance(d, dict) else enumerate(d[:3]) if isinstance(d, list) else ()
        for k, v in items:
            yield pre + (k,)
            yield from paths(v, pre + (k,))

    all_paths = list(paths(base))
    for _ in range(1500):
        doc = copy.deepcopy(base)
        path = rng.choice(all_paths)
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = rng.choice(weird)
        errors = validate(doc)
        assert isinstance(errors, list)
    assert validate({**base, "template": ["2021"]})[0]["path"] == "template"
