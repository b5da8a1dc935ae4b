"""Decoding text files: UTF-8 (with or without a BOM), UTF-16 with a BOM, GB18030/GBK."""
from __future__ import annotations

import codecs

from auditor.errors import CorruptFile


def decode(data: bytes) -> tuple[str, str]:
    """Decode report text; returns (text, encoding name)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"    # a cut download: an odd last byte
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 20):
        raise CorruptFile("无法识别文件的文字编码（不是 UTF-8 或 GBK 文本）",
                          "cannot decode the file: it is neither UTF-8 nor GBK text")
    return text, "utf-8 (with replacements)"
