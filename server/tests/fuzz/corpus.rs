//! The committed corpus: every file under `tests/fuzz/corpus/<target>/` is one input, replayed
//! on each run before the random ones.

use std::path::PathBuf;

/// The inputs committed for `target`; fails when there are none, so a moved folder is noticed.
pub fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read a corpus file");
            (p, bytes)
        })
        .collect()
}

/// Runs `target` on every committed input, then on random inputs (bolero).
pub fn run(name: &str, target: fn(&[u8])) {
    for (path, bytes) in inputs(name) {
        let outcome = std::panic::catch_unwind(|| target(&bytes));
        assert!(
            outcome.is_ok(),
            "{name}: {} made the target panic",
            path.display()
        );
    }
    bolero::check!().for_each(target);
}
