"""S1xx — structure: sections, tables, schema, template, extraction damage."""
from __future__ import annotations

import re

from auditor import templates as T
from auditor.rules.api import (Option, compact, doc_template, expected_template, rule, section,
                               section_location, section_name, section_text, table)


TABLE_KEYS = ("proactive", "requests", "review_litigation")


@rule(code="S101", name="section-missing", title_zh="缺少报告部分", title_en="Report section missing",
      severity="error", weight=15, per_failure=5)
def section_missing(doc, ctx):
    """Each of the six sections of the national format is present.

    **What it checks.** The parsed document has all six sections: 一、总体情况,
    二、主动公开政府信息情况, 三、收到和处理政府信息公开申请情况, 四、政府信息公开行政复议、行政诉讼情况,
    五、存在的主要问题及改进情况, 六、其他需要报告的事项. Heading variants (e.g. 五、存在的问题及改进措施,
    四、因政府信息公开工作被申请行政复议、提起行政诉讼情况) are recognised by the parser, so a
    renamed heading still counts. One finding per missing section.

    **Why.** 《政府信息公开条例》第五十条 lists the content the report "应当包括", and
    国办公开办函〔2021〕30号 (like 〔2019〕60号 before it) fixes the six-part format:
    "不能遗漏，也不宜泛化".

    **Passes:** a report with headings 一 to 六.

    **Fails:** a report that ends after 五、存在的主要问题及改进情况 (no 六) →
    "缺少第六部分“六、其他需要报告的事项”".
    """
    for sec in T.SECTIONS:
        if section(doc, sec.key) is None:
            zh, en = section_name(sec.key)
            yield ctx.finding(f"缺少第{zh[0]}部分“{zh}”", f"Missing {en}: “{zh}”",
                              section=sec.key, data={"section": sec.number})


@rule(code="S102", name="section-order", title_zh="报告部分顺序或编号不符", title_en="Sections out of order",
      severity="warning", weight=3, per_failure=1)
def section_order(doc, ctx):
    """Sections appear in template order, each once, numbered as the template numbers them.

    **What it checks.** Ordered by the line where each heading was found, the sections
    must run 一, 二, 三, 四, 五, 六. A section printed with another number than the
    template's (e.g. 其他需要报告的事项 numbered 七) and a section the parser saw twice
    (a ``duplicate-section`` note) are reported too.

    **Why.** 国办公开办函〔2021〕30号 prescribes a unified format ("统一格式", 条例第五十条);
    evaluators check that the format is used "严禁擅自删减报告事项" and in order.

    **Passes:** headings in the order 一 … 六.

    **Fails:** 五、存在的主要问题及改进情况 on line 80 and 四、政府信息公开行政复议、行政诉讼情况
    on line 95 → "第四部分出现在第五部分之后".
    """
    found = []
    for sec in T.SECTIONS:
        s = section(doc, sec.key)
        if s is None:
            continue
        number = s.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and number != sec.number:
            zh, en = section_name(sec.key)
            yield ctx.finding(
                f"“{sec.heading}”编号为{_cn(number)}，模板为第{zh[0]}部分",
                f"“{sec.heading}” is numbered {number}; the template makes it {en}",
                data={"number": number, "expected": sec.number}, **section_location(doc, sec.key))
        line = s.get("line")
        if isinstance(line, int) and not isinstance(line, bool):
            page = s.get("page") if isinstance(s.get("page"), int) else 0
            found.append(((page, line), sec))   # PDF lines are numbered per page
    found.sort(key=lambda item: item[0])
    highest = None
    for (_, line), sec in found:
        if highest is not None and sec.number < highest.number:
            zh, en = section_name(sec.key)
            hz, hen = section_name(highest.key)
            yield ctx.finding(
                f"第{zh[0]}部分“{zh}”（第{line}行）出现在第{hz[0]}部分“{hz}”之后",
                f"{en} (line {line}) comes after {hen}",
                data={"section": sec.number, "after": highest.number}, **section_location(doc, sec.key))
        elif highest is None or sec.number > highest.number:
            highest = sec
    for note in _notes(doc, ("duplicate-section",)):
        key = note.get("section") if _str(note.get("section")) in T.SECTION_BY_KEY else None
        what_zh, what_en = section_name(key) if key else ("某部分", "a section")
        yield ctx.finding(f"“{what_zh}”重复出现：{note.get('message', '')}",
                          f"{what_en.capitalize()} appears twice: {note.get('message_en') or note.get('message', '')}",
                          section=key, line=_int(note.get("line")), page=_int(note.get("page")))


def _cn(n: int) -> str:
    return T.CHINESE_NUMERALS[n - 1] if 1 <= n <= len(T.CHINESE_NUMERALS) else str(n)


@rule(code="S103", name="table-missing", title_zh="缺少统计表格", title_en="Statistics table missing",
      severity="error", weight=15, per_failure=5)
def table_missing(doc, ctx):
    """Tables 二, 三 and 四 are present as numbers in the text.

    **What it checks.** For each of table 二 (主动公开政府信息情况), 三 (收到和处理政府信息公开申请情况)
    and 四 (行政复议、行政诉讼情况), the document holds the table with at least one number.
    A heading followed directly by the next heading — the table was published as an
    image, or left out — gives no numbers and fails. One finding per table.

    **Why.** The three tables are the core of the format of 国办公开办函〔2021〕30号 (〔2019〕60号
    for 2019–2020) and carry the data of 条例第五十条 (一)–(三). An image-only table cannot
    be checked or reused ("可获取性").

    **Passes:** table 三 with 25 rows of numbers.

    **Fails:** "三、收到和处理政府信息公开申请情况" followed at once by "四、…" →
    "缺少表三（收到和处理政府信息公开申请情况）的数据".
    """
    for key in TABLE_KEYS:
        tab = table(doc, key)
        if tab is None or not _has_number(tab):
            label = T.TABLE_LABELS[key]
            reason_zh = "未找到" if tab is None else "只有表头、没有数字（可能是图片）"
            reason_en = "not found" if tab is None else "has no numbers (an image?)"
            sec = "requests" if key == "requests" else key
            loc = section_location(doc, sec) if section(doc, sec) else {"section": sec}
            loc["table"] = key
            yield ctx.finding(f"缺少{label}的数据：{reason_zh}",
                              f"{T.TABLE_LABELS_EN[key].capitalize()} {reason_en}",
                              data={"table": key}, **loc)


def _has_number(value) -> bool:
    if isinstance(value, dict):
        return any(_has_number(v) for v in value.values())
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@rule(code="S104", name="table-incomplete", title_zh="表格不完整（不符合模板结构）",
      title_en="Table incomplete (document fails the template's JSON Schema)",
      severity="error", weight=10, per_failure=1)
def table_incomplete(doc, ctx):
    """The document validates against the JSON Schema of its template: every row and column of each table.

    **What it checks.** Reports each JSON Schema validation error the engine found
    (``ctx.schema_errors``): a row or column of table 二/三/四 that is missing, an extra
    row the template does not have (e.g. a "（三）不予公开（小计）" subtotal), a malformed
    key. Errors about a cell's *value* (negative, fractional, text) are left to A205,
    and a table that is missing altogether to S103.

    **Why.** Evaluators check "统一格式、不得擅自删减" (国办公开办函〔2021〕30号; 重庆: "严禁擅自删减报告事项");
    every row and column of the template must be reported, even when zero.

    A table whose rows are exactly those of the other template (a 2021 report that keeps the
    2019 table 二) is S105's business and not reported here.

    **Passes:** table 三 with all 25 rows of the 2021 template and 7 columns each.

    **Fails:** table 三 without the row "2.没有现成信息需要另行制作" → "表三缺少行“2.没有现成信息需要另行制作”".
    """
    other_layout = _tables_on_other_template(doc)
    for err in ctx.schema_errors or ():
        if not isinstance(err, dict) or _is_value_error(doc, err) or err.get("table") in other_layout:
            continue
        tab, row, col = err.get("table"), err.get("row"), err.get("column")
        message = str(err.get("message", ""))
        missing = err.get("missing") or re.findall(r"'([^']+)' is a required property", message)
        where_zh = _where_zh(tab, row, col, doc)
        if missing and tab and not col:
            names = [T.row_label(tab, m, doc_template(doc) or "2021") if not row else T.column_label(tab, m)
                     for m in missing]
            zh = f"{where_zh}缺少{'行' if not row else '列'}" + "、".join(f"“{n}”" for n in names)
        else:
            zh = f"{where_zh or '文档'}不符合模板结构：{message}"
        en = f"{err.get('path') or 'document'}: {message}"
        yield ctx.finding(zh, en, table=tab, row=row, column=col,
                          data={"path": err.get("path"), "message": message})


def _tables_on_other_template(doc: dict) -> set[str]:
    """Tables whose rows are exactly another template's (a 2021 report keeping the 2019 table
    二): S105 reports the layout, so the rows it lacks are not reported again here."""
    own = doc_template(doc)
    out = set()
    for name, rows_of in (("proactive", T.proactive_rows),):
        rows = table(doc, name)
        if not rows or own not in T.TEMPLATES:
            continue
        keys = set(rows)
        if any(keys == {r.key for r in rows_of(t)} for t in T.TEMPLATES if t != own) \
                and keys != {r.key for r in rows_of(own)}:
            out.add(name)
    return out


def _is_value_error(doc: dict, err: dict) -> bool:
    """True when the error is about the value of a cell that is there (A205's business)."""
    tab, row, col = err.get("table"), err.get("row"), err.get("column")
    if not (tab and row and col):
        return False
    t = table(doc, tab) or {}
    r = t.get(row)
    return isinstance(r, dict) and col in r


def _where_zh(tab, row, col, doc) -> str:
    if not tab:
        return ""
    out = T.TABLE_LABELS.get(tab, tab)
    if row:
        out += f"“{T.row_label(tab, row, doc_template(doc) or '2021')}”"
    if col:
        out += f"“{T.column_label(tab, col)}”"
    return out


@rule(code="S105", name="template-mismatch", title_zh="表格格式与报告年度的模板不符",
      title_en="Table layout does not match the template of the report year",
      severity="error", weight=10,
      options={"min_fingerprints": Option(2, "integer",
                                          "how many labels of another template make a mismatch")})
def template_mismatch(doc, ctx):
    """The table layout matches the template the report year requires.

    **What it checks.** The parser lists the template-specific labels it found
    (``template_fingerprints``). A report whose year requires the 2021 template
    (2021 onward) but whose tables use 2019 labels — 本年新制作数量, 上一年项目数量, 本年增/减,
    政府集中采购 … — fails, and the reverse for 2019–2020 reports. The year→template mapping
    comes from the configuration (default 2019–2020 → 2019, 2021 on → 2021). At least
    ``min_fingerprints`` labels of the other template are needed (one stray word is
    not a layout).

    **Why.** 国办公开办函〔2021〕30号 replaced the 2019 format (国办公开办函〔2019〕60号) for
    reports from 2021 on; the 2021 template also added table 三's （六）其他处理 sub-rows for
    the 信息处理费 of 国办函〔2020〕109号.

    **Passes:** a 2023 report with 本年制发件数 / 本年废止件数 / 现行有效件数.

    **Fails:** a 2023 report whose table 二 has 本年新制作数量, 本年新公开数量, 对外公开总数量 →
    "2023年度报告应使用2021年模板，但表格使用了2019年模板的栏目：本年新制作数量、…".
    """
    expected = expected_template(doc, ctx)
    if expected is None:
        return
    prints = doc.get("template_fingerprints")
    year = doc.get("year") or ctx.year
    if isinstance(prints, dict):
        for other, labels in prints.items():
            if other == expected or not isinstance(labels, list):
                continue
            if len(labels) >= ctx.options.get("min_fingerprints", 2):
                shown = "、".join(str(x) for x in labels[:6])
                yield ctx.finding(
                    f"{year}年度报告应使用{expected}年模板，但表格使用了{other}年模板的栏目：{shown}",
                    f"A {year} report must use the {expected} template, but its tables use labels "
                    f"of the {other} template: {', '.join(str(x) for x in labels[:6])}",
                    table="proactive", data={"expected": expected, "found": other, "labels": labels})
        return
    found = doc.get("template")
    if found in T.TEMPLATES and found != expected:
        yield ctx.finding(f"{year}年度报告应使用{expected}年模板，但表格为{found}年模板",
                          f"A {year} report must use the {expected} template, but its tables are on the "
                          f"{found} template", table="proactive",
                          data={"expected": expected, "found": found})


BARE_NIL = {"", "无", "暂无", "没有", "无。", "无.", "此项无", "本项无", "无相关情况", "不涉及"}


@rule(code="S106", name="section-empty", title_zh="报告部分内容为空", title_en="Section empty",
      severity="error", weight=10, per_failure=5,
      options={"min_chars": Option(10, "integer",
                                   "五 with fewer characters (punctuation and spaces aside) is empty")})
def section_empty(doc, ctx):
    """Section 五 states problems and improvements (not empty, not a bare "无"); section 一 is not empty.

    **What it checks.** 五、存在的主要问题及改进情况 must have real text: not empty, not
    "无"/"暂无", and at least ``min_chars`` characters. 一、总体情况 must not be empty or
    "无". A section that is missing altogether is S101's business.

    **Why.** 《政府信息公开条例》第五十条第（四）项 requires "政府信息公开工作存在的主要问题及改进情况";
    国办公开办函〔2021〕30号: "不能遗漏，也不宜泛化". Every agency has something to improve.

    **Passes:** 五: "一是政策解读形式比较单一……下一步，将丰富解读形式……".

    **Fails:** 五: "无" → "第五部分“五、存在的主要问题及改进情况”内容为空或仅为“无”".
    """
    checks = (("problems", int(ctx.options.get("min_chars", 10))), ("overall", 1))
    for key, minimum in checks:
        if section(doc, key) is None:
            continue
        body = re.sub(r"[\W_]+", "", compact(section_text(doc, key)))
        if compact(section_text(doc, key)) in BARE_NIL or body in BARE_NIL or len(body) < minimum:
            zh, en = section_name(key)
            yield ctx.finding(f"第{zh[0]}部分“{zh}”内容为空或仅为“{compact(section_text(doc, key)) or '（空）'}”",
                              f"{en.capitalize()} is empty or only “{compact(section_text(doc, key))}”",
                              data={"chars": len(body), "min_chars": minimum},
                              **section_location(doc, key))


SHAPE_CODES = ["extra-values", "missing-values"]


@rule(code="S107", name="table-shape", title_zh="表格行数字个数与列数不符（提取损坏）",
      title_en="Table row held more or fewer numbers than its columns (extraction damage)",
      severity="warning", weight=3, per_failure=1,
      options={"codes": Option(SHAPE_CODES, schema={"type": "array", "items": {"type": "string"}},
                               help="parser note codes that count as table-shape damage")})
def table_shape(doc, ctx):
    """A table row held more or fewer numbers than the template has columns.

    **What it checks.** Reports each note the parser left when a row of table 二/三/四
    had extra numbers (``extra-values``: e.g. 16 numbers where table 四 has 15) or too
    few (``missing-values``), saying what the parser did with them. Numbers merely
    wrapped onto the next line (``wrapped-values``) are normal text layout, not damage.
    The option ``codes`` lists the note codes that count. Several damaged rows of one
    table (typically a stray extra column) make one finding listing the rows.

    **Why.** The tables of 国办公开办函〔2021〕30号 have fixed columns (table 四: 15 numbers in
    a fixed order). A row with the wrong count means the published table is malformed or
    was damaged by conversion, so the figures read from it are uncertain — evaluators
    require "数据精确".

    **Passes:** table 四 as one row of 15 numbers.

    **Fails:** table 四 row "0 0 0 … 0" with 16 numbers → "表四一行有16个数字，模板为15个".
    """
    codes = tuple(ctx.options.get("codes") or SHAPE_CODES)
    groups: dict[tuple, list[dict]] = {}
    for note in _notes(doc, codes):
        note = {**note, "table": _str(note.get("table")), "row": _str(note.get("row")),
                "found": _int(note.get("found")), "expected": _int(note.get("expected")),
                "line": _int(note.get("line")), "page": _int(note.get("page"))}
        groups.setdefault((note["table"], note.get("code")), []).append(note)
    for (tab, code), notes in groups.items():
        yield _shape_finding(doc, ctx, notes[0]) if len(notes) == 1 else _shape_group(doc, ctx, tab, code, notes)


def _shape_finding(doc, ctx, note):
    tab, row = note.get("table"), note.get("row")
    name = T.TABLE_LABELS.get(tab, "表格")
    name_en = T.TABLE_LABELS_EN.get(tab, "a table")
    found, expected = note.get("found"), note.get("expected")
    if found is not None and expected is not None:
        where = f"“{T.row_label(tab, row, doc_template(doc) or '2021')}”行" if row and tab else "一行"
        zh = f"{name}{where}有{found}个数字，模板为{expected}个"
        en = f"A row of {name_en}{f' ({row})' if row else ''} held {found} numbers where the template has {expected}"
    else:
        zh = f"{name}一行的数字个数与列数不符"
        en = f"A row of {name_en}{f' ({row})' if row else ''} held a wrong count of numbers"
    if note.get("message"):          # the parser says what it did with them
        zh += f"（解析：{note['message']}）"
    if note.get("message_en") or note.get("message"):
        en += f" (parser: {note.get('message_en') or note.get('message')})"
    return ctx.finding(zh, en, table=tab, row=row, line=note.get("line"), page=note.get("page"),
                       data={k: note.get(k) for k in ("code", "found", "expected", "dropped")
                             if note.get(k) is not None})


def _shape_group(doc, ctx, tab, code, notes):
    """Many damaged rows of one table: one finding (the same damage, usually a stray column)."""
    name = T.TABLE_LABELS.get(tab, "表格")
    name_en = T.TABLE_LABELS_EN.get(tab, "a table")
    found = sorted({n.get("found") for n in notes if n.get("found") is not None})
    expected = next((n.get("expected") for n in notes if n.get("expected") is not None), None)
    counts = "–".join(str(x) for x in (found[0], found[-1])) if len(found) > 1 else (str(found[0]) if found else "?")
    lines = [n.get("line") for n in notes if isinstance(n.get("line"), int)]
    action_zh = "舍去多余的数字" if code == "extra-values" else "缺少的单元格记为空" if code == "missing-values" else "按模板列数调整"
    action_en = "dropped the extra numbers" if code == "extra-values" else \
        "left the missing cells blank" if code == "missing-values" else "fitted them to the template"
    span = f"（第{min(lines)}–{max(lines)}行）" if lines else ""
    first = notes[0]
    return ctx.finding(
        f"{name}有{len(notes)}行的数字个数与列数不符：每行{counts}个，模板为{expected}个；解析时{action_zh}{span}",
        f"{len(notes)} rows of {name_en} held {counts} numbers where the template has {expected}; "
        f"the parser {action_en}" + (f" (lines {min(lines)}–{max(lines)})" if lines else ""),
        table=tab, row=first.get("row"), line=first.get("line"), page=first.get("page"),
        data={"code": code, "rows": [n.get("row") for n in notes], "lines": lines, "found": found,
              "expected": expected})


@rule(code="S108", name="ocr-uncertain", title_zh="扫描件中有识别不确定的单元格（按未知处理）",
      title_en="Cells of a scanned report read with uncertainty (treated as unknown)",
      severity="info", weight=2, per_failure=1)
def ocr_uncertain(doc, ctx):
    """Lists the table cells of a scanned report that OCR could not read with confidence.

    **What it checks.** A scan (image-only PDF or page images) is read by OCR. A cell whose
    number has a digit in doubt, whose text looks like a number but is none (``9O``), or
    whose ink reads as nothing is never taken for a number: the reader keeps the raw reading
    and leaves an ``ocr-uncertain`` note with the page and the cell's box (points from the
    page's top left). One finding per page lists its uncertain cells; the figures of those
    cells are unknown to every other rule, as if blank, so a person should look at them.

    **Why.** 《政府信息公开条例》第五十条 and 国办公开办函〔2021〕30号 require the annual report's
    statistics to be exact ("数据精确"); a number guessed from a blurred scan would make
    every arithmetic check and score built on it unreliable.

    **Passes:** a text PDF, or a scan whose every cell was read with confidence.

    **Fails:** page 2 of a scan where one cell read as “58?” →
    "第2页有1个单元格识别不确定（按未知处理）：“58?”".
    """
    pages: dict[int | None, list[dict]] = {}
    for note in _notes(doc, ("ocr-uncertain",)):
        pages.setdefault(_int(note.get("page")), []).append(note)
    for page, notes in sorted(pages.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        raws = "、".join(f"“{_str(n.get('raw')) or ''}”" for n in notes[:10]) + ("等" if len(notes) > 10 else "")
        where_zh, where_en = (f"第{page}页", f"page {page}") if page else ("扫描件", "the scan")
        yield ctx.finding(
            f"{where_zh}有{len(notes)}个单元格识别不确定（按未知处理）：{raws}",
            f"{len(notes)} cell(s) on {where_en} read with uncertainty, treated as unknown: "
            + ", ".join(repr(_str(n.get("raw")) or "") for n in notes[:10]) + (" …" if len(notes) > 10 else ""),
            page=page,
            data={"cells": [{k: n.get(k) for k in ("box", "raw", "confidence", "reason")} for n in notes]})


def _str(v):
    return v if isinstance(v, str) else None


def _int(v):
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _notes(doc: dict, codes) -> list[dict]:
    notes = doc.get("notes")
    if not isinstance(notes, list):
        return []
    return [n for n in notes if isinstance(n, dict) and isinstance(n.get("code"), str) and n["code"] in codes]


RULES = [section_missing, section_order, table_missing, table_incomplete, template_mismatch,
         section_empty, table_shape, ocr_uncertain]
