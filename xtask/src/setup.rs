//! Installs what a fresh machine lacks. On Debian/Ubuntu as root it installs system packages
//! with apt-get; elsewhere it says exactly what to install.

use crate::{Result, root, step};
use std::process::{Command, Stdio};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Debian packages the app needs to build and run.
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libssl-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    // The OS keyring (Secret Service over D-Bus) for the SMTP password.
    "libdbus-1-dev",
];

/// And what the tests add: a virtual display, the WebKit WebDriver, and ImageMagick's
/// `import` for screenshots of the display.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "imagemagick",
    // Independent implementations the credential tests check Roster against: a QR
    // decoder, a TOTP generator and the reference Argon2 (libargon2, via Python).
    "zbar-tools",
    // Rasterises the QR code's SVG for the decoder (ImageMagick has no SVG reader without
    // its recommended packages).
    "librsvg2-bin",
    "oathtool",
    "python3-argon2",
    // The standard age tool, which must open Roster's encrypted backups.
    "age",
    // Answers the OS file dialogs (GTK's) in the import and export tests: WebDriver only
    // reaches the web page.
    "xdotool",
    // The fonts the Linux packages recommend for names in Chinese, Japanese and Korean; the
    // languages test checks that such names are drawn with glyphs, not empty boxes.
    "fonts-noto-cjk",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn wanted(purpose: Purpose) -> Vec<&'static str> {
    let mut wanted: Vec<&str> = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend(TEST_PACKAGES);
    }
    wanted
}

/// `cargo xtask packages run|test`: the list, one line, for machines set up by another tool
/// (the pull-request workflow installs it with sudo before running `cargo xtask test`).
pub fn print_packages(args: &[String]) -> Result {
    let purpose = match args.first().map(String::as_str) {
        Some("run") => Purpose::Run,
        Some("test") => Purpose::Test,
        _ => return Err("say which: packages run | packages test".into()),
    };
    println!("{}", wanted(purpose).join(" "));
    Ok(())
}

pub fn ensure_system_packages(purpose: Purpose) -> Result {
    if !cfg!(target_os = "linux") {
        // macOS and Windows ship the webview; README lists the one-time installs there.
        return Ok(());
    }
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "Not a Debian-based system: install the WebKitGTK 4.1 development packages yourself (see README)."
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted(purpose)
        .into_iter()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let packages = missing.join(" ");
    if !is_root() {
        return Err(format!(
            "these system packages are missing; install them, then run this again:\n\n  \
             sudo apt-get update && sudo apt-get install -y --no-install-recommends {packages}\n"
        ));
    }
    let install = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {packages}"
    );
    step(&root(), "sh", &["-c", &install], &[])
}

pub fn npm_program() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// Node 20.19+ is what Vite needs; npm ci installs exactly what ui/package-lock.json says.
pub fn ensure_ui_packages() -> Result {
    let version = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|_| {
            "Node.js is not installed; install Node.js 20.19 or newer (see README)".to_string()
        })?;
    let version = String::from_utf8_lossy(&version.stdout)
        .trim()
        .trim_start_matches('v')
        .to_owned();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if major < 20 || (major == 20 && minor < 19) {
        return Err(format!(
            "Node.js {version} is too old; install Node.js 20.19 or newer (see README)"
        ));
    }
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step(&ui, npm_program(), &["ci", "--no-audit", "--no-fund"], &[])
}

/// tauri-driver bridges WebDriver to the app's WebKit view in the end-to-end tests.
pub fn ensure_tauri_driver() -> Result {
    let found = Command::new("tauri-driver")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if found {
        return Ok(());
    }
    step(
        &root(),
        env!("CARGO"),
        &["install", "tauri-driver", "--locked", "--version", "2.1.0"],
        &[],
    )
}
