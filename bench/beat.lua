-- wrk script for bench/attendance.sh: attendance heartbeats from the participants that
-- `bench_seed participants` opened. Usage:
--   wrk -t2 -c64 -d15s --latency -s bench/beat.lua http://HOST:PORT/attendance/beat -- FILE N THREADS [SEQ0]
-- FILE has `cookie<TAB>attendance_token<TAB>client_ms` lines; the first N are used. SEQ0 (default 0)
-- is where the seqs start: a repeated run must start above the previous one's. Each wrk thread
-- takes a disjoint share of them (line i goes to thread i mod THREADS) and cycles through it, so a
-- participant's seq only ever increases. Every beat claims 1 ms (`at = client_ms + seq`), which the
-- server accepts and writes (it is well within the time it saw pass), so each request exercises the
-- whole write path. `done` prints how many beats were generated; bench/attendance.sh compares that
-- with what the database holds.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local people = {}
local nextp = 1
generated = 0

function init(args)
  local file, n, nthreads, seq0 = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4] or "0")
  if not file or not n or not nthreads or not seq0 then
    error("usage: -- FILE N THREADS [SEQ0]")
  end
  local i = 0
  for line in io.lines(file) do
    if i >= n then break end
    if i % nthreads == id then
      local cookie, token, client_ms = line:match("^(%x+)\t(%S+)\t(%-?%d+)$")
      if not cookie then error("bad participants line " .. (i + 1)) end
      table.insert(people, {
        headers = {
          ["Cookie"] = "aula_session=" .. cookie,
          ["Sec-Fetch-Site"] = "same-origin",
          ["Content-Type"] = "application/json",
        },
        token = token,
        client_ms = tonumber(client_ms),
        seq = seq0,
      })
    end
    i = i + 1
  end
  if #people == 0 then error("thread " .. id .. " got no participants from " .. file) end
end

function request()
  local p = people[nextp]
  nextp = nextp % #people + 1
  p.seq = p.seq + 1
  generated = generated + 1
  -- %.0f: client_ms is beyond 2^31, and doubles hold it exactly.
  local body = string.format('{"t":"%s","b":[{"seq":%d,"at":%.0f}],"close":false}',
    p.token, p.seq, p.client_ms + p.seq)
  return wrk.format("POST", nil, p.headers, body)
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("generated") or 0)
  end
  io.write(string.format("beat_generated=%d beat_completed=%d\n", total, summary.requests))
end
