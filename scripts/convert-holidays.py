#!/usr/bin/env python3
"""Convert the holiday-cn JSON files (one a year) into Tianping's own calendar file.

Usage: scripts/convert-holidays.py ../shared/data/holiday-cn > crates/tianping-domain/data/holidays-cn.csv

The output is the State Council calendar as Tianping embeds it: one row a special day,
`notice_year,date,is_off_day,name` (a notice may name days of the previous December). A year with no rows (e.g. a notice not yet published) is unknown to
Tianping, which then falls back to weekends only and says so.
"""
import json
import pathlib
import sys

src = pathlib.Path(sys.argv[1])
print("notice_year,date,is_off_day,name")
for path in sorted(src.glob("[0-9][0-9][0-9][0-9].json")):
    data = json.loads(path.read_text(encoding="utf-8"))
    for day in sorted(data["days"], key=lambda d: d["date"]):
        print(f'{data["year"]},{day["date"]},{"true" if day["isOffDay"] else "false"},{day["name"]}')
