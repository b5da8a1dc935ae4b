"""Benchmark corpus: report files generated into a folder.

Reuses the project's test generators: ``tests/parse/synth.py`` (copied text),
``tests/corpus`` (a known report drawn as PDF with reportlab, and as HTML when
the readers engineer's HTML generator is there).  Markdown is the tab layout of
``synth`` rewritten as pipe tables and ``##`` headings.  The 60-page PDF is the
same known report with long narrative sections and appended ruled table pages.

Every file differs (agency, year, values), so no cache can hide work.
"""
from __future__ import annotations

import html
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AGENCIES = ["某某县商务局", "某某市财政局", "某某区人民政府", "某某县教育局", "某某市生态环境局",
            "某某县卫生健康委员会", "某某区司法局", "某某市交通运输局", "某某镇人民政府", "某某县民政局"]


def _agency(i: int) -> str:
    base = AGENCIES[i % len(AGENCIES)]
    return base.replace("某某", "第" + "零一二三四五六七八九"[(i // 10) % 10] + "某", 1) if i >= 10 else base


def _template_year(i: int) -> tuple[str, int]:
    year = 2019 + i % 6                        # 2019–2024
    return ("2019" if year <= 2020 else "2021"), year


# -- text and Markdown -----------------------------------------------------------

def text_report(i: int) -> str:
    from tests.parse import synth
    template, year = _template_year(i)
    tables = synth.distinct_tables(template, start=1 + i % 97)
    return synth.render(tables, template, year, _agency(i), style="spaces" if i % 2 else "tabs")


def markdown_report(i: int) -> str:
    from tests.parse import synth
    template, year = _template_year(i)
    tables = synth.distinct_tables(template, start=1 + i % 89)
    text = synth.render(tables, template, year, _agency(i), style="tabs")
    out = []
    for n, line in enumerate(text.splitlines()):
        if n == 0:
            out.append("# " + line)
        elif "\t" in line:
            cells = [c for c in line.split("\t") if c]
            out.append("| " + " | ".join(cells) + " |")
        elif line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            out += ["", "## " + line, ""]
        else:
            out.append(line)
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------

def _html_from_report(report) -> str:
    """A CMS-like page: navigation, the report body (headings, paragraphs, ruled tables), footer."""
    body = []
    for b in report.blocks:
        if b.kind == "title":
            body.append(f'<h1 class="title">{html.escape(b.text)}</h1>')
        elif b.kind == "heading":
            body.append(f"<p><strong>{html.escape(b.text)}</strong></p>")
        elif b.kind == "para":
            body.append(f'<p style="text-indent:2em">{html.escape(b.text)}</p>')
        elif b.kind == "table":
            rows = []
            for row in b.table.rows:
                cells = []
                for c in row:
                    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                           (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    cells.append(f'<td{span} style="border:1px solid #000"><p>{html.escape(c.text)}</p></td>')
                rows.append("<tr>" + "".join(cells) + "</tr>")
            body.append('<table border="1" cellspacing="0"><tbody>' + "".join(rows) + "</tbody></table>")
    nav = "".join(f'<li><a href="/col/{k}/">栏目{k}</a></li>' for k in range(12))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(report.title)}</title>"
            '<meta name="PubDate" content="' + f"{report.year + 1}-01-20" + ' 09:00">'
            "</head><body><div class=\"header\"><ul class=\"nav\">" + nav + "</ul></div>"
            '<div class="crumb">首页 &gt; 政府信息公开 &gt; 年度报告</div>'
            '<div class="article"><div class="content">' + "\n".join(body) + "</div></div>"
            '<div class="footer">主办单位：' + html.escape(report.agency) + " 网站标识码 1234567890</div>"
            "</body></html>\n")


def html_report(i: int) -> bytes:
    from tests.corpus.document import make_report
    template, year = _template_year(i)
    report = make_report(template, year, _agency(i), start=11 + i % 83)
    try:                                        # the readers engineer's generator, when it exists
        from tests.corpus import htmlgen        # type: ignore[attr-defined]
        return htmlgen.render_html(report)
    except (ImportError, AttributeError):
        return _html_from_report(report).encode("utf-8")


# -- PDF -------------------------------------------------------------------------

def pdf_report(i: int, long_text: int = 1) -> bytes:
    from tests.corpus.document import make_report
    from tests.corpus.pdfgen import Style, render_pdf
    template, year = _template_year(i)
    report = make_report(template, year, _agency(i), start=11 + i % 83, long_text=long_text)
    style = Style(rules="rects" if i % 2 else "lines", furniture=("dash", "cn", "slash")[i % 3])
    return render_pdf(report, style)


NARRATIVE = ("本机关坚持以公开为常态、不公开为例外，围绕群众关切做好政府信息公开工作，及时发布政策文件和解读材料，"
             "规范依申请公开办理流程，加强政府信息公开平台建设，完善监督保障机制，推动政务公开工作提质增效。")


def _money_table(k: int):
    """A 13×6 ruled financial table (appendix pages), labels outside the national templates."""
    from tests.corpus.document import Cell, Table
    rng = random.Random(k)
    rows = [[Cell(h) for h in ("项目", "预算数", "调整数", "执行数", "结余", "执行率")]]
    for r in range(12):
        rows.append([Cell(f"附表{k}支出科目{r + 1}")] +
                    [Cell(f"{rng.randint(100, 99999) / 100:.2f}") for _ in range(5)])
    return Table([3, 1.5, 1.5, 1.5, 1.5, 1.2], rows, "")


def big_pdf(pages: int = 60) -> bytes:
    """A long report: the known report with long narrative sections, then appendix table pages,
    grown until it has at least ``pages`` pages."""
    from tests.corpus.document import Block, make_report
    from tests.corpus.pdfgen import Style, layout, render_pdf
    style = Style()
    report = make_report("2021", 2023, "某某市人民政府办公室", start=11)
    para = next(i for i, b in enumerate(report.blocks) if b.kind == "para" and b.text.startswith("（一）"))
    n_paras, n_tables = 8, 4
    while True:
        blocks = list(report.blocks)
        blocks[para + 1:para + 1] = [Block("para", f"（{k}）" + NARRATIVE * 6) for k in range(n_paras)]
        for k in range(n_tables):
            blocks += [Block("para", f"附表{k + 1}：部门支出执行情况（单位：万元）。" + NARRATIVE),
                       Block("table", table=_money_table(k))]
        candidate = type(report)(report.agency, report.year, report.template, report.tables, blocks)
        have = len(layout(candidate, style).pages)
        if have >= pages:
            return render_pdf(candidate, style)
        n_paras += max(1, (pages - have) // 2)
        n_tables += max(1, (pages - have) // 3)


# -- folders -----------------------------------------------------------------------

def write_mix(folder: Path, n: int, pdf_share: float = 0.0, start: int = 0) -> dict[str, int]:
    """``n`` distinct reports: text, Markdown and HTML in turn, and every k-th one a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"text": 0, "markdown": 0, "html": 0, "pdf": 0}
    every = round(1 / pdf_share) if pdf_share else 0
    for k in range(n):
        i = start + k
        if every and k % every == every - 1:
            (folder / f"r{i:05d}.pdf").write_bytes(pdf_report(i))
            counts["pdf"] += 1
            continue
        kind = ("text", "markdown", "html")[k % 3]
        if kind == "text":
            (folder / f"r{i:05d}.txt").write_text(text_report(i), encoding="utf-8")
        elif kind == "markdown":
            (folder / f"r{i:05d}.md").write_text(markdown_report(i), encoding="utf-8")
        else:
            (folder / f"r{i:05d}.html").write_bytes(html_report(i))
        counts[kind] += 1
    return counts


def write_format(folder: Path, kind: str, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        i = start + k
        if kind == "text":
            p = folder / f"t{i:05d}.txt"
            p.write_text(text_report(i), encoding="utf-8")
        elif kind == "markdown":
            p = folder / f"m{i:05d}.md"
            p.write_text(markdown_report(i), encoding="utf-8")
        elif kind == "html":
            p = folder / f"h{i:05d}.html"
            p.write_bytes(html_report(i))
        else:
            p = folder / f"p{i:05d}.pdf"
            p.write_bytes(pdf_report(i, long_text=1 + i % 3))
        out.append(p)
    return out
