"""The scorecard as one self-contained HTML file: no network, sortable, with a drill-down per agency.

Click a column header to sort (again to reverse); click an agency to jump to
its findings, year by year, each with its evidence (page, line, table cell).
Every piece of report text is HTML-escaped.
"""
from __future__ import annotations

from html import escape

from auditor.report.words import location_text, severity_text
from auditor.i18n import word
from auditor.report.scorecard import COLUMNS, cell_text, header, localize_card

NUMERIC = {"year", "score", "errors", "warnings", "infos", "change"}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
#scorecard th{cursor:pointer;background:#f3f3f3;user-select:none}
#scorecard th[aria-sort=ascending]::after{content:" ▲"}
#scorecard th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right}
.g-A{color:#176f2c}.g-B{color:#4b6b00}.g-C{color:#a05a00}.g-D{color:#b00020}
.sev-error{color:#b00020}.sev-warning{color:#a05a00}.sev-info{color:#555}
section.agency{border-top:2px solid #ddd;margin-top:1.5em}
.muted{color:#777}
"""

JS = """
(function(){
  var table=document.getElementById('scorecard');
  var heads=table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads,function(th,i){
    th.addEventListener('click',function(){
      var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1, num=th.dataset.type==='num';
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir===1?'ascending':'descending');
      rows.sort(function(a,b){
        var x=a.cells[i].dataset.v, y=b.cells[i].dataset.v, c;
        if(num){x=x===''?-Infinity:parseFloat(x);y=y===''?-Infinity:parseFloat(y);c=x<y?-1:(x>y?1:0);}
        else{c=x.localeCompare(y,'zh');}
        return c*dir||(a.dataset.i-b.dataset.i);
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
})();
"""

# the catalogue's keys this page uses under its own short names
_KEYS = {"title": "scorecard.title", "hint": "scorecard.hint", "findings": "findings.detail",
         "none": "no_findings"}


def w(key: str, lang: str) -> str:
    return word(_KEYS.get(key, key), lang)


def _sort_value(row: dict, key: str) -> str:
    value = row.get(key)
    if key in NUMERIC:
        return "" if value is None else str(value)
    if key == "failing":
        return " ".join(value or ())
    return str(value or "")


def _main_table(card: dict, anchors: dict, lang: str) -> str:
    heads = "".join(f'<th data-key="{k}" data-type="{"num" if k in NUMERIC else "text"}">'
                    f"{escape(header(k, lang))}</th>" for k in COLUMNS)
    body = []
    for i, row in enumerate(card["rows"]):
        cells = []
        for k in COLUMNS:
            text = escape(cell_text(row, k, lang))
            if k == "agency":
                text = f'<a href="#{anchors[row["key"]]}">{text}</a>'
            elif k == "grade" and row.get("grade"):
                text = f'<span class="g-{escape(row["grade"])}">{text}</span>'
            cls = ' class="num"' if k in NUMERIC else ""
            cells.append(f'<td{cls} data-v="{escape(_sort_value(row, k))}">{text}</td>')
        body.append(f'<tr data-i="{i}" data-agency="{escape(row["agency"])}">' + "".join(cells) + "</tr>")
    return (f'<table id="scorecard"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _findings_table(row: dict, lang: str) -> str:
    if row.get("error"):
        return f'<p class="sev-error">{escape(w("error", lang))}: {escape(str(row["error"]))}</p>'
    if not row["findings"]:
        return f'<p class="muted">{escape(w("none", lang))}</p>'
    heads = "".join(f"<th>{escape(w(k, lang))}</th>"
                    for k in ("code", "severity", "deduction", "message", "page", "line", "cell"))
    out = []
    for f in row["findings"]:
        loc = dict(f.get("location") or {})
        page, line = loc.pop("page", None), loc.pop("line", None)
        sev = str(f.get("severity") or "")
        out.append(
            "<tr>"
            f'<td>{escape(str(f.get("code") or ""))}</td>'
            f'<td class="sev-{escape(sev)}">{escape(severity_text(sev, lang))}</td>'
            f'<td class="num">{escape(format(f.get("deduction") or 0, "g"))}</td>'
            f'<td>{escape(str(f.get("message") or ""))}</td>'
            f'<td class="num">{"" if page is None else escape(str(page))}</td>'
            f'<td class="num">{"" if line is None else escape(str(line))}</td>'
            f"<td>{escape(location_text(loc, lang))}</td>"
            "</tr>")
    return f'<table class="findings"><thead><tr>{heads}</tr></thead><tbody>{"".join(out)}</tbody></table>'


def _drilldown(card: dict, anchors: dict, lang: str) -> str:
    by_agency: dict = {}
    for row in card["rows"]:
        by_agency.setdefault(row["key"], []).append(row)
    parts = []
    for key, rows in by_agency.items():
        years = []
        for row in rows:
            summary = f'{row.get("year") or "-"} · {cell_text(row, "score", lang)} · {row.get("grade") or "-"}'
            years.append(f'<details open><summary>{escape(summary)}</summary>'
                         f'<p class="muted">{escape(w("file", lang))}: {escape(row.get("path") or "")}</p>'
                         f"{_findings_table(row, lang)}</details>")
        parts.append(f'<section class="agency" id="{anchors[key]}"><h2>{escape(rows[0]["agency"])}</h2>'
                     + "".join(years) + "</section>")
    return f'<h2>{escape(w("findings", lang))}</h2>' + "".join(parts)


def render_html(card: dict, lang: str = "zh") -> str:
    card = localize_card(card, lang)
    anchors: dict = {}
    for row in card["rows"]:
        anchors.setdefault(row["key"], f"agency-{len(anchors) + 1}")
    title = w("title", lang)
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1><p class=\"muted\">{escape(w('hint', lang))}</p>"
            f"{_main_table(card, anchors, lang)}{_drilldown(card, anchors, lang)}"
            f"<script>{JS}</script></body></html>\n")
