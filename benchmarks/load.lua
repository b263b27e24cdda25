-- The requests of one benchmarked endpoint, and a JSON summary at the end.
-- wrk -s load.lua URL -- MODE PREFIX ROWS FIRST_DELETE_ID
--   get     GET PREFIX/<random id in 1..ROWS>
--   list    GET PREFIX?limit=20&offset=<random>
--   post    POST PREFIX with a new item
--   patch   PATCH PREFIX/<random id> with a new quantity
--   delete  DELETE PREFIX/<id>, every id once, from FIRST_DELETE_ID up, threads interleaved

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, prefix, rows, first = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  stride = #args >= 5 and tonumber(args[5]) or 1
  counter = 0
  math.randomseed(os.time() + thread_index * 7919)
  json_headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  if mode == "get" then
    return wrk.format("GET", prefix .. "/" .. math.random(1, rows))
  elseif mode == "list" then
    return wrk.format("GET", prefix .. "?limit=20&offset=" .. math.random(0, rows - 20))
  elseif mode == "post" then
    local body = string.format('{"name":"item %d-%d","quantity":%d,"price":"%d.%02d","active":true}',
      thread_index, counter, counter % 1000, counter % 500, counter % 100)
    return wrk.format("POST", prefix, json_headers, body)
  elseif mode == "patch" then
    return wrk.format("PATCH", prefix .. "/" .. math.random(1, rows), json_headers,
      '{"quantity":' .. (counter % 1000) .. '}')
  elseif mode == "delete" then
    return wrk.format("DELETE", prefix .. "/" .. (first + thread_index + (counter - 1) * stride))
  end
  error("unknown mode " .. tostring(mode))
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout))
end
