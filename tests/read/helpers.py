"""Shared helpers for the reader tests: compare parsed tables with the generating document."""
from __future__ import annotations

import json
from dataclasses import asdict


def table_diff(expected: dict, doc: dict) -> list[str]:
    """Every cell of ``expected`` that the parsed document has wrong: 'table.row.col: want != got'."""
    out = []
    for table, rows in expected.items():
        for row, cells in rows.items():
            for col, want in cells.items():
                got = ((doc.get("tables") or {}).get(table) or {}).get(row, {}).get(col, "MISSING")
                same = got == want or (isinstance(got, (int, float)) and isinstance(want, (int, float))
                                       and not isinstance(got, bool) and abs(got - want) < 1e-6)
                if not same:
                    out.append(f"{table}.{row}.{col}: {want!r} != {got!r}")
    return out


def cell_count(expected: dict) -> int:
    return sum(len(cells) for rows in expected.values() for cells in rows.values())


def layout_json(layout) -> str:
    """A canonical serialisation of a Layout, for byte-for-byte comparisons."""
    return json.dumps(asdict(layout), ensure_ascii=False, sort_keys=True)


def rows_of(layout, table: int | None = None) -> list[list[str]]:
    return [l.cells for l in layout.lines if l.cells is not None and (table is None or l.table == table)]


def row_starting(layout, label: str):
    """The first table row whose cells contain a cell equal to ``label``."""
    return next(l for l in layout.lines if l.cells and label in l.cells)
