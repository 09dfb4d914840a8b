-- wrk script for bench/allocator: a fixed mix of reads and writes of allowlist addresses.
-- Every thread seeds the same generator (plus its own number), so each run sends the same
-- request sequence: 80% GET, 20% POST, over 4096 addresses (the store stays bounded).
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(20240 + id)
end

function request()
  local address = string.format("/0x%x", math.random(1, 4096))
  if math.random(1, 10) <= 2 then
    return wrk.format("POST", address)
  end
  return wrk.format("GET", address)
end
