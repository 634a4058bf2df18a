//! The layering of `src/`, checked: no import cycle between top-level
//! modules, nothing in the domain layer or below reaches HTTP (the
//! routes, extractors, API errors, application state or actix-web), and no
//! route file opens a transaction (that is the domain's work).
//!
//! Run with `--nocapture` to print the module graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that must stay free of HTTP: plain values, rows and queries,
/// the rules and their transactions.
const BELOW_HTTP: &[&str] = &[
    "access",
    "audit",
    "demo",
    "domain",
    "fhir",
    "json_path",
    "models",
    "ods",
    "pagination",
    "rfc3339",
    "schema",
    "text_enum",
    "validate",
];

/// What those modules may not use.
const HTTP: &[&str] = &[
    "auth",
    "error",
    "extract",
    "openapi",
    "route_table",
    "routes",
    "state",
    "web_app",
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules: `src/x.rs` and `src/x/`, less the crate roots.
fn top_level_modules() -> BTreeSet<String> {
    std::fs::read_dir(src_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            if p.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs").map(str::to_string)
            }
        })
        .filter(|m| m != "lib" && m != "main")
        .collect()
}

/// Source text with line comments removed (doc links name modules too).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every top-level module a source text names: `crate::x…` paths and the
/// members of `use crate::{x, y::z}` groups.
fn referenced(code: &str, tops: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find(';').unwrap_or(group.len());
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' => start = depth == 0,
                    c if c.is_whitespace() => {}
                    _ => {
                        if start && depth == 0 {
                            found.insert(ident(&group[j..]));
                        }
                        start = false;
                    }
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|m| tops.contains(m));
    found
}

/// The module graph: for each top-level module, the others it names, with
/// the files that name them.
fn graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = src_dir();
    let tops = top_level_modules();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        let module = first.strip_suffix(".rs").unwrap_or(first).to_string();
        if !tops.contains(&module) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for target in referenced(&code, &tops) {
            if target != module {
                edges
                    .entry(module.clone())
                    .or_default()
                    .entry(target)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    edges
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            if let Some(targets) = self.edges.get(v) {
                for w in targets.keys() {
                    let w = w.as_str();
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let lw = self.low[w];
                        let lv = self.low.get_mut(v).unwrap();
                        *lv = (*lv).min(lw);
                    } else if self.stack.contains(&w) {
                        let iw = self.index[w];
                        let lv = self.low.get_mut(v).unwrap();
                        *lv = (*lv).min(iw);
                    }
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
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
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let edges = graph();
    for (module, targets) in &edges {
        let names: Vec<&str> = targets.keys().map(String::as_str).collect();
        println!("{module} -> {}", names.join(", "));
    }
    let found = cycles(&edges);
    let mut report = String::new();
    for cycle in &found {
        report.push_str(&format!("cycle: {}\n", cycle.join(" <-> ")));
        for a in cycle {
            for (b, files) in edges.get(a).into_iter().flatten() {
                if cycle.contains(b) {
                    let files: Vec<&str> = files.iter().map(String::as_str).collect();
                    report.push_str(&format!("  {a} -> {b}: {}\n", files.join(", ")));
                }
            }
        }
    }
    println!("{} top-level modules, {} cycles", edges.len(), found.len());
    assert!(found.is_empty(), "import cycles in src/:\n{report}");
}

#[test]
fn the_domain_layer_and_below_stay_free_of_http() {
    let edges = graph();
    let mut broken = Vec::new();
    for module in BELOW_HTTP {
        for (target, files) in edges.get(*module).into_iter().flatten() {
            if HTTP.contains(&target.as_str()) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                broken.push(format!("{module} -> {target}: {}", files.join(", ")));
            }
        }
    }
    // Nor the web framework itself.
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        let module = rel.split(['/', '.']).next().unwrap();
        if BELOW_HTTP.contains(&module) {
            let code = code_of(&std::fs::read_to_string(&file).unwrap());
            if code.contains("actix_web") {
                broken.push(format!("{rel} uses actix_web"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "HTTP below the routes:\n{}",
        broken.join("\n")
    );
}

/// What opening a transaction looks like in diesel-async code.
const TRANSACTION_OPENERS: &[&str] = &[
    ".transaction(",
    ".transaction::<",
    "build_transaction(",
    "TransactionManager",
    "\"BEGIN",
];

/// The transaction openers a source text uses.
fn opened_transactions(code: &str) -> Vec<&'static str> {
    let code: String = code.split_whitespace().collect();
    TRANSACTION_OPENERS
        .iter()
        .copied()
        .filter(|opener| code.contains(&opener.replace(' ', "")))
        .collect()
}

#[test]
fn no_route_file_opens_a_transaction() {
    let routes = src_dir().join("routes");
    let mut files = Vec::new();
    rust_files(&routes, &mut files);
    let mut broken = Vec::new();
    for file in files {
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let found = opened_transactions(&code);
        if !found.is_empty() {
            let rel = file.strip_prefix(src_dir()).unwrap().display().to_string();
            broken.push(format!("{rel}: {}", found.join(", ")));
        }
    }
    assert!(
        broken.is_empty(),
        "route files opening a transaction (move the work into a domain function):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_sees_transactions_however_they_are_wrapped() {
    let wrapped = "let x = conn\n    .transaction::<_, ApiError, _>(async move |c| {});";
    assert_eq!(opened_transactions(wrapped), vec![".transaction::<"]);
    let plain = "conn.transaction(|c| async {}.scope_boxed())";
    assert_eq!(opened_transactions(plain), vec![".transaction("]);
    let called = "sessions::refresh::rotate(&mut conn, &token).await?;";
    assert!(opened_transactions(called).is_empty());
    let commented = code_of("// conn.transaction(...) is the domain's\nfn f() {}\n");
    assert!(opened_transactions(&commented).is_empty());
}

#[test]
fn the_checker_sees_group_imports_and_paths() {
    let tops: BTreeSet<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    let code = "use crate::{a::X, b::{Y, Z}};\nfn f() { crate::c::g(); }\n";
    let found = referenced(&code_of(code), &tops);
    assert_eq!(
        found,
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    );
    let commented = "// see crate::d::h\nfn f() {}\n";
    assert!(referenced(&code_of(commented), &tops).is_empty());
    let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    edges
        .entry("a".into())
        .or_default()
        .insert("b".into(), BTreeSet::new());
    edges
        .entry("b".into())
        .or_default()
        .insert("a".into(), BTreeSet::new());
    edges
        .entry("c".into())
        .or_default()
        .insert("a".into(), BTreeSet::new());
    assert_eq!(cycles(&edges), vec![vec!["a".to_string(), "b".to_string()]]);
}
