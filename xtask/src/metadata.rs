//! The workspace's dependency graph from `cargo metadata`, read without building anything.

use crate::{Result, root};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::process::Command;

/// Which dependency edges a walk follows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    /// What ends up in the binary.
    Normal,
    /// What building the package compiles: normal and build dependencies.
    Built,
}

pub fn load() -> Result<Value> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))
}

/// The package named `name` and every package it depends on through `edges`, transitively.
pub fn closure<'m>(metadata: &'m Value, name: &str, edges: Edges) -> Result<Vec<&'m Value>> {
    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata has no resolve graph")?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let start = packages
        .values()
        .find(|p| p["name"] == name)
        .and_then(|p| p["id"].as_str())
        .ok_or_else(|| format!("{name} is not in the workspace"))?;
    let follows = |kind: &Value| kind.is_null() || (edges == Edges::Built && kind == "build");
    let mut seen = HashSet::new();
    let mut todo = vec![start];
    let mut found = Vec::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        found.push(packages[id]);
        for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
            let followed = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| follows(&k["kind"]));
            if followed && let Some(pkg) = dep["pkg"].as_str() {
                todo.push(pkg);
            }
        }
    }
    Ok(found)
}
