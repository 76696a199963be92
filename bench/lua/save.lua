-- Members save answers to their open attempt, over and over, each save with
-- a rising sequence number, as the page's script does.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args)
  members = my_members(load_identities(os.getenv("BENCH_IDS")), tonumber(os.getenv("BENCH_THREADS")))
  turn = 0
  -- Each run starts above the last one's numbers, or the server would ignore its saves.
  seq = tonumber(os.getenv("BENCH_SEQ_BASE"))
end

function request()
  turn = turn + 1
  seq = seq + 1
  local me = members[(turn - 1) % #members + 1]
  local q = me.questions[(seq - 1) % #me.questions + 1]
  local body = string.format('{"answers":[{"key":"%s","values":["%s"],"seq":%d}]}', q.key, q.value, seq)
  return wrk.format("POST", "/attempts/" .. me.attempts[1] .. "/answers",
    { ["Cookie"] = me.cookie, ["X-CSRFToken"] = me.csrf, ["Content-Type"] = "application/json",
      ["Accept"] = "application/json" }, body)
end

stale = 0
function response(status, headers, body)
  if status == 200 then
    if body:find('"stale":%s*%[%s*{') then stale = stale + 1 end
    local attempt = body:match('"attempt":%s*(%d+)')
    for key, s in body:gmatch('"key":%s*"([^"]+)",%s*"seq":%s*(%d+)') do remember(attempt .. " " .. key .. " " .. s .. "\n") end
  end
end

function done(summary, latency, requests)
  report(latency)
end

