//! `cargo xtask dist`: the release app and its installers, made by Tauri's bundler.
//!
//! The hand-kept config is the root `tauri.conf.json`; the app's build reads it from there.
//! The tauri CLI insists on finding the config inside the app crate and resolves the paths in
//! it from there, so this writes `src-tauri/tauri.conf.json` (ignored by git, rewritten on
//! every run) as the root file with its paths made absolute, plus what only this machine
//! knows: where the built `roster` command is, so the packages put it on the PATH.

use crate::setup::{self, Purpose};
use crate::{Result, build_ui, cargo, exe, root, step, target_dir};
use serde_json::{Value, json};
use std::path::Path;

/// The installers this OS can make here. AppImage is left out on Linux: its bundler downloads
/// linuxdeploy and an AppImage runtime at build time, which an offline build machine cannot.
fn bundles() -> &'static str {
    if cfg!(target_os = "linux") {
        "deb,rpm"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "msi,nsis"
    }
}

/// `cargo xtask tauri [ARGS]`: the tauri CLI with everything it expects in place (the UI
/// built, the `roster` command built for release, the config where the CLI looks); without
/// ARGS it only prepares. The release workflow hands this to the official Tauri action.
pub fn tauri(args: &[String]) -> Result {
    prepare()?;
    if args.is_empty() {
        return Ok(());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tauri_cli(&args)
}

fn prepare() -> Result {
    setup::ensure_system_packages(Purpose::Run)?;
    build_ui()?;
    cargo(&["build", "--release", "--locked", "-p", "roster-cli"])?;
    write_cli_config(&target_dir().join("release").join(exe("roster")))
}

fn tauri_cli(args: &[&str]) -> Result {
    let mut npm_args = vec!["run", "tauri", "--"];
    npm_args.extend(args);
    step(
        &root().join("ui"),
        setup::npm_program(),
        &npm_args,
        &[
            ("TAURI_APP_PATH", path_str(&root().join("src-tauri"))?),
            ("TAURI_FRONTEND_PATH", path_str(&root().join("ui"))?),
        ],
    )
}

/// Builds the release binaries and installers, and reports their sizes.
pub fn dist() -> Result {
    prepare()?;
    tauri_cli(&["build", "--ci", "--bundles", bundles(), "--", "--locked"])?;
    let release = target_dir().join("release");
    let mut made = Vec::new();
    for kind in bundles().split(',') {
        let dir = release.join("bundle").join(kind);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        // Each bundle lands in a folder named after its kind; NSIS makes a setup .exe.
        let extension = if kind == "nsis" { "exe" } else { kind };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == extension) {
                made.push(path);
            }
        }
    }
    if made.is_empty() {
        return Err(format!(
            "the bundler made no installer under {}",
            release.join("bundle").display()
        ));
    }
    println!("\nRelease build:");
    for binary in [exe("roster-desktop"), exe("roster")] {
        report_size(&release.join(binary));
    }
    for installer in &made {
        report_size(installer);
    }
    Ok(())
}

fn report_size(path: &Path) {
    match std::fs::metadata(path) {
        Ok(meta) => println!(
            "  {:>8.1} MiB  {}",
            meta.len() as f64 / (1024.0 * 1024.0),
            path.display()
        ),
        Err(e) => println!("  (missing: {}: {e})", path.display()),
    }
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", path.display()))
}

/// The root config as the tauri CLI must see it from `src-tauri/`.
fn write_cli_config(cli: &Path) -> Result {
    let source = root().join("tauri.conf.json");
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let mut config: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", source.display()))?;
    absolutize(&mut config, &root())?;
    let cli = path_str(cli)?;
    for format in ["deb", "rpm"] {
        let files = &mut config["bundle"]["linux"][format]["files"];
        if files.is_null() {
            *files = json!({});
        }
        files["/usr/bin/roster"] = json!(cli);
    }
    let generated = root().join("src-tauri/tauri.conf.json");
    let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
    std::fs::write(&generated, text)
        .map_err(|e| format!("cannot write {}: {e}", generated.display()))
}

/// Makes every file path in the config absolute, resolved from the root as the app's build
/// resolves them. The paths are the ones this project's config uses; a new kind of path in
/// tauri.conf.json must be added here, or the installers would miss it.
fn absolutize(config: &mut Value, base: &Path) -> Result {
    let absolute = |value: &mut Value| -> Result {
        if let Some(relative) = value.as_str() {
            let path = base.join(relative);
            *value = json!(path_str(&path)?);
        }
        Ok(())
    };
    absolute(&mut config["build"]["frontendDist"])?;
    absolute(&mut config["bundle"]["licenseFile"])?;
    if let Some(icons) = config["bundle"]["icon"].as_array_mut() {
        for icon in icons {
            absolute(icon)?;
        }
    }
    for format in ["deb", "rpm"] {
        if let Some(files) = config["bundle"]["linux"][format]["files"].as_object_mut() {
            for source in files.values_mut() {
                absolute(source)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_in_the_root_config_is_made_absolute() {
        let text = std::fs::read_to_string(root().join("tauri.conf.json")).unwrap();
        let mut config: Value = serde_json::from_str(&text).unwrap();
        absolutize(&mut config, &root()).unwrap();
        let frontend = config["build"]["frontendDist"].as_str().unwrap();
        assert_eq!(Path::new(frontend), root().join("ui/dist"));
        for icon in config["bundle"]["icon"].as_array().unwrap() {
            let icon = Path::new(icon.as_str().unwrap());
            assert!(icon.is_absolute() && icon.exists(), "{icon:?}");
        }
        let licence = Path::new(config["bundle"]["licenseFile"].as_str().unwrap());
        assert!(licence.is_absolute() && licence.exists(), "{licence:?}");
    }
}
