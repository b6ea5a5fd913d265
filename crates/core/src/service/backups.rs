//! Backups of a directory kept in one SQLite file: taken on demand, when due (the app on
//! close and daily, `roster run-due` from a scheduler), rotated, checked after writing, and
//! restored only from a backup that passes its checks.

use super::*;
use crate::backup::{
    BackupContents, BackupFile, BackupList, backup_due, backup_file_name, backup_taken_at,
    backups_to_remove, check_new_passphrase,
};
use crate::repository::OpenedBackup;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Restored {
    /// The backup restored, as it was checked before.
    pub from: BackupContents,
    /// The directory as it was just before, kept as a backup of its own in the backups
    /// folder, so a restore can be undone by restoring that.
    pub kept_aside: BackupFile,
}

impl Roster {
    /// The folder backups go to: the settings' choice, else `backups` beside the database.
    pub async fn backup_folder(&self, actor: &Actor) -> Result<PathBuf, Error> {
        actor.require(Permission::ManageSettings)?;
        let settings = self.current_settings().await?;
        self.folder_of(&settings)
    }

    pub(super) fn folder_of(&self, settings: &Settings) -> Result<PathBuf, Error> {
        let default = self.repo.default_backup_folder().ok_or_else(|| {
            Error::Forbidden(format!(
                "Roster backs up a directory kept in a file on this computer; a {} server's \
                 is backed up on the server with its own tools ({})",
                self.repo.backend(),
                server_backup_tool(self.repo.backend())
            ))
        })?;
        Ok(match settings.backups.folder.as_str() {
            "" => default,
            chosen => PathBuf::from(chosen),
        })
    }

    /// The backups folder and the backups in it, oldest first.
    pub async fn backups(&self, actor: &Actor) -> Result<BackupList, Error> {
        let folder = self.backup_folder(actor).await?;
        Ok(BackupList {
            backups: self.repo.list_backups(&folder).await?,
            folder: folder.display().to_string(),
        })
    }

    /// Takes a backup now, into the backups folder (deleting the ones rotation no longer
    /// keeps) or into the file `to`, and checks it; an audit entry says who took a copy of
    /// every secret, and where to. With `seal`, the file `to` is encrypted with that
    /// passphrase (the `age` format, so the standard `age` tool opens it too): for a copy
    /// that leaves the machine.
    pub async fn back_up(
        &self,
        actor: &Actor,
        to: Option<&Path>,
        seal: Option<&str>,
    ) -> Result<BackupContents, Error> {
        actor.require(Permission::ManageSettings)?;
        if let Some(passphrase) = seal {
            check_new_passphrase(passphrase)?;
        }
        let settings = self.current_settings().await?;
        let (contents, folder) = match (to, seal) {
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "file",
                    "an encrypted backup is a copy for elsewhere: name the file it goes to",
                ));
            }
            (None, None) => (
                self.take_backup(&settings, false).await?,
                self.folder_of(&settings)?,
            ),
            (Some(file), seal) => (
                self.write_checked(file, seal).await?,
                match file.parent() {
                    Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
                    _ => PathBuf::from("."),
                },
            ),
        };
        self.repo
            .record(self.record(
                actor,
                "backup.create",
                backup_target(&contents.file),
                vec![FieldChange {
                    field: "folder".into(),
                    before: None,
                    after: Some(folder.display().to_string()),
                }],
            ))
            .await?;
        Ok(contents)
    }

    /// Takes a backup when automatic backups are on and one is due: the newest is a day
    /// old or there is none; or, `closing` (the app closing), anything was written since the
    /// newest. `None` when none was due. The program's own routine, as end dates are, so it
    /// needs no one's rights and writes no audit entry (the file is its record).
    pub async fn back_up_if_due(&self, closing: bool) -> Result<Option<BackupContents>, Error> {
        if self.repo.default_backup_folder().is_none() {
            return Ok(None);
        }
        let settings = self.current_settings().await?;
        if !settings.backups.automatic {
            return Ok(None);
        }
        let folder = self.folder_of(&settings)?;
        let newest = self.repo.list_backups(&folder).await?.pop();
        let due = match &newest {
            Some(newest) if closing => {
                let last_change = last_audit_entry(self.repo.as_ref()).await?;
                last_change.is_some_and(|entry| entry.at > newest.taken_at)
            }
            newest => backup_due(newest.as_ref().map(|b| b.taken_at), self.clock.now()),
        };
        if !due {
            return Ok(None);
        }
        self.take_backup(&settings, false).await.map(Some)
    }

    /// A backup into the backups folder, then rotation; `kept_aside`: of the directory a
    /// restore is about to replace, which rotation leaves alone.
    async fn take_backup(
        &self,
        settings: &Settings,
        kept_aside: bool,
    ) -> Result<BackupContents, Error> {
        let folder = self.folder_of(settings)?;
        let existing = self.repo.list_backups(&folder).await?;
        let mut taken_at = self.clock.now();
        // Two backups within a second (closing right after "Back up now"): the next free one.
        while existing
            .iter()
            .any(|b| b.name == backup_file_name(taken_at, kept_aside))
        {
            taken_at += chrono::TimeDelta::seconds(1);
        }
        let contents = self
            .write_checked(&folder.join(backup_file_name(taken_at, kept_aside)), None)
            .await?;
        let mut backups = existing;
        backups.push(contents.file.clone());
        for old in backups_to_remove(&backups, settings.backups.keep) {
            self.repo.remove_backup(&folder.join(&old.name)).await?;
        }
        Ok(contents)
    }

    /// Writes a backup into `file` and reads it back; one that fails its checks is deleted
    /// at once, as it would be found out only when needed.
    async fn write_checked(
        &self,
        file: &Path,
        seal: Option<&str>,
    ) -> Result<BackupContents, Error> {
        self.repo.back_up(file, seal).await?;
        match self.read_backup(file, seal).await {
            Ok(contents) if contents.chain.problem.is_none() => Ok(contents),
            checked => {
                self.repo.remove_backup(file).await.ok();
                Err(checked.map_or_else(|e| e, |contents| refused_backup(&contents)))
            }
        }
    }

    /// What a backup file holds, checked: the file a restore would start from (one
    /// [`Roster::backup_named`] found in the backups folder, or the CLI's own path).
    /// `passphrase` opens an encrypted backup.
    pub async fn inspect_backup(
        &self,
        actor: &Actor,
        file: &Path,
        passphrase: Option<&str>,
    ) -> Result<BackupContents, Error> {
        actor.require(Permission::ManageSettings)?;
        self.read_backup(file, passphrase).await
    }

    /// A backup in the backups folder, by the name the list shows; refuses any other name,
    /// so a name from the window never reaches outside the folder.
    pub async fn backup_named(&self, actor: &Actor, name: &str) -> Result<PathBuf, Error> {
        let folder = self.backup_folder(actor).await?;
        if backup_taken_at(name).is_none() {
            return Err(Error::invalid(
                "backup",
                "choose one of the backups the list shows",
            ));
        }
        Ok(folder.join(name))
    }

    async fn read_backup(
        &self,
        file: &Path,
        passphrase: Option<&str>,
    ) -> Result<BackupContents, Error> {
        let opened = self.repo.open_backup(file, passphrase).await?;
        let contents = contents_of(&opened).await;
        self.repo.close_backup(opened).await?;
        contents
    }

    /// Replaces the whole directory with a backup's: checked first (integrity, schema, the
    /// audit chain from its start), the directory as it is kept aside as a backup of its
    /// own, then one transaction. A restore can give back rights taken away since the
    /// backup, so only an account holding every right over the whole directory may.
    /// `passphrase` opens an encrypted backup.
    pub async fn restore_backup(
        &self,
        actor: &Actor,
        file: &Path,
        passphrase: Option<&str>,
    ) -> Result<Restored, Error> {
        actor.require_every_right("restore a backup")?;
        let settings = self.current_settings().await?;
        let opened = self.repo.open_backup(file, passphrase).await?;
        let contents = match contents_of(&opened).await {
            Ok(contents) if contents.chain.problem.is_none() => contents,
            checked => {
                self.repo.close_backup(opened).await?;
                return Err(checked.map_or_else(|e| e, |contents| refused_backup(&contents)));
            }
        };
        let kept_aside = match self.take_backup(&settings, true).await {
            Ok(kept) => kept.file,
            Err(e) => {
                self.repo.close_backup(opened).await?;
                return Err(Error::Io(format!(
                    "the directory as it is could not be kept aside first, so nothing was \
                     restored: {e}"
                )));
            }
        };
        self.repo.restore(opened).await?;
        let when = |t: DateTime<Utc>| Some(t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
        self.repo
            .record(self.record(
                actor,
                "backup.restore",
                backup_target(&contents.file),
                vec![
                    FieldChange {
                        field: "taken_at".into(),
                        before: None,
                        after: when(contents.file.taken_at),
                    },
                    FieldChange {
                        field: "users".into(),
                        before: None,
                        after: Some(contents.users.to_string()),
                    },
                    FieldChange {
                        field: "kept_aside".into(),
                        before: None,
                        after: Some(kept_aside.name.clone()),
                    },
                ],
            ))
            .await?;
        Ok(Restored {
            from: contents,
            kept_aside,
        })
    }
}

/// Users, the last change, and the audit chain walked from its start.
async fn contents_of(opened: &OpenedBackup) -> Result<BackupContents, Error> {
    let repo = opened.repository.as_ref();
    let (statuses, _) = repo.count_users(None).await?;
    let last_entry = last_audit_entry(repo).await?;
    let chain = audit::walk_chain(repo, None).await?;
    Ok(BackupContents {
        file: opened.file.clone(),
        schema: opened.schema,
        users: statuses.iter().map(|(_, n)| n).sum(),
        last_entry,
        chain,
    })
}

async fn last_audit_entry(repo: &dyn Repository) -> Result<Option<AuditEntry>, Error> {
    let query = AuditQuery {
        limit: 1,
        ..AuditQuery::default()
    };
    Ok(repo.list_audit(&query).await?.into_iter().next())
}

fn refused_backup(contents: &BackupContents) -> Error {
    Error::Io(format!(
        "{} fails its check and is not used: its audit trail is {}",
        contents.file.name,
        contents.chain.summary()
    ))
}

fn backup_target(file: &BackupFile) -> AuditTarget {
    AuditTarget {
        kind: "backup".into(),
        id: 0,
        name: file.name.clone(),
    }
}

fn server_backup_tool(backend: &str) -> &'static str {
    match backend {
        "postgres" => "pg_dump",
        _ => "mariadb-dump or mysqldump",
    }
}
