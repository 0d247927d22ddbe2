"""Write dialogs/areas/areas.toml: every Chinese landline area code and its place, read from phonenumbers.

The dialog names the area when a landline's length is wrong ("区号 0551（安徽省合肥市）…"). phonenumbers'
geocoder holds the names, but loading it reads some 40 MB of tables; the names change far more slowly than
the numbering plan, so they are kept as a small data file made by this script, and the lengths are asked of
phonenumbers itself at run time. Run: ``python scripts/areas.py`` (needs phonenumbers).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import phonenumbers
from phonenumbers import geocoder

OUT = Path(__file__).resolve().parent.parent / "dialogs" / "areas" / "areas.toml"


def _names(area: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for length in (7, 8):
        for lead in "23456789":
            for filler in "0123456789":
                number = phonenumbers.parse("0" + area[1:] + lead + filler * (length - 1), "CN")
                if phonenumbers.is_valid_number(number):
                    found[geocoder.description_for_number(number, "zh")] += 1
    return found


def main() -> None:
    codes = ["010", *(f"02{d}" for d in range(10)), *(f"0{n}" for n in range(300, 1000))]
    lines = [
        "# 固定电话区号及其地名（由 scripts/areas.py 依据 phonenumbers 生成，请勿手工修改）。",
        "# 号码是否有效、本地号码应为几位，运行时由 phonenumbers 判断；此表只提供提示中的地名。",
        "",
    ]
    for code in codes:
        names = _names(code)
        names.pop("", None)
        names.pop("中国", None)
        if names:
            lines.append(f'"{code}" = "{names.most_common(1)[0][0]}"')
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 3} area codes written to {OUT}")


if __name__ == "__main__":
    main()
