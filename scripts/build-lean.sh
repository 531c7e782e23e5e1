#!/usr/bin/env bash
# Builds the join page's lean wasm (`aula_lean`, see app/src/islands.rs) into the site's pkg dir:
# the frontend crate compiled with `--cfg aula_lean`, so it carries only the meeting panel island,
# then wasm-bindgen and wasm-opt as cargo-leptos runs them. Run it after `cargo leptos build`
# (which rewrites the pkg dir). Always the wasm-release profile: it is small and quick to link.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

site=${LEPTOS_SITE_ROOT:-target/site}
# Its own target dir: different RUSTFLAGS would otherwise rebuild the main wasm's artifacts.
lean_target=$CARGO_TARGET_DIR/lean
RUSTFLAGS="--cfg erase_components --cfg aula_lean" \
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release \
  --target-dir "$lean_target"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name aula_lean \
  "$lean_target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$site/pkg/aula_lean_bg.wasm" -o "$site/pkg/aula_lean_bg.wasm"
echo "lean build: $(wc -c < "$site/pkg/aula_lean_bg.wasm") B wasm in $site/pkg"
