"""Every YAML case of tests/rules/cases/ through the public helper plugin authors use."""
from pathlib import Path

import pytest

from auditor.testing import check_case, parametrize_cases

CASES = Path(__file__).parent / "cases"
ids, cases = parametrize_cases(CASES)


@pytest.mark.parametrize("case", cases, ids=ids)
def test_rule_case(case):
    check_case(case)
