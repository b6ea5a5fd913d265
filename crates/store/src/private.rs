//! The SQLite file holds password hashes and TOTP secrets as raw bytes: on a shared
//! workstation, any other OS account that can read it can compute every user's 2FA codes.
//! So the database, its write-ahead log and shared memory (SQLite gives them the database
//! file's mode), its folder when Roster creates it, and backups are the owning account's
//! only: 0600 files in a 0700 folder. Elsewhere than Unix the OS's defaults apply.

use std::io;
use std::path::Path;

/// Creates the folder (and its parents) readable by the owner only.
pub(crate) fn create_folder(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates an empty file readable by the owner only; fails if it exists.
pub(crate) fn create_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}

/// Takes group and other access away from an existing file; says so when it had any, or
/// why it could not (a file another account owns stays as it is, and still opens).
pub(crate) fn tighten(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = std::fs::metadata(path).ok()?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            return None;
        }
        let open = format!(
            "{} could be read by other accounts on this computer (mode {mode:o}); it holds password hashes and 2FA secrets",
            path.display()
        );
        Some(
            match std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700)) {
                Ok(()) => format!(
                    "{open}, so it is now readable by you only (mode {:o})",
                    mode & 0o700
                ),
                Err(e) => format!(
                    "{open}, and it could not be made private ({e}); ask its owner to run chmod 600 on it"
                ),
            },
        )
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
