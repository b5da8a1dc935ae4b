"""A rule never raises on a strange document: random damage to clean documents, every rule."""
import copy
import random

import pytest

import auditor_rules
from auditor.testing import make_context, make_document, schema_errors

JUNK = [None, "", "无", -1, 2.5, [], {}, True, {"x": 1}, [None], 10**12, "2023-13-45"]
RULES = auditor_rules.auditor_register_rules()


def _paths(node, prefix=()):
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for k, v in items:
        yield prefix + (k,)
        yield from _paths(v, prefix + (k,))


def _damage(doc, rng):
    paths = list(_paths(doc))
    for _ in range(rng.randint(1, 5)):
        *parents, last = rng.choice(paths)
        node = doc
        try:
            for k in parents:
                node = node[k]
            if isinstance(node, dict) and rng.random() < 0.3:
                node.pop(last, None)
            else:
                node[last] = rng.choice(JUNK)
        except (KeyError, IndexError, TypeError):
            pass
    return doc


@pytest.mark.parametrize("seed", range(10))
def test_rules_survive_damaged_documents(seed):
    rng = random.Random(seed)
    notes = [{"code": "extra-values", "table": "requests", "row": "granted", "found": 9, "expected": 7},
             {"code": "duplicate-section", "section": "overall", "line": 3}]
    bases = [make_document("2021", 2023, notes=notes), make_document("2019", 2019, notes=notes)]
    for _ in range(40):
        doc = _damage(copy.deepcopy(rng.choice(bases)), rng)
        errors = schema_errors(doc)
        for rule in RULES:
            ctx = make_context(rule, doc, schema_errors=errors)
            list(rule.check(doc, ctx) or ())
