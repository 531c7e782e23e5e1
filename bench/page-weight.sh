#!/usr/bin/env bash
# What the join page weighs on a student's first visit: the HTML, the wasm, the JS glue and the CSS
# (Jitsi's own external_api.js excluded), raw and brotli -q 11. Builds release, seeds the demo site
# on a throwaway SQLite database, logs in as a demo student and fetches the page like a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ "${SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release >/dev/null

data=$(mktemp -d)
port=${PORT:-3190}
export AULA_DATA_DIR=$data AULA_BIND=127.0.0.1:$port LEPTOS_SITE_ROOT=$PWD/target/site AULA_LOG=warn
bin=$CARGO_TARGET_DIR/release/aula
"$bin" demo >/dev/null
"$bin" serve >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

jar=$data/cookies
curl -sf -c "$jar" -o /dev/null "http://127.0.0.1:$port/api/auth/login" \
  --data-urlencode email=student1@aula.test --data-urlencode password=aula-demo-2026
id=$(curl -sf -b "$jar" -X POST "http://127.0.0.1:$port/api/dashboard" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_sessions"][0]["activity_id"])')
out=$data/page
mkdir -p "$out"
curl -sf -b "$jar" "http://127.0.0.1:$port/activities/$id" -o "$out/page.html"
for asset in $(grep -oE '/pkg/[A-Za-z0-9_.-]+\.(js|wasm|css)' "$out/page.html" | sort -u); do
  curl -sf "http://127.0.0.1:$port$asset" -o "$out/$(basename "$asset")"
done

total_raw=0; total_br=0
printf '%-28s %10s %10s\n' file raw brotli
for f in "$out"/*; do
  raw=$(stat -c %s "$f"); br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_br=$((total_br + br))
  printf '%-28s %10d %10d\n' "$(basename "$f")" "$raw" "$br"
done
printf '%-28s %10d %10d\n' TOTAL "$total_raw" "$total_br"
echo "budget: 200000 bytes brotli; mod_jitsi's join page: 1240000"
