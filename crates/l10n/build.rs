//! Embeds every catalogue in `locales/`, so adding a language is adding its file.
use std::{env, fs, path::PathBuf};

fn main() {
    let locales = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../locales");
    println!("cargo:rerun-if-changed={}", locales.display());
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&locales).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ftl") {
            println!("cargo:rerun-if-changed={}", path.display());
            let language = path.file_stem().unwrap().to_str().unwrap().to_owned();
            files.push((language, path.canonicalize().unwrap()));
        }
    }
    files.sort();
    let mut code = String::from(
        "/// Each catalogue file: its language and its text.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for (language, path) in files {
        code.push_str(&format!(
            "    ({language:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(
        PathBuf::from(env::var("OUT_DIR").unwrap()).join("catalogues.rs"),
        code,
    )
    .unwrap();
}
