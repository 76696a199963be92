-- Shared by the load scripts. Members are spread over the connections; every
-- acknowledgement the server sends names what it acknowledges (attempt,
-- question, sequence number), so the benchmark can check the database after.
local counter = 0
threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function load_identities(path)
  local list = {}
  for line in io.lines(path) do
    local cookie, csrf, attempts, questions = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    local item = { cookie = cookie, csrf = csrf, attempts = {}, questions = {}, next = 0 }
    for a in attempts:gmatch("[^,]+") do table.insert(item.attempts, a) end
    for q in questions:gmatch("[^,]+") do
      local key, value = q:match("^(.-)=(.*)$")
      table.insert(item.questions, { key = key, value = value })
    end
    table.insert(list, item)
  end
  return list
end

-- This thread's share of the members: thread i of n takes members i, i+n, ...
function my_members(all, nthreads)
  local mine = {}
  for i = index, #all, nthreads do table.insert(mine, all[i]) end
  return mine
end

acked = {}
function remember(line)
  table.insert(acked, line)
end

function report(latency)
  io.write(string.format("LATENCY_MS p50=%.2f p95=%.2f p99=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  local out = io.open(os.getenv("BENCH_ACKED"), "w")
  for _, t in ipairs(threads) do
    for _, line in ipairs(t:get("acked") or {}) do out:write(line) end
  end
  out:close()
end
