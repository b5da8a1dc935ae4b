"""Word's automatic numbering: the labels (``一、``, ``（二）``, ``3.``) Word draws in front of
numbered paragraphs but keeps out of their text.

Reports often number their section headings and table labels this way; without the label
``一、总体情况`` reads as ``总体情况``.  :class:`Numbering` reads ``numbering.xml`` (and the
numbering a paragraph style carries) and gives each numbered paragraph its label, counting
as Word does: per list (``w:num``), a level's counter restarting when a higher level moves on.
"""
from __future__ import annotations

from auditor.read.ooxml import W, child_val, int_or

_DIGITS = "零一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (the counting Word's chineseCounting gives)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else
                                 ("一" + chinese(rest) if rest < 20 else chinese(rest)))
    return _DIGITS[hundreds % 10] + "百" + tail


def _roman(n: int) -> str:
    out = ""
    for value, text in _ROMAN:
        while n >= value:
            out, n = out + text, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter in a ``w:numFmt``; unknown formats as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese(n)
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n).upper() if fmt == "upperLetter" else _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The numbering definitions of a document and the counters of its lists."""

    def __init__(self, numbering_el, styles_el):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}   # numId → ilvl → (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}                # styleId → (numId, ilvl)
        if numbering_el is not None:
            self._read(numbering_el)
        if styles_el is not None:
            self._styles(styles_el)

    def _read(self, el) -> None:
        abstract = {}
        for a in el.iterfind(W + "abstractNum"):
            abstract[a.get(W + "abstractNumId")] = _levels(a)
        for num in el.iterfind(W + "num"):
            levels = dict(abstract.get(child_val(num, W + "abstractNumId"), {}))
            for o in num.iterfind(W + "lvlOverride"):
                ilvl = int_or(o.get(W + "ilvl"), 0)
                lvl = o.find(W + "lvl")
                if lvl is not None:
                    levels.update(_levels(o))
                start = child_val(o, W + "startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int_or(start, 1),) + levels[ilvl][1:]
            self.levels[num.get(W + "numId")] = levels

    def _styles(self, el) -> None:
        based: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for s in el.iterfind(W + "style"):
            sid = s.get(W + "styleId")
            based[sid] = child_val(s, W + "basedOn")
            num = s.find(f"{W}pPr/{W}numPr")
            if num is not None:
                own[sid] = (child_val(num, W + "numId"), int_or(child_val(num, W + "ilvl"), 0))
        for sid in based:
            seen, cur = set(), sid
            while cur and cur not in own and cur not in seen:
                seen.add(cur)
                cur = based.get(cur)
            if cur in own and own[cur][0]:
                self.style_num[sid] = own[cur]

    def label(self, p) -> str:
        """The label Word draws in front of paragraph ``p`` ("" when it is not numbered); counts."""
        ppr = p.find(W + "pPr")
        num_id, ilvl = None, 0
        if ppr is not None:
            style = child_val(ppr, W + "pStyle")
            if style in self.style_num:
                num_id, ilvl = self.style_num[style]
            num = ppr.find(W + "numPr")
            if num is not None:
                num_id = child_val(num, W + "numId") or num_id
                ilvl = int_or(child_val(num, W + "ilvl"), ilvl)
        levels = self.levels.get(num_id) if num_id else None
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        for k in range(9):
            if f"%{k + 1}" in text:
                value = counters.get(k, levels.get(k, (1, "", ""))[0])
                text = text.replace(f"%{k + 1}", format_number(value, levels.get(k, (1, fmt, ""))[1]))
        return text


def _levels(el) -> dict[int, tuple[int, str, str]]:
    out = {}
    for lvl in el.iterfind(W + "lvl"):
        out[int_or(lvl.get(W + "ilvl"), 0)] = (int_or(child_val(lvl, W + "start"), 1),
                                                child_val(lvl, W + "numFmt") or "decimal",
                                                child_val(lvl, W + "lvlText") or "")
    return out
