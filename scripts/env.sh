# Shared build environment, sourced by the other scripts.
# The target directory lives outside the clone so CI and later runs reuse the build. The test build
# uses exactly the flags cargo-leptos uses for its debug build, so `cargo test` reuses those
# artifacts instead of compiling everything a second time.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_OUTPUT_NAME=aula
# cargo-leptos adds `--cfg erase_components` to debug builds itself; `cargo test` must use the
# same flags to reuse its artifacts, so the test commands set RUSTFLAGS=$TEST_RUSTFLAGS.
export TEST_RUSTFLAGS="--cfg erase_components"
