-- wrk script for bench/bench_http.sh: prints one machine-readable line when the run ends,
-- with the throughput and the latency percentiles wrk measured (microseconds -> ms), so
-- the shell script does not have to parse wrk's human summary.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors, summary.errors.status))
end
