//! A source lint (tests only): the modules of this crate form no cycle. Cargo keeps crates from
//! reaching back up; inside a crate only this test does. A module here is a file two levels deep
//! (`attendance::hub`, `servers::ssr`); a folder's `mod.rs` is the folder itself. An edge is any
//! path through `crate::` or `super::` in a file's code (its tests and comments are left out), so
//! `use`, re-exports and inline paths all count.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

type Module = Vec<String>;

/// The module a file under `src/` defines: `attendance/hub.rs` → `[attendance, hub]`.
fn module_of(rel: &str) -> Module {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code without comments and without the trailing `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i]);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every full path that starts at `at` (just after `crate::` or `super::`): a path of
/// identifiers, where a `{…}` use-tree expands into one path per leaf.
fn paths_at(code: &[char], mut at: usize) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    loop {
        let start = at;
        while at < code.len() && is_ident(code[at]) {
            at += 1;
        }
        if at > start {
            prefix.push(code[start..at].iter().collect::<String>());
        }
        if code.get(at) == Some(&':') && code.get(at + 1) == Some(&':') {
            at += 2;
            continue;
        }
        if code.get(at) == Some(&'{') && at == start {
            let mut out = Vec::new();
            let (mut depth, mut item_start) = (0, at + 1);
            let mut i = at;
            while i < code.len() {
                match code[i] {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        let mut sub = code[item_start..i].to_vec();
                        sub.push(';');
                        let first = sub.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
                        for tail in paths_at(&sub, first) {
                            let mut p = prefix.clone();
                            p.extend(tail);
                            out.push(p);
                        }
                        item_start = i + 1;
                        if code[i] == '}' {
                            break;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            return out;
        }
        return vec![prefix];
    }
}

/// The module each path of `code` (in module `me`) points into.
fn targets(me: &Module, code: &str, known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let boundary = i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':';
        let (mut base, skip) = if boundary && rest.starts_with("crate::") {
            (Vec::new(), 7)
        } else if boundary && rest.starts_with("super::") {
            // A file's module and a folder's `mod.rs` alike: `super` is one level up.
            let mut b = me.clone();
            b.pop();
            (b, 7)
        } else {
            i += 1;
            continue;
        };
        let mut at = i + skip;
        // `super::super::…`
        while chars[at..].starts_with(&['s', 'u', 'p', 'e', 'r', ':', ':']) {
            base.pop();
            at += 7;
        }
        for path in paths_at(&chars, at) {
            let mut full = base.clone();
            full.extend(path.into_iter().filter(|s| s != "self"));
            while !full.is_empty() && !known.contains(&full) {
                full.pop();
            }
            out.insert(full);
        }
        i = at;
    }
    out
}

/// Modules cut to two levels, and the edges between them that are not parent to child.
fn graph(files: &[(String, String)]) -> BTreeMap<Module, BTreeSet<Module>> {
    let known: BTreeSet<Module> = files.iter().map(|(rel, _)| module_of(rel)).collect();
    let cut = |m: &Module| m.iter().take(2).cloned().collect::<Module>();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (rel, text) in files {
        let me = module_of(rel);
        let from = cut(&me);
        for to in targets(&me, &code_of(text), &known) {
            let to = cut(&to);
            if !from.starts_with(&to) && !to.starts_with(&from) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// The strongly connected groups of more than one module (Tarjan), each sorted.
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        found: Vec<Vec<Module>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: &Module) {
            let n = self.index.len();
            self.index.insert(v.clone(), n);
            self.low.insert(v.clone(), n);
            self.stack.push(v.clone());
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let l = self.low[v].min(self.low[w]);
                    self.low.insert(v.clone(), l);
                } else if self.stack.contains(w) {
                    let l = self.low[v].min(self.index[w]);
                    self.low.insert(v.clone(), l);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    let done = &w == v;
                    group.push(w);
                    if done {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src");
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.push((rel.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

#[test]
fn no_module_of_the_app_reaches_back_to_one_that_uses_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let edges = graph(&files);
    let found = cycles(&edges);
    let described: Vec<String> = found
        .iter()
        .map(|group| {
            let mut lines = Vec::new();
            for a in group {
                for b in edges[a].iter().filter(|b| group.contains(b)) {
                    lines.push(format!("  {} -> {}", a.join("::"), b.join("::")));
                }
            }
            lines.join("\n")
        })
        .collect();
    assert!(
        found.is_empty(),
        "module cycles:\n{}",
        described.join("\n\n")
    );
}

#[test]
fn the_lint_finds_a_cycle_through_use_trees_super_and_inline_paths() {
    let files = |hub: &str| {
        vec![
            (
                "lib.rs".to_owned(),
                "pub mod attendance;\npub mod state;".to_owned(),
            ),
            (
                "attendance/mod.rs".to_owned(),
                "pub mod hub;\npub mod store;".to_owned(),
            ),
            ("attendance/hub.rs".to_owned(), hub.to_owned()),
            (
                "attendance/store.rs".to_owned(),
                "use super::{\n    dto::X,\n    hub::BeatError,\n};".to_owned(),
            ),
            (
                "state.rs".to_owned(),
                "fn f() { crate::attendance::hub::g() }".to_owned(),
            ),
        ]
    };
    let store = vec!["attendance".to_owned(), "store".to_owned()];
    let found = cycles(&graph(&files(
        "use crate::{attendance::store::{self, Item}};",
    )));
    assert_eq!(found.len(), 1);
    assert!(found[0].contains(&store));
    // A comment or a test module naming the other side is not a dependency.
    let quiet = "// crate::attendance::store\n#[cfg(test)]\nmod tests { use super::super::store; }";
    assert!(cycles(&graph(&files(quiet))).is_empty());
    // A child naming its parent's items adds no edge; reaching a sibling through `super` does.
    let up = "use super::{Item, store::Y};";
    assert_eq!(cycles(&graph(&files(up))).len(), 1);
}
