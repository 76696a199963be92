dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function done(summary, latency, requests)
  report(latency)
end
