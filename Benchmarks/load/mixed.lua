-- wrk script: a learning-engine mix. 70% vector search, 20% memory writes (random unit vectors, so no two merge),
-- 10% cache lookups. Each thread counts the memory writes the server acknowledged (201) and every failed request,
-- so the driver can check that every acknowledged write is stored afterwards.
local bodies = {}
local counter = 0
local threads = {}
local dimension = 384
local collection = "load"

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  -- Every thread has its own Lua state with the same default seed: without this, threads would send the same
  -- "random" vectors, and the server would rightly merge them as duplicates.
  math.randomseed(os.time() * 1000 + id * 7919)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  dimension = tonumber(args[2]) or 384
  counter = math.random(#bodies)
  acknowledged = 0
  merged = 0
  failed = 0
  pending = {}
end

local function random_vector()
  local parts = {}
  local norm = 0
  local values = {}
  for i = 1, dimension do
    local v = math.random() * 2 - 1
    values[i] = v
    norm = norm + v * v
  end
  norm = math.sqrt(norm)
  for i = 1, dimension do parts[i] = string.format("%.6f", values[i] / norm) end
  return "[" .. table.concat(parts, ",") .. "]"
end

function request()
  local roll = math.random(100)
  local headers = {["Content-Type"] = "application/json"}
  if roll <= 70 then
    counter = counter % #bodies + 1
    return wrk.format("POST", "/v1/collections/" .. collection .. "/search", headers, bodies[counter])
  elseif roll <= 90 then
    local body = '{"content":"load memory ' .. math.random(1e9) .. '","tags":["load"],"vector":' .. random_vector() .. '}'
    return wrk.format("POST", "/memory/add", headers, body)
  else
    return wrk.format("POST", "/v1/cache/lookup", headers, '{"query":"what is the weather in city ' .. math.random(50) .. '"}')
  end
end

-- A thread multiplexes several connections, so a response is matched to its kind by its body, not by order:
-- only /memory/add answers with a "merged" field.
function response(status, headers, body)
  if status == 201 and body:find('"merged"', 1, true) then
    acknowledged = acknowledged + 1
    if body:find('"merged":true', 1, true) then merged = merged + 1 end
  elseif status >= 300 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total, joined, bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acknowledged")
    joined = joined + thread:get("merged")
    bad = bad + thread:get("failed")
  end
  io.write(string.format("ACKNOWLEDGED_WRITES %d\nMERGED_WRITES %d\nFAILED_REQUESTS %d\n", total, joined, bad))
end
