"""HTML (government CMS pages) → :class:`auditor.layout.Layout`.

Standard library only (:mod:`html.parser`).  The steps:

1. decode: BOM, ``<meta charset>`` / ``http-equiv`` / ``<?xml encoding?>``, else
   sniffed (UTF-8, else GB18030 — the superset of GB2312 and GBK);
2. build a lenient element tree (unclosed ``<p>``, ``<td>``, ``<tr>``, ``<li>``
   are closed the way browsers do);
3. find the report body: walk down from ``<body>`` while one child holds
   nearly all of the page's non-link text and all of its data tables — that
   drops navigation, breadcrumbs and footers; the page title is put back in
   front when the body does not start with it;
4. render: a block element or ``<br>`` ends a line; a data table (one without
   nested tables) gives one line per ``<tr>`` with its cells in order (a
   merged cell once, in the row where it starts), ``<br>`` inside a cell
   joins the cell's lines into one text; a layout table (one holding tables)
   is rendered as blocks;
5. keep the publication date (``<meta name="PubDate">`` and kin, or a
   ``发布时间：2023-02-20`` text) as ISO ``Layout.published``.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html import escape, unescape

from auditor.errors import CorruptFile, EmptyFile, NotAReport
from auditor.layout import Layout, Line
from auditor.read.decode import decode as decode_text

from auditor.normalize import normalize_line as clean  # the one normaliser of every reader
from auditor.normalize import compact, normalize_text


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "x-euc-cn",
       "csgb2312", "chinese", "iso-ir-58", "windows-936", "ms936"}
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)


def codec_for(name: str) -> str | None:
    """The Python codec of a declared charset (GB2312 and GBK read as GB18030), or None."""
    name = name.strip().lower()
    if name in _GB:
        return "gb18030"
    if name in ("big5", "big5-hkscs", "x-x-big5"):
        return "big5hkscs"
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):          # ValueError: a name with a NUL in it
        return None


def declared_encoding(data: bytes) -> str | None:
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return codec_for(m.group(1).decode("ascii", "ignore")) if m else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode an HTML page; returns (text, encoding used)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    declared = declared_encoding(data)
    for enc in dict.fromkeys(e for e in (declared, "utf-8", "gb18030") if e):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    enc = declared or "utf-8"
    text = data.decode(enc, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 20):
        raise CorruptFile("无法识别网页的文字编码", "cannot decode the web page's text encoding")
    return text, enc + " (with replacements)"


# --------------------------------------------------------------------------
# A lenient element tree
# --------------------------------------------------------------------------

class Node:
    """An element: its children (elements and text, in order), its elements alone (``kids``),
    and whether a table sits anywhere below it (``has_table``, set while the tree is built)."""
    __slots__ = ("tag", "raw", "_attrs", "line", "children", "kids", "has_table",
                 "skipped", "cell_text", "plain_stats", "plain_rows")

    def __init__(self, tag: str, raw: str, line: int):
        self.tag, self.raw, self.line = tag, raw, line
        self._attrs: dict | None = None   # parsed from ``raw`` on first use
        self.skipped: bool | None = None  # memo of _skipped()
        self.cell_text: str | None = None  # memo of _cell_text()
        self.plain_stats: tuple | None = None  # (text, tables) of a table read by the fast path
        self.plain_rows: list | None = None    # its rows: (line, [cell text, …]), finished
        self.children: list = []          # Node | Text
        self.kids: list[Node] = []
        self.has_table = False

    @property
    def attrs(self) -> dict:
        if self._attrs is None:
            self._attrs = dict(_attrs(self.raw)) if self.raw.strip() else {}
        return self._attrs

    def append(self, node: "Node") -> None:
        self.children.append(node)
        self.kids.append(node)


class Text:
    __slots__ = ("text", "line")

    def __init__(self, text: str, line: int):
        self.text, self.line = text, line


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "frame"}
SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "head", "select", "button",
        "textarea", "object", "canvas", "map", "frameset"}
BLOCK = {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
         "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
         "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre",
         "section", "summary", "table", "ul", "tr", "td", "th", "caption", "tbody", "thead",
         "tfoot", "body", "html", "title", "option", "legend"}
CLOSES_P = BLOCK - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html",
                    "title", "option", "legend", "dd", "dt", "li", "summary"}
TABLE_PARTS = {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup"}


_NO_TEXT = {"table", "tbody", "thead", "tfoot", "tr", "colgroup", "ul", "ol", "dl", "select"}


# Elements nested deeper than this are put beside each other, as browsers do past their own limit
# (Chrome's is 512): the walks over the tree recurse once or twice a level.
MAX_DEPTH = 256


class _TreeBuilder:
    """Builds a lenient tree from the tokens of :func:`tokenize` (browsers' main repairs; no
    element deeper than :data:`MAX_DEPTH`)."""

    def __init__(self):
        self.line = 1
        self.root = Node("#root", "", 1)
        self.stack = [self.root]
        self.metas: list[dict] = []
        self.title: list[str] = []
        self._in_title = False

    def _open(self, tag: str) -> int | None:
        """Index in the stack of the innermost open ``tag`` (not crossing a table)."""
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t == tag:
                return i
            if t == "table" and tag in TABLE_PARTS:
                return None
        return None

    def _close_cells(self) -> None:
        """A new cell closes the cells still open in the current row."""
        first = None
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in ("td", "th"):
                first = i
            elif t == "tr":
                if first is not None:
                    self._close_to(first)
                return
            elif t == "table":
                return

    def _close_to(self, index: int) -> None:
        del self.stack[index:]

    def handle_starttag(self, tag: str, raw_attrs: str):
        node = Node(tag, raw_attrs, self.line)
        if tag == "meta":
            self.metas.append(node.attrs)
        if tag == "title":
            self._in_title = True
        if tag in CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag in ("td", "th"):
            self._close_cells()
        elif tag == "tr":
            i = self._open("tr")
            if i is not None:
                self._close_to(i)
        elif tag == "li":
            i = self._open("li")
            if i is not None:
                self._close_to(i)
        elif tag in ("p",):
            i = self._open("p")
            if i is not None and all(n.tag not in BLOCK for n in self.stack[i + 1:]):
                self._close_to(i)
        self.stack[-1].append(node)
        if tag == "table":
            for ancestor in self.stack:
                ancestor.has_table = True
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, raw_attrs: str):
        self.handle_starttag(tag, raw_attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in VOID:
            return
        if self.stack[-1].tag == tag and len(self.stack) > 1:
            self.stack.pop()
            return
        i = self._open(tag)
        if i is not None:
            self._close_to(i)
        elif tag == "p":           # a stray </p> is an empty paragraph in browsers
            self.stack[-1].append(Node("p", "", self.line))

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        if self.stack[-1].tag in _NO_TEXT and data.isspace():
            return                    # layout whitespace between rows and cells
        self.stack[-1].children.append(Text(data, self.line))


# One pass of a regular expression over the page: text, comments and declarations, tags (with
# their attribute text), or a lone "<".  Several times faster than html.parser, which pays
# for a method call and a regex per attribute; the tokens are the same for the pages we read.
_TOKEN = re.compile(r"([^<]+)|<!--.*?(?:-->|\Z)|<![^>]*>?|<\?[^>]*>?"
                    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<", re.S)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_RAW_TEXT = {"script", "style"}       # content is text up to the closing tag


def _attrs(text: str) -> list[tuple[str, str]]:
    return [(m.group(1).lower(), unescape(next((g for g in m.groups()[1:] if g is not None), "")))
            for m in _ATTR.finditer(text)]


def tokenize(text: str, builder: _TreeBuilder) -> None:
    """Feed ``builder`` the start tags, end tags and text of ``text``, with line numbers."""
    pos, end, match = 0, len(text), _TOKEN.match
    while pos < end:
        m = match(text, pos)
        token = m.group(0)
        pos = m.end()
        kind = m.lastindex
        if kind == 1 or token == "<":
            builder.handle_data(unescape(token) if "&" in token else token)
        elif kind is not None:
            slash, tag, raw_attrs = m.group(2, 3, 4)
            tag = tag.lower()
            if slash:
                builder.handle_endtag(tag)
            else:
                if raw_attrs.rstrip().endswith("/"):
                    builder.handle_startendtag(tag, raw_attrs)
                else:
                    builder.handle_starttag(tag, raw_attrs)
                if tag == "table":
                    stop = _simple_table(text, pos, builder, builder.line + token.count("\n"))
                    if stop is not None:
                        builder.line += token.count("\n")
                        token = text[pos:stop]
                        pos = stop
                elif tag in _RAW_TEXT:
                    close = re.compile(rf"</{tag}\s*>", re.I).search(text, pos)
                    stop = close.start() if close else end
                    if stop > pos:
                        builder.line += token.count("\n")
                        token = text[pos:stop]
                        builder.handle_data(token)
                        pos = stop
        builder.line += token.count("\n")


# A plain data table (rows of cells holding text, line breaks and inline formatting only) is
# most of a report page's tags.  Such a table is read whole, with a few regular expressions over
# its markup, instead of a node per tag: row, cell and line-break tags become separator
# characters, the other tags go, and whitespace, line-break joining and normalisation run once
# over the whole table before it is cut into rows and cells.  Anything else in a table (a nested
# table, links, comments, hidden parts, text outside the cells) goes through the tree builder as
# usual.  Both give the same lines (``tests/read/test_html_fast_tables.py``).
_TABLE_END = re.compile(r"</table\s*>", re.I)
_TABLE_START = re.compile(r"<table[\s/>]", re.I)
_TAG_REST = r"""(?=[\s/>])[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""  # after a tag's name, as tokenize reads it
_ROW_OPEN = re.compile(rf"<tr{_TAG_REST}", re.I)
_CELL_OPEN = re.compile(rf"<t[dh]{_TAG_REST}", re.I)
_CELL_CLOSE = re.compile(rf"</t[dhr]{_TAG_REST}", re.I)
_CELL_BREAK = re.compile(rf"<br{_TAG_REST}|</?(?:p|div){_TAG_REST}", re.I)
_INLINE_NAMES = "tbody|thead|tfoot|span|font|b|strong|em|i|u|o:p|col|colgroup|sup|sub|small|big"
_INLINE_TAG_LOWER = re.compile(rf"</?(?:{_INLINE_NAMES}){_TAG_REST}")   # five times quicker than re.I
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE_NAMES}){_TAG_REST}", re.I)
ROW, CELL, CLOSE = "\x1e", "\x1d", "\x1c"        # separators put in place of the table's tags
NL = "\x1f"        # whitespace that held a source line break: no space between CJK or digits
_SEPARATORS = re.compile("[\x1c-\x1f]")
_SPACE = r"[^\S\x1c-\x1e]"     # whitespace, but not ROW, CELL or CLOSE


def _plain_table_text(inner: str) -> str | None:
    """The text of a plain table's markup with ROW before each row, CELL before each cell,
    CLOSE at each cell's or row's end tag and NL at each line break; whitespace collapsed as
    :func:`_collapse` does it.  None when the markup holds a separator character or anything
    but those tags and inline formatting (another tag, a comment, a literal "<")."""
    if _SEPARATORS.search(inner):
        return None
    s = _ROW_OPEN.sub(ROW, inner)
    s = _CELL_OPEN.sub(CELL, s)
    s = _CELL_CLOSE.sub(CLOSE, s)
    s = _CELL_BREAK.sub(NL, s)
    s = _INLINE_TAG_LOWER.sub("", s)
    if "<" in s:
        s = _INLINE_TAG.sub("", s)        # upper- or mixed-case tags (older pages)
        if "<" in s:
            return None
    if "&" in s:
        s = unescape(s)                   # html.unescape never gives control characters
    return _collapse(s)


def _simple_table(text: str, pos: int, builder: "_TreeBuilder", line: int) -> int | None:
    """Read the plain data table whose body starts at ``pos`` into the open table node; returns
    where its ``</table>`` starts, or None (nothing read) when the table is not plain."""
    end = _TABLE_END.search(text, pos)
    # a nested table is looked for first: tables nested a thousand deep then cost one look each
    if end is None or _TABLE_START.search(text, pos, end.start()):
        return None
    inner = text[pos:end.start()]
    low = inner.lower()
    if "none" in low or "hidden" in low or "title" in low or "biaoti" in low:
        return None                            # hidden parts; a cell that may be the page title
    plain = _plain_table_text(inner)
    if plain is None:
        return None
    chunks = plain.split(ROW)                  # [before the first row, row, row, …]
    if len(chunks) < 2 or chunks[0].strip():
        return None
    for chunk in chunks[1:]:
        cells = chunk.split(CELL)              # [before the first cell, cell, cell, …]
        if cells[0].strip() or any(c.partition(CLOSE)[2].strip() for c in cells[1:]):
            return None                        # text between rows or cells: the tree builder decides
    finished = _finish_unstripped(plain).split(ROW)[1:]
    table = builder.stack[-1]
    table.plain_rows = [(number, [c.partition(CLOSE)[0].strip() for c in row.split(CELL)[1:]])
                        for number, row in zip(_row_lines(inner, line), finished)]
    numeric = len(_NUMERIC_CELLS.findall(plain))
    table.plain_stats = (len("".join(plain.split())), 1 if numeric >= 2 else 0)
    return end.start()


def _row_lines(inner: str, line: int) -> list[int]:
    """The source line of each ``<tr>`` of a table whose body starts on ``line``."""
    out, seen = [], 0
    for m in _ROW_OPEN.finditer(inner):
        line += inner.count("\n", seen, m.start())
        seen = m.start()
        out.append(line)
    return out


def build_tree(text: str) -> _TreeBuilder:
    builder = _TreeBuilder()
    tokenize(text, builder)
    return builder


# --------------------------------------------------------------------------
# Finding the report body
# --------------------------------------------------------------------------

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INLINE_STOP = {"p", "span", "font", "strong", "b", "i", "em", "a", "u", "h1", "h2", "h3", "h4",
                "h5", "h6", "li", "table", "tr", "pre", "label"}


def _elements(node: Node):
    return node.kids


def _skipped(node: Node) -> bool:
    if node.skipped is None:
        low = node.raw.lower()
        node.skipped = node.tag in SKIP or (("none" in low or "hidden" in low)
                                            and bool(_HIDDEN.search(node.attrs.get("style", ""))))
    return node.skipped


@dataclass
class _Stats:
    text: int = 0          # non-space characters outside links
    tables: int = 0        # data tables (without nested tables)


def _stats(node: Node, memo: dict) -> _Stats:
    """Non-link text size and statistics-table count of a subtree (memoised by node id)."""
    key = id(node)
    if key in memo:
        return memo[key]
    s = _Stats()
    if node.plain_stats is not None and not _skipped(node):
        s.text, s.tables = node.plain_stats
    elif not _skipped(node):
        for c in node.children:
            if isinstance(c, Text):
                if node.tag != "a":
                    s.text += len("".join(c.text.split()))
            else:
                cs = _stats(c, memo)
                s.text += 0 if c.tag == "a" else cs.text
                s.tables += cs.tables
        if node.tag == "table" and not _has_table(node) and _numeric_cells(node) >= 2:
            s.tables += 1
    memo[key] = s
    return s


def _numeric_cells(table: Node) -> int:
    """Cells holding a number: what tells a statistics table from a navigation table."""
    return sum(1 for n in _walk(table) if n.tag in ("td", "th")
               and _NUMERIC_CELL.fullmatch(_cell_text(n).replace(NL, " ")))


_NUMBER_TEXT = r"-?[\d.,]+"
_NUMERIC_CELL = re.compile(rf"\s*{_NUMBER_TEXT}\s*")
_NUMERIC_CELLS = re.compile(rf"{CELL}{_SPACE}*{_NUMBER_TEXT}{_SPACE}*(?=[{CLOSE}{CELL}{ROW}]|\Z)")  # plain tables


def _has_table(node: Node) -> bool:
    """Is there a table anywhere below ``node``?"""
    return node.has_table


def find_body(root: Node) -> Node:
    """The element holding the report: descend while one child holds nearly everything."""
    memo: dict = {}
    node = next((n for n in _walk(root) if n.tag == "body"), root)
    while True:
        total = _stats(node, memo)
        kids = [c for c in _elements(node) if not _skipped(c)]
        if not kids:
            return node
        best = max(kids, key=lambda c: _stats(c, memo).text)
        bs = _stats(best, memo)
        if (best.tag in _INLINE_STOP and not (best.tag in ("table", "tr") and _has_table(best))) \
                or bs.tables < total.tables or bs.text < 0.8 * total.text \
                or bs.text == 0:
            return node
        node = best


def _walk(node: Node):
    """Every element of the subtree, in document order (iterative: trees can be deep)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.kids))


# --------------------------------------------------------------------------
# Rendering: tree → lines
# --------------------------------------------------------------------------

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_NL_JOIN = re.compile(rf"(?<=[{_CJK}\d]){_SPACE}*{NL}{_SPACE}*(?=[{_CJK}\d])")
_WS_WITH_NL = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_WS = re.compile(r"[ \t\r\f]+")


def _collapse(text: str) -> str:
    """HTML whitespace rules: runs collapse to one space; a run holding a source line break
    becomes NL."""
    if "\n" in text:
        text = _WS_WITH_NL.sub(NL, text)
    return _WS.sub(" ", text) if ("  " in text or "\t" in text or "\r" in text or "\f" in text) else text


def _finish(text: str) -> str:
    """Drop marked line breaks between Chinese characters or digits; others become spaces;
    normalise."""
    return _finish_unstripped(text).strip()


def join_lines(parts: list[str]) -> str:
    """The lines of one cell as one text, joined as a cell's ``<br>``-separated lines are: no
    space between Chinese characters or digits, one space elsewhere; normalised."""
    return _finish(NL.join(_collapse(p) for p in parts))


def _finish_unstripped(text: str) -> str:
    """:func:`_finish` without the strip: what a whole plain table gets at once before it is
    cut into cells (the separators are not spaces to the joining)."""
    if NL in text:
        text = _NL_JOIN.sub("", text).replace(NL, " ")
    return normalize_text(text)


class _Renderer:
    """Walks the body and collects lines; a small state machine over the tree."""

    def __init__(self):
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.tables = 0

    def flush(self):
        text = _finish("".join(self.buf))
        if text:
            self.lines.append(Line(text, self.buf_line))
        self.buf, self.buf_line = [], None

    def render(self, node: Node):
        for c in node.children:
            if isinstance(c, Text):
                if self.buf_line is None and c.text.strip():
                    self.buf_line = c.line
                self.buf.append(_collapse(c.text))
            elif _skipped(c) or c.tag in ("nav", "footer"):
                continue
            elif c.tag == "br":
                self.flush()
            elif c.tag == "table" and not _has_table(c):
                self.flush()
                self.table(c)
            elif c.tag in BLOCK:
                self.flush()
                self.render(c)
                self.flush()
            elif c.tag == "img" and c.attrs.get("alt", "").strip():
                continue                    # decorative; never report text
            else:
                self.render(c)

    def table(self, node: Node):
        if node.plain_rows is not None:       # read by the fast path: rows only, no caption
            self.row_lines(node.plain_rows)
            return
        caption = next((c for c in _walk(node) if c.tag == "caption"), None)
        if caption is not None:
            text = _finish(_cell_text(caption))
            if text:
                self.lines.append(Line(text, caption.line))
        rows = []
        for tr in (r for r in _walk(node) if r.tag == "tr"):
            cells = [c for c in _elements(tr) if c.tag in ("td", "th") and not _skipped(c)]
            rows.append((tr.line, [_finish(_cell_text(c)) for c in cells]))
        self.row_lines(rows)

    def row_lines(self, rows: list[tuple[int, list[str]]]):
        out = [Line("\t".join(texts), number, cells=texts, exact_cells=True, table=self.tables)
               for number, texts in rows if any(texts)]
        if out:
            self.lines.extend(out)
            self.tables += 1


def _cell_text(node: Node) -> str:
    """All text of a cell; ``<br>`` and blocks inside it join the cell's lines."""
    if node.cell_text is not None:
        return node.cell_text
    if node.plain_rows is not None:   # rows and cells are blocks: each stands between line breaks
        return "".join(NL + "".join(NL + cell + NL for cell in cells) + NL
                       for _, cells in node.plain_rows)
    parts: list[str] = []
    for c in node.children:
        if isinstance(c, Text):
            parts.append(_collapse(c.text))
        elif _skipped(c):
            continue
        elif c.tag == "br" or c.tag in BLOCK:
            parts.append(NL)
            if c.tag != "br":
                parts.append(_cell_text(c))
                parts.append(NL)
        else:
            parts.append(_cell_text(c))
    node.cell_text = "".join(parts)
    return node.cell_text


# --------------------------------------------------------------------------
# Title and publication date
# --------------------------------------------------------------------------

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_TEXT = re.compile(r"(?:发布|发表|公开|公布|上网|发稿)(?:时间|日期)\s*[:：]?\s*"
                        r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_PUB_META = re.compile(r"^(pubdate|publishdate|publish[_-]?date|publishtime|publish[_-]?time|"
                       r"pub[_-]?time|firstpublishedtime|articlepubdate|article:published_time|"
                       r"og:published_time|dc\.date|dc\.date\.issued|dcterms\.issued|"
                       r"datepublished|releasedate|createdate|fbsj)$", re.I)


def iso_date(text: str) -> str | None:
    m = _DATE.search(text or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def published_date(metas: list[dict], page_text: str) -> str | None:
    for m in metas:
        name = m.get("name") or m.get("property") or m.get("itemprop") or ""
        if _PUB_META.match(name.strip()):
            date = iso_date(m.get("content", ""))
            if date:
                return date
    m = _DATE_TEXT.search(clean(page_text).replace(" ", ""))
    return iso_date(m.group(1)) if m else None


def _meta(metas: list[dict], *names: str) -> str:
    for m in metas:
        if (m.get("name") or "").lower() in names and m.get("content", "").strip():
            return m["content"].strip()
    return ""


def _plain(node: Node) -> str:
    return _finish(_cell_text(node))


def page_title(root: Node, body: Node, metas: list[dict], title: str) -> tuple[str, int] | None:
    """The report's title when it stands outside the body (a heading above it, or the meta)."""
    for n in _walk(root):
        if n is body:
            break
        if _skipped(n) or n.tag in ("a", "title"):
            continue
        names = " ".join((n.attrs.get("class", ""), n.attrs.get("id", ""))).lower()
        if n.tag in ("h1", "h2", "h3") or "title" in names or "biaoti" in names:
            text = _plain(n)
            if "报告" in text and len(text) <= 80:
                return text, n.line
    for text in (_meta(metas, "articletitle", "title", "dc.title"),
                 re.split(r"\s*[_|｜]\s*|\s+[-—]\s+", clean(title))[0] if title else ""):
        if "报告" in text:
            return clean(text), 1
    return None


# --------------------------------------------------------------------------
# Reports inside scripts and JSON
# --------------------------------------------------------------------------

# Words every annual report prints (section headings, table labels of both templates); a text
# holding fewer than REPORT_MARKERS_NEEDED of them is no report.
_REPORT_MARKERS = ("政府信息公开", "主动公开", "依申请", "行政复议", "行政诉讼", "本年新收", "予以公开",
                   "第二十条", "总体情况", "结转下年度", "存在的主要问题")
REPORT_MARKERS_NEEDED = 4
_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`', re.S)
_JS_PLUS = re.compile(r"\s*\+\s*")
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": "", "\n": "", "\r\n": ""}


def report_markers(text: str) -> int:
    """How many of the words every report prints ``text`` holds."""
    text = compact(text)
    return sum(1 for m in _REPORT_MARKERS if m in text)


def _js_escape(m: re.Match) -> str:
    e = m.group(1)
    if e[0] == "u":
        code = int(e[2:-1] if e[1] == "{" else e[1:], 16)
        return chr(code) if code <= 0x10FFFF else ""
    if e[0] == "x":
        return chr(int(e[1:], 16))
    return _JS_SIMPLE.get(e, e)


def js_unescape(body: str) -> str:
    """The value of a JavaScript or JSON string literal's body (``\\uXXXX``, ``\\/``, ``\\"`` …)."""
    if "\\" not in body:
        return body
    text = _JS_ESCAPE.sub(_js_escape, body)
    if any("\ud800" <= c <= "\udfff" for c in text):        # \uD83D\uDE00: a surrogate pair
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


@dataclass
class Embedded:
    value: str            # the string's value
    offset: int           # where its literal starts in the searched text
    score: tuple = ()     # (report words, length): the larger, the likelier the report

    @property
    def html(self) -> str:
        return as_markup(self.value)


def string_values(code: str):
    """(offset, value) of the string literals in script or JSON text; literals joined by ``+``
    are one value."""
    run: list[str] = []
    start = end = -1
    for m in _JS_STRING.finditer(code):
        if run and not _JS_PLUS.fullmatch(code, end, m.start()):
            yield start, "".join(run)
            run = []
        if not run:
            start = m.start()
        run.append(js_unescape(m.group()[1:-1]))
        end = m.end()
    if run:
        yield start, "".join(run)


def as_markup(value: str) -> str:
    """A string value as HTML: entity-escaped markup unescaped, plain text's lines as ``<br>``."""
    if "<" not in value and "&lt;" in value:
        value = unescape(value)
    if not re.search(r"<[a-zA-Z/!]", value):
        value = "<br>".join(escape(line, quote=False) for line in value.splitlines())
    return value


def embedded_reports(code: str, markup: bool = False) -> list[Embedded]:
    """The strings in ``code`` (a script, a JSON document) that hold a report (enough report
    words), likeliest first: most report words, then the longer, then the earlier.  With
    ``markup`` (a ``<script type="text/html">`` template) the whole of ``code`` is one too."""
    candidates = string_values(code)
    if markup:
        candidates = [(0, code), *candidates]
    found = []
    for offset, value in candidates:
        if len(value) >= 200:
            score = (report_markers(unescape(value) if "&#" in value else value), len(value))
            if score[0] >= REPORT_MARKERS_NEEDED:
                found.append(Embedded(value, offset, score))
    return sorted(found, key=lambda e: (-e.score[0], -e.score[1], e.offset))


def _script_reports(root: Node) -> list[tuple[Embedded, int]]:
    """The reports held by the page's scripts (strings in them, or whole HTML templates), with
    the source line where each starts; likeliest first."""
    found = []
    for n in _walk(root):
        if n.tag == "script":
            markup = any(k in n.attrs.get("type", "").lower() for k in ("html", "template"))
            for c in n.children:
                if isinstance(c, Text):
                    found.extend((e, c.line + c.text.count("\n", 0, e.offset))
                                 for e in embedded_reports(c.text, markup))
    return sorted(found, key=lambda f: (-f[0].score[0], -f[0].score[1], f[1]))


def _embedded_note(code: str, found: list[Embedded], where_zh: str, where_en: str) -> dict:
    """The note saying which string was read, and how many other strings held a report."""
    others = len({e.value for e in found}) - 1
    zh = f"已读取{where_zh}中的报告 HTML" + (f"；另有 {others} 个字符串也含报告，未读取" if others else "")
    en = f"read the HTML held by {where_en}" + (f"; {others} other string(s) also held a report and "
                                                f"were not read" if others else "")
    return {"code": code, "message": zh, "message_en": en}


def render_lines(root: Node) -> tuple[Node, list[Line]]:
    """The report body of a tree and its lines."""
    body = find_body(root)
    renderer = _Renderer()
    renderer.render(body)
    renderer.flush()
    return body, renderer.lines


def _at_line(lines: list[Line], line: int) -> list[Line]:
    """Lines read from a string literal: every one points at the literal's source line."""
    for l in lines:
        l.number = line
    return lines


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------

def read_html(data: bytes) -> Layout:
    """Read an HTML page's bytes into a Layout."""
    if not data.strip():
        raise EmptyFile("文件为空", "the file is empty")
    text, encoding = decode(data)
    builder = build_tree(text)
    root = builder.root
    body, lines = render_lines(root)
    notes = []
    meta = {"encoding": encoding, "body": _describe(body)}
    if report_markers("".join(l.text for l in lines)) < REPORT_MARKERS_NEEDED:
        found = _script_reports(root)
        if found:
            embedded, line = found[0]
            lines = _at_line(render_lines(build_tree(embedded.html).root)[1], line)
            meta["body"] = f"script string at line {line}"
            notes.append(_embedded_note("report-in-script", [e for e, _ in found],
                                        f"脚本字符串（网页可见正文中没有报告；源码第{line}行）",
                                        f"a script string (the page's visible text holds no report; "
                                        f"source line {line})"))
    return finish_layout(builder, root, body, lines, notes, meta)


def finish_layout(builder: _TreeBuilder, root: Node, body: Node, lines: list[Line], notes: list[dict],
                  meta: dict) -> Layout:
    """The page's Layout: the title put in front when the body lacks it, the publication date."""
    title = page_title(root, body, builder.metas, "".join(builder.title))
    if title and not any(_same(title[0], l.text) for l in lines[:3]):
        lines.insert(0, Line(title[0], title[1]))
        notes.append({"code": "html-title-outside-body",
                      "message": "the report title stands outside the page's main text; taken from "
                                 "the page heading or meta"})
    # the whole page's text is needed only when no <meta> gives the publication date
    published = published_date(builder.metas, "") or published_date(builder.metas, _plain(root))
    if title:
        meta["title"] = title[0]
    url = _meta(builder.metas, "url")
    if url:
        meta["url"] = url
    return Layout(lines=lines, format="html",
                  published=published,
                  meta=meta, notes=notes)


_TITLE_KEYS = ("title", "articletitle", "doctitle", "headline", "subject", "name", "标题")
_DATE_KEYS = ("publishdate", "pubdate", "publishtime", "pubtime", "publishedat", "published", "releasedate",
              "releasetime", "issuedate", "docreltime", "date", "createtime", "createdate", "fbsj",
              "发布时间", "发布日期")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).lower()


def _article_of(node, value: str, parents: tuple = ()) -> tuple | None:
    """The dicts (innermost first) holding the string ``value`` somewhere in a JSON tree."""
    if isinstance(node, dict):
        items = node.values()
        parents = (node,) + parents
    elif isinstance(node, list):
        items = node
    else:
        return parents if node == value else None
    for child in items:
        found = _article_of(child, value, parents)
        if found is not None:
            return found
    return None


def _field(dicts: tuple, keys: tuple[str, ...]) -> str | None:
    """The first non-empty string under one of ``keys`` in the innermost dict that has one."""
    for d in dicts:
        by_key = {_key(k): v for k, v in d.items()}
        for k in keys:
            v = by_key.get(k)
            if isinstance(v, (str, int)) and str(v).strip():
                return str(v).strip()
    return None


def read_json_article(data: bytes) -> Layout:
    """A CMS article as JSON (an API answer or a saved record): the string holding the report
    (the one with the most report words) read as the page's HTML; title and publication date
    from the keys CMSs use for them next to it."""
    import json
    if not data.strip():
        raise EmptyFile("文件为空", "the file is empty")
    text, encoding = decode_text(data)
    try:
        tree = json.loads(text)
    except ValueError as e:
        raise CorruptFile(f"不是有效的 JSON 文件（{e}）", f"not a valid JSON file ({e})") from None
    candidates = embedded_reports(text)
    if not candidates:
        raise NotAReport("JSON 文件中没有找到报告正文", "the JSON file holds no report text")
    found = candidates[0]
    line = 1 + text.count("\n", 0, found.offset)
    dicts = _article_of(tree, found.value) or ()
    title, date = _field(dicts, _TITLE_KEYS), _field(dicts, _DATE_KEYS)
    builder = build_tree(found.html)
    body, lines = render_lines(builder.root)
    builder.title = [title] if title else []
    if date:
        builder.metas.append({"name": "PubDate", "content": date})
    notes = [_embedded_note("report-in-json", candidates, f" JSON 字符串（第{line}行）",
                            f"a JSON string (source line {line})")]
    return finish_layout(builder, builder.root, body, _at_line(lines, line), notes,
                         {"encoding": encoding, "body": f"json string at line {line}"})


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _describe(node: Node) -> str:
    cls = node.attrs.get("class", "").strip()
    ident = node.attrs.get("id", "").strip()
    return node.tag + (f"#{ident}" if ident else "") + (f".{cls.split()[0]}" if cls else "")
