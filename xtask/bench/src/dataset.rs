//! The bench's directories: the same users, groups, memberships and audit history for the
//! same size every time, built once per size and kept under target/bench/.

use crate::{Result, target_dir};
use roster_core::{AttributeKind, NewAttribute, NewGroup, Roster, SystemClock};
use roster_store::{Database, OpenMode};
use roster_tests::{seed, test_actor};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Bumped whenever what a dataset holds changes, so an old cached file is never measured.
const VERSION: u32 = 7;
pub const GROUPS: usize = 1_000;
/// Memberships per user; a few fall on the same group twice and count once.
const MEMBERSHIPS_PER_USER: usize = 3;

const GROUP_KINDS: [&str; 10] = [
    "Sales",
    "Support",
    "Engineering",
    "Finance",
    "Operations",
    "Legal",
    "Marketing",
    "Research",
    "Facilities",
    "Security",
];
const GROUP_PLACES: [&str; 10] = [
    "EMEA",
    "Americas",
    "APAC",
    "Zürich",
    "São Paulo",
    "東京",
    "Kraków",
    "Lagos",
    "Montréal",
    "Auckland",
];

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

pub async fn open(url: &str, mode: OpenMode) -> Result<Roster> {
    let database = Database::open(url, mode).await.map_err(|e| e.to_string())?;
    Ok(Roster::new(database.repository(), Arc::new(SystemClock)))
}

/// The `n`-th of the [`GROUPS`] groups' names: "Sales EMEA 1", "Support Americas 1", …
pub fn group_name(n: usize) -> String {
    let kind = GROUP_KINDS[n % GROUP_KINDS.len()];
    let place = GROUP_PLACES[(n / GROUP_KINDS.len()) % GROUP_PLACES.len()];
    let series = n / (GROUP_KINDS.len() * GROUP_PLACES.len()) + 1;
    format!("{kind} {place} {series}")
}

/// Fills the database at `url` (created if missing) with `users` deterministic users, each
/// with the audit entry of its creation; with `groups`, also [`GROUPS`] groups and about
/// three memberships per user, and three attributes every user holds.
pub async fn fill(url: &str, users: usize, groups: bool) -> Result {
    let roster = open(url, OpenMode::CreateIfMissing).await?;
    let started = Instant::now();
    seed::seed(&roster, &test_actor(), 0, users)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Seeded {users} users in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    if !groups {
        return Ok(());
    }
    let started = Instant::now();
    for (label, kind, choices, unique) in [
        ("Badge number", AttributeKind::Number, vec![], true),
        (
            "Shirt size",
            AttributeKind::Choice,
            vec!["S".into(), "M".into(), "L".into()],
            false,
        ),
        ("Parking", AttributeKind::YesNo, vec![], false),
    ] {
        let attribute = NewAttribute {
            label: label.into(),
            kind: Some(kind),
            choices,
            unique,
            ..NewAttribute::default()
        };
        roster
            .define_attribute(&test_actor(), attribute)
            .await
            .map_err(|e| e.to_string())?;
    }
    for n in 0..GROUPS {
        let group = NewGroup {
            name: group_name(n),
            description: format!("Bench group {n}"),
            ..NewGroup::default()
        };
        roster
            .add_group(&test_actor(), group)
            .await
            .map_err(|e| e.to_string())?;
    }
    // Memberships in one statement on the raw driver: through the service they would be
    // three million audited additions, which is not what the bench measures.
    let pool = sqlx::SqlitePool::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let spread: Vec<String> = (0..MEMBERSHIPS_PER_USER)
        .map(|k| format!("SELECT {k} AS k, {} AS stride", 7 + 30 * k))
        .collect();
    let added = sqlx::query(&format!(
        "INSERT OR IGNORE INTO group_members (group_id, user_id, added_at) \
         SELECT g.first + (u.id * s.stride + s.k) % {GROUPS}, u.id, u.created_at \
         FROM users u, ({}) s, (SELECT min(id) AS first FROM groups) g",
        spread.join(" UNION ALL ")
    ))
    .execute(&pool)
    .await
    .map_err(|e| e.to_string())?
    .rows_affected();
    // The store keeps the users' group counts and the groups' member counts with every
    // membership it writes; these were written around it.
    for recount in [
        "UPDATE users SET group_count = \
         (SELECT count(*) FROM group_members gm WHERE gm.user_id = users.id)",
        "UPDATE groups SET member_count = \
         (SELECT count(*) FROM group_members gm WHERE gm.group_id = groups.id)",
    ] {
        sqlx::query(recount)
            .execute(&pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    // Sign-in times and 2FA states, so sorting by the one and filtering by the other meet
    // the spread a real directory has. They are list values only: the bench signs nobody
    // in with these accounts.
    for spread in [
        "UPDATE users SET last_sign_in_at = created_at + (id * 7919) % 86400000 \
         WHERE status = 'active' AND id % 5 <> 0",
        "UPDATE users SET two_factor = CASE id % 4 WHEN 0 THEN 'active' \
         WHEN 1 THEN 'pending_activation' ELSE 'not_configured' END",
        // A hundred organizations: the seed's three keep the users whose id ends in 00-02
        // (Initech about 1%, 10,000 at a million); the rest go to "Org 4" … "Org 100". An
        // account limited to one of them is the scoped case the list is measured for.
        "INSERT INTO organizations (name, name_key, created_at) \
         WITH RECURSIVE n(k) AS (SELECT 4 UNION ALL SELECT k + 1 FROM n WHERE k < 100) \
         SELECT 'Org ' || k, 'org ' || k, 0 FROM n",
        "UPDATE users SET organization_name = 'Org ' || (id % 100 + 1), organization_id = \
         (SELECT o.id FROM organizations o WHERE o.name_key = 'org ' || (users.id % 100 + 1)) \
         WHERE id % 100 >= 3",
        // A device for every other user (500,000 at a million), a tenth of them retired,
        // and the owners' kept device counts: the Devices screen and the "# of devices"
        // column read these.
        "INSERT INTO devices (name, name_key, os, model, serial, serial_scope, serial_key, \
         organization_id, owner_id, enrolled_at, enrolled_by, last_activity_at, state) \
         SELECT 'LAPTOP-' || u.id, 'laptop-' || u.id, \
         CASE u.id % 5 WHEN 0 THEN 'windows' WHEN 1 THEN 'macos' WHEN 2 THEN 'linux' \
         WHEN 3 THEN 'android' ELSE 'ios' END, 'Model ' || (u.id % 40), 'SN' || u.id, \
         coalesce(u.organization_id, 0), 'sn' || u.id, u.organization_id, u.id, u.created_at, \
         u.username, u.created_at + (u.id * 7919) % 86400000, \
         CASE WHEN u.id % 20 = 0 THEN 'retired' ELSE 'active' END \
         FROM users u WHERE u.id % 2 = 0",
        "UPDATE users SET device_count = (SELECT count(*) FROM devices d \
         WHERE d.owner_id = users.id AND d.state = 'active') WHERE id % 2 = 0",
        // Every user holds the three attributes: a unique badge number, a shirt size (a
        // third each), parking for a quarter. Three values a row is what the list reads
        // beside the built-in fields.
        "INSERT INTO user_attributes (user_id, attribute_id, value, unique_value) \
         SELECT u.id, a.id, CASE a.name \
         WHEN 'badge_number' THEN CAST(100000 + u.id AS TEXT) \
         WHEN 'shirt_size' THEN CASE u.id % 3 WHEN 0 THEN 'S' WHEN 1 THEN 'M' ELSE 'L' END \
         ELSE CASE WHEN u.id % 4 = 0 THEN 'yes' ELSE 'no' END END, \
         CASE WHEN a.is_unique THEN CAST(100000 + u.id AS TEXT) END \
         FROM users u, attributes a",
        // The kept counts by status and 2FA state, after the change above.
        "UPDATE user_state_counts SET n = (SELECT count(*) FROM users u \
         WHERE u.status = user_state_counts.status AND u.two_factor = user_state_counts.two_factor)",
    ] {
        sqlx::query(spread)
            .execute(&pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    pool.close().await;
    println!(
        "Added {GROUPS} groups and {added} memberships in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The dataset of `users` users, built once and kept; a half-made one never takes its place.
pub async fn cached(users: usize) -> Result<PathBuf> {
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("dataset-v{VERSION}-{users}.db"));
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("db.partial");
    remove_database(&partial);
    let partial_url = roster_store::sqlite_url(&partial);
    fill(&partial_url, users, true).await?;
    // A compacted, integrity-checked copy (the backup a user takes), then the work file goes.
    Database::connect(&partial_url, OpenMode::MustExist)
        .await
        .map_err(|e| e.to_string())?
        .repository()
        .back_up(&path, None)
        .await
        .map_err(|e| e.to_string())?;
    remove_database(&partial);
    Ok(path)
}

/// A copy of `dataset` to measure on: writes (sign-ins, bulk actions) never change the
/// cached one.
pub fn working_copy(dataset: &Path) -> Result<PathBuf> {
    let copy = dataset.with_file_name("work.db");
    remove_database(&copy);
    std::fs::copy(dataset, &copy).map_err(|e| e.to_string())?;
    Ok(copy)
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        std::fs::remove_file(file).ok();
    }
}
