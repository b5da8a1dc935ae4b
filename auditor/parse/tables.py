"""Read tables 二, 三 and 四 out of the token stream of their sections.

Each table is read as a sequence of *groups* — label text, then the run of
values after it (see :func:`auditor.parse.tokens.value_groups`).  A group's
label is matched to the template's rows by keywords, in template order; its
values fill the row's columns.  When a row holds more values than it has
columns, :func:`choose_values` decides which to keep by reasoning that does
not depend on the file: blank padding is dropped first, then the choice that
makes the row's own arithmetic hold, then stray zeros, then values at the
row's edges.  Every such decision is recorded as a note; no number is dropped
silently and none is invented.
"""
from __future__ import annotations

import re
from itertools import combinations

from auditor.normalize import compact, fold
from auditor.parse.tokens import Group, Token
from auditor.templates import (PROACTIVE_ROWS, REQUEST_COLUMNS, REQUEST_ROW_DEVIATIONS, REVIEW_COLUMNS,
                               REVIEW_GROUPS, Row, request_rows)

_WEAK_KEYWORDS = {"其他", "总计"}     # too common to name a row unless they are the whole label


class TableBuilder:
    """Collects a table's values, their provenance and the parser's notes."""

    def __init__(self, table: str):
        self.table = table
        self.rows: dict[str, dict] = {}
        self.cells: list[dict] = []
        self.notes: list[dict] = []

    def put(self, row: str, columns: tuple[str, ...], values: list[Token]) -> None:
        self.rows[row] = {}
        for column, tok in zip(columns, values):
            self.rows[row][column] = tok.value
            cell = {"table": self.table, "row": row, "column": column, "raw": tok.raw,
                    "value": tok.value, "page": tok.page, "line": tok.line}
            if tok.ref:
                cell["source"] = tok.ref      # e.g. the Word table, row and column
            self.cells.append(cell)

    def note(self, code: str, row: str | None, tokens: list[Token], zh: str, en: str, **extra) -> None:
        first = tokens[0] if tokens else None
        self.notes.append({"code": code, "table": self.table, "row": row, "message": zh, "message_en": en,
                           "line": first.line if first else None,
                           "page": first.page if first else None, **extra})


# -- choosing values ----------------------------------------------------------

def _identity_ok(values: list[Token], identity) -> bool:
    nums = [t.value for t in values]
    if any(v is None for v in nums):
        return False
    return identity(nums)


def choose_values(values: list[Token], expected: int, identity=None) -> tuple[list[Token], list[int], bool]:
    """Pick ``expected`` of ``values``; returns (kept, dropped positions, ambiguous)."""
    n = len(values)
    if n <= expected:
        return values, [], False
    # Blank padding at the end of a row (trailing empty cells) goes first.
    while len(values) > expected and values[-1].raw == "":
        values = values[:-1]
    if len(values) == expected:
        return values, list(range(expected, n)), False
    extra = len(values) - expected
    if extra > 3:
        return values[:expected], list(range(expected, len(values))), True
    best, best_score, outcomes = None, None, {}
    for drop in combinations(range(len(values)), extra):
        kept = [t for i, t in enumerate(values) if i not in drop]
        dropped = [values[i] for i in drop]
        edge = all(i < extra or i >= len(values) - extra for i in drop)
        # Prefer: the row's arithmetic holds; only zeros or blanks dropped; drops at the
        # row's edges; and, all else equal, the later positions (a stray trailing cell).
        score = (identity is not None and _identity_ok(kept, identity),
                 all(t.value == 0 or t.raw == "" for t in dropped), edge, sum(drop))
        outcomes.setdefault(score, set()).add(tuple(t.value for t in kept))
        if best_score is None or score > best_score:
            best, best_score = drop, score
    kept = [t for i, t in enumerate(values) if i not in best]
    ambiguous = len(outcomes[best_score]) > 1
    return kept, list(best), ambiguous


def _fit(builder: TableBuilder, row: str, columns: tuple[str, ...], group: Group, identity=None,
         label: str = "") -> None:
    """Put a group's values into a row, noting every departure from the expected shape."""
    values = group.values
    kept, dropped, ambiguous = choose_values(values, len(columns), identity)
    if dropped and any(values[i].raw != "" for i in dropped):
        builder.note("extra-values", row, values,
                     f"{label or row}：读到 {len(values)} 个数，应为 {len(columns)} 个；舍去第 "
                     f"{'、'.join(str(i + 1) for i in dropped)} 个（{'、'.join(values[i].raw for i in dropped)}）",
                     f"{label or row}: {len(values)} values where {len(columns)} are expected; dropped position(s) "
                     f"{', '.join(str(i + 1) for i in dropped)}",
                     found=len(values), expected=len(columns),
                     values=[t.raw for t in values], dropped=dropped, ambiguous=ambiguous)
    lines = {t.line for t in kept if t.line is not None}
    if len(lines) > 1 and not any(values[i].raw for i in dropped):
        builder.note("wrapped-values", row, kept,
                     f"{label or row}：一行的数值跨越了 {len(lines)} 行",
                     f"{label or row}: the row's values run over {len(lines)} lines", lines=sorted(lines))
    if len(kept) < len(columns):
        builder.note("missing-values", row, kept,
                     f"{label or row}：只读到 {len(kept)} 个数，应为 {len(columns)} 个，缺少的单元格记为空",
                     f"{label or row}: only {len(kept)} of {len(columns)} values; the missing cells are null",
                     found=len(kept), expected=len(columns), values=[t.raw for t in kept])
        last = kept[-1] if kept else (group.label_tokens[-1] if group.label_tokens else None)
        pad = Token("value", "", None, last.line if last else None, last.page if last else None)
        kept = kept + [pad] * (len(columns) - len(kept))
    builder.put(row, columns, kept)


# -- table 三 -------------------------------------------------------------------

_ENUMERATED = re.compile(r"(?:\d{1,2}[.、]|\([一二三四五六七八九十]\)|[一二三四五六七八九十]、)")


def _label_matches(row: Row, label: str, near: bool = True) -> int:
    """Position just after the row's keyword in ``label``, or -1.

    A weak keyword (其他, 总计) names a row only when it is the whole of the label's last
    enumerated item (``3.其他``, ``(七)总计``), or, for the next row expected (``near``),
    when it ends the label: header text is full of both words.
    """
    best = -1
    for kw in row.keywords:
        if kw in _WEAK_KEYWORDS:
            tail = _ENUMERATED.split(label)[-1].strip("()（）:：.。 ")
            if tail == kw or (near and label.rstrip(")）.。:").endswith(kw)):
                best = max(best, len(label))
            continue
        pos = label.rfind(kw)
        if pos >= 0:
            best = max(best, pos + len(kw))
    return best


def _label_body(label: str) -> str:
    """A template label without its enumerator: '2.其他法律…' → '其他法律…'."""
    return _ENUMERATED.sub("", label)


def _prefix_matches(row: Row, label: str) -> bool:
    """The label's last enumerated item is the start of the row's label, cut by a line break
    (``2.其他法律行政法规禁`` / ``止公开`` with the values on the first line)."""
    parts = _ENUMERATED.split(label)
    tail = parts[-1] if parts else ""
    body = _label_body(compact(row.label))
    return len(tail) >= 4 and body.startswith(tail)


def _tail(label: str) -> str:
    """The label's last enumerated item, without brackets and stops: '（三）不予公开 1.属于国家秘密'
    → '属于国家秘密'."""
    parts = _ENUMERATED.split(label)
    return (parts[-1] if parts else "").strip("()（）:：.。 ")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (labels are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def near(text: str, label: str) -> bool:
    """``text`` is ``label`` with one character missing, added or wrong (two in a label of
    twelve or more); labels under five characters must be exact."""
    if len(label) < 5 or abs(len(text) - len(label)) > 2:
        return False
    return edit_distance(text, label) <= (2 if len(label) >= 12 else 1)


def _near_label(row: Row, label: str) -> bool:
    """The label's last item is the row's label a character off: "属于国和秘密"."""
    return near(_tail(label), _label_body(compact(fold(row.label))))


def match_row(rows: tuple[Row, ...], start: int, label: str) -> tuple[int | None, str]:
    """Index of the first row at or after ``start`` that the label names, and how it was found:
    ``"keyword"``; ``"prefix"`` when only the start of the label was printed before the values;
    ``"near"`` when the label is the row's with a character missing or wrong."""
    flat = compact(label)
    for i in range(start, len(rows)):
        if _label_matches(rows[i], flat, near=i - start <= 1) >= 0:
            return i, "keyword"
    for i in range(start, min(start + 3, len(rows))):
        if _prefix_matches(rows[i], flat):
            return i, "prefix"
    for i in range(start, min(start + 3, len(rows))):
        if _near_label(rows[i], flat):
            return i, "near"
    return None, ""


def deviation_row(template: str, label: str) -> Row | None:
    """A row the report prints in place of the template's own (``REQUEST_ROW_DEVIATIONS``):
    the label's last item is that row's label exactly."""
    tail = _tail(compact(label))
    return next((r for r in REQUEST_ROW_DEVIATIONS.get(template, ()) if tail == _tail(compact(fold(r.label)))),
                None)


def _row_total_ok(nums: list) -> bool:
    return sum(nums[:-1]) == nums[-1]


def _run_together(groups: list[Group], g: int, rows, i: int) -> int:
    """How many rows a group's values fill when several rows ran together without labels
    between them (text extraction that puts each label elsewhere): the value count is a
    multiple of the row width *and* the next label names the row right after them."""
    width = len(REQUEST_COLUMNS)
    n = len(groups[g].values)
    if n < 2 * width or n % width:
        return 1
    k = n // width
    following = next((x for x in groups[g + 1:] if x.values), None)
    if i + k > len(rows):
        return 1
    if following is None:
        return k if i + k == len(rows) else 1
    return k if _label_matches(rows[i + k], compact(following.label)) >= 0 else 1


def read_requests(groups: list[Group], template: str) -> TableBuilder:
    rows = request_rows(template)
    builder = TableBuilder("requests")
    pos = 0
    for g, group in enumerate(groups):
        if not group.values:
            continue
        deviation = deviation_row(template, group.label)
        if deviation is not None:
            pos = _put_deviation(builder, rows, pos, deviation, group)
            continue
        i, how = match_row(rows, pos, group.label)
        if how == "near":
            builder.note("label-variant", rows[i].key, group.values,
                         f"行标签“{_tail(compact(group.label))}”与模板“{rows[i].label}”略有不同，按相近的模板行读取",
                         f"the row label {_tail(compact(group.label))!r} differs slightly from the "
                         f"template's {rows[i].label!r}; read as that row")
        if i is None and len(group.values) == len(REQUEST_COLUMNS) and pos < len(rows) \
                and any("\u4e00" <= ch <= "\u9fff" for ch in group.label):
            # A full row under a label the template does not know: it is the next row in order.
            i = pos
            builder.note("row-by-position", rows[i].key, group.values,
                         f"“{group.label[-30:]}”未能按标签识别，按表格行序记为“{rows[i].label}”",
                         f"the label {group.label[-30:]!r} was not recognised; by row order it is "
                         f"{rows[i].key}")
        if i is None:
            builder.note("unlabelled-values", None, group.values,
                         f"表三中有一组数值找不到所属的行（前面的文字：“{group.label[-30:]}”）",
                         "values in table 3 whose row could not be identified",
                         values=[t.raw for t in group.values])
            continue
        k = _run_together(groups, g, rows, i)
        width = len(REQUEST_COLUMNS)
        if k > 1:
            keys = [r.key for r in rows[i:i + k]]
            builder.note("rows-run-together", keys[0], group.values,
                         f"{k} 行的数值连在一起、中间没有行标签，按表格行序分给：{'、'.join(r.label for r in rows[i:i + k])}",
                         f"the values of {k} rows ran together without labels; assigned in template "
                         f"order to {', '.join(keys)}", rows=keys)
        for r in range(k):
            part = Group(group.label if r == 0 else "", [], group.values[r * width:(r + 1) * width]) \
                if k > 1 else group
            _fit(builder, rows[i + r].key, REQUEST_COLUMNS, part, _row_total_ok, rows[i + r].label)
        pos = i + k
    return builder


def _put_deviation(builder: TableBuilder, rows, pos: int, row: Row, group: Group) -> int:
    """Put a deviating row's values in a row of their own; the template's rows it stands for
    (the group's sub-rows) are passed over.  Returns the next position in the template."""
    _fit(builder, row.key, REQUEST_COLUMNS, group, _row_total_ok, row.label)
    builder.note("template-deviation", row.key, group.values,
                 f"表三以一行“{row.label}”代替模板的分项行，数值记入该行",
                 f"table 3 gives {row.label!r} as one row instead of the template's sub-rows; "
                 f"its values are kept in a row of their own ({row.key})")
    skipped = [i for i in range(pos, len(rows)) if rows[i].group == row.group]
    return skipped[-1] + 1 if skipped else pos


# -- table 四 -------------------------------------------------------------------

def _review_ok(nums: list) -> bool:
    return all(sum(nums[g * 5: g * 5 + 4]) == nums[g * 5 + 4] for g in range(3))


def read_review(groups: list[Group]) -> TableBuilder:
    """Table 四 is one row of 15 numbers in fixed order, whatever the header looks like."""
    builder = TableBuilder("review_litigation")
    values = [t for g in groups for t in g.values]
    if not values:
        return builder
    joined = _digits_wrapped(values, len(REVIEW_GROUPS) * len(REVIEW_COLUMNS))
    if joined is not None:
        builder.note("digits-wrapped", None, joined,
                     "表四的数字在窄栏中折成两行，已按列上下拼接（拼接后各组总计与分项相符）",
                     "table 4's numbers were broken over two lines in narrow columns; joined "
                     "column by column (each group's total then equals its parts)")
        values = joined
    flat = Group("", [], values)
    columns = tuple(f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    scratch = TableBuilder("review_litigation")
    _fit(scratch, "all", columns, flat, _review_ok, "表四")
    for cell in scratch.cells:
        group, column = cell["column"].split(".")
        builder.rows.setdefault(group, {})[column] = cell["value"]
        builder.cells.append({**cell, "row": group, "column": column})
    builder.notes += [{**n, "row": None} for n in scratch.notes]
    return builder


def _digits_wrapped(values: list[Token], width: int) -> list[Token] | None:
    """Numbers broken over two lines in narrow columns (``19 19 …`` over ``6 7 …``): two lines
    of ``width`` numbers each, the second of one or two digits, when the first line alone does
    not satisfy the table's arithmetic.  None when that is not what the values show."""
    lines = sorted({t.line for t in values if t.line is not None})
    if len(values) != 2 * width or len(lines) != 2:
        return None
    top = [t for t in values if t.line == lines[0]]
    bottom = [t for t in values if t.line == lines[1]]
    if len(top) != width or any(t.value is None or t.raw.startswith(("-", "+")) for t in values) \
            or any(len(t.raw) > 2 for t in bottom):
        return None
    joined = [Token("value", a.raw + b.raw, int(a.raw + b.raw) if (a.raw + b.raw).isdigit() else None,
                    a.line, a.page) for a, b in zip(top, bottom)]
    nums = [t.value for t in joined]
    if None in nums or _review_ok([t.value for t in top]):
        return None
    return joined


# -- table 二 -------------------------------------------------------------------

def read_proactive(groups: list[Group], template: str) -> TableBuilder:
    rows = PROACTIVE_ROWS[template]
    builder = TableBuilder("proactive")
    for group in groups:
        if not group.values:
            continue
        flat = compact(group.label)
        best, best_pos = None, -1
        for row in rows:
            for label in row.match:
                pos = flat.rfind(label)
                if pos >= 0 and pos + len(label) > best_pos:
                    best, best_pos = row, pos + len(label)
        if best is None:
            best = _near_proactive_row(rows, builder, group)
        if best is None:
            builder.note("unlabelled-values", None, group.values,
                         f"表二中有一组数值找不到所属的行（前面的文字：“{group.label[-30:]}”）",
                         "values in table 2 whose row could not be identified", values=[t.raw for t in group.values])
            continue
        if best.key in builder.rows:
            builder.note("repeated-row", best.key, group.values,
                         f"表二“{best.label}”出现两次，第二次被忽略",
                         f"row {best.key} of table 2 appears twice; the second was ignored", values=[t.raw for t in group.values])
            continue
        _fit(builder, best.key, best.columns, group, None, best.label)
    return builder


def _near_proactive_row(rows, builder: TableBuilder, group: Group):
    """The one row of table 二 not read yet whose label the group's last label word is, a
    character off ("行政规范性文", "行政事业收费"); None when there is not exactly one."""
    if not group.label_tokens:
        return None
    word = compact(group.label_tokens[-1].raw)
    found = [r for r in rows if r.key not in builder.rows and any(near(word, m) for m in (r.label,) + r.match)]
    if len(found) != 1:
        return None
    builder.note("label-variant", found[0].key, group.values,
                 f"行标签“{word}”与模板“{found[0].label}”略有不同，按相近的模板行读取",
                 f"the row label {word!r} differs slightly from the template's {found[0].label!r}; "
                 "read as that row")
    return found[0]
