#!/usr/bin/env bash
# Installs everything Aula needs to build, run and test on a fresh Debian 12 machine of this kind.
# Idempotent: each step checks first, so a second run takes seconds.
#
# Why the detours: cargo-leptos 0.3.11 and wasm-bindgen-cli 0.2.130 do not install with `--locked`
# on rustc 1.95 from this registry (a dependency needs a newer rustc / is missing from the mirror),
# so their lockfiles are patched with `cargo update --precise` first. cargo-leptos downloads any
# tool missing from PATH from GitHub, which is unreachable here, so everything it needs is installed
# up front. Debian's wasm-opt (binaryen 108) silently breaks the release wasm; npm binaryen@132 is used.
set -euo pipefail
cd "$(dirname "$0")/.."

LEPTOS_VERSION=0.3.11
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WBG_VERSION=${WBG_VERSION:-0.2.130}

log() { printf '\033[1m[install-tools]\033[0m %s\n' "$*"; }

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v brotli >/dev/null || need_apt+=(brotli)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  # dpkg sometimes fails transiently with "cannot access archive"; once more fixes it.
  apt-get install -y -qq "${need_apt[@]}" || apt-get install -y -qq "${need_apt[@]}"
fi

# Installs crate $1 at version $2; on a lockfile failure, patches dependency $3 to version $4.
install_crate() {
  local crate=$1 version=$2 dep=$3 dep_version=$4 bin=$5
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return 0
  fi
  log "installing $crate $version"
  if cargo install "$crate" --version "=$version" --locked; then return 0; fi
  local dir
  dir=$(mktemp -d)
  tar xzf "$(ls ~/.cargo/registry/cache/*/"$crate-$version.crate" | head -n1)" -C "$dir"
  (cd "$dir/$crate-$version" && cargo update -p "$dep" --precise "$dep_version" && cargo install --path . --locked)
  rm -rf "$dir"
}

install_crate wasm-bindgen-cli "$WBG_VERSION" webpki-roots 1.0.10 wasm-bindgen
install_crate cargo-leptos "$LEPTOS_VERSION" cargo-util-schemas 0.14.1 cargo-leptos

# The SMTP invitation tests run a real SMTP server on loopback: aiosmtpd, from PyPI.
python3 -c 'import aiosmtpd' 2>/dev/null || { log "pip install aiosmtpd"; python3 -m pip install -q aiosmtpd==1.4.6; }
# The mock BigBlueButton server is checked with an independent client: bbbctl, from PyPI.
command -v bbbctl >/dev/null || python3 -c 'import bbbctl' 2>/dev/null \
  || { log "pip install bbbctl"; python3 -m pip install -q bbbctl==0.5.1; }
# Generated .ics files are read by an independent parser: icalendar (with python-dateutil), from PyPI.
python3 -c 'import icalendar' 2>/dev/null || { log "pip install icalendar"; python3 -m pip install -q icalendar==7.3.2; }
# The attendance exports are read back by an independent spreadsheet reader: openpyxl, from PyPI.
python3 -c 'import openpyxl' 2>/dev/null || { log "pip install openpyxl"; python3 -m pip install -q openpyxl==3.1.5; }

# npm ci again whenever the lockfile changed since the last install (a new package was added).
lock_sum=$(sha256sum end2end/package-lock.json 2>/dev/null | cut -d' ' -f1)
if [ -f end2end/package.json ] && { [ ! -x end2end/node_modules/.bin/wasm-opt ] \
  || [ "$(cat end2end/node_modules/.aula-lock-sum 2>/dev/null)" != "$lock_sum" ]; }; then
  log "npm ci (Playwright, axe-core, binaryen 132)"
  (cd end2end && { [ -f package-lock.json ] && npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
  echo "$lock_sum" > end2end/node_modules/.aula-lock-sum
fi
log "tools ready"
