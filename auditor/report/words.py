"""Words reporters share: severities, locations, verdicts and the run's summary line."""
from __future__ import annotations

from auditor.i18n import word
from auditor.templates import column_label, row_label

TABLE_ZH = {"proactive": "表二", "requests": "表三", "review_litigation": "表四"}
SECTION_ZH = {"overall": "第一部分", "proactive": "第二部分", "requests": "第三部分",
              "review_litigation": "第四部分", "problems": "第五部分", "other": "第六部分"}


def severity_text(sev: str, lang: str) -> str:
    return word(f"sev.{sev}", lang) if sev in ("error", "warning", "info") else sev


def level_text(level: str, lang: str) -> str:
    return word(f"level.{level}", lang) if level in ("department", "government", "township") else level


def location_text(loc: dict, lang: str) -> str:
    """A location a person can follow: table, row, column, page, line."""
    loc = loc or {}
    parts = []
    if lang == "en":
        for key in ("section", "table", "row", "column"):
            if loc.get(key):
                parts.append(f"{key} {loc[key]}")
        if loc.get("page") is not None:
            parts.append(f"p. {loc['page']}")
        if loc.get("line") is not None:
            parts.append(f"line {loc['line']}")
        return ", ".join(parts)
    table = loc.get("table")
    if loc.get("section") and not table:
        parts.append(SECTION_ZH.get(loc["section"], loc["section"]))
    if table:
        parts.append(TABLE_ZH.get(table, table))
        if loc.get("row"):
            parts.append(row_label(table, loc["row"]))
        if loc.get("column"):
            parts.append(column_label(table, loc["column"]))
    if loc.get("page") is not None:
        parts.append(f"第{loc['page']}页")
    if loc.get("line") is not None:
        parts.append(f"第{loc['line']}行")
    return " · ".join(parts)


def marks_text(finding: dict, lang: str) -> str:
    """" [新增]" for a finding new since the baseline, " [已豁免：reason]" for a waived one."""
    out = ""
    if finding.get("new"):
        out += f" [{word('new', lang)}]"
    waived = finding.get("waived")
    if waived:
        sep = ": " if lang == "en" else "："
        out += f" [{word('waived', lang)}{sep}{waived.get('reason') or ''}]"
    return out


def verdict(report: dict, lang: str) -> str:
    if report.get("error"):
        return word("error", lang)
    return word("failed" if report.get("failed") else "passed", lang)


def verdict_why(report: dict, lang: str) -> str:
    """The verdict with the codes that made the report fail: "未通过（A201 F301）"."""
    reasons = (report.get("verdict") or {}).get("reasons") or []
    shown = " ".join(word("reason.score", lang) if r == "score" else r for r in reasons)
    if not shown:
        return verdict(report, lang)
    return f"{verdict(report, lang)} ({shown})" if lang == "en" else f"{verdict(report, lang)}（{shown}）"


def summary_line(summary: dict, lang: str) -> str:
    mean = summary.get("mean_score")
    mean = "-" if mean is None else f"{mean:g}"
    if lang == "en":
        return (f"{summary['reports']} report(s): {summary['failed']} failed, "
                f"{summary['errors']} not audited, mean score {mean}")
    return (f"共 {summary['reports']} 份报告：未通过 {summary['failed']} 份，"
            f"无法审核 {summary['errors']} 份，平均分 {mean}")


REFUSED_KINDS = {"unsupported": ("不支持的类型", "unsupported type"), "empty": ("空文件", "empty"),
                 "encrypted": ("加密", "encrypted"), "scanned": ("扫描件", "scanned"),
                 "not-a-report": ("不是年报", "not a report"), "corrupt": ("已损坏", "corrupt"),
                 "wrong-suffix": ("后缀与内容不符", "wrong suffix"), "too-large": ("过大", "too large"),
                 "needs-converter": ("需要 LibreOffice", "needs LibreOffice"),
                 "conversion-failed": ("转换失败", "conversion failed"), "timeout": ("超时", "timed out"),
                 "crashed": ("处理进程退出", "worker died"), "internal": ("内部错误", "internal error"),
                 "unreadable": ("无法读取", "unreadable")}


def inventory_line(inventory: list[dict], lang: str) -> str:
    """"共 N 个文件：审核 A 份，无法审核 B 份，跳过 C 个（不支持的类型 …）"."""
    audited = sum(1 for i in inventory if i["outcome"] == "audited")
    refused = [i for i in inventory if i["outcome"] == "refused"]
    skipped = sum(1 for i in inventory if i["outcome"] == "skipped")
    missing = sum(1 for i in inventory if i["outcome"] == "missing")
    kinds: dict = {}
    for i in refused:
        kinds[i.get("kind")] = kinds.get(i.get("kind"), 0) + 1
    en = lang == "en"
    detail = ("; " if en else "，").join(
        f"{(REFUSED_KINDS.get(k) or (k or '?', k or '?'))[1 if en else 0]} {n}"
        for k, n in sorted(kinds.items(), key=lambda kv: str(kv[0])))
    if en:
        return (f"{len(inventory) - missing} file(s): {audited} audited, {len(refused)} refused"
                + (f" ({detail})" if detail else "") + f", {skipped} skipped"
                + (f"; {missing} listed in the manifest not found" if missing else ""))
    return (f"共 {len(inventory) - missing} 个文件：审核 {audited} 份，无法审核 {len(refused)} 份"
            + (f"（{detail}）" if detail else "") + f"，跳过 {skipped} 个"
            + (f"；清单中 {missing} 份报告未找到" if missing else ""))
