-- wrk script for bench/search.sh: cycles through the benchmark queries,
-- one per request, as GET /api/search?q=<query> (the query text exactly as
-- written in the file, percent-encoded as UTF-8; no field prefixes added).
--
--   wrk -t2 -c16 -d20s --latency -s bench/queries.lua http://127.0.0.1:PORT -- QUERYFILE
--
-- QUERYFILE (default: $KS_QUERIES, else bench/queries.txt relative to the
-- working directory) holds one query per line; blank lines are skipped.
-- Each wrk thread starts at a different offset into the list (thread i at
-- frac(i * 0.618) of the way through) so that threads do not send the same
-- query at the same time.
-- PATH_PREFIX (env KS_PATH, default /api/search?q=) is prepended to each
-- encoded query.
--
-- At the end, besides wrk's own report, it prints one machine-readable line:
--   KSBENCH requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p95_ms=.. p99_ms=..
--           mean_ms=.. max_ms=.. non2xx=N connect=N read=N write=N timeout=N queries=N
-- (on one line), which bench/search.sh parses.

local queries = {}
local pos = 1
local path_prefix = os.getenv("KS_PATH") or "/api/search?q="

-- Percent-encode every byte outside RFC 3986's unreserved set, so UTF-8
-- letters become %C3%B8 etc. and a space becomes %20 (never '+').
local function urlencode(s)
  return (s:gsub("[^A-Za-z0-9%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function load(file)
  local list = {}
  local f, err = io.open(file, "rb")
  if not f then
    error("queries.lua: cannot open query file " .. file .. ": " .. tostring(err))
  end
  for line in f:lines() do
    line = line:gsub("\r$", "")
    if line ~= "" then
      list[#list + 1] = line
    end
  end
  f:close()
  if #list == 0 then
    error("queries.lua: no queries in " .. file)
  end
  return list
end

-- Runs in the main Lua state, once per thread before it starts: number the
-- threads so that each can pick its own starting offset.
local thread_count = 0
function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

-- Runs in each thread's own Lua state.
function init(args)
  local file = args[1] or os.getenv("KS_QUERIES") or "bench/queries.txt"
  local raw = load(file)
  for i, q in ipairs(raw) do
    queries[i] = path_prefix .. urlencode(q)
  end
  -- Thread i starts at frac(i * golden ratio) of the way through the list:
  -- well spread for any thread count (which a thread's state cannot know,
  -- as wrk starts thread 0 before it sets up thread 1).
  local idx = tonumber(thread_index) or 0
  local frac = (idx * 0.6180339887498949) % 1
  pos = math.floor(frac * #queries) + 1
  if os.getenv("KS_DEBUG") then
    io.stderr:write(string.format("queries.lua: thread %d starts at query %d of %d: %s\n",
      idx, pos, #queries, queries[pos]))
  end
end

function request()
  local path = queries[pos]
  pos = pos + 1
  if pos > #queries then pos = 1 end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  io.write(string.format(
    "KSBENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p95_ms=%.3f p99_ms=%.3f mean_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d threads=%d\n",
    summary.requests, secs, summary.requests / secs,
    ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(95)), ms(latency:percentile(99)),
    ms(latency.mean), ms(latency.max),
    e.status, e.connect, e.read, e.write, e.timeout, thread_count))
end
