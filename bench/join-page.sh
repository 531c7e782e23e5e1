#!/usr/bin/env bash
# The join page every student opens (GET /activities/{id}, signed in as a student, SQLite, the
# demo site) against GET /healthz on the same server, in one run (issue 14: >= 1,660 req/s, which
# is 100x mod_jitsi's 16.6/s, and >= 0.1x /healthz). Rounds alternate the two so that machine
# noise hits both alike; the summary gives each round and the ratio of the medians.
#
# Builds release (SKIP_BUILD=1 skips it). Knobs: PORT=3192, WRK_THREADS=2, WRK_CONNS=16,
# WRK_SECS=10, ROUNDS=3.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

PORT=${PORT:-3192}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-16}
WRK_SECS=${WRK_SECS:-10}
ROUNDS=${ROUNDS:-3}
base="http://127.0.0.1:$PORT"
log() { printf '\033[1m[join-page]\033[0m %s\n' "$*" >&2; }

command -v wrk >/dev/null || { sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo; $sudo_ apt-get install -y -qq wrk; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-tools.sh >/dev/null
  log "cargo leptos build --release --split"
  cargo leptos build --release --split >/dev/null
  scripts/build-lean.sh >/dev/null
fi
bin=$CARGO_TARGET_DIR/release/aula
[ -x "$bin" ] || { echo "no release server at $bin: run without SKIP_BUILD=1" >&2; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() {
  local status=$?
  [ "$status" = 0 ] || { [ -f "$work/server.log" ] && tail -n 40 "$work/server.log" >&2; }
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

export AULA_DATA_DIR=$work/data AULA_BIND=127.0.0.1:$PORT LEPTOS_SITE_ROOT=$PWD/target/site
export AULA_LOG=${AULA_LOG:-warn}
mkdir -p "$AULA_DATA_DIR"
"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

password=$(grep -o 'DEMO_PASSWORD: &str = "[^"]*"' server/src/demo.rs | cut -d'"' -f2)
curl -sf -c "$work/jar" -H 'sec-fetch-site: same-origin' \
  --data-urlencode "email=student1@aula.test" --data-urlencode "password=$password" \
  "$base/api/auth/login" >/dev/null
session=$(awk '$6 == "aula_session" {print $7}' "$work/jar")
[ -n "$session" ] || { echo "the demo student could not log in" >&2; exit 1; }
cookie="Cookie: aula_session=$session"
# The open lecture is the first activity on the student's dashboard.
path=$(curl -sf -H "$cookie" "$base/" | grep -o '/activities/[0-9]*' | head -n1)
page=$(curl -sf -H "$cookie" "$base$path")
grep -q "Newton" <<<"$page" || { echo "$path is not the demo lecture's join page" >&2; exit 1; }
log "join page $path: $(wc -c <<<"$page") bytes of HTML"

# Requests/s and p99 (ms) from wrk --latency, and the non-2xx count.
parse_wrk() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { bad = $NF }
    END { printf "%.0f %.2f %d\n", rps, p99, bad + 0 }'
}
run_wrk() { wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_SECS}s" --latency "$@" | parse_wrk; }

healthz=() join=()
for r in $(seq "$ROUNDS"); do
  read -r h h99 hbad < <(run_wrk "$base/healthz")
  read -r j j99 jbad < <(run_wrk -H "$cookie" "$base$path")
  [ "$jbad" = 0 ] || { echo "FAILED: $jbad join page answers were not 2xx" >&2; exit 1; }
  log "round $r: /healthz $h req/s (p99 $h99 ms), join page $j req/s (p99 $j99 ms), ratio $(awk -v j="$j" -v h="$h" 'BEGIN{printf "%.3f", j/h}')"
  healthz+=("$h") join+=("$j")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mh=$(median "${healthz[@]}") mj=$(median "${join[@]}")
echo "rev $(git rev-parse --short HEAD 2>/dev/null || echo '?'), -t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECS}s, $ROUNDS rounds"
echo "healthz_median_rps $mh"
echo "join_page_median_rps $mj"
echo "join_over_healthz $(awk -v j="$mj" -v h="$mh" 'BEGIN{printf "%.3f", j/h}')"
echo "join_over_mod_jitsi $(awk -v j="$mj" 'BEGIN{printf "%.0f", j/16.6}')"
