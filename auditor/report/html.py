"""The scorecard as one self-contained HTML file: no network, a summary, charts, filters, a drill-down.

At the top a summary band (reports, pass rate, grades, mean score and its change on last
year, the most frequent failing rules) and three charts drawn as inline SVG (score
distribution, failing rules by frequency, verdicts by level).  Then the agency × year table:
click a header to sort (again to reverse); type in the search box or pick a level, verdict
or rule to filter.  Click an agency to jump to its findings, year by year, each with its
evidence (page, line, table cell); file paths and URLs are links.  Printed (A4), the drill-down
starts each agency on a new page.  Every piece of report text is HTML-escaped.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from auditor.i18n import word
from auditor.report.card import (COLUMNS, cell_text, header, localize_card, reason_text,
                                      summary_text, verdict_text)
from auditor.report.words import level_text, location_text, severity_text

NUMERIC = {"year", "score", "errors", "warnings", "infos", "change"}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{white-space:nowrap;word-break:keep-all}
#scorecard th{cursor:pointer;background:#f3f3f3;user-select:none}
#scorecard th[aria-sort=ascending]::after{content:" ▲"}
#scorecard th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right;white-space:nowrap}
.g-A{color:#176f2c}.g-B{color:#4b6b00}.g-C{color:#a05a00}.g-D{color:#b00020}
.v-passed{color:#176f2c}.v-failed,.v-missing{color:#b00020;font-weight:bold}.v-error{color:#a05a00}
.sev-error{color:#b00020}.sev-warning{color:#a05a00}.sev-info{color:#555}
.waived{color:#777;text-decoration:line-through}
section.agency{border-top:2px solid #ddd;margin-top:1.5em}
.muted{color:#777}
.band{display:flex;flex-wrap:wrap;gap:.5em 1.5em;padding:.6em 1em;background:#f6f8fa;border:1px solid #ddd}
.band div{min-width:7em}.band b{display:block;font-size:1.4em}
.charts{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.charts figure{margin:0;border:1px solid #eee;padding:.5em}
.charts figcaption{font-weight:bold;margin-bottom:.3em}
.filters{margin:.8em 0}.filters input,.filters select{margin-right:.8em;font:inherit}
@media print{
  @page{size:A4;margin:12mm}
  body{margin:0;font-size:9pt}
  .filters,.hint{display:none}
  #scorecard th::after{content:""!important}
  tr,figure{break-inside:avoid}
  section.agency{break-before:page;border-top:none}
  details>summary{list-style:none}
  a{color:inherit;text-decoration:none}
}
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
  var q=document.getElementById('f-q'), lv=document.getElementById('f-level'),
      vd=document.getElementById('f-verdict'), ru=document.getElementById('f-rule');
  function apply(){
    var text=q.value.trim().toLowerCase(), shown=0;
    Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
      var ok=(!text||r.dataset.agency.toLowerCase().indexOf(text)>=0)
        &&(!lv.value||r.dataset.level===lv.value)&&(!vd.value||r.dataset.verdict===vd.value)
        &&(!ru.value||(' '+r.dataset.rules+' ').indexOf(' '+ru.value+' ')>=0);
      r.hidden=!ok; if(ok){shown++;}
    });
    document.getElementById('f-count').textContent=shown;
  }
  [q,lv,vd,ru].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
})();
"""

VERDICT_COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "error": "#ef6c00", "missing": "#6a1b9a"}


def w(key: str, lang: str) -> str:
    keys = {"title": "scorecard.title", "hint": "scorecard.hint", "findings": "findings.detail",
            "none": "no_findings"}
    return word(keys.get(key, key), lang)


def _sort_value(row: dict, key: str) -> str:
    value = row.get(key)
    if key in NUMERIC:
        return "" if value is None else str(value)
    if key == "failing":
        return " ".join(value or ())
    return str(value or "")


def link(target: str) -> str:
    """An href for a file path or URL: URLs as they are, paths as file: URIs (escaped)."""
    if target.startswith(("http://", "https://")):
        return escape(target, quote=True)
    try:
        return escape(Path(target).resolve().as_uri(), quote=True)
    except ValueError:
        return escape(target, quote=True)


# -- summary and charts -------------------------------------------------------------------

def _band(card: dict, lang: str) -> str:
    s = card.get("summary") or {}
    mean = "-" if s.get("mean_score") is None else f"{s['mean_score']:g}"
    change = s.get("mean_change")
    change = "-" if change is None else (f"{change:+g}" if change else "0")
    rate = "-" if s.get("pass_rate") is None else f"{s['pass_rate']:g}%"
    grades = " ".join(f"{g} {n}" for g, n in (s.get("grades") or {}).items()) or "-"
    cells = [(w("rows", lang), str(s.get("rows", 0))), (w("passed", lang), str(s.get("passed", 0))),
             (w("failed", lang), str(s.get("failed", 0))), (w("error", lang), str(s.get("error", 0))),
             (w("missing", lang), str(s.get("missing", 0))), (w("pass_rate", lang), rate),
             (w("mean_score", lang), mean), (w("mean_change", lang), change), (w("grades", lang), grades)]
    out = "".join(f"<div>{escape(k)}<b>{escape(v)}</b></div>" for k, v in cells)
    top = s.get("top_failing") or []
    if top:
        items = "".join(f"<li>{escape(reason_text(c, card.get('rules'), lang))} × {n}</li>" for c, n in top[:5])
        out += f'<div style="flex-basis:100%">{escape(w("top_failing", lang))}<ol>{items}</ol></div>'
    return f'<div class="band" id="summary">{out}</div>'


def bar_chart(bars: list[tuple[str, float, str]], width: int = 360, label_width: int = 150) -> str:
    """Horizontal bars ``(label, value, colour)`` as an inline SVG; labels are escaped."""
    if not bars:
        return '<svg class="chart" width="10" height="10" role="img"></svg>'
    row, top = 20, 4
    most = max(v for _, v, _ in bars) or 1
    span = width - label_width - 40
    parts = []
    for i, (label, value, colour) in enumerate(bars):
        y = top + i * row
        length = span * value / most
        shown = label if len(label) <= 14 else label[:13] + "…"
        parts.append(f'<text x="{label_width - 4}" y="{y + 13}" text-anchor="end" font-size="11">'
                     f"<title>{escape(label)}</title>{escape(shown)}</text>"
                     f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{row - 6}" '
                     f'fill="{colour}"/>'
                     f'<text x="{label_width + length + 4:.1f}" y="{y + 13}" font-size="11">{value:g}</text>')
    height = top * 2 + row * len(bars)
    return (f'<svg class="chart" width="{width}" height="{height}" '
            f'role="img">{"".join(parts)}</svg>')


def _score_bins(rows: list[dict]) -> list[tuple[str, float, str]]:
    bins = [(90, 100), (80, 89), (70, 79), (60, 69), (0, 59)]
    scores = [r["score"] for r in rows if isinstance(r.get("score"), (int, float)) and not r.get("error")]
    return [(f"{lo}–{hi}", sum(1 for s in scores if lo <= s < hi + 1), "#1565c0" if lo >= 60 else "#c62828")
            for lo, hi in bins]


def _rules_bars(card: dict, lang: str) -> list[tuple[str, float, str]]:
    top = (card.get("summary") or {}).get("top_failing") or []
    return [(reason_text(c, card.get("rules"), lang), n, "#c62828") for c, n in top[:8]]


def _level_bars(rows: list[dict], lang: str) -> list[tuple[str, float, str]]:
    out = []
    for level in sorted({r.get("level") or "" for r in rows}):
        name = level_text(level, lang) or "-"
        for verdict in ("passed", "failed", "error", "missing"):
            n = sum(1 for r in rows if (r.get("level") or "") == level and r.get("verdict") == verdict)
            if n:
                out.append((f"{name} · {w(verdict, lang)}", n, VERDICT_COLOURS[verdict]))
    return out


def _charts(card: dict, lang: str) -> str:
    charts = [("score", "score_distribution", _score_bins(card["rows"])),
              ("rules", "top_failing", _rules_bars(card, lang)),
              ("levels", "by_level", _level_bars(card["rows"], lang))]
    figs = []
    for name, key, bars in charts:
        caption = w(key, lang)
        figs.append(f'<figure id="chart-{name}"><figcaption>{escape(caption)}</figcaption>'
                    f"{bar_chart(bars)}</figure>")
    return f'<div class="charts">{"".join(figs)}</div>'


# -- the table and its filters ---------------------------------------------------------------

def _filters(card: dict, lang: str) -> str:
    def select(id_, label, options):
        opts = "".join(f'<option value="{escape(v, quote=True)}">{escape(t)}</option>' for v, t in options)
        return (f'<label>{escape(label)} <select id="{id_}"><option value="">—</option>{opts}</select>'
                "</label>")
    levels = sorted({r.get("level") or "" for r in card["rows"]} - {""})
    codes = sorted({c for r in card["rows"] for c in r.get("failing") or ()})
    search, shown = w("search", lang), w("shown", lang)
    return ('<div class="filters">'
            f'<label>{escape(search)} <input id="f-q" type="search"></label>'
            + select("f-level", header("level", lang), [(v, level_text(v, lang)) for v in levels])
            + select("f-verdict", header("verdict", lang),
                     [(v, w(v, lang)) for v in ("passed", "failed", "error", "missing")])
            + select("f-rule", header("failing", lang),
                     [(c, reason_text(c, card.get("rules"), lang)) for c in codes])
            + f'{escape(shown)} <span id="f-count">{len(card["rows"])}</span></div>')


def _main_table(card: dict, anchors: dict, lang: str) -> str:
    heads = "".join(f'<th data-key="{k}" data-type="{"num" if k in NUMERIC else "text"}">'
                    f"{escape(header(k, lang))}</th>" for k in COLUMNS)
    rules = card.get("rules")
    body = []
    for i, row in enumerate(card["rows"]):
        cells = []
        for k in COLUMNS:
            text = escape(cell_text(row, k, lang, rules))
            if k == "agency":
                text = f'<a href="#{anchors[row["key"]]}">{text}</a>'
            elif k == "grade" and row.get("grade"):
                text = f'<span class="g-{escape(row["grade"])}">{text}</span>'
            elif k == "verdict":
                text = f'<span class="v-{escape(row.get("verdict") or "")}">{text}</span>'
            cls = ' class="num"' if k in NUMERIC else ""
            cells.append(f'<td{cls} data-v="{escape(_sort_value(row, k))}">{text}</td>')
        body.append(f'<tr data-i="{i}" data-agency="{escape(row["agency"])}" '
                    f'data-level="{escape(row.get("level") or "")}" '
                    f'data-verdict="{escape(row.get("verdict") or "")}" '
                    f'data-rules="{escape(" ".join(row.get("failing") or ()))}">' + "".join(cells) + "</tr>")
    return (f'<table id="scorecard"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


# -- the drill-down ------------------------------------------------------------------------

def _findings_table(row: dict, lang: str, rules: dict | None = None) -> str:
    if row.get("error"):
        return f'<p class="sev-error">{escape(w("error", lang))}: {escape(str(row["error"]))}</p>'
    if row.get("verdict") == "missing":
        return f'<p class="v-missing">{escape(w("reason.missing", lang))}</p>'
    if not row["findings"]:
        return f'<p class="muted">{escape(w("none", lang))}</p>'
    heads = "".join(f"<th>{escape(w(k, lang))}</th>"
                    for k in ("code", "severity", "deduction", "message", "page", "line", "cell"))
    out = []
    for f in row["findings"]:
        loc = dict(f.get("location") or {})
        page, line = loc.pop("page", None), loc.pop("line", None)
        sev = str(f.get("severity") or "")
        waived = f.get("waived")
        note = (f' <span class="muted">[{escape(w("waived", lang))}: {escape(str(waived.get("reason") or ""))}]'
                "</span>") if waived else ""
        out.append(
            f'<tr{" class=waived-row" if waived else ""}>'
            f'<td>{escape(str(f.get("code") or ""))}'
            f'<br><span class="muted">{escape(str((rules or {}).get(f.get("code")) or ""))}</span></td>'
            f'<td class="sev-{escape(sev)}">{escape(severity_text(sev, lang))}</td>'
            f'<td class="num{" waived" if waived else ""}">'
            f'{escape(format((waived or {}).get("deduction", f.get("deduction")) or 0, "g"))}</td>'
            f'<td>{escape(str(f.get("message") or ""))}{note}</td>'
            f'<td class="num">{"" if page is None else escape(str(page))}</td>'
            f'<td class="num">{"" if line is None else escape(str(line))}</td>'
            f"<td>{escape(location_text(loc, lang))}</td>"
            "</tr>")
    return f'<table class="findings"><thead><tr>{heads}</tr></thead><tbody>{"".join(out)}</tbody></table>'


def _files(row: dict, lang: str) -> str:
    parts = []
    if row.get("page"):
        parts.append(f'<a class="page" href="{escape(row["page"], quote=True)}">{escape(w("report.page", lang))}</a>')
    if row.get("path"):
        parts.append(f'{escape(w("file", lang))}: <a href="{link(row["path"])}">{escape(row["path"])}</a>')
    if row.get("url"):
        parts.append(f'{escape(w("url", lang))}: <a href="{link(row["url"])}">{escape(row["url"])}</a>')
    if row.get("copies"):
        copies = "、".join(f'<a href="{link(c)}">{escape(c)}</a>' for c in row["copies"])
        parts.append(f'{escape(w("copies", lang))}: {copies}')
    return "".join(f'<p class="muted">{p}</p>' for p in parts)


def _drilldown(card: dict, anchors: dict, lang: str) -> str:
    by_agency: dict = {}
    for row in card["rows"]:
        by_agency.setdefault(row["key"], []).append(row)
    parts = []
    for key, rows in by_agency.items():
        years = []
        for row in rows:
            summary = (f'{row.get("year") or "-"} · {verdict_text(row, lang)} · '
                       f'{cell_text(row, "score", lang)} · {row.get("grade") or "-"}')
            why = cell_text(row, "failing", lang, card.get("rules"))
            years.append(f'<details open><summary>{escape(summary)}</summary>'
                         + (f'<p class="v-failed">{escape(why)}</p>' if row.get("failing") else "")
                         + f"{_files(row, lang)}{_findings_table(row, lang, card.get('rules'))}</details>")
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
            f"<h1>{escape(title)}</h1><p>{escape(summary_text(card, lang))}</p>"
            f"{_band(card, lang)}{_charts(card, lang)}"
            f"<p class=\"muted hint\">{escape(w('hint', lang))}</p>{_filters(card, lang)}"
            f"{_main_table(card, anchors, lang)}{_drilldown(card, anchors, lang)}"
            f"<script>{JS}</script></body></html>\n")
