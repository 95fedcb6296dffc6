#!/usr/bin/env python3
"""How fast SQLite itself writes the cases of an import in other row forms: would a more compact
row make a SQLite store load faster than DuckDB?

    python3 bench/sqlite-row-forms.py [STORE.db]     (default bench-out/bench.db)

STORE.db is a Tianping database that holds the imported cases (bench/import-vs-duckdb.sh leaves
one). For each form, the rows are first prepared in memory, outside the clock; the clock then
times one transaction that copies them into a new database with the same settings as Tianping's
import (16 KiB pages, 64 MiB cache, rollback journal, synchronous = FULL), commit included. No
CSV, no checks, no binding: the floor of a store in that form. Best of 3.

The forms:
- stored: the rows as Tianping stores them (ISO date texts, enum ids as words);
- compact: dates as day numbers, the enums (procedure, closing mode, appeal object) as integers;
- smallest: also courts, type codes, causes, divisions and judges as integer ids;
- smallest, no key: as smallest, without the unique case-number index (which a store needs: a
  re-import finds its cases by number, and so does every drill-down).
"""
import os
import sqlite3
import sys
import time

store = sys.argv[1] if len(sys.argv) > 1 else "bench-out/bench.db"
target = os.path.join(os.path.dirname(store) or ".", "row-forms.db")

VOCABULARIES = ["court_code", "type_code", "cause", "division", "judge"]
ENUMS = ["procedure", "closing_mode", "appeal_object", "type_name", "disposal"]
DATES = ["received_date", "filed_date", "closed_date"]


def column_names(con):
    return [c[1] for c in con.execute("PRAGMA src.table_info(cases)")]


def prepare(con, form):
    """The rows of `form` in temp.staged, and the DDL of their table."""
    names = column_names(con)
    declared = dict(con.execute("SELECT name, type FROM pragma_table_info('cases', 'src')"))
    expressions, types = [], []
    for name in names:
        if form != "stored" and name in DATES:
            expressions.append(f"CAST(julianday(c.{name}) - 2440588 AS INTEGER)")
            types.append("INTEGER")
        elif form != "stored" and name in ENUMS:
            expressions.append(f"(SELECT id FROM temp.v_{name} v WHERE v.value = c.{name})")
            types.append("INTEGER")
        elif form.startswith("smallest") and name in VOCABULARIES:
            expressions.append(f"(SELECT id FROM temp.v_{name} v WHERE v.value = c.{name})")
            types.append("INTEGER")
        else:
            expressions.append(f"c.{name}")
            types.append(declared[name] or "TEXT")
    for name in ENUMS + VOCABULARIES:
        con.execute(f"DROP TABLE IF EXISTS temp.v_{name}")
        con.execute(f"CREATE TEMP TABLE v_{name} (value TEXT PRIMARY KEY, id INTEGER)")
        con.execute(f"INSERT INTO temp.v_{name} SELECT value, row_number() OVER () FROM "
                    f"(SELECT DISTINCT {name} AS value FROM src.cases WHERE {name} IS NOT NULL)")
    con.execute("DROP TABLE IF EXISTS temp.staged")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names))
    con.execute(f"CREATE TEMP TABLE staged AS SELECT {selected} FROM src.cases c")
    key = "" if form.endswith("no key") else " PRIMARY KEY"
    columns = [f"{n} {t}" + (key if n == "case_number" else "") for n, t in zip(names, types)]
    ddl = [f"CREATE TABLE cases ({', '.join(columns)})",
           "CREATE INDEX cases_origin ON cases (origin_case_number) "
           "WHERE origin_case_number IS NOT NULL"]
    return ddl, names


def remove(path):
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def main():
    if not os.path.exists(store):
        sys.exit(f"{store}: no such database; run bench/import-vs-duckdb.sh first")
    rows = sqlite3.connect(store).execute("SELECT count(*) FROM cases").fetchone()[0]
    print(f"sqlite {sqlite3.sqlite_version}, {rows:,} cases of {store}; best of 3")
    for form in ["stored", "compact", "smallest", "smallest, no key"]:
        times = []
        for _ in range(3):
            remove(target)
            con = sqlite3.connect(target, isolation_level=None)
            for pragma in ("page_size = 16384", "cache_size = -65536", "journal_mode = DELETE",
                           "synchronous = FULL", "temp_store = memory"):
                con.execute(f"PRAGMA {pragma}")
            con.execute(f"ATTACH '{store}' AS src")
            ddl, names = prepare(con, form)
            for sql in ddl:
                con.execute(sql)
            os.sync()  # the previous run's writes finish outside the clock
            time.sleep(3)
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.execute(f"INSERT INTO main.cases ({', '.join(names)}) "
                        f"SELECT {', '.join(names)} FROM temp.staged")
            con.execute("COMMIT")
            times.append(time.perf_counter() - t0)
            con.close()
        size = os.path.getsize(target) / 2**20
        print(f"{form:18s} {min(times):6.2f} s {rows / min(times):12,.0f} cases/s {size:6.0f} MiB")
    remove(target)


main()
