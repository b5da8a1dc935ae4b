"""Render a known report as a government CMS page.

Options mirror what real sites do: navigation, breadcrumbs and footers around the
article; the title outside the article body; ``<meta name="PubDate">`` or a
``发布时间：`` line; Word-style markup with numbers split over ``<span>`` s;
``<br>`` inside labels; entities and ``&nbsp;``; GB2312 encoding declared by
``<meta charset>`` or by ``http-equiv``; a layout table wrapping everything.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from tests.corpus.document import Report, Table


@dataclass
class HtmlStyle:
    encoding: str = "utf-8"          # "utf-8" | "gb2312" | "gbk"
    declare: str = "charset"         # "charset" | "http-equiv" | "none"
    chrome: bool = True              # nav, breadcrumb, sidebar, footer around the article
    title_outside: bool = True       # the title in an <h1> above the article body
    pubdate: str | None = "meta"     # "meta" | "text" | None
    split_numbers: bool = False      # numbers split over spans: 20</span><span>23
    br_labels: bool = False          # long labels broken with <br>
    nbsp: bool = False               # &nbsp; padding and entities in cells
    layout_table: bool = False       # the whole page inside a layout <table>
    paragraphs_per_line: bool = True  # one <p> per paragraph (False: <br> separated text in one div)
    date: str = "2024-01-25"


def _num(text: str, style: HtmlStyle) -> str:
    if style.split_numbers and len(text) >= 2 and text[0].isdigit():
        mid = len(text) // 2
        return (f'<span style="font-family:宋体">{text[:mid]}</span>'
                f'<span lang="EN-US" style="font-size:10.5pt">{text[mid:]}</span>')
    return html.escape(text)


def _label(text: str, style: HtmlStyle) -> str:
    out = html.escape(text)
    if style.br_labels and len(text) > 10:
        cut = len(text) // 2
        out = html.escape(text[:cut]) + "<br/>\n" + html.escape(text[cut:])
    if style.nbsp:
        out = "&nbsp;" + out + "&nbsp;"
    return out


def table_html(table: Table, style: HtmlStyle) -> str:
    rows = []
    for row in table.rows:
        tds = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            body = _num(cell.text, style) if cell.text[:1].isdigit() else _label(cell.text, style)
            tds.append(f'<td{attrs} style="border:1px solid #000"><p align="center">{body}</p></td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0">\n<tbody>\n' + "\n".join(rows) + \
        "\n</tbody>\n</table>"


CHROME_TOP = """<div class="header"><div class="logo">某某县人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zxft/">政民互动</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/zfxxgk/">政府信息公开年度报告</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; 年度报告</div>
"""
SIDEBAR = """<div class="sidebar"><h3>相关链接</h3><ul>
<li><a href="/a.html">某某县2022年政府信息公开工作年度报告</a></li>
<li><a href="/b.html">某某县政府信息公开指南</a></li></ul></div>
"""
FOOTER = """<div class="footer"><p>主办单位：某某县人民政府办公室　承办单位：某某县大数据中心</p>
<p>版权所有：某某县人民政府　网站标识码：1234567890　ICP备案号：某ICP备12345678号</p>
<p>联系电话：0000-12345678　地址：某某县人民路1号</p></div>
"""


def body_html(report: Report, style: HtmlStyle | None = None) -> str:
    """The article's markup: what a CMS keeps as the report's content."""
    style = style or HtmlStyle()
    body = []
    for block in report.blocks:
        if block.kind == "title":
            if not style.title_outside:
                body.append(f'<p style="text-align:center"><strong>{html.escape(block.text)}</strong></p>')
        elif block.kind in ("heading", "para"):
            text = html.escape(block.text)
            if block.kind == "heading":
                text = f"<strong>{text}</strong>"
            body.append(f'<p style="text-indent:2em">{text}</p>' if style.paragraphs_per_line
                        else f"{text}<br>")
        elif block.kind == "table":
            body.append(table_html(block.table, style))
    return "\n".join(body)


def render_html(report: Report, style: HtmlStyle | None = None) -> bytes:
    """The report as the bytes of a web page."""
    style = style or HtmlStyle()
    head = []
    if style.declare == "charset":
        head.append(f'<meta charset="{style.encoding}">')
    elif style.declare == "http-equiv":
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={style.encoding}">')
    head.append(f'<meta name="ArticleTitle" content="{html.escape(report.title)}">')
    if style.pubdate == "meta":
        head.append(f'<meta name="PubDate" content="{style.date} 09:30">')
    head.append(f"<title>{html.escape(report.title)}_政府信息公开年报_某某县人民政府</title>")
    head.append("<script>var _hmt = _hmt || []; document.write('<div>统计</div>');</script>")
    head.append("<style>.nav li{float:left} td{padding:2px}</style>")

    body = [body_html(report, style)]
    article = [f'<div class="article">']
    if style.title_outside:
        article.append(f'<h1 class="article-title">{html.escape(report.title)}</h1>')
    info = '<div class="info"><span>来源：某某县人民政府办公室</span>'
    if style.pubdate == "text":
        info += f'<span>发布时间：{style.date}</span>'
    info += '<span>浏览次数：<script>document.write(123)</script></span></div>'
    article.append(info)
    article.append('<div class="TRS_Editor" id="zoom">\n' + "\n".join(body) + "\n</div>")
    article.append('<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>'
                   ' <a href="javascript:window.print()">【打印本页】</a> <a href="#">【关闭窗口】</a></div>')
    article.append("</div>")
    page_body = (CHROME_TOP if style.chrome else "") + \
        '<div class="main">' + (SIDEBAR if style.chrome else "") + "\n".join(article) + "</div>\n" + \
        (FOOTER if style.chrome else "")
    if style.layout_table:
        page_body = ('<table width="100%" border="0"><tr><td>' + CHROME_TOP + "</td></tr><tr><td>" +
                     "\n".join(article) + "</td></tr><tr><td>" + FOOTER + "</td></tr></table>")
    page = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html>\n<head>\n" +
            "\n".join(head) + "\n</head>\n<body>\n" + page_body + "\n</body>\n</html>\n")
    return page.encode("utf-8" if style.encoding == "utf-8" else "gb18030")


__all__ = ["HtmlStyle", "body_html", "render_html"]
