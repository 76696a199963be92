-- Members submit their open attempts one after another (their answers were
-- saved beforehand). Each acknowledged submission names its attempt. A phase
-- uses its own slice of each member's attempts (BENCH_FIRST, BENCH_COUNT), so
-- that no phase replays what an earlier one submitted.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args)
  members = my_members(load_identities(os.getenv("BENCH_IDS")), tonumber(os.getenv("BENCH_THREADS")))
  turn = 0
  first = tonumber(os.getenv("BENCH_FIRST"))
  count = tonumber(os.getenv("BENCH_COUNT"))
end

function request()
  turn = turn + 1
  local me = members[(turn - 1) % #members + 1]
  me.next = me.next + 1
  local attempt = me.attempts[first + (me.next - 1) % count + 1]
  -- As the page's script sends it: JSON, confirming nothing.
  return wrk.format("POST", "/attempts/" .. attempt .. "/submit",
    { ["Cookie"] = me.cookie, ["X-CSRFToken"] = me.csrf, ["Content-Type"] = "application/json",
      ["Accept"] = "application/json" }, "{}")
end

function response(status, headers, body)
  if status == 200 then
    local attempt = body:match("/attempts/(%d+)/result")
    if attempt then remember(attempt .. "\n") end
  end
end

function done(summary, latency, requests)
  report(latency)
end

