//! Embeds the built web app (`web/dist`, made by `npm run build` in `web/`)
//! into the binary, so one file serves the API and the app. Without a build
//! the list is empty and the binary serves a page saying how to build it:
//! `cargo build` never needs Node.js.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dist = root.join("web/dist");
    // Watch the build output when there is one; otherwise the web folder,
    // so that a first build of the app is noticed.
    if dist.is_dir() {
        println!("cargo:rerun-if-changed=web/dist");
    } else {
        println!("cargo:rerun-if-changed=web");
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();
    // Embed a snapshot taken now, so a rebuild of the app while cargo is
    // compiling cannot pull files from under `include_bytes!`. A file whose
    // content is already in the snapshot is left as it is (its time too),
    // and files no longer built are removed, so the crate is compiled again
    // only when the assets' content changed.
    let snapshot = out_dir.join("web");
    let files: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|(url, file)| {
            let copy = snapshot.join(url.trim_start_matches('/'));
            fs::create_dir_all(copy.parent()?).ok()?;
            let content = fs::read(&file).ok()?;
            if fs::read(&copy).ok().as_deref() != Some(content.as_slice()) {
                fs::write(&copy, &content).ok()?;
            }
            Some((url, copy.to_string_lossy().into_owned()))
        })
        .collect();
    let mut kept = Vec::new();
    collect(&snapshot, &snapshot, &mut kept);
    for (_, stale) in kept {
        if !files.iter().any(|(_, f)| *f == stale) {
            let _ = fs::remove_file(stale);
        }
    }
    let mut code = String::from(
        "/// The built web app's files, by URL path (`/index.html`, `/assets/…`).\n\
         pub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for (url, file) in &files {
        code.push_str(&format!("    ({url:?}, include_bytes!({file:?})),\n"));
    }
    code.push_str("];\n");
    let out = out_dir.join("web_assets.rs");
    if fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        fs::write(out, code).expect("OUT_DIR is writable");
    }
}

/// Every file below `dir`, as (URL path, absolute file path).
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(relative) = path.strip_prefix(base) {
            let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            files.push((url, path.to_string_lossy().into_owned()));
        }
    }
}
