#!/usr/bin/env bash
# Starts Aula for the browser tests: a fresh data directory, an admin, the demo site, and the
# stand-in Jitsi server as the default meeting server (and its fake Google for YouTube streaming).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${AULA_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}/debug/aula}
data=$(mktemp -d /tmp/aula-e2e.XXXXXX)
export AULA_DATA_DIR=$data
export AULA_BIND=127.0.0.1:${AULA_E2E_PORT:-3100}
export AULA_JITSI_DEFAULT_URL=http://127.0.0.1:${STANDIN_PORT:-18443}
export AULA_LOGIN_ATTEMPTS=100
# Google (OAuth and YouTube) is the stand-in's fake under /__google.
google=http://127.0.0.1:${STANDIN_PORT:-18443}/__google
export AULA_GOOGLE_AUTH_URL=$google/auth
export AULA_GOOGLE_TOKEN_URL=$google/token
export AULA_GOOGLE_REVOKE_URL=$google/revoke
export AULA_YOUTUBE_API_URL=$google/youtube/v3
export AULA_YOUTUBE_EMBED_URL=$google/embed
# E-mail goes to a real SMTP server on loopback, which the specs that read mail start themselves
# (helpers/smtp_sink.ts runs server/tests/support/smtp_sink.py on this port); otherwise sending
# fails and is logged.
export AULA_SMTP_HOST=127.0.0.1
export AULA_SMTP_PORT=${SMTP_SINK_PORT:-18625}
export AULA_SMTP_SECURITY=none
# The browser tests move the attendance clock forward instead of waiting (POST /__test/clock).
export AULA_CLOCK_CONTROL=true
export LEPTOS_SITE_ROOT=$root/target/site
export AULA_LOG=${AULA_LOG:-warn}
echo "e2e-admin-password" | "$bin" admin create --email admin@e2e.test --name "E2E Admin" --password-stdin
"$bin" demo
exec "$bin" serve
