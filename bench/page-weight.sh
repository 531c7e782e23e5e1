#!/usr/bin/env bash
# What the join page weighs on a student's first visit: every file Chromium fetches from Aula
# (HTML, JS, wasm chunks, CSS; Jitsi's own external_api.js excluded), raw and brotli -q 11.
# Builds release with code splitting, seeds the demo site on a throwaway SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ "${SKIP_BUILD:-0}" = 1 ] || { cargo leptos build --release --split >/dev/null && scripts/build-lean.sh >/dev/null; }

data=$(mktemp -d)
port=${PORT:-3190}
export AULA_DATA_DIR=$data AULA_BIND=127.0.0.1:$port LEPTOS_SITE_ROOT=$PWD/target/site AULA_LOG=warn
bin=$CARGO_TARGET_DIR/release/aula
"$bin" demo >/dev/null
"$bin" serve >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
node bench/page-weight.mjs "http://127.0.0.1:$port"
