"""Masking of natural persons' names for public output (domain/README.md §5).

Keep the surname, replace each character of the given name by 某: 张三 → 张某,
张三丰 → 张某某; compound surnames keep both characters (欧阳娜娜 → 欧阳某某); names with
a middle dot keep the first character (买买提·艾力 → 买某). Telling apart duplicates in a
list (张某1, 张某2) is the list's job.
"""

import re

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "令狐",
        "慕容",
        "司徒",
        "夏侯",
        "尉迟",
        "公孙",
        "长孙",
        "宇文",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "澹台",
        "太史",
        "申屠",
        "闻人",
        "万俟",
        "钟离",
        "濮阳",
        "公冶",
        "赫连",
        "拓跋",
        "宗政",
        "单于",
        "第五",
    ]
)
_DOTS = "·•‧・.．"


def mask_person_name(name: str) -> str:
    name = re.sub(r"\s+", "", name or "")
    if not name:
        return ""
    if any(dot in name for dot in _DOTS):
        return name[0] + "某"
    if len(name) == 1:
        return name
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2] + "某" * (len(name) - 2)
    return name[0] + "某" * (len(name) - 1)
