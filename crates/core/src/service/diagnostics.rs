//! The directory's part of a diagnostics report (`crate::diagnostics`).

use super::*;
use crate::backup::is_kept_aside;
use crate::diagnostics::{BackupsReport, DirectoryDiagnostics};

impl Roster {
    /// What the directory holds and how it is set up, for a report to support: for an
    /// account that may see the settings, since the report covers the whole directory.
    pub async fn diagnose(&self, actor: &Actor) -> Result<DirectoryDiagnostics, Error> {
        actor.require(Permission::ManageSettings)?;
        let settings = self.current_settings().await?;
        let database = self.repo.census().await?;
        let backups = match self.repo.default_backup_folder() {
            None => None,
            Some(_) => {
                let folder = self.folder_of(&settings)?;
                let listed = self.repo.list_backups(&folder).await;
                Some(BackupsReport {
                    folder: folder.display().to_string(),
                    count: listed.as_ref().map_or(0, Vec::len),
                    newest: listed.as_ref().ok().and_then(|files| {
                        files
                            .iter()
                            .rev()
                            .find(|f| !is_kept_aside(&f.name))
                            .cloned()
                    }),
                    problem: listed.err().map(|e| e.to_string()),
                })
            }
        };
        Ok(DirectoryDiagnostics {
            database,
            settings: (&settings).into(),
            backups,
        })
    }
}
