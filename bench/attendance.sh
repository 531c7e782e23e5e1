#!/usr/bin/env bash
# The attendance heartbeat path (issue 3), on SQLite and on PostgreSQL, in one run:
#   1. heartbeats/s vs GET /healthz/s on the same server (wrk, Debian's), p50/p99, the ratio;
#   2. server RSS while 10,000 simulated participants send one heartbeat every 30 s, each on its
#      own keep-alive connection (browsers reaching Aula directly), then again over 64 shared
#      connections (behind a reverse proxy); a fresh server process for each;
#   3. the course report of 500 students x 40 sessions of 90 minutes (generated), p50 over 30 runs.
# Builds release (SKIP_BUILD=1 skips it) and the `bench_seed` example, which seeds the data and
# drives the simulation. Prints a summary table at the end; the figures go to docs/PERFORMANCE.md.
#
# Knobs (environment): ENGINES="sqlite postgres", PORT=3191, PG_URL=postgres://postgres@127.0.0.1:5432,
# PARTICIPANTS=10000, BEAT_PARTICIPANTS=200, WRK_THREADS=2, WRK_CONNS=64, WRK_SECS=15, SIM_SECS=75,
# PERIOD_SECS=30, PROXY_CONNS=64, REPORT_STUDENTS=500, REPORT_SESSIONS=40, REPORT_MINUTES=90,
# NOISE_MAX=10, ATTEMPTS=3, BENCH_REV (the revision to print, when not run from a git checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

ENGINES=${ENGINES:-sqlite postgres}
PORT=${PORT:-3191}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PARTICIPANTS=${PARTICIPANTS:-10000}
BEAT_PARTICIPANTS=${BEAT_PARTICIPANTS:-200}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-64}
WRK_SECS=${WRK_SECS:-15}
SIM_SECS=${SIM_SECS:-75}
PERIOD_SECS=${PERIOD_SECS:-30}
PROXY_CONNS=${PROXY_CONNS:-64}
REPORT_STUDENTS=${REPORT_STUDENTS:-500}
REPORT_SESSIONS=${REPORT_SESSIONS:-40}
REPORT_MINUTES=${REPORT_MINUTES:-90}
# A phase during which other processes used more than NOISE_MAX % of the machine (a build, a test
# run) is measured again, up to ATTEMPTS times; the table says which phases were repeated.
NOISE_MAX=${NOISE_MAX:-10}
ATTEMPTS=${ATTEMPTS:-3}

log() { printf '\033[1m[attendance]\033[0m %s\n' "$*" >&2; }

need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -qq "${need_apt[@]}" || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "${need_apt[@]}"; }
fi
command -v psql >/dev/null || { [[ " $ENGINES " != *" postgres "* ]] || { echo "psql is needed for PostgreSQL" >&2; exit 1; }; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-tools.sh >/dev/null
  log "cargo leptos build --release --split"
  cargo leptos build --release --split >/dev/null
fi
# cargo-leptos 0.3.11 builds the server with RUSTFLAGS="--cfg erase_components" when
# `always-erase-components = true` (Cargo.toml), and LEPTOS_OUTPUT_NAME set (scripts/env.sh); the
# same flags let the example share those artifacts. It still compiles its dev-dependencies once.
log "cargo build --release -p server --example bench_seed"
RUSTFLAGS="--cfg erase_components" cargo build --release -q -p server --example bench_seed
bin=$CARGO_TARGET_DIR/release/aula
seed=$CARGO_TARGET_DIR/release/examples/bench_seed
[ -x "$bin" ] || { echo "no release server at $bin: run without SKIP_BUILD=1" >&2; exit 1; }

# 10,000 connections to the server, and as many from the simulator (each process needs that many fds).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((PARTICIPANTS + 1000)) ] || log "warning: ulimit -n $(ulimit -n) may be too low for $PARTICIPANTS connections"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
pid=""
sampler=""
pg_db=""
cleanup() {
  local status=$?
  # A failed run shows what the server said before its work directory goes.
  if [ "$status" != 0 ]; then
    for f in "$work"/*-server.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 40 "$f" >&2; }; done
  fi
  [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  [ -z "$pg_db" ] || psql -q "$PG_URL/postgres" -c "drop database if exists $pg_db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

base=http://127.0.0.1:$PORT
hz=$(getconf CLK_TCK)

start_server() { # $1 = database url, $2 = data dir, $3 = log
  AULA_DATA_DIR=$2 AULA_BIND=127.0.0.1:$PORT AULA_DATABASE_URL=$1 AULA_LOG=warn \
    LEPTOS_SITE_ROOT=$PWD/target/site "$bin" serve >>"$3" 2>&1 &
  pid=$!
  for _ in $(seq 150); do
    curl -sf "$base/healthz" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not start; its log:" >&2; cat "$3" >&2; exit 1
}
stop_server() {
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }

# Requests/s, p50 and p99 (ms) and non-2xx count from wrk's --latency output.
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { bad = $NF }
    /^ +[0-9]+ requests in/ { n = $1 }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad + 0, n + 0 }'
}

# CPU accounting while a load generator runs: the server's (srv_cpu, % of one core) and what is
# left of the machine's busy time after the server, the generator and PostgreSQL (other_cpu, % of
# the whole machine). A build or test run started meanwhile shows up there and spoils the figures.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
pg_ticks() {
  { [ -z "$pg_db" ] || pgrep -f "^postgres: .* $pg_db " || true
    pgrep -f '^postgres: [^ ]+: (checkpointer|background writer|walwriter|autovacuum|logical)' || true
  } | while read -r p; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{s += $1} END {print s + 0}'
}
# $1 = file for the generator's stdout, then the generator's command line.
measure() {
  local out=$1 b0 s0 p0 t0 b1 s1 p1 t1 gen
  shift
  b0=$(busy_ticks); s0=$(cpu_ticks); p0=$(pg_ticks); t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/gen-time" "$@" >"$out"
  b1=$(busy_ticks); s1=$(cpu_ticks); p1=$(pg_ticks); t1=$(date +%s.%N)
  gen=$(awk -v hz="$hz" '{printf "%.0f", ($1 + $2) * hz}' "$work/gen-time")
  srv_cpu=$(awk -v a="$s0" -v b="$s1" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
    'BEGIN { printf "%.0f", 100 * (b - a) / hz / (t1 - t0) }')
  other_cpu=$(awk -v o="$((b1 - b0 - (s1 - s0) - (p1 - p0) - gen))" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
    -v n="$(nproc)" 'BEGIN { if (o < 0) o = 0; printf "%.0f", 100 * o / hz / (t1 - t0) / n }')
}

# True when the phase just measured must be repeated; notes it. $1 = phase name, $2 = attempt.
noisy() {
  [ "$other_cpu" -gt "$NOISE_MAX" ] && [ "$2" -lt "$ATTEMPTS" ] || return 1
  log "  other processes used ${other_cpu}% of the machine: measuring $1 again"
  repeated="$repeated $1"
}

# Runs one simulation on a fresh server process, sampling its RSS every second. $1 = connections
# (0: one per participant), $2 = the participants' first seq (above the previous run's last).
# Sets sim_max, sim_hwm, sim_idle (MB), srv_cpu, other_cpu and sim_line (the simulator's figures).
# Not run in a subshell: it restarts the server.
simulate() {
  local conns=$1 seq_from=$2
  stop_server
  start_server "$url" "$data" "$work/$engine-server.log"
  sleep 1
  sim_idle=$(( $(status_kb VmRSS) / 1024 ))
  (while kill -0 "$pid" 2>/dev/null; do status_kb VmRSS; sleep 1; done) >"$work/rss-$engine-$conns" &
  sampler=$!
  measure "$work/sim-$engine-$conns.txt" "$seed" simulate --base "$base" --file "$work/participants.tsv" \
    --skip "$BEAT_PARTICIPANTS" --count "$PARTICIPANTS" --period-secs "$PERIOD_SECS" \
    --duration-secs "$SIM_SECS" --connections "$conns" --seq-from "$seq_from"
  sim_line=$(cat "$work/sim-$engine-$conns.txt")
  sim_hwm=$(( $(status_kb VmHWM) / 1024 ))
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
  sim_max=$(( $(sort -n "$work/rss-$engine-$conns" | tail -1) / 1024 ))
  log "  $sim_line"
  log "  server RSS: idle $sim_idle MB, max $sim_max MB, VmHWM $sim_hwm MB; server CPU ${srv_cpu}% of one core; other processes ${other_cpu}% of the machine"
}

kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

# Figures as `engine<TAB>metric<TAB>value` lines, shown as a table at the end.
: >"$work/results.tsv"
res() { printf '%s\t%s\t%s\n' "$engine" "$1" "$2" >>"$work/results.tsv"; }

for engine in $ENGINES; do
  log "=== $engine ==="
  data=$work/$engine-data
  mkdir -p "$data"
  case $engine in
    sqlite) url="sqlite://$data/aula.db" ;;
    postgres)
      pg_db=aula_bench_$$
      psql -q "$PG_URL/postgres" -c "create database $pg_db" >/dev/null
      url="$PG_URL/$pg_db" ;;
    *) echo "unknown engine $engine" >&2; exit 1 ;;
  esac
  start_server "$url" "$data" "$work/$engine-server.log"

  log "seeding $((PARTICIPANTS + BEAT_PARTICIPANTS)) participants"
  ids=$("$seed" participants --db "$url" --base "$base" --count $((PARTICIPANTS + BEAT_PARTICIPANTS)) \
    --out "$work/participants.tsv")
  activity_id=$(echo "$ids" | kv activity_id)

  repeated=""
  for attempt in $(seq "$ATTEMPTS"); do
    log "wrk GET /healthz (-t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s)"
    measure "$work/wrk-$engine-healthz.txt" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_SECS}s" --latency "$base/healthz"
    h_cpu=$srv_cpu h_other=$other_cpu
    read -r h_rps h_p50 h_p99 h_bad h_n < <(parse_wrk <"$work/wrk-$engine-healthz.txt")
    log "  $h_rps req/s, p50 $h_p50 ms, p99 $h_p99 ms, non-2xx $h_bad of $h_n; server CPU ${h_cpu}% of one core; other processes ${h_other}% of the machine"
    noisy healthz "$attempt" || break
  done

  for attempt in $(seq "$ATTEMPTS"); do
    # Each attempt's seqs start above the last one's; 5,000 ms per attempt stays within the time
    # the server has seen since the sessions opened.
    seq0=$(( (attempt - 1) * 5000 ))
    log "wrk POST /attendance/beat, $BEAT_PARTICIPANTS participants (-t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s)"
    measure "$work/wrk-$engine-beat.txt" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_SECS}s" --latency \
      -s bench/beat.lua "$base/attendance/beat" -- "$work/participants.tsv" "$BEAT_PARTICIPANTS" "$WRK_THREADS" "$seq0"
    b_cpu=$srv_cpu b_other=$other_cpu
    read -r b_rps b_p50 b_p99 b_bad b_n < <(parse_wrk <"$work/wrk-$engine-beat.txt")
    generated=$(kv beat_generated <"$work/wrk-$engine-beat.txt")
    applied=$(( $("$seed" applied --db "$url" --activity "$activity_id") - BEAT_PARTICIPANTS * seq0 ))
    ratio=$(awk -v b="$b_rps" -v h="$h_rps" 'BEGIN { printf "%.2f", b / h }')
    log "  $b_rps req/s, p50 $b_p50 ms, p99 $b_p99 ms, non-2xx $b_bad of $b_n; server CPU ${b_cpu}% of one core; other processes ${b_other}% of the machine"
    log "  heartbeats/healthz = $ratio; beats generated $generated, completed $b_n, stored in the database $applied"
    if [ "$b_n" -eq 0 ] || [ $((b_bad * 100)) -gt "$b_n" ]; then
      echo "FAILED: $b_bad of $b_n heartbeats were not 2xx" >&2; cat "$work/wrk-$engine-beat.txt" >&2; exit 1
    fi
    if [ $((applied * 100)) -lt $((b_n * 99)) ]; then
      echo "FAILED: only $applied heartbeats stored for $b_n answered" >&2; exit 1
    fi
    noisy heartbeats "$attempt" || break
  done

  sim_seq=1
  for attempt in $(seq "$ATTEMPTS"); do
    log "simulation: $PARTICIPANTS participants, one heartbeat every ${PERIOD_SECS}s, one connection each, ${SIM_SECS}s"
    simulate 0 "$sim_seq"; sim_seq=$((sim_seq + 100))
    d_max=$sim_max d_hwm=$sim_hwm d_idle=$sim_idle d_cpu=$srv_cpu d_other=$other_cpu d_line=$sim_line
    noisy "simulation(1-conn-each)" "$attempt" || break
  done
  for attempt in $(seq "$ATTEMPTS"); do
    log "simulation: the same over $PROXY_CONNS shared connections (behind a proxy), ${SIM_SECS}s"
    simulate "$PROXY_CONNS" "$sim_seq"; sim_seq=$((sim_seq + 100))
    p_max=$sim_max p_hwm=$sim_hwm p_cpu=$srv_cpu p_other=$other_cpu p_line=$sim_line
    noisy "simulation(shared-conns)" "$attempt" || break
  done

  reuse=()
  for attempt in $(seq "$ATTEMPTS"); do
    log "course report: $REPORT_STUDENTS students x $REPORT_SESSIONS sessions of $REPORT_MINUTES min"
    measure "$work/report-$engine.txt" "$seed" course-report --db "$url" --base "$base" \
      --students "$REPORT_STUDENTS" --sessions "$REPORT_SESSIONS" --minutes "$REPORT_MINUTES" "${reuse[@]}"
    r_other=$other_cpu
    report=$(tr '\n' ' ' <"$work/report-$engine.txt")
    log "  $report"
    log "  other processes ${r_other}% of the machine"
    reuse=(--reuse-course "$(echo "$report" | kv course_id)")
    noisy course-report "$attempt" || break
  done
  stop_server

  res "healthz: req/s" "$h_rps"
  res "healthz: p50 / p99 ms" "$h_p50 / $h_p99"
  res "healthz: server CPU, % of one core" "$h_cpu"
  res "beat: req/s" "$b_rps"
  res "beat: p50 / p99 ms" "$b_p50 / $b_p99"
  res "beat/healthz ratio" "$ratio"
  res "beat: server CPU, % of one core" "$b_cpu"
  res "beat: answered 2xx / stored in DB" "$((b_n - b_bad)) / $applied"
  res "healthz + beat: other processes, % of machine" "$h_other / $b_other"
  for v in d p; do
    line_var=${v}_line; line=${!line_var}
    if [ $v = d ]; then label="sim 1 conn each"; else label="sim $PROXY_CONNS shared conns"; fi
    res "$label: beats/s (target)" "$(echo "$line" | kv sim_rate) ($(echo "$line" | kv sim_target_rate))"
    res "$label: p50 / p99 ms" "$(echo "$line" | kv sim_p50_ms) / $(echo "$line" | kv sim_p99_ms)"
    res "$label: accepted / failed" "$(echo "$line" | kv sim_accepted) / $(( $(echo "$line" | kv sim_non200) + $(echo "$line" | kv sim_io_errors) ))"
    max_var=${v}_max; hwm_var=${v}_hwm; cpu_var=${v}_cpu
    res "$label: RSS max / VmHWM MB" "${!max_var} / ${!hwm_var}"
    other_var=${v}_other
    res "$label: server CPU, % of one core" "${!cpu_var}"
    res "$label: other processes, % of machine" "${!other_var}"
  done
  res "server RSS idle after start, MB" "$d_idle"
  res "report: intervals" "$(echo "$report" | kv course_intervals)"
  res "report: course p50 / p90 / max ms" "$(echo "$report" | kv course_p50_ms) / $(echo "$report" | kv course_p90_ms) / $(echo "$report" | kv course_max_ms)"
  res "report: course response bytes" "$(echo "$report" | kv course_bytes)"
  res "report: course with br, p50 ms (bytes)" "$(echo "$report" | kv course_br_p50_ms) ($(echo "$report" | kv course_br_bytes))"
  res "report: activity p50 / p90 ms" "$(echo "$report" | kv activity_p50_ms) / $(echo "$report" | kv activity_p90_ms)"
  res "report: other processes, % of machine" "$r_other"
  res "phases repeated (other load)" "$(echo ${repeated:-none} | tr ' ' ',')"
  if [ "$engine" = postgres ]; then
    psql -q "$PG_URL/postgres" -c "drop database $pg_db" >/dev/null; pg_db=""
  fi
  rm -rf "$data"
done

echo
echo "Attendance heartbeats (issue 3), $(date -u +%Y-%m-%d), ${BENCH_REV:-$(git describe --always --dirty 2>/dev/null || echo "no git")}, $(nproc) cores shared by server and load generator"
echo "load average before the run: $load_before; \"other processes\" is CPU used by anything but the server, the load generator and PostgreSQL (should be ~0)"
echo "wrk -t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s; simulation $PARTICIPANTS participants / ${PERIOD_SECS}s for ${SIM_SECS}s; report $REPORT_STUDENTS x $REPORT_SESSIONS x ${REPORT_MINUTES} min"
# Metrics down, engines across.
awk -F'\t' '
  { if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } if (!($1 in eseen)) { eseen[$1] = 1; eng[++m] = $1 } v[$1, $2] = $3 }
  END {
    printf "%-52s", "metric"; for (j = 1; j <= m; j++) printf "  %-22s", eng[j]; print ""
    for (i = 1; i <= n; i++) { printf "%-52s", order[i]; for (j = 1; j <= m; j++) printf "  %-22s", v[eng[j], order[i]]; print "" }
  }' "$work/results.tsv"
echo
# Targets (issue 3).
awk -F'\t' '
  function first(s) { split(s, a, " "); return a[1] + 0 }
  function add(e, s) { if (!(e in out)) eng[++m] = e; out[e] = out[e] s }
  $2 == "beat: req/s" { add($1, sprintf("%-9s heartbeats/s %s (target >= 8,000): %s\n", $1, $3, ($3 >= 8000 ? "pass" : "MISS"))) }
  $2 == "beat/healthz ratio" { add($1, sprintf("%-9s heartbeats/healthz %s (target >= 0.5): %s\n", $1, $3, ($3 >= 0.5 ? "pass" : "MISS"))) }
  $2 ~ /RSS max/ { add($1, sprintf("%-9s %s %s MB (target <= 80 MB): %s\n", $1, $2, first($3), (first($3) <= 80 ? "pass" : "MISS"))) }
  $2 ~ /course p50/ { add($1, sprintf("%-9s course report p50 %s ms (target <= 50): %s\n", $1, first($3), (first($3) <= 50 ? "pass" : "MISS"))) }
  END { for (j = 1; j <= m; j++) printf "%s", out[eng[j]] }
' "$work/results.tsv"
# A build or test run during a phase makes its figures worthless: say so.
awk -F'\t' -v max="$NOISE_MAX" '$2 ~ /other processes/ { n = split($3, a, " / "); bad = 0; for (i = 1; i <= n; i++) if (a[i] + 0 > max) bad = 1
  if (bad) printf "WARNING: %s %s = %s: something else used the machine during this phase; re-run on a quiet machine\n", $1, $2, $3 }' "$work/results.tsv" >&2
