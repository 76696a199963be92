-- The bare app's durable insert: a POST with a body the size of a save's.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

wrk.method = "POST"
wrk.body = '{"answers":[{"key":"q1","values":["b"],"seq":1000001}]}'
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  report(latency)
end
