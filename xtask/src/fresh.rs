//! `cargo xtask fresh-check`: the README's promise tried where nothing was installed by hand.
//!
//! Builds a throw-away Debian 12 root (`debootstrap --variant=minbase`), gives it what the
//! README asks a person to have (git, gcc as Rust's linker, and this machine's Rust toolchain
//! and Node.js, mounted read-only: neither can be downloaded here, and Debian's own are too
//! old), and runs there:
//! 1. `cargo xtask run` as an ordinary user: it must stop and print the `sudo apt-get` line;
//! 2. `cargo xtask test` as root: it must install every system package itself and pass;
//! 3. `cargo xtask run` as root: the app must start and keep running;
//! 4. `cargo xtask dist`, then `apt-get install ./roster_*.deb`, the installed `roster`
//!    command, an end-to-end smoke test through the installed app, and `apt-get purge`, after
//!    which nothing of Roster may be left outside the user's data directories.
//!
//! The host's packages are never touched (only debootstrap itself is installed if missing).
//! The root is made anew on every run; only the cargo target directory and the download
//! caches (`target/fresh-check/`) are kept between runs, to save build time.

use crate::{Result, root, step, target_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const MIRROR: &str = "http://deb.debian.org/debian";
/// Where the host's toolchains appear inside the root.
const RUSTUP_HOME: &str = "/opt/rustup";
const CARGO_BIN: &str = "/opt/cargo-bin";
const NPM_DIR: &str = "/usr/lib/node_modules/npm";
/// Kept between runs: a cargo target directory, the crates.io and npm download caches.
const CACHE: &str = "/cache";
const SYSTEM_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub fn fresh_check(args: &[String]) -> Result {
    if !cfg!(target_os = "linux") || !crate::setup::is_root() {
        return Err("fresh-check runs on Linux as root (it builds a chroot)".into());
    }
    if let Some(unknown) = args.first() {
        return Err(format!("fresh-check takes no arguments, not '{unknown}'"));
    }
    ensure_debootstrap()?;
    let work = target_dir().join("fresh-check");
    let chroot = work.join("root");
    let started = std::time::Instant::now();
    let result = build_and_check(&work, &chroot);
    unmount_all(&chroot);
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    match &result {
        Ok(()) => println!("\nfresh-check passed in {minutes:.1} min."),
        Err(_) => println!(
            "\nfresh-check failed after {minutes:.1} min; the root is kept at {} for a look.",
            chroot.display()
        ),
    }
    result
}

fn ensure_debootstrap() -> Result {
    if Command::new("debootstrap")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok()
    {
        return Ok(());
    }
    step(
        &root(),
        "sh",
        &[
            "-c",
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap",
        ],
        &[],
    )
}

fn build_and_check(work: &Path, chroot: &Path) -> Result {
    unmount_all(chroot);
    if chroot.exists() {
        std::fs::remove_dir_all(chroot)
            .map_err(|e| format!("cannot remove the old root {}: {e}", chroot.display()))?;
    }
    std::fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let root_str = path(chroot)?;
    step(
        work,
        "debootstrap",
        &[
            "--variant=minbase",
            // Rust on Linux links through the C compiler driver, so rustup's own instructions
            // have a person install gcc with it: that is part of "has Rust".
            "--include=ca-certificates,git,gcc,libc6-dev",
            "bookworm",
            root_str,
            MIRROR,
        ],
        &[],
    )?;
    std::fs::copy("/etc/resolv.conf", chroot.join("etc/resolv.conf"))
        .map_err(|e| format!("cannot copy resolv.conf: {e}"))?;
    mount_everything(work, chroot)?;
    trust_local_authorities(chroot)?;
    install_node(chroot)?;

    let clone = chroot.join("src/roster");
    step(
        &root(),
        "git",
        &[
            "clone",
            "--quiet",
            "--no-hardlinks",
            path(&root())?,
            path(&clone)?,
        ],
        &[],
    )?;
    println!(
        "\n(fresh-check uses the committed HEAD of {}: uncommitted changes are not in it)",
        root().display()
    );

    // 1. An ordinary user, before anything is installed: told what to run, nothing else.
    in_root(
        chroot,
        None,
        "useradd --create-home --uid 1000 dev && cp -r /src/roster /home/dev/roster && chown -R dev:dev /home/dev/roster",
    )?;
    let (ok, output) = in_root_output(chroot, Some(1000), "cd ~/roster && cargo xtask run")?;
    print!("{output}");
    if ok || !output.contains("sudo ") || !output.contains("apt-get install") {
        return Err("as an ordinary user, `cargo xtask run` must stop and print the `sudo apt-get install …` line".into());
    }
    println!(
        "\n==> fresh-check: without root, `cargo xtask run` printed the install line and stopped."
    );

    // 2. The README's test command, as root, from nothing.
    in_root(chroot, None, "cd /src/roster && cargo xtask test")?;

    // 3. The README's run command starts the app, which keeps running until stopped.
    let (_, output) = in_root_output(
        chroot,
        None,
        "cd /src/roster && (Xvfb :42 -screen 0 1280x800x24 -nolisten tcp & echo $! > /tmp/xvfb.pid) \
         && sleep 1 && DISPLAY=:42 timeout 180 cargo xtask run; status=$?; kill $(cat /tmp/xvfb.pid); echo \"exit=$status\"",
    )?;
    print!("{output}");
    if !output.contains("exit=124") {
        return Err("`cargo xtask run` did not keep the app running until it was stopped".into());
    }
    println!("\n==> fresh-check: `cargo xtask run` built and started the app.");

    // 4. The installer: install, use, remove, and nothing left behind.
    in_root(chroot, None, "cd /src/roster && cargo xtask dist")?;
    const DEB: &str = "/cache/target/release/bundle/deb/*.deb";
    const ROSTER_FILES: &str = "find / -xdev -iname '*roster*' -not -path '/src/*' -not -path '/cache/*' \
         -not -path '/home/*' -not -path '/root/*' -not -path '/tmp/*' | sort";
    in_root(chroot, None, &format!("{ROSTER_FILES} > /tmp/before.txt"))?;
    in_root(
        chroot,
        None,
        &format!(
            "set -e; dpkg-deb --info {DEB}; DEBIAN_FRONTEND=noninteractive apt-get install -y {DEB}; \
             package=$(dpkg-deb --field {DEB} Package); dpkg -L \"$package\" | tee /tmp/installed.txt; \
             roster --version; roster db init; roster db status; \
             cd /src/roster && ROSTER_APP=$(command -v roster-desktop) \
             cargo test --locked -p roster-tests --test installed -- --ignored --nocapture"
        ),
    )?;
    in_root(
        chroot,
        None,
        &format!(
            "set -e; DEBIAN_FRONTEND=noninteractive apt-get purge -y $(dpkg-deb --field {DEB} Package); \
             left=0; while read -r f; do if [ -f \"$f\" ] || [ -L \"$f\" ]; then echo \"left behind: $f\"; left=1; fi; done < /tmp/installed.txt; \
             {ROSTER_FILES} > /tmp/after.txt; \
             if ! diff -u /tmp/before.txt /tmp/after.txt; then echo 'left behind after purge (above)'; left=1; fi; \
             ls -d /root/.local/share/* /root/.config/* 2>/dev/null | sed 's/^/user data, kept: /'; \
             exit $left"
        ),
    )?;
    println!("\n==> fresh-check: the .deb installed, ran the smoke test, and purged clean.");
    Ok(())
}

fn path(p: &Path) -> Result<&str> {
    p.to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", p.display()))
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
}

/// The host directories the root sees: kernel filesystems, the toolchains (read-only) and the
/// caches kept between runs.
fn mount_everything(work: &Path, chroot: &Path) -> Result {
    let rustup = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".rustup"));
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cargo"));
    let cache = work.join("cache");
    for dir in ["target", "cargo-home", "npm"] {
        std::fs::create_dir_all(cache.join(dir)).map_err(|e| e.to_string())?;
    }
    // /dev and /sys are bound recursively and made slaves, so nothing mounted or unmounted
    // under them in the root ever reaches the host's.
    let mounts: Vec<(String, &str, Mount)> = vec![
        ("proc".into(), "/proc", Mount::Proc),
        ("/sys".into(), "/sys", Mount::Recursive),
        ("/dev".into(), "/dev", Mount::Recursive),
        (path(&rustup)?.into(), RUSTUP_HOME, Mount::ReadOnly),
        (
            path(&cargo_home.join("bin"))?.into(),
            CARGO_BIN,
            Mount::ReadOnly,
        ),
        (NPM_DIR.into(), NPM_DIR, Mount::ReadOnly),
        (path(&cache)?.into(), CACHE, Mount::Writable),
    ];
    for (source, target, kind) in mounts {
        let at = chroot.join(target.trim_start_matches('/'));
        std::fs::create_dir_all(&at).map_err(|e| e.to_string())?;
        let at = path(&at)?;
        match kind {
            Mount::Proc => step(work, "mount", &["-t", "proc", "proc", at], &[])?,
            Mount::Recursive => {
                step(work, "mount", &["--rbind", &source, at], &[])?;
                step(work, "mount", &["--make-rslave", at], &[])?;
            }
            Mount::ReadOnly => {
                step(work, "mount", &["--bind", &source, at], &[])?;
                step(work, "mount", &["-o", "remount,bind,ro", at], &[])?;
            }
            Mount::Writable => step(work, "mount", &["--bind", &source, at], &[])?,
        }
    }
    Ok(())
}

enum Mount {
    Proc,
    Recursive,
    ReadOnly,
    Writable,
}

/// The certificate authorities this machine's network needs (a proxy in front of the package
/// registries, say) are part of any machine on that network, so the root trusts them too.
fn trust_local_authorities(chroot: &Path) -> Result {
    let local = Path::new("/usr/local/share/ca-certificates");
    let Ok(entries) = std::fs::read_dir(local) else {
        return Ok(());
    };
    let into = chroot.join(local.strip_prefix("/").map_err(|e| e.to_string())?);
    std::fs::create_dir_all(&into).map_err(|e| e.to_string())?;
    for entry in entries.flatten() {
        std::fs::copy(entry.path(), into.join(entry.file_name()))
            .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
    }
    in_root(chroot, None, "update-ca-certificates")
}

/// Node.js as a person installs it: the `node` binary and npm beside it.
fn install_node(chroot: &Path) -> Result {
    let node = Command::new("sh")
        .args(["-c", "command -v node"])
        .output()
        .map_err(|e| e.to_string())?;
    let node = String::from_utf8_lossy(&node.stdout).trim().to_owned();
    if node.is_empty() {
        return Err("Node.js is not on this machine's PATH".into());
    }
    std::fs::copy(&node, chroot.join("usr/bin/node"))
        .map_err(|e| format!("cannot copy {node}: {e}"))?;
    in_root(
        chroot,
        None,
        "ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx && node --version && npm --version",
    )
}

fn unmount_all(chroot: &Path) {
    // Deepest first, so /dev/pts goes before /dev.
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return;
    };
    let prefix = chroot.to_string_lossy().into_owned();
    let mut under: Vec<&str> = mounts
        .lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter(|m| m.starts_with(&prefix))
        .collect();
    under.sort_by_key(|m| std::cmp::Reverse(m.len()));
    for mount in under {
        let _ = Command::new("umount").args(["--lazy", mount]).status();
    }
}

fn shell(chroot: &Path, uid: Option<u32>, script: &str) -> Result<Command> {
    let mut command = Command::new("chroot");
    let (home, cargo_home) = match uid {
        Some(uid) => {
            command.arg(format!("--userspec={uid}:{uid}"));
            ("/home/dev", "/home/dev/.cargo".to_owned())
        }
        None => ("/root", format!("{CACHE}/cargo-home")),
    };
    command.args([path(chroot)?, "/usr/bin/env", "-i"]);
    command.args([
        format!("HOME={home}"),
        // tauri-driver lands in CARGO_HOME/bin (`cargo install`), rustup's proxies in CARGO_BIN.
        format!("PATH={cargo_home}/bin:{CARGO_BIN}:{SYSTEM_PATH}"),
        format!("RUSTUP_HOME={RUSTUP_HOME}"),
        format!("CARGO_HOME={cargo_home}"),
        "LANG=C.UTF-8".into(),
        "CI=true".into(),
        format!("npm_config_cache={CACHE}/npm"),
        // Node.js reads its own CA list, not the system's, unless told.
        "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt".into(),
    ]);
    if uid.is_none() {
        command.arg(format!("CARGO_TARGET_DIR={CACHE}/target"));
    }
    command.args(["sh", "-c", script]);
    Ok(command)
}

fn in_root(chroot: &Path, uid: Option<u32>, script: &str) -> Result {
    println!("\n==> (fresh root) {script}");
    let status = shell(chroot, uid, script)?
        .status()
        .map_err(|e| format!("cannot start chroot: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("in the fresh root, `{script}` failed ({status})"))
    }
}

fn in_root_output(chroot: &Path, uid: Option<u32>, script: &str) -> Result<(bool, String)> {
    println!("\n==> (fresh root) {script}");
    let output = shell(chroot, uid, script)?
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start chroot: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((output.status.success(), text))
}
