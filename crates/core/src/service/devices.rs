//! Devices: enrolled by their owner's user token, or added, edited, reassigned, retired and
//! deleted by an admin. A device is in its owner's organization, so scope applies to it as
//! to its owner.

use super::*;
use crate::credentials::sha256_hex;
use crate::credentials::token::{self, TokenState};
use crate::device::serial_key;
use crate::device::{
    Device, DeviceDraft, DeviceId, DevicePage, DeviceQuery, DeviceState, MAX_DEVICE_PAGE, NewDevice,
};
use crate::import::{DeviceRow, ImportOptions, ImportReport, MAX_REPORTED_PROBLEMS, RowProblem};
use crate::validate::MAX_NAME_CHARS;

/// The most devices one bulk action may name.
const MAX_DEVICES_SELECTED: usize = 10_000;
/// Devices an export reads at a time: the most one page may hold.
const EXPORT_PAGE: u32 = MAX_DEVICE_PAGE;

impl Roster {
    /// Enrolls a device with a user token, as a script on the new machine would: the token
    /// must be active and its user allowed to sign in. `from` says where the request came
    /// from; the audit entry is written in the token owner's name.
    pub async fn enroll_device(
        &self,
        from: &Actor,
        token_text: &str,
        draft: &DeviceDraft,
    ) -> Result<Device, Error> {
        let draft = draft.cleaned().map_err(Error::Validation)?;
        let text = token_text.trim().to_ascii_lowercase();
        let unknown = || {
            Error::invalid(
                "token",
                "this is not a user token Roster issued; copy it again from the user's Tokens tab, or ask for a new one",
            )
        };
        if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(unknown());
        }
        let found = self
            .repo
            .find_token(&sha256_hex(&text))
            .await?
            .ok_or_else(unknown)?;
        let now = self.clock.now();
        let day = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d").to_string();
        match token::token_state(found.expires_at, found.revoked_at, now) {
            TokenState::Active => {}
            TokenState::Revoked => {
                return Err(Error::IllegalTransition(format!(
                    "token …{} was revoked on {}; ask for a new one",
                    found.last4,
                    day(found.revoked_at.unwrap_or(found.expires_at))
                )));
            }
            TokenState::Expired => {
                return Err(Error::IllegalTransition(format!(
                    "token …{} expired on {}; ask for a new one",
                    found.last4,
                    day(found.expires_at)
                )));
            }
        }
        let owner = self.user(&UserRef::Id(found.user)).await?;
        if !Status::ENROLLS_DEVICES.contains(&owner.status) {
            return Err(Error::IllegalTransition(format!(
                "token …{} belongs to {}, who is {}; a device is enrolled only for an active user",
                found.last4, owner.username, owner.status
            )));
        }
        let enrolling = Actor {
            name: owner.username.clone(),
            ..from.clone()
        };
        let new = NewDevice {
            draft,
            owner: owner.id,
            organization: owner.organization_id,
            enrolled_at: now,
            enrolled_by: owner.username.clone(),
            token: Some((found.id, found.last4.clone())),
        };
        let audit = self.record(
            &enrolling,
            "device.enroll",
            device_target(0, &new.draft.name),
            enroll_changes(&new.draft, &owner, Some(&found.last4)),
        );
        self.repo
            .insert_device(&new, audit)
            .await
            .map_err(|e| device_write_error(e, &new.draft.serial))
    }

    /// An admin records a device for a user by hand (no token).
    pub async fn add_device(
        &self,
        actor: &Actor,
        owner: &UserRef,
        draft: &DeviceDraft,
    ) -> Result<Device, Error> {
        actor.require(Permission::ManageTokens)?;
        let draft = draft.cleaned().map_err(Error::Validation)?;
        let owner = self
            .user_to_manage(actor, Permission::ManageTokens, owner)
            .await?;
        let new = NewDevice {
            draft,
            owner: owner.id,
            organization: owner.organization_id,
            enrolled_at: self.clock.now(),
            enrolled_by: actor.name.clone(),
            token: None,
        };
        let audit = self.record(
            actor,
            "device.add",
            device_target(0, &new.draft.name),
            enroll_changes(&new.draft, &owner, None),
        );
        self.repo
            .insert_device(&new, audit)
            .await
            .map_err(|e| device_write_error(e, &new.draft.serial))
    }

    /// One device, if the actor may see it.
    pub async fn get_device(&self, actor: &Actor, id: DeviceId) -> Result<Device, Error> {
        actor.require(Permission::ViewTokens)?;
        Ok(self.devices_within(actor, &[id]).await?.remove(0))
    }

    /// A page of devices and how many match, within the actor's organizations.
    pub async fn list_devices(
        &self,
        actor: &Actor,
        query: &DeviceQuery,
    ) -> Result<DevicePage, Error> {
        let query = self.device_query(actor, query).await?;
        let devices = self.repo.list_devices(&query).await?;
        let short = devices.len() < query.limit as usize;
        let total = if short && (query.offset == 0 || !devices.is_empty()) {
            query.offset + devices.len() as u64
        } else {
            self.repo.count_devices(&query).await?
        };
        Ok(DevicePage { devices, total })
    }

    /// Every device the query matches (its limit and offset ignored), in its order, each
    /// handed to `write` as it is read. Returns how many were written.
    pub async fn export_devices(
        &self,
        actor: &Actor,
        query: &DeviceQuery,
        write: &mut (dyn FnMut(&Device) -> Result<(), String> + Send),
    ) -> Result<u64, Error> {
        super::Transfer::ExportDevices.check(actor)?;
        // Checked once, and read page by page without counting: the list's total is of no
        // use to a file.
        let page = DeviceQuery {
            limit: EXPORT_PAGE,
            offset: 0,
            ..query.clone()
        };
        let mut query = self.device_query(actor, &page).await?;
        let mut written = 0;
        loop {
            let devices = self.repo.list_devices(&query).await?;
            for device in &devices {
                write(device).map_err(Error::Io)?;
            }
            written += devices.len() as u64;
            if devices.len() < EXPORT_PAGE as usize {
                return Ok(written);
            }
            query.offset += u64::from(EXPORT_PAGE);
        }
    }

    /// The query as the store runs it: checked, its owner within the actor's reach, and
    /// limited to the actor's organizations.
    async fn device_query(&self, actor: &Actor, query: &DeviceQuery) -> Result<DeviceQuery, Error> {
        actor.require(Permission::ViewTokens)?;
        if query.limit == 0 || query.limit > MAX_DEVICE_PAGE {
            return Err(Error::invalid(
                "limit",
                format!("limit must be between 1 and {MAX_DEVICE_PAGE}"),
            ));
        }
        if query.search.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "search",
                format!("search is longer than {MAX_NAME_CHARS} characters; shorten it"),
            ));
        }
        if let Some(owner) = query.owner {
            self.user_within(actor, &UserRef::Id(owner)).await?;
        }
        Ok(DeviceQuery {
            within: actor.scope().map(<[crate::OrganizationId]>::to_vec),
            offset: query.offset.min(i64::MAX as u64),
            ..query.clone()
        })
    }

    /// Records the devices of an asset list, each under its owner (by email or username)
    /// and the owner's organization. With `dry_run` nothing is written; otherwise all of
    /// them land, or none when a row has a problem (unless `skip_invalid`).
    pub async fn import_devices<I>(
        &self,
        actor: &Actor,
        rows: I,
        options: &ImportOptions,
    ) -> Result<ImportReport, Error>
    where
        I: IntoIterator<Item = Result<DeviceRow, RowProblem>> + Send,
        I::IntoIter: Send,
    {
        super::Transfer::ImportDevices.check(actor)?;
        let importer = Actor {
            origin: Origin::Import,
            ..actor.clone()
        };
        let mut report = ImportReport::default();
        let mut found = Found::default();
        let mut valid = Vec::new();
        for row in rows {
            super::import::check_readable(std::slice::from_ref(&row))?;
            report.rows += 1;
            let checked = match row {
                Ok(row) => self.device_row(actor, &importer, row, &mut found).await?,
                Err(problem) => Err(vec![problem]),
            };
            match checked {
                Ok(device) => valid.push(device),
                Err(problems) => {
                    report.invalid += 1;
                    let room = MAX_REPORTED_PROBLEMS.saturating_sub(report.problems.len());
                    report.problems.extend(problems.into_iter().take(room));
                }
            }
        }
        if report.rows == 0 {
            return Err(Error::invalid(
                "file",
                "the file has a header but no devices; add a row per device",
            ));
        }
        if report.invalid > 0 && !options.skip_invalid && !options.dry_run {
            return Ok(report);
        }
        report.created = valid.len() as u64;
        if options.dry_run || valid.is_empty() {
            return Ok(report);
        }
        let counts = [
            ("rows", report.rows),
            ("added", report.created),
            ("skipped", report.invalid),
        ];
        let job = self.job_record(&importer, "import.devices", &counts, options);
        self.repo
            .insert_devices(valid, job)
            .await
            .map_err(|e| device_write_error(e, ""))?;
        report.written = true;
        Ok(report)
    }

    /// One row of a devices file checked: the device with its audit record, or every
    /// problem it has, each naming the column.
    async fn device_row(
        &self,
        actor: &Actor,
        importer: &Actor,
        row: DeviceRow,
        found: &mut Found,
    ) -> Result<Result<(NewDevice, AuditRecord), Vec<RowProblem>>, Error> {
        let problem = |column: &str, value: &str, message: String| RowProblem {
            line: row.line,
            column: Some(column.to_owned()),
            value: Some(value.to_owned()).filter(|v| !v.is_empty()),
            message,
            message_id: None,
            args: None,
            ends_file: false,
        };
        let mut problems = Vec::new();
        let os = row
            .os
            .parse()
            .map_err(|e: FieldError| problems.push(problem("os", &row.os, e.message)))
            .ok();
        let owner = match found.owner(self, actor, &row.owner).await? {
            Ok(owner) => Some(owner),
            Err(why) => {
                problems.push(problem("owner", &row.owner, why));
                None
            }
        };
        let draft = os.map(|os| DeviceDraft {
            name: row.name.clone(),
            os,
            model: row.model.clone(),
            serial: row.serial.clone(),
        });
        let draft = match draft.map(|d| d.cleaned()) {
            Some(Ok(draft)) => Some(draft),
            Some(Err(errors)) => {
                for error in errors {
                    let value = match error.field.as_str() {
                        "name" => &row.name,
                        "model" => &row.model,
                        _ => &row.serial,
                    };
                    problems.push(problem(&error.field, value, error.message));
                }
                None
            }
            None => None,
        };
        let (Some(owner), Some(draft), true) = (owner, draft, problems.is_empty()) else {
            return Ok(Err(problems));
        };
        if let Some(key) = serial_key(&draft.serial) {
            let scope = owner.organization_id;
            let taken = !found
                .serials
                .insert((scope.map_or(0, |o| o.0), key.clone()))
                || self.repo.serial_taken(scope, &key).await?;
            if taken {
                return Ok(Err(vec![problem(
                    "serial",
                    &row.serial,
                    format!(
                        "serial number {} is already recorded in {}; each device's serial number is unique within its organization",
                        draft.serial,
                        owner.organization.as_deref().unwrap_or("no organization")
                    ),
                )]));
            }
        }
        let record = self.record(
            importer,
            "device.add",
            device_target(0, &draft.name),
            enroll_changes(&draft, &owner, None),
        );
        let device = NewDevice {
            draft,
            owner: owner.id,
            organization: owner.organization_id,
            enrolled_at: self.clock.now(),
            enrolled_by: importer.name.clone(),
            token: None,
        };
        Ok(Ok((device, record)))
    }

    /// Renames or corrects a device; `version` is the one the form was read at.
    pub async fn edit_device(
        &self,
        actor: &Actor,
        id: DeviceId,
        draft: &DeviceDraft,
        version: i64,
    ) -> Result<Device, Error> {
        let draft = draft.cleaned().map_err(Error::Validation)?;
        let before = self.devices_to_manage(actor, &[id]).await?.remove(0);
        if before.version != version {
            return Err(self.device_changed_meanwhile(&before));
        }
        let after = Device {
            name: draft.name.clone(),
            os: draft.os,
            model: draft.model.clone(),
            serial: draft.serial.clone(),
            ..before.clone()
        };
        let changes: Vec<FieldChange> = [
            ("name", &before.name, &after.name),
            ("model", &before.model, &after.model),
            ("serial", &before.serial, &after.serial),
        ]
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, b, a)| field_change(field, b, a))
        .chain(
            (before.os != after.os)
                .then(|| field_change("os", before.os.label(), after.os.label())),
        )
        .collect();
        if changes.is_empty() {
            return Ok(before);
        }
        let audit = self.record(
            actor,
            "device.edit",
            device_target(id.0, &after.name),
            changes,
        );
        self.write_devices(vec![after], vec![audit], &draft.serial)
            .await
            .map(|mut written| written.remove(0))
    }

    /// Gives the devices to another user, moving them to that user's organization.
    pub async fn reassign_devices(
        &self,
        actor: &Actor,
        ids: &[DeviceId],
        to: &UserRef,
    ) -> Result<Vec<Device>, Error> {
        let devices = self.devices_to_manage(actor, ids).await?;
        let heir = self
            .user_to_manage(actor, Permission::ManageTokens, to)
            .await?;
        let mut audit = Vec::new();
        let moved: Vec<Device> = devices
            .into_iter()
            .filter(|d| d.owner_id != Some(heir.id))
            .map(|device| {
                audit.push(self.record(
                    actor,
                    "device.reassign",
                    device_target(device.id.0, &device.name),
                    vec![FieldChange {
                        field: "owner".into(),
                        before: device.owner.clone(),
                        after: Some(heir.username.clone()),
                    }],
                ));
                Device {
                    owner_id: Some(heir.id),
                    owner: Some(heir.username.clone()),
                    owner_email: Some(heir.email.clone()),
                    organization_id: heir.organization_id,
                    organization: heir.organization.clone(),
                    ..device
                }
            })
            .collect();
        self.write_devices(moved, audit, "").await
    }

    /// Retires active devices: kept for the record, no longer counted as the owner's.
    pub async fn retire_devices(
        &self,
        actor: &Actor,
        ids: &[DeviceId],
    ) -> Result<Vec<Device>, Error> {
        let devices = self.devices_to_manage(actor, ids).await?;
        if let Some(retired) = devices.iter().find(|d| d.state == DeviceState::Retired) {
            return Err(Error::IllegalTransition(format!(
                "{} is already retired; choose only active devices",
                retired.name
            )));
        }
        let audit = devices
            .iter()
            .map(|d| {
                self.record(
                    actor,
                    "device.retire",
                    device_target(d.id.0, &d.name),
                    vec![field_change("state", "active", "retired")],
                )
            })
            .collect();
        let retired = devices
            .into_iter()
            .map(|d| Device {
                state: DeviceState::Retired,
                ..d
            })
            .collect();
        self.write_devices(retired, audit, "").await
    }

    pub async fn delete_devices(&self, actor: &Actor, ids: &[DeviceId]) -> Result<usize, Error> {
        let devices = self.devices_to_manage(actor, ids).await?;
        let audit = devices
            .iter()
            .map(|d| {
                self.record(
                    actor,
                    "device.delete",
                    device_target(d.id.0, &d.name),
                    vec![
                        FieldChange {
                            field: "owner".into(),
                            before: d.owner.clone(),
                            after: None,
                        },
                        FieldChange {
                            field: "serial".into(),
                            before: Some(d.serial.clone()).filter(|s| !s.is_empty()),
                            after: None,
                        },
                    ],
                )
            })
            .collect();
        self.repo
            .delete_devices(&devices, audit)
            .await
            .map_err(|e| device_write_error(e, ""))?;
        Ok(devices.len())
    }

    /// The devices, each within the actor's organizations; one outside reads as missing.
    async fn devices_within(&self, actor: &Actor, ids: &[DeviceId]) -> Result<Vec<Device>, Error> {
        if ids.is_empty() {
            return Err(Error::invalid("ids", "choose at least one device"));
        }
        if ids.len() > MAX_DEVICES_SELECTED {
            return Err(Error::invalid(
                "ids",
                format!("choose at most {MAX_DEVICES_SELECTED} devices at a time"),
            ));
        }
        let found = self.repo.get_devices(ids).await?;
        for id in ids {
            let seen = found
                .iter()
                .find(|d| d.id == *id)
                .filter(|d| actor.reaches(d.organization_id));
            if seen.is_none() {
                return Err(Error::NotFound(format!("no device with id {id}")));
            }
        }
        Ok(found)
    }

    /// The devices, once the actor may manage devices and each owner.
    async fn devices_to_manage(
        &self,
        actor: &Actor,
        ids: &[DeviceId],
    ) -> Result<Vec<Device>, Error> {
        actor.require(Permission::ManageTokens)?;
        let devices = self.devices_within(actor, ids).await?;
        let owners: Vec<UserRef> = devices
            .iter()
            .filter_map(|d| d.owner_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .map(UserRef::Id)
            .collect();
        if !owners.is_empty() {
            self.users_to_manage(actor, Permission::ManageTokens, &owners)
                .await?;
        }
        Ok(devices)
    }

    async fn write_devices(
        &self,
        devices: Vec<Device>,
        audit: Vec<AuditRecord>,
        serial: &str,
    ) -> Result<Vec<Device>, Error> {
        if devices.is_empty() {
            return Ok(devices);
        }
        self.repo
            .update_devices(&devices, audit)
            .await
            .map_err(|e| device_write_error(e, serial))?;
        let ids: Vec<DeviceId> = devices.iter().map(|d| d.id).collect();
        Ok(self.repo.get_devices(&ids).await?)
    }

    fn device_changed_meanwhile(&self, device: &Device) -> Error {
        Error::VersionConflict(format!(
            "{} was changed by someone else meanwhile; nothing was changed: reload it and try again",
            device.name
        ))
    }
}

/// What an import has looked up so far: owners by what the file calls them, and the serial
/// numbers its earlier rows use (organization id or 0, serial key).
#[derive(Default)]
struct Found {
    owners: HashMap<String, Result<User, String>>,
    serials: HashSet<(i64, String)>,
}

impl Found {
    /// The owner a cell names, once the actor may give them devices; or why not.
    async fn owner(
        &mut self,
        roster: &Roster,
        actor: &Actor,
        cell: &str,
    ) -> Result<Result<User, String>, Error> {
        let key = normalize_key(cell);
        if key.is_empty() {
            return Ok(Err(
                "every device needs an owner: the email or username of a user".into(),
            ));
        }
        if let Some(known) = self.owners.get(&key) {
            return Ok(known.clone());
        }
        let answer = match roster
            .user_to_manage(actor, Permission::ManageTokens, &UserRef::parse(cell))
            .await
        {
            Ok(user) => Ok(user),
            Err(Error::NotFound(_)) => Err(format!(
                "no user with email or username '{}'; add the user first, or correct the cell",
                cell.trim()
            )),
            Err(Error::Forbidden(why)) => Err(why),
            Err(other) => return Err(other),
        };
        self.owners.insert(key, answer.clone());
        Ok(answer)
    }
}

pub(super) fn device_target(id: i64, name: &str) -> AuditTarget {
    AuditTarget {
        kind: "device".into(),
        id,
        name: name.to_owned(),
    }
}

fn enroll_changes(draft: &DeviceDraft, owner: &User, token: Option<&str>) -> Vec<FieldChange> {
    [
        ("os", draft.os.label().to_owned()),
        ("model", draft.model.clone()),
        ("serial", draft.serial.clone()),
        ("owner", AuditTarget::user(owner).name),
        (
            "token",
            token.map(|last4| format!("…{last4}")).unwrap_or_default(),
        ),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(field, value)| field_change(field, "", &value))
    .collect()
}

/// `serial`: the one serial number written, empty when several devices were.
fn device_write_error(error: StoreError, serial: &str) -> Error {
    match error {
        StoreError::Duplicate { .. } => Error::Conflict(FieldError::new(
            "serial",
            if serial.is_empty() {
                "a device's serial number is already recorded in the organization it would \
                 move to; retire or delete the other device first"
                    .to_owned()
            } else {
                format!(
                    "a device with serial number {serial} is already recorded in this \
                     organization; edit that device instead, or check the number"
                )
            },
        )),
        StoreError::Stale => Error::VersionConflict(
            "a device was changed by someone else meanwhile; nothing was changed, try again".into(),
        ),
        other => other.into(),
    }
}
