-- wrk script for bench/load.sh: a mixed load of good and bad requests
-- across the sandbox's three providers, checking every answer.
--
-- wrk 4.1 does not tell response() which request an answer belongs to
-- (connections share one Lua state per thread and answer out of order), so
-- each answer is matched against the documented answer of every kind: its
-- status plus a body marker (the error code, or the success shape) that no
-- other kind's answer has. An answer that matches no kind is "unrecognised"
-- (a 5xx, a 200 where a 401 belongs, a wrong error code...). Then, per
-- kind, requests sent and answers recognised must agree up to the requests
-- still in flight when wrk stops (at most one per connection): a good
-- request answered with a bad kind's documented error shows up there.
--
-- Environment: LOAD_SCALEKIT_TOKEN (an access token from the sandbox,
-- required; never printed), LOAD_M2M_FORM (the client-credentials form of
-- an organization M2M client bench/load.sh made; never printed), LOAD_CONNS (wrk's -c, for the in-flight bound).

local scaling_key = "scl_live_0123456789abcdef0123456789abcdef" -- the sandbox's public demo key

-- Each kind: a request and its documented answer. `marker` must appear in
-- the body (plain text, not a pattern); `header` must be present.
local function kinds(token, m2m_form)
  return {
    { name = "scaling  demo key     -> 200", path = "/scaling/v1/incidents",
      headers = { Authorization = "Bearer " .. scaling_key },
      status = 200, marker = '{"data":{"incidents":[' },
    { name = "scaling  wrong key    -> 401", path = "/scaling/v1/incidents",
      headers = { Authorization = "Bearer scl_live_ffffffffffffffffffffffffffffffff" },
      status = 401, marker = '"code":"invalid_api_key"' },
    { name = "scaling  no header    -> 401", path = "/scaling/v1/incidents",
      headers = {},
      status = 401, marker = '"code":"missing_authorization_header"' },
    { name = "scaling  rate-limit   -> 429", path = "/scaling/v1/incidents",
      headers = { Authorization = "Bearer " .. scaling_key, ["X-Authscope-Whatif"] = "rate-limit" },
      status = 429, marker = '"code":"rate_limited"', header = "Retry-After" },
    { name = "scale    live_ScaleRocks -> 200", path = "/scale/v1/projects",
      headers = { Authorization = "Basic bGl2ZV9TY2FsZVJvY2tzOg==" }, -- base64("live_ScaleRocks:")
      status = 200, marker = '[{"type":' },
    { name = "scale    wrong key    -> 401", path = "/scale/v1/projects",
      headers = { Authorization = "Basic bGl2ZV9Ob3RBUmVhbEtleTo=" }, -- base64("live_NotARealKey:")
      status = 401, marker = '"error":"Invalid API key."' },
    { name = "scalekit no token     -> 401", path = "/scalekit/api/v1/organizations",
      headers = {},
      status = 401, marker = '{"code":16,"message":"Token empty"' },
    { name = "scalekit valid token  -> 200", path = "/scalekit/api/v1/organizations",
      headers = { Authorization = "Bearer " .. token },
      status = 200, marker = '"organizations":[' },
    { name = "scalekit users page   -> 200", path = "/scalekit/api/v1/organizations/org_59615193906282635/users?page_size=2",
      headers = { Authorization = "Bearer " .. token },
      status = 200, marker = '"users":[' },
    { name = "scalekit M2M token    -> 200", path = "/scalekit/oauth/token", method = "POST", body = m2m_form,
      headers = { ["Content-Type"] = "application/x-www-form-urlencoded" },
      status = 200, marker = '"scope":"invoices:read"' },
  }
end

-- Per-thread state (each wrk thread has its own copy of these globals).
local list, requests, next_kind
sent, answered, unrecognised = {}, {}, {}

function init(args)
  local token = os.getenv("LOAD_SCALEKIT_TOKEN")
  if not token or token == "" then
    error("bench/load.lua: LOAD_SCALEKIT_TOKEN is not set (bench/load.sh fetches one)")
  end
  local m2m_form = os.getenv("LOAD_M2M_FORM")
  if not m2m_form or m2m_form == "" then
    error("bench/load.lua: LOAD_M2M_FORM is not set (bench/load.sh makes an M2M client)")
  end
  list, requests = kinds(token, m2m_form), {}
  for i, k in ipairs(list) do
    requests[i] = wrk.format(k.method or "GET", k.path, k.headers, k.body) -- built once, as SCRIPTING advises
    sent[i], answered[i] = 0, 0
  end
  -- Start the threads at different kinds (setup() set `id`).
  next_kind = (id or 0) % #list
end

function request()
  next_kind = next_kind % #list + 1
  sent[next_kind] = sent[next_kind] + 1
  return requests[next_kind]
end

function response(status, headers, body)
  for i, k in ipairs(list) do
    if status == k.status and string.find(body, k.marker, 1, true)
        and (k.header == nil or headers[k.header] ~= nil) then
      answered[i] = answered[i] + 1
      return
    end
  end
  unrecognised[status] = (unrecognised[status] or 0) + 1
end

-- setup and done run in wrk's main Lua state, apart from the threads.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, _)
  local names = {}
  for i, k in ipairs(kinds("")) do names[i] = k.name end
  local total_sent, total_answered, total_unrecognised = {}, {}, 0
  local odd_statuses = {}
  for _, t in ipairs(threads) do
    local s, a, u = t:get("sent"), t:get("answered"), t:get("unrecognised")
    for i = 1, #names do
      total_sent[i] = (total_sent[i] or 0) + (s[i] or 0)
      total_answered[i] = (total_answered[i] or 0) + (a[i] or 0)
    end
    for status, n in pairs(u) do
      odd_statuses[status] = (odd_statuses[status] or 0) + n
      total_unrecognised = total_unrecognised + n
    end
  end

  local all_sent, all_answered = 0, 0
  for i = 1, #names do
    all_sent, all_answered = all_sent + total_sent[i], all_answered + total_answered[i]
  end
  -- Requests asked for but not answered when wrk stopped: at most one per
  -- connection, plus the one request() call wrk makes at start to check
  -- the script. A kind may be short by no more than that, and never over.
  local in_flight = all_sent - all_answered - total_unrecognised
  local conns = tonumber(os.getenv("LOAD_CONNS") or "") or 64

  local mismatched = 0
  io.write(string.format("%-31s %10s %10s %10s\n", "kind", "sent", "answered", "mismatched"))
  for i, name in ipairs(names) do
    local short = total_sent[i] - total_answered[i]
    local bad = math.max(0, -short) + math.max(0, short - math.max(in_flight, 0))
    mismatched = mismatched + bad
    io.write(string.format("%-31s %10d %10d %10d\n", name, total_sent[i], total_answered[i], bad))
  end
  -- An unrecognised answer also leaves its kind short: count it once.
  mismatched = math.max(mismatched, total_unrecognised)
  io.write(string.format("%-31s %10s %10d %10d\n", "unrecognised answers", "-", total_unrecognised, total_unrecognised))
  for status, n in pairs(odd_statuses) do
    io.write(string.format("  unrecognised HTTP %d: %d\n", status, n))
  end
  if in_flight < 0 or in_flight > conns + 1 then
    io.write(string.format("in flight at the end: %d, outside 0..%d: the counts do not add up\n", in_flight, conns + 1))
    mismatched = mismatched + math.abs(in_flight)
  end

  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "load-result requests=%d seconds=%.2f rps=%.1f connect=%d read=%d write=%d timeout=%d mismatched=%d in_flight=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, seconds, summary.requests / seconds, e.connect, e.read, e.write, e.timeout,
    mismatched, in_flight, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
