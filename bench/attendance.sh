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
# PERIOD_SECS=30, PROXY_CONNS=64, REPORT_STUDENTS=500, REPORT_SESSIONS=40, REPORT_MINUTES=90.
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

log() { printf '\033[1m[attendance]\033[0m %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -qq wrk || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq wrk; }
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

# 10,000 connections to the server, and as many from the simulator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((PARTICIPANTS * 2 + 1000)) ] || log "warning: ulimit -n $(ulimit -n) may be too low for $PARTICIPANTS connections"

work=$(mktemp -d)
pid=""
sampler=""
pg_db=""
cleanup() {
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

# Runs one simulation on a fresh server process, sampling its RSS every second. $1 = connections
# (0: one per participant). Sets sim_max, sim_hwm, sim_idle (MB), sim_cpu (% of one core) and
# sim_line (the simulator's figures). Not run in a subshell: it restarts the server.
simulate() {
  local conns=$1 c0 c1 t0 t1
  stop_server
  start_server "$url" "$data" "$work/$engine-server.log"
  sleep 1
  sim_idle=$(( $(status_kb VmRSS) / 1024 ))
  c0=$(cpu_ticks)
  (while kill -0 "$pid" 2>/dev/null; do status_kb VmRSS; sleep 1; done) >"$work/rss-$engine-$conns" &
  sampler=$!
  t0=$(date +%s.%N)
  sim_line=$("$seed" simulate --base "$base" --file "$work/participants.tsv" --skip "$BEAT_PARTICIPANTS" \
    --count "$PARTICIPANTS" --period-secs "$PERIOD_SECS" --duration-secs "$SIM_SECS" --connections "$conns")
  t1=$(date +%s.%N)
  c1=$(cpu_ticks)
  sim_hwm=$(( $(status_kb VmHWM) / 1024 ))
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
  sim_max=$(( $(sort -n "$work/rss-$engine-$conns" | tail -1) / 1024 ))
  sim_cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / (t1 - t0) }')
  log "  $sim_line"
  log "  server RSS: idle $sim_idle MB, max $sim_max MB, VmHWM $sim_hwm MB; server CPU ${sim_cpu}% of one core"
}

kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

printf 'engine\thealthz_rps\thealthz_p50\thealthz_p99\tbeat_rps\tbeat_p50\tbeat_p99\tratio\tbeat_server_cpu\tapplied\tcompleted\trss_direct_max\trss_direct_hwm\tsim_direct_rate\tsim_direct_p99\tsim_direct_errors\trss_proxy_max\trss_proxy_hwm\tsim_proxy_rate\trss_idle\treport_p50\treport_p90\treport_max\tactivity_p50\tintervals\n' >"$work/results.tsv"

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

  log "wrk GET /healthz (-t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s)"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_SECS}s" --latency "$base/healthz" >"$work/wrk-$engine-healthz.txt"
  read -r h_rps h_p50 h_p99 h_bad h_n < <(parse_wrk <"$work/wrk-$engine-healthz.txt")
  log "  $h_rps req/s, p50 $h_p50 ms, p99 $h_p99 ms, non-2xx $h_bad of $h_n"

  log "wrk POST /attendance/beat, $BEAT_PARTICIPANTS participants (-t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s)"
  c0=$(cpu_ticks); t0=$(date +%s.%N)
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_SECS}s" --latency -s bench/beat.lua "$base/attendance/beat" \
    -- "$work/participants.tsv" "$BEAT_PARTICIPANTS" "$WRK_THREADS" >"$work/wrk-$engine-beat.txt"
  c1=$(cpu_ticks); t1=$(date +%s.%N)
  read -r b_rps b_p50 b_p99 b_bad b_n < <(parse_wrk <"$work/wrk-$engine-beat.txt")
  b_cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / (t1 - t0) }')
  generated=$(kv beat_generated <"$work/wrk-$engine-beat.txt")
  applied=$("$seed" applied --db "$url" --activity "$activity_id")
  ratio=$(awk -v b="$b_rps" -v h="$h_rps" 'BEGIN { printf "%.2f", b / h }')
  log "  $b_rps req/s, p50 $b_p50 ms, p99 $b_p99 ms, non-2xx $b_bad of $b_n; server CPU ${b_cpu}% of one core"
  log "  heartbeats/healthz = $ratio; beats generated $generated, completed $b_n, stored in the database $applied"
  if [ "$b_n" -eq 0 ] || [ $((b_bad * 100)) -gt "$b_n" ]; then
    echo "FAILED: $b_bad of $b_n heartbeats were not 2xx" >&2; cat "$work/wrk-$engine-beat.txt" >&2; exit 1
  fi
  if [ $((applied * 100)) -lt $((b_n * 99)) ]; then
    echo "FAILED: only $applied heartbeats stored for $b_n answered" >&2; exit 1
  fi

  log "simulation: $PARTICIPANTS participants, one heartbeat every ${PERIOD_SECS}s, one connection each, ${SIM_SECS}s"
  simulate 0
  d_max=$sim_max d_hwm=$sim_hwm d_idle=$sim_idle d_cpu=$sim_cpu d_line=$sim_line
  log "simulation: the same over $PROXY_CONNS shared connections (behind a proxy), ${SIM_SECS}s"
  simulate "$PROXY_CONNS"
  p_max=$sim_max p_hwm=$sim_hwm p_cpu=$sim_cpu p_line=$sim_line

  log "course report: $REPORT_STUDENTS students x $REPORT_SESSIONS sessions of $REPORT_MINUTES min"
  report=$("$seed" course-report --db "$url" --base "$base" --students "$REPORT_STUDENTS" \
    --sessions "$REPORT_SESSIONS" --minutes "$REPORT_MINUTES" | tr '\n' ' ')
  log "  $report"
  stop_server

  printf '%s\n' "$engine	$h_rps	$h_p50	$h_p99	$b_rps	$b_p50	$b_p99	$ratio	$b_cpu	$applied	$b_n	$d_max	$d_hwm	$(echo "$d_line" | kv sim_rate)	$(echo "$d_line" | kv sim_p99_ms)	$(( $(echo "$d_line" | kv sim_non200) + $(echo "$d_line" | kv sim_io_errors) ))	$p_max	$p_hwm	$(echo "$p_line" | kv sim_rate)	$d_idle	$(echo "$report" | kv course_p50_ms)	$(echo "$report" | kv course_p90_ms)	$(echo "$report" | kv course_max_ms)	$(echo "$report" | kv activity_p50_ms)	$(echo "$report" | kv course_intervals)" >>"$work/results.tsv"
  if [ "$engine" = postgres ]; then
    psql -q "$PG_URL/postgres" -c "drop database $pg_db" >/dev/null; pg_db=""
  fi
  rm -rf "$data"
done

echo
echo "Attendance heartbeats (issue 3), $(date -u +%Y-%m-%d), $(nproc) cores shared by server and load generator"
echo "wrk -t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s; simulation $PARTICIPANTS participants / ${PERIOD_SECS}s for ${SIM_SECS}s; report $REPORT_STUDENTS x $REPORT_SESSIONS x ${REPORT_MINUTES} min"
column -t -s $'\t' "$work/results.tsv"
echo
awk -F'\t' 'NR > 1 {
  printf "%-8s heartbeats %s/s (p50 %s ms, p99 %s ms) vs healthz %s/s: ratio %s [target >= 0.5: %s]; >= 8,000/s: %s\n",
    $1, $5, $6, $7, $2, $8, ($8 >= 0.5 ? "pass" : "MISS"), ($5 >= 8000 ? "pass" : "MISS")
  printf "%-8s RSS max with %s participants: %s MB one connection each, %s MB over shared connections [target <= 80 MB: %s / %s]\n",
    $1, "'"$PARTICIPANTS"'", $12, $17, ($12 <= 80 ? "pass" : "MISS"), ($17 <= 80 ? "pass" : "MISS")
  printf "%-8s course report p50 %s ms (p90 %s, max %s; %s intervals) [target <= 50 ms: %s]\n",
    $1, $21, $22, $23, $25, ($21 <= 50 ? "pass" : "MISS")
}' "$work/results.tsv"
