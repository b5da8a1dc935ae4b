"""Agency names: the key that matches one agency across years, and its level.

Reports of one agency spell its name differently from year to year (spaces,
full-width characters, the odd traditional character copied from a
template).  :func:`agency_key` folds those away so the sweep can find last
year's report of the same agency; a sweep manifest can still name the agency
explicitly when the parser's reading is not good enough.
"""
from __future__ import annotations

import re
import unicodedata

LEVELS = ("department", "government", "township")

# Traditional characters that occur in agency names, folded to simplified.
_TRAD = ("縣县區区鎮镇鄉乡辦办會会衛卫務务開开發发財财農农業业體体廳厅國国資资稅税門门關关環环護护設设"
         "計计劃划經经濟济濱滨實实驗验綜综員员廣广東东華华蘇苏陽阳電电車车場场醫医療疗險险勞劳動动"
         "統统審审監监檢检執执應应災灾園园漁渔運运輸输郵邮鐵铁龍龙島岛灣湾嶺岭溝沟壩坝長长興兴寧宁"
         "遼辽黃黄漢汉豐丰聯联組组織织機机構构編编黨党紀纪軍军號号對对時时間间記记館馆圖图樂乐產产"
         "權权價价貿贸萬万億亿處处廈厦邊边陝陕雲云貴贵靈灵寶宝鄭郑嶽岳滬沪閩闽贛赣魯鲁粵粤瓊琼隴陇"
         "莊庄廠厂圍围橋桥湯汤溫温濕湿蘭兰鳳凤鴻鸿齊齐澤泽縣县與与為为級级專专職职務务營营")
TRADITIONAL = str.maketrans(_TRAD[0::2], _TRAD[1::2])

_GOVERNMENT_RE = re.compile(r"(人民政府|政府|管理委员会|管委会|实验区|新区管委会)$")
_TOWNSHIP_RE = re.compile(r"(乡|镇|苏木)(人民政府)?$|街道办事处$|街道$")


def agency_key(name: str | None) -> str | None:
    """The matching key of an agency name: NFKC, no whitespace, traditional → simplified."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"\s+", "", text).translate(TRADITIONAL)
    return text or None


def infer_level(name: str | None) -> str | None:
    """department / government / township guessed from the name (a manifest says it for sure)."""
    key = agency_key(name)
    if not key:
        return None
    if _TOWNSHIP_RE.search(key):
        return "township"
    if _GOVERNMENT_RE.search(key) and "办公室" not in key:
        return "government"
    return "department"
