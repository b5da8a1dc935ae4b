"""Small helpers over WordprocessingML elements (lxml), shared by the DOCX reader and its
numbering."""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def child_val(el, path: str) -> str | None:
    """The ``w:val`` of the element at ``path`` under ``el``: None when there is no such element,
    "" when it has no ``w:val``."""
    found = el.find(path)
    return None if found is None else found.get(W + "val", "")


def int_or(value: str | None, default: int) -> int:
    """``value`` as a non-negative integer, ``default`` when absent or not a number."""
    try:
        return max(0, int(value)) if value not in (None, "") else default
    except ValueError:
        return default
