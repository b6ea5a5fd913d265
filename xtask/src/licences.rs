//! The third-party components bundled in the app and their licences, for its About dialog:
//! every crate the desktop app and the `roster` command are built from (on any OS; the
//! installers ship both) and every npm package shipped in the UI's bundle. `cargo xtask codegen` writes `ui/src/about/third-party.json`; a test fails when
//! it is stale.

use crate::metadata::{self, Edges};
use crate::{Result, root};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const OUTPUT: &str = "ui/src/about/third-party.json";

pub fn write() -> Result {
    let text = render()?;
    let path = root().join(OUTPUT);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("{OUTPUT} regenerated.");
    Ok(())
}

fn render() -> Result<String> {
    let components = json!({
        "crates": crates()?,
        "npm": npm_packages()?,
    });
    serde_json::to_string_pretty(&components)
        .map(|text| text + "\n")
        .map_err(|e| e.to_string())
}

fn component(name: &str, version: &str, licence: &Value, source: &Value) -> Value {
    json!({
        "name": name,
        "version": version,
        "licence": licence.as_str().unwrap_or("see source"),
        "source": source.as_str().unwrap_or(""),
    })
}

/// The normal dependencies of the shipped binaries, transitively, outside this workspace.
fn crates() -> Result<Vec<Value>> {
    let metadata = metadata::load()?;
    let mut found = BTreeMap::new();
    let mut shipped = metadata::closure(&metadata, "roster-desktop", Edges::Normal)?;
    shipped.extend(metadata::closure(&metadata, "roster-cli", Edges::Normal)?);
    for package in shipped {
        // Workspace members have no registry source; they are Roster itself.
        if package["source"].is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default();
        let version = package["version"].as_str().unwrap_or_default();
        let source = if package["repository"].is_null() {
            json!(format!("https://crates.io/crates/{name}"))
        } else {
            package["repository"].clone()
        };
        found.insert(
            (name.to_owned(), version.to_owned()),
            component(name, version, &package["license"], &source),
        );
    }
    Ok(found.into_values().collect())
}

/// The UI's runtime packages (not its build tools), from its lockfile.
fn npm_packages() -> Result<Vec<Value>> {
    let path = root().join("ui/package-lock.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let lock: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut found = BTreeMap::new();
    for (key, package) in lock["packages"]
        .as_object()
        .ok_or("lockfile has no packages")?
    {
        let Some(name) = key
            .rsplit("node_modules/")
            .next()
            .filter(|_| !key.is_empty())
        else {
            continue;
        };
        if package["dev"] == true {
            continue;
        }
        let version = package["version"].as_str().unwrap_or_default();
        let source = json!(format!("https://www.npmjs.com/package/{name}"));
        found.insert(
            (name.to_owned(), version.to_owned()),
            component(name, version, &package["license"], &source),
        );
    }
    Ok(found.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_about_dialogs_component_list_is_up_to_date() {
        let committed = std::fs::read_to_string(root().join(OUTPUT)).unwrap_or_default();
        let fresh = render().unwrap();
        assert!(
            committed == fresh,
            "{OUTPUT} is stale; run `cargo xtask codegen`"
        );
        let list: Value = serde_json::from_str(&fresh).unwrap();
        let names = |kind: &str| -> Vec<String> {
            list[kind]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned())
                .collect()
        };
        // What the app is made of, and nothing of the build's own tools.
        assert!(names("crates").contains(&"tauri".to_owned()));
        assert!(names("crates").contains(&"sqlx".to_owned()));
        assert!(!names("crates").iter().any(|n| n.starts_with("roster")));
        assert!(names("npm").contains(&"react".to_owned()));
        assert!(!names("npm").contains(&"vite".to_owned()));
    }
}
