"""DuckDB side of bench/indicators-vs-duckdb.sh: load the exchange CSVs into a DuckDB file once,
then time the indicator query by court for a year, cold (new connection) and warm (repeated).

The SQL computes what plain SQL can: the flow counts and rates, durations (gross of deducted
days), first-instance outcomes with appeals linked through events and second-instance cases,
enforcement, registration and ageing. The time-limit indicators need the statutory deadline on
the holiday calendar (Tianping's engine), which no plain SQL query has; the comparison is
therefore generous to DuckDB.
"""
import json
import os
import sys
import time

import duckdb

data_dir, db_path, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
F, T = f"{year}-01-01", f"{year}-12-31"

if not os.path.exists(db_path):
    con = duckdb.connect(db_path)
    # The court and type code are derived once at load time, as Tianping's importer does.
    con.execute(f"CREATE TABLE cases AS SELECT *, "
                "regexp_extract(case_number, '[0-9]+([^0-9（）号]+)[0-9]+号', 1) AS type_code, "
                "regexp_extract(case_number, '）(最高法|[^0-9]+?[0-9]{0,4})(?:知)?[^0-9]', 1) AS court_code "
                f"FROM read_csv('{data_dir}/cases.csv', header=true, "
                "types={'filed_date': 'DATE', 'closed_date': 'DATE', 'received_date': 'DATE', "
                "'claim_amount': 'DOUBLE', 'recovered_amount': 'DOUBLE'})")
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{data_dir}/events.csv', header=true, "
                "types={'date': 'DATE', 'end_date': 'DATE'})")
    con.close()

FIRST = "('民初','刑初','行初','民撤','行赔初','法赔','委赔')"
QUERY = f"""
WITH appealed AS (
  SELECT DISTINCT case_number FROM events WHERE event = '上诉' AND date <= DATE '{T}'
  UNION
  SELECT DISTINCT origin_case_number FROM cases
  WHERE origin_case_number IS NOT NULL AND filed_date <= DATE '{T}'
    AND type_code IN ('民终', '刑终', '行终')
)
SELECT court_code,
  count(*) FILTER (filed_date BETWEEN DATE '{F}' AND DATE '{T}') AS filed,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}') AS closed,
  count(*) FILTER (filed_date < DATE '{F}' AND (closed_date IS NULL OR closed_date >= DATE '{F}')) AS carried_over,
  count(*) FILTER (filed_date <= DATE '{T}' AND (closed_date IS NULL OR closed_date > DATE '{T}')) AS pending_end,
  avg(closed_date - filed_date) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}') AS avg_days,
  median(closed_date - filed_date) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}') AS median_days,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code IN {FIRST}) AS first_closed,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code IN {FIRST}
                   AND a.case_number IS NOT NULL) AS appealed,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code = '民初'
                   AND closing_mode IN ('调解', '撤诉')) AS mediated,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code = '执') AS enf_closed,
  count(*) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code = '执'
                   AND closing_mode = '终结本次执行程序') AS terminated,
  sum(recovered_amount) FILTER (closed_date BETWEEN DATE '{F}' AND DATE '{T}' AND type_code IN ('执', '执恢')) AS recovered,
  count(*) FILTER (filed_date BETWEEN DATE '{F}' AND DATE '{T}' AND received_date = filed_date) AS same_day,
  count(*) FILTER (filed_date <= DATE '{T}' AND (closed_date IS NULL OR closed_date > DATE '{T}')
                   AND DATE '{T}' > filed_date + INTERVAL 12 MONTH) AS over_12m,
  count(*) FILTER (filed_date <= DATE '{T}' AND (closed_date IS NULL OR closed_date > DATE '{T}')
                   AND DATE '{T}' > filed_date + INTERVAL 36 MONTH) AS over_36m
FROM cases
LEFT JOIN appealed a USING (case_number)
GROUP BY court_code ORDER BY court_code
"""

t0 = time.perf_counter()
con = duckdb.connect(db_path, read_only=True)
rows = con.execute(QUERY).fetchall()
cold = time.perf_counter() - t0
warm = []
for _ in range(5):
    t = time.perf_counter()
    con.execute(QUERY).fetchall()
    warm.append(time.perf_counter() - t)
print(json.dumps({"rows": len(rows), "cold_s": cold, "warm_s_min": min(warm),
                  "warm_s_median": sorted(warm)[len(warm) // 2]}))
