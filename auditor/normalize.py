"""Text normalisation shared by every reader and the parser.

Two levels:

* :func:`normalize_line` — what readers apply to every line or cell: Unicode
  compatibility folding (full-width ASCII, digits and punctuation → half-width,
  NBSP → space), zero-width characters and BOMs removed, traditional
  characters folded to simplified, runs of whitespace collapsed.  Spaces are
  kept, because they separate table cells in copied text.
* :func:`join_cjk` — for matching and for narrative text: spaces that touch
  a Chinese character are dropped (``2023 年`` → ``2023年``, ``规 章`` →
  ``规章``, ``结果 维持`` → ``结果维持``), spaces between two numbers stay.
  :func:`compact` drops every space.
"""
from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")

# Traditional → simplified, for the characters of template labels, headings
# and the phrases rules look for.  Only unambiguous one-to-one folds.
_TRAD = (
    "總总體体況况動动開开資资訴诉請请處处數数據据號号國国機机關关規规範范條条項项內内發发廢废現现"
    "許许罰罚強强製制費费額额萬万結结轉转繼继續续辦办維维糾纠審审計计複复議议訟讼報报問问題题進进"
    "務务業业構构組组織织會会專专屬属於于護护權权稅税類类過过執执詢询沒没補补確确訪访舉举無无當当"
    "產产實实際际經经營营戶户門门網网設设臺台監监縣县區区級级單单徵征檢检統统間间時时從从應应對对"
    "與与為为將将這这個个們们來来後后決决驗验標标準准線线點点學学習习傳传導导讀读訂订責责負负徑径"
    "圍围歸归檔档聯联絡络電电話话郵邮編编達达義义層层採采購购額额減减製制歷历屆届讓让認认識识覽览"
    "獲获併并簡简況况辭辞職职員员導导勵励懲惩辦办況况證证續续邊边縣县鎮镇鄉乡區区廳厅屬属處处長长"
)
TRAD_TO_SIMP = {ord(_TRAD[i]): _TRAD[i + 1] for i in range(0, len(_TRAD) - 1, 2)}

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’、。，；：？！（）《》【】"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")

# Characters NFKC leaves alone that reports use interchangeably.
_PUNCT = str.maketrans({
    "\u2014": "—", "\u2015": "—", "\u2500": "—", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u3001": "、", "\u00b7": "·", "\u2027": "·", "\u30fb": "·",
    "\u201c": "“", "\u201d": "”", "\u300c": "“", "\u300d": "”", "\u3014": "(", "\u3015": ")",
    "\u3010": "[", "\u3011": "]", "\u3002": "。",
})


# One pass over the text finds what to fold; str.translate would look up every character.
_FOLDS = {**{chr(k): v for k, v in _PUNCT.items()}, **{chr(k): v for k, v in TRAD_TO_SIMP.items()}}
_TO_FOLD = re.compile("[%s]" % "".join(map(re.escape, _FOLDS)))


def _fold_match(m: re.Match) -> str:
    return _FOLDS[m.group()]


def fold(text: str) -> str:
    """Width, compatibility, zero-width and traditional folding; whitespace untouched."""
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text))
    return _TO_FOLD.sub(_fold_match, text)


def normalize_line(text: str) -> str:
    """A line or a cell as readers hand it to the parser."""
    return normalize_text(text).strip()


def normalize_text(text: str) -> str:
    """:func:`normalize_line` without the strip (for text cut into cells afterwards)."""
    if not text.isascii():        # ASCII has nothing to fold (most table cells)
        text = fold(text)
    if "  " in text or "\t" in text or "\u3000" in text or "\xa0" in text:
        return _SPACES.sub(" ", text)
    return text                   # only single spaces: nothing to do (the common case)


def join_cjk(text: str) -> str:
    """Drop the spaces copy-and-paste puts inside Chinese text; keep those between numbers."""
    return _SPACE_NEAR_CJK.sub("", text).strip()


def compact(text: str) -> str:
    """Every space dropped: the form keywords and labels are matched in.  (``str.split`` and
    ``\\s`` know the same whitespace; the split is several times quicker.)"""
    return "".join(text.split())


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_BOLD = re.compile(r"\*\*|__")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_RULE = re.compile(r"^\s{0,3}([-*_=])(\s*\1){2,}\s*$")
_MD_SPAN = re.compile(r"\[([^\[\]]*)\]\s?\{[^{}]*\}")          # pandoc's bracketed spans [96]{lang="EN-US"}
_MD_FENCE = re.compile(r"^\s{0,3}:{3,}")                  # pandoc's fenced divs (::: main)
_MD_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}]*\}\s*$")      # pandoc's heading attributes {#id .class}


def strip_markdown(text: str) -> str:
    """Remove Markdown heading marks, bold marks, block quotes and pandoc's span and heading
    attributes; a rule line or a fenced-div line becomes empty."""
    if _MD_RULE.match(text) or _MD_FENCE.match(text):
        return ""
    text = _MD_ATTRIBUTES.sub("", _MD_HEADING.sub("", _MD_SPAN.sub(r"\1", text)))
    text = _MD_QUOTE.sub("", text)
    return _MD_BOLD.sub("", text)


# What a table cell holds when it is not label text: a number (``3,985,758``, ``4068.208``,
# ``+12``, ``251000元``) or a placeholder for a blank.  Readers use it to tell label cells
# from value cells; the parser to read the values.
PLACEHOLDERS = {"/", "／", "\\", "-", "--", "—", "——", "———", "无", "空", "－", "–", "...", "…", "*",
                "—-", "-—", "/ /", "×"}
CELL_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元)?$")


def is_cell_value(text: str) -> bool:
    """True when a cell's text is a number or a blank placeholder (not label text)."""
    s = text.strip()
    return s in PLACEHOLDERS or bool(CELL_NUMBER.match(s.replace(" ", "")))
