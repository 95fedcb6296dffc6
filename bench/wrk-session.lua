-- wrk script for bench/web-overview.sh: sends the session cookie and prints the percentiles
-- (wrk's own --latency table has no p95).
local cookie = os.getenv("TIANPING_COOKIE")

request = function()
  return wrk.format("GET", nil, { ["Cookie"] = cookie })
end

done = function(summary, latency, requests)
  local ms = function(us) return string.format("%.2f", us / 1000) end
  io.write(string.format(
    "RESULT requests=%d errors=%d non2xx=%d p50_ms=%s p90_ms=%s p95_ms=%s p99_ms=%s max_ms=%s rps=%.1f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)), ms(latency.max),
    summary.requests / (summary.duration / 1e6)))
end
