-- wrk script: POST /v1/collections/<name>/search with a query vector taken round-robin from a file of JSON bodies
-- (one per line), each thread starting at a different offset.
local bodies = {}
local counter = 0

function init(args)
  local path = args[1]
  for line in io.lines(path) do bodies[#bodies + 1] = line end
  counter = math.random(#bodies)
end

function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[counter])
end
