//! `cargo xtask bench`: how fast Roster answers on a realistic directory, each figure beside
//! the bare SQL doing the same work on the raw driver. Results go to stdout as a table and to
//! target/bench/results.json; nothing here asserts a time.

use crate::dataset::{self, open};
use crate::measure::{Timings, another_run, machine, ratio, time, time_undone};
use crate::{Result, target_dir};
use roster_core::{
    Actor, BulkEdit, Count, DeviceCount, DeviceOs, DeviceQuery, DeviceState, OrganizationId,
    Rights, Roster, Sort, SortDirection, SortField, Status, StatusAction, TokenQuery, UserId,
    UserQuery, UserRef, UserRows, built_in_permissions,
};
use roster_store::OpenMode;
use roster_tests::test_actor;
use serde_json::{Value, json};
use sqlx::SqlitePool;
use std::time::Instant;

/// Runs of every read after its warm-up; the issue asks for at least 200.
const READ_RUNS: usize = 200;
/// Runs of every bulk write (each changes thousands of rows of the working copy).
const WRITE_RUNS: usize = 10;
/// Deletes take users away for good, so fewer of them.
const DELETE_RUNS: usize = 5;
const PAGE: u32 = 200;
/// What the desktop's user details ask for (ACTIVITY_ENTRIES, SIGN_IN_ENTRIES in src-tauri).
const DETAIL_ENTRIES: u32 = 500;

pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

pub fn users_flag(args: &[String], default: usize) -> Result<usize> {
    match flag(args, "--users") {
        Some(n) => n
            .replace('_', "")
            .parse()
            .map_err(|_| format!("--users takes a number, not '{n}'")),
        None => Ok(default),
    }
}

pub fn seed_command(args: &[String]) -> Result {
    let url = flag(args, "--db").ok_or("seed needs --db URL (e.g. sqlite:///tmp/roster.db)")?;
    let users = users_flag(args, 1_000)?;
    dataset::runtime()?.block_on(dataset::fill(
        &url,
        users,
        args.iter().any(|a| a == "--groups"),
    ))
}

/// One measured action: Roster's figure, the same answer encoded as the desktop's IPC
/// encodes it, and the bare SQL's.
struct Row {
    name: String,
    kind: &'static str,
    roster: Timings,
    /// The page alone, before its count (list cases).
    rows_first: Option<Timings>,
    with_json: Option<Timings>,
    bare: Option<Timings>,
    /// Rows matched (list cases) or changed (writes).
    rows: Option<u64>,
}

impl Row {
    fn json(&self) -> Value {
        json!({
            "case": self.name,
            "kind": self.kind,
            "roster": self.roster.json(),
            "roster_rows_first": self.rows_first.map(|t| t.json()),
            "roster_with_json": self.with_json.map(|t| t.json()),
            "bare": self.bare.map(|t| t.json()),
            "ratio_p50": self.bare.map(|b| ratio(self.roster.p50, b.p50)),
            "ratio_p95": self.bare.map(|b| ratio(self.roster.p95, b.p95)),
            "rows": self.rows,
        })
    }

    fn print(&self) {
        let ms = |t: Option<Timings>, f: fn(&Timings) -> f64| {
            t.map_or("-".to_owned(), |t| format!("{:.2}", f(&t)))
        };
        let ratio = self.bare.map_or("-".to_owned(), |b| {
            format!("{:.1}×", ratio(self.roster.p95, b.p95))
        });
        println!(
            "{:<44} {:>9.2} {:>9.2} {:>9.2} {:>9} {:>9} {:>9} {:>9} {:>7} {:>9}",
            self.name,
            self.roster.p50,
            self.roster.p95,
            self.roster.max,
            ms(self.rows_first, |t| t.p95),
            ms(self.with_json, |t| t.p95),
            ms(self.bare, |t| t.p50),
            ms(self.bare, |t| t.p95),
            ratio,
            self.rows.map_or("-".to_owned(), |n| n.to_string()),
        );
    }
}

fn print_header(title: &str) {
    println!("\n{title}\n");
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>9}",
        "case (ms)",
        "p50",
        "p95",
        "max",
        "rows p95",
        "+JSON p95",
        "bare p50",
        "bare p95",
        "p95 ×",
        "rows"
    );
}

fn sort(field: SortField, direction: SortDirection) -> Sort {
    Sort { field, direction }
}

/// A page of the users list and the bare SQL that gets the same page: its rows with their
/// organization, team, group count and tags, and the number of matches.
struct ListCase {
    name: String,
    query: UserQuery,
    /// The bare query's WHERE (after `WHERE 1 = 1`) and ORDER BY.
    filter: String,
    order: String,
    /// Whether the bare query reads each user's attribute values, as Roster's page does;
    /// without, it is the page as it was before attributes existed.
    bare_attributes: bool,
}

/// Users (whose rows hold their organization's and team's names and their group count)
/// with their tags and (given `pair`, how the backend joins a name and a value) their
/// attribute values, each list joined by `aggregate`, the backend's string aggregate of
/// `{}` (a placeholder for what it joins).
fn bare_select(aggregate: &str, pair: Option<&str>) -> String {
    let tags = aggregate.replace("{}", "tag");
    let values = pair.map_or_else(String::new, |pair| {
        format!(
            ", (SELECT {} FROM user_attributes ua JOIN attributes a ON a.id = ua.attribute_id \
             WHERE ua.user_id = users.id) AS attribute_values",
            aggregate.replace("{}", pair)
        )
    });
    format!(
        "SELECT users.*, (SELECT {tags} FROM user_tags ut WHERE ut.user_id = users.id) AS tags\
         {values} FROM users"
    )
}

/// The database the bare queries run on, through sqlx's own driver.
enum Bare {
    Sqlite(SqlitePool),
    Postgres(sqlx::PgPool),
    MySql(sqlx::MySqlPool),
}

impl Bare {
    async fn connect(url: &str) -> Result<Bare> {
        let failed = |e: sqlx::Error| format!("{}: {e}", roster_store::redact(url));
        Ok(if url.starts_with("postgres") {
            // The session settings Roster's own connections have.
            let options = url
                .parse::<sqlx::postgres::PgConnectOptions>()
                .map_err(failed)?
                .options(roster_store::POSTGRES_SESSION_SETTINGS);
            Bare::Postgres(sqlx::PgPool::connect_with(options).await.map_err(failed)?)
        } else {
            let url = url.replacen("mariadb://", "mysql://", 1);
            Bare::MySql(sqlx::MySqlPool::connect(&url).await.map_err(failed)?)
        })
    }

    fn name(&self) -> &'static str {
        match self {
            Bare::Sqlite(_) => "SQLite",
            Bare::Postgres(_) => "PostgreSQL",
            Bare::MySql(_) => "MySQL/MariaDB",
        }
    }

    /// The page's rows with their organization, team, group count, tags and (with
    /// `attributes`) attribute values.
    fn select(&self, attributes: bool) -> String {
        let (aggregate, pair) = match self {
            Bare::Sqlite(_) => ("group_concat({}, ',')", "a.name || '=' || ua.value"),
            Bare::Postgres(_) => ("string_agg({}, ',')", "a.name || '=' || ua.value"),
            Bare::MySql(_) => ("GROUP_CONCAT({})", "CONCAT(a.name, '=', ua.value)"),
        };
        bare_select(aggregate, attributes.then_some(pair))
    }

    /// The condition finding `term` anywhere, as each backend's index (or scan) does.
    fn contains(&self, term: &str) -> String {
        match self {
            Bare::Sqlite(_) => format!(
                " AND users.id IN (SELECT rowid FROM users_fts WHERE users_fts MATCH '\"{term}\"')"
            ),
            // MySQL's `search` joins the four columns; PostgreSQL's also lower-cases and
            // unaccents them.
            Bare::Postgres(_) | Bare::MySql(_) => format!(" AND users.search LIKE '%{term}%'"),
        }
    }

    /// The condition finding a word that starts with `term` (one or two letters).
    fn word_start(&self, term: &str) -> String {
        match self {
            Bare::Sqlite(_) => format!(
                " AND users.id IN (SELECT rowid FROM users_prefix WHERE users_prefix MATCH '\"{term}\"*')"
            ),
            Bare::Postgres(_) => format!(" AND users.search ~ '(^|[^[:alnum:]]){term}'"),
            // MySQL finds short words anywhere, as longer ones.
            Bare::MySql(_) => format!(" AND users.search LIKE '%{term}%'"),
        }
    }

    /// ORDER BY a joined name, ascending, ties by id.
    fn by_name(&self, column: &str) -> String {
        match self {
            Bare::Sqlite(_) => format!("{column}, users.id"),
            Bare::Postgres(_) => format!("{column} NULLS FIRST, users.id"),
            Bare::MySql(_) => format!("{column}, users.id"),
        }
    }

    /// ORDER BY last sign-in, newest first, never signed in last.
    fn last_sign_in_desc(&self) -> &'static str {
        match self {
            Bare::Postgres(_) => "users.last_sign_in_at DESC NULLS LAST, users.id DESC",
            _ => "users.last_sign_in_at DESC, users.id DESC",
        }
    }

    /// Runs `page` and returns how many rows it gave.
    async fn page(&self, page: &str) -> Result<u64> {
        let failed = |e: sqlx::Error| format!("{page}: {e}");
        let rows = match self {
            Bare::Sqlite(pool) => sqlx::query(page)
                .fetch_all(pool)
                .await
                .map_err(failed)?
                .len(),
            Bare::Postgres(pool) => sqlx::query(page)
                .fetch_all(pool)
                .await
                .map_err(failed)?
                .len(),
            Bare::MySql(pool) => sqlx::query(page)
                .fetch_all(pool)
                .await
                .map_err(failed)?
                .len(),
        };
        Ok(rows as u64)
    }

    /// Runs `page` and returns the count `count` gives.
    async fn page_and_count(&self, page: &str, count: &str) -> Result<u64> {
        let failed = |e: sqlx::Error| format!("{page}: {e}");
        let n: i64 = match self {
            Bare::Sqlite(pool) => {
                sqlx::query(page).fetch_all(pool).await.map_err(failed)?;
                sqlx::query_scalar(count).fetch_one(pool).await
            }
            Bare::Postgres(pool) => {
                sqlx::query(page).fetch_all(pool).await.map_err(failed)?;
                sqlx::query_scalar(count).fetch_one(pool).await
            }
            Bare::MySql(pool) => {
                sqlx::query(page).fetch_all(pool).await.map_err(failed)?;
                sqlx::query_scalar(count).fetch_one(pool).await
            }
        }
        .map_err(|e| format!("{count}: {e}"))?;
        Ok(n.max(0).unsigned_abs())
    }
}

/// An Admin limited to these organizations, as a signed-in session makes one.
fn admin_of(scope: &[OrganizationId]) -> Actor {
    Actor {
        rights: Rights::Account {
            user: UserId(0),
            role: "admin".into(),
            permissions: built_in_permissions("admin").unwrap_or_default(),
            scope: Some(scope.to_vec()),
        },
        ..test_actor()
    }
}

/// The user each "next page" case continues after: the last of the page before.
struct Anchor {
    offset: u64,
    id: UserId,
    last_name: String,
}

impl Anchor {
    /// The page after this anchor, by last name.
    fn page(&self) -> UserQuery {
        UserQuery {
            sort: sort(SortField::LastName, SortDirection::Asc),
            offset: self.offset,
            after: Some(self.id),
            ..UserQuery::default()
        }
    }

    /// The same condition for the bare query, with the anchor's values written in, in the
    /// form each database starts from in the index (as Roster writes it).
    fn filter(&self, bare: &Bare) -> String {
        let (name, id) = (self.last_name.replace('\'', "''"), self.id.0);
        match bare {
            Bare::MySql(_) => format!(
                " AND (users.last_name > '{name}' OR (users.last_name = '{name}' AND users.id > {id}))"
            ),
            _ => format!(" AND (users.last_name, users.id) > ('{name}', {id})"),
        }
    }
}

fn list_cases(
    total: u64,
    group: i64,
    initech: OrganizationId,
    anchors: &[Anchor; 2],
    bare: &Bare,
) -> Vec<ListCase> {
    let by_last = sort(SortField::LastName, SortDirection::Asc);
    let case = |name: &str, query: UserQuery, filter: &str, order: &str| ListCase {
        name: name.to_owned(),
        query: UserQuery {
            limit: PAGE,
            ..query
        },
        filter: filter.to_owned(),
        order: order.to_owned(),
        bare_attributes: true,
    };
    let search = |term: &str| UserQuery {
        search: term.into(),
        sort: by_last,
        ..UserQuery::default()
    };
    let trigram = |term: &str| bare.contains(term);
    let prefix = |term: &str| bare.word_start(term);
    let last = "users.last_name, users.id";
    vec![
        case(
            "no filter, by last name",
            UserQuery {
                sort: by_last,
                ..UserQuery::default()
            },
            "",
            last,
        ),
        // Issue 32's measure of attribute values' cost: Roster's page (every user holds
        // three) beside the bare page of the users alone, as the page was before them.
        ListCase {
            bare_attributes: false,
            ..case(
                "no filter, by last name, bare without attribute values",
                UserQuery {
                    sort: by_last,
                    ..UserQuery::default()
                },
                "",
                last,
            )
        },
        case(
            "search 'lov' (3 letters)",
            search("lov"),
            &trigram("lov"),
            last,
        ),
        case(
            "search 'lovelace'",
            search("lovelace"),
            &trigram("lovelace"),
            last,
        ),
        case("search 'ad' (2 letters)", search("ad"), &prefix("ad"), last),
        case("search 'h' (1 letter)", search("h"), &prefix("h"), last),
        case(
            "search 'ada' + active, last sign-in desc",
            UserQuery {
                search: "ada".into(),
                statuses: vec![Status::Active],
                sort: sort(SortField::LastSignInAt, SortDirection::Desc),
                ..UserQuery::default()
            },
            &format!("{} AND users.status = 'active'", trigram("ada")),
            bare.last_sign_in_desc(),
        ),
        case(
            "status suspended",
            UserQuery {
                statuses: vec![Status::Suspended],
                sort: by_last,
                ..UserQuery::default()
            },
            " AND users.status = 'suspended'",
            last,
        ),
        case(
            "an Admin limited to Initech (1 of 100 organizations), by last name",
            UserQuery {
                sort: by_last,
                within: Some(vec![initech]),
                ..UserQuery::default()
            },
            " AND users.organization_id = (SELECT id FROM organizations WHERE name = 'Initech')",
            last,
        ),
        case(
            "an Admin limited to Initech (1 of 100), search 'lov'",
            UserQuery {
                within: Some(vec![initech]),
                ..search("lov")
            },
            &format!(
                "{} AND users.organization_id = (SELECT id FROM organizations WHERE name = 'Initech')",
                trigram("lov")
            ),
            last,
        ),
        case(
            "team Unassigned + organization Initech",
            UserQuery {
                team: Some("Unassigned".into()),
                organization: Some("Initech".into()),
                sort: by_last,
                ..UserQuery::default()
            },
            " AND users.team_id IS NULL AND users.organization_id = \
             (SELECT id FROM organizations WHERE name = 'Initech')",
            last,
        ),
        case(
            "sort by organization",
            UserQuery {
                sort: sort(SortField::Organization, SortDirection::Asc),
                ..UserQuery::default()
            },
            "",
            &bare.by_name("users.organization_name"),
        ),
        case(
            "sort by team",
            UserQuery {
                sort: sort(SortField::Team, SortDirection::Asc),
                ..UserQuery::default()
            },
            "",
            &bare.by_name("users.team_name"),
        ),
        case(
            "sort by group count, most first",
            UserQuery {
                sort: sort(SortField::GroupCount, SortDirection::Desc),
                ..UserQuery::default()
            },
            "",
            "users.group_count DESC, users.id DESC",
        ),
        case(
            "sort by # of devices, most first",
            UserQuery {
                sort: sort(SortField::DeviceCount, SortDirection::Desc),
                ..UserQuery::default()
            },
            "",
            "users.device_count DESC, users.id DESC",
        ),
        case(
            "users with one device",
            UserQuery {
                devices: Some(DeviceCount::One),
                sort: by_last,
                ..UserQuery::default()
            },
            " AND users.device_count = 1",
            last,
        ),
        case(
            "a group's members",
            UserQuery {
                group: Some(roster_core::GroupId(group)),
                sort: by_last,
                ..UserQuery::default()
            },
            &format!(
                " AND users.id IN (SELECT user_id FROM group_members WHERE group_id = {group})"
            ),
            last,
        ),
        case(
            "department 'Research', by last name",
            UserQuery {
                department: Some("Research".into()),
                sort: by_last,
                ..UserQuery::default()
            },
            " AND users.department = 'Research'",
            last,
        ),
        case(
            "sort by job title",
            UserQuery {
                sort: sort(SortField::JobTitle, SortDirection::Asc),
                ..UserQuery::default()
            },
            "",
            &bare.by_name("users.job_title"),
        ),
        case(
            "search an employee ID",
            search(&format!("E{:07}", total / 2)),
            &format!(" AND users.employee_id = 'E{:07}'", total / 2),
            last,
        ),
        case(
            "attribute shirt size 'M', by last name",
            UserQuery {
                attributes: [("shirt_size".to_owned(), "M".to_owned())].into(),
                sort: by_last,
                ..UserQuery::default()
            },
            " AND users.id IN (SELECT user_id FROM user_attributes WHERE attribute_id = \
             (SELECT id FROM attributes WHERE name = 'shirt_size') AND value = 'M')",
            last,
        ),
        case(
            "sort by attribute badge number",
            UserQuery {
                sort_attribute: Some("badge_number".into()),
                sort: sort(SortField::Id, SortDirection::Asc),
                ..UserQuery::default()
            },
            "",
            "(SELECT value FROM user_attributes WHERE user_id = users.id AND attribute_id = \
             (SELECT id FROM attributes WHERE name = 'badge_number')), users.id",
        ),
        case(
            "page in the middle",
            UserQuery {
                sort: by_last,
                offset: total / 2,
                ..UserQuery::default()
            },
            "",
            last,
        ),
        case(
            "last page",
            UserQuery {
                sort: by_last,
                offset: total.saturating_sub(u64::from(PAGE)),
                ..UserQuery::default()
            },
            "",
            last,
        ),
        case(
            "next page in the middle, scrolling (after the row before)",
            anchors[0].page(),
            &anchors[0].filter(bare),
            last,
        ),
        case(
            "last page, scrolling (after the row before)",
            anchors[1].page(),
            &anchors[1].filter(bare),
            last,
        ),
    ]
}

/// The users the "next page" cases continue after: the last row before the middle page and
/// before the last page.
async fn anchors(roster: &Roster, total: u64) -> Result<[Anchor; 2]> {
    let at = |offset: u64| async move {
        let before = UserQuery {
            sort: sort(SortField::LastName, SortDirection::Asc),
            offset: offset - 1,
            limit: 1,
            ..UserQuery::default()
        };
        let rows = roster
            .list_user_rows(&test_actor(), &before)
            .await
            .map_err(|e| e.to_string())?;
        let user = rows.users.into_iter().next().ok_or("no user there")?;
        Ok::<_, String>(Anchor {
            offset,
            id: user.id,
            last_name: user.last_name,
        })
    };
    Ok([at(total / 2).await?, at(total - u64::from(PAGE)).await?])
}

async fn bare_page(bare: &Bare, case: &ListCase) -> Result<u64> {
    let offset = if case.query.after.is_some() {
        0
    } else {
        case.query.offset
    };
    let page = format!(
        "{} WHERE 1 = 1{} ORDER BY {} LIMIT {PAGE} OFFSET {offset}",
        bare.select(case.bare_attributes),
        case.filter,
        case.order,
    );
    // A page further down is never counted again, by the window either.
    if case.query.offset > 0 {
        return bare.page(&page).await;
    }
    // Counted as the window counts: no further than its first cap.
    let count = format!(
        "SELECT count(*) FROM (SELECT 1 AS found FROM users WHERE 1 = 1{} LIMIT {}) AS matches",
        case.filter,
        COUNT_UP_TO + 1
    );
    let found = bare.page_and_count(&page, &count).await?;
    Ok(found.min(COUNT_UP_TO))
}

/// How far the users list counts before it shows "1,000+" (`FIRST_COUNT_UP_TO` in
/// ui/src/users/pageLoader.ts); it counts further only when scrolled that far.
const COUNT_UP_TO: u64 = 1_000;

/// What the window asks for a list: the page, then (unless the page proves it) the count
/// up to its first cap. Returns the rows, and how many match as far as counted.
async fn rows_and_count(
    roster: &Roster,
    actor: &Actor,
    query: &UserQuery,
) -> Result<(UserRows, Count)> {
    let rows = roster
        .list_user_rows(actor, query)
        .await
        .map_err(|e| e.to_string())?;
    let count = match rows.total {
        Some(total) => Count::exact(total),
        // A page further down is never counted again: its own rows are what it answers.
        None if query.offset > 0 => Count::exact(rows.users.len() as u64),
        None => roster
            .count_users(actor, query, Some(COUNT_UP_TO))
            .await
            .map_err(|e| e.to_string())?,
    };
    Ok((rows, count))
}

/// The list cases, or with `only` those whose name contains it.
async fn list(
    roster: &Roster,
    bare: &Bare,
    runs: usize,
    only: Option<&str>,
    out: &mut Vec<Row>,
) -> Result {
    let actor = test_actor();
    let facets = roster.facets(&actor).await.map_err(|e| e.to_string())?;
    let group = facets
        .groups
        .iter()
        .find(|g| g.name == dataset::group_name(0))
        .map(|g| g.id.0)
        .ok_or_else(|| format!("the dataset has no group '{}'", dataset::group_name(0)))?;
    let total = roster
        .list_users(&actor, &UserQuery::default())
        .await
        .map_err(|e| e.to_string())?
        .total;
    print_header(&format!(
        "users list: a page of {PAGE} with its count, {total} users, {}, {runs} runs each \
         (fewer where they take over {} s, at least {})",
        bare.name(),
        crate::measure::CASE_BUDGET.as_secs(),
        crate::measure::MIN_RUNS
    ));
    let initech = roster
        .find_organization(&actor, "Initech")
        .await
        .map_err(|e| e.to_string())?
        .id;
    let anchors = anchors(roster, total).await?;
    let chosen = list_cases(total, group, initech, &anchors, bare)
        .into_iter()
        .filter(|case| only.is_none_or(|text| case.name.contains(text)));
    for case in chosen {
        let q = &case.query;
        // A scoped case is asked by an account limited to those organizations: the
        // services take the scope from the actor, never from the query.
        let actor = match &q.within {
            Some(scope) => admin_of(scope),
            None => test_actor(),
        };
        let mut matches = 0;
        // One loop for both figures: the answer as the service returns it, and with the JSON
        // encoding the desktop's IPC adds on top.
        let (mut listed, mut encoded) = (Vec::new(), Vec::new());
        let begun = Instant::now();
        for run in 0.. {
            if run > 0 && !another_run(listed.len(), runs, begun) {
                break;
            }
            let started = Instant::now();
            let (rows, count) = rows_and_count(roster, &actor, q).await?;
            let answered = started.elapsed();
            serde_json::to_vec(&rows).map_err(|e| e.to_string())?;
            serde_json::to_vec(&count).map_err(|e| e.to_string())?;
            if run > 0 {
                listed.push(answered);
                encoded.push(started.elapsed());
            }
            matches = count.n;
        }
        let (roster_t, with_json) = (Timings::of(listed), Timings::of(encoded));
        // What the window waits for before it shows rows: the page, its count following.
        let rows_first = time(runs, |_| async {
            roster
                .list_user_rows(&actor, q)
                .await
                .map_err(|e| e.to_string())
        })
        .await?;
        let bare_matches = bare_page(bare, &case).await?;
        let bare = time(runs, |_| bare_page(bare, &case)).await?;
        if bare_matches != matches.min(COUNT_UP_TO) {
            return Err(format!(
                "{}: the bare query found {bare_matches} users, Roster {matches}; they must do the same work",
                case.name
            ));
        }
        let row = Row {
            name: case.name,
            kind: "list",
            roster: roster_t,
            rows_first: Some(rows_first),
            with_json: Some(with_json),
            bare: Some(bare),
            rows: Some(matches),
        };
        row.print();
        out.push(row);
    }
    Ok(())
}

/// Runs the statements one after another: one bare answer.
async fn run_all(pool: &SqlitePool, statements: &[String]) -> Result {
    for statement in statements {
        sqlx::query(statement)
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn read_row(name: String, roster: Timings, bare: Timings) -> Row {
    Row {
        name,
        kind: "read",
        roster,
        rows_first: None,
        with_json: None,
        bare: Some(bare),
        rows: None,
    }
}

/// The filters' values and the overview, then one user's details as the window opens them.
async fn reads(roster: &Roster, pool: &SqlitePool, runs: usize, out: &mut Vec<Row>) -> Result {
    let actor = test_actor();
    print_header("counts and details");
    let statements = [
        "SELECT name FROM organizations ORDER BY name_key",
        "SELECT name FROM teams ORDER BY name_key",
        "SELECT * FROM roles ORDER BY name",
        "SELECT g.* FROM groups g ORDER BY g.name_key, g.id",
    ]
    .map(str::to_owned);
    let facets = read_row(
        "facets (organizations, teams, roles, groups)".into(),
        time(runs, |_| async {
            roster.facets(&actor).await.map_err(|e| e.to_string())
        })
        .await?,
        time(runs, |_| run_all(pool, &statements)).await?,
    );
    facets.print();
    out.push(facets);

    let statements = [
        "SELECT status, two_factor, n FROM user_state_counts",
        "SELECT * FROM audit_log ORDER BY id DESC LIMIT 10",
    ]
    .map(str::to_owned);
    let overview = read_row(
        "overview (counts by status and 2FA, recent changes)".into(),
        time(runs, |_| async {
            roster
                .overview(&actor, None)
                .await
                .map_err(|e| e.to_string())
        })
        .await?,
        time(runs, |_| run_all(pool, &statements)).await?,
    );
    overview.print();
    out.push(overview);

    let audit_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM users ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM users)",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    let user = UserId(id);
    let statements = [
        format!(
            "{} WHERE users.id = {id}",
            bare_select("group_concat({}, ',')", Some("a.name || '=' || ua.value"))
        ),
        format!(
            "SELECT g.* FROM groups g \
             WHERE g.id IN (SELECT group_id FROM group_members WHERE user_id = {id}) \
             ORDER BY g.name_key"
        ),
        format!("SELECT * FROM user_tokens WHERE user_id = {id} ORDER BY id DESC"),
        format!(
            "SELECT * FROM audit_log WHERE target_kind = 'user' AND target_id = {id} \
             ORDER BY id DESC LIMIT {DETAIL_ENTRIES}"
        ),
        format!(
            "SELECT * FROM sign_in_events WHERE user_id = {id} ORDER BY id DESC LIMIT {DETAIL_ENTRIES}"
        ),
    ];
    let details = read_row(
        format!("user details ({audit_rows} audit entries)"),
        time(runs, |_| async {
            roster
                .find_user(&actor, &UserRef::Id(user))
                .await
                .map_err(|e| e.to_string())?;
            roster
                .groups_of(&actor, user)
                .await
                .map_err(|e| e.to_string())?;
            let tokens = TokenQuery {
                user: Some(user),
                ..TokenQuery::default()
            };
            roster
                .list_tokens(&actor, &tokens)
                .await
                .map_err(|e| e.to_string())?;
            let activity = roster_core::AuditQuery {
                user: Some(user),
                limit: DETAIL_ENTRIES,
                ..Default::default()
            };
            roster
                .audit(&actor, &activity)
                .await
                .map_err(|e| e.to_string())?;
            roster
                .sign_ins(&actor, user, DETAIL_ENTRIES)
                .await
                .map_err(|e| e.to_string())
        })
        .await?,
        time(runs, |_| run_all(pool, &statements)).await?,
    );
    details.print();
    out.push(details);
    Ok(())
}

/// The bare Devices screen page: the devices with their organization's and owner's names.
const BARE_DEVICES: &str = "SELECT d.*, o.name, u.username FROM devices d \
    LEFT JOIN organizations o ON o.id = d.organization_id LEFT JOIN users u ON u.id = d.owner_id";

/// The Devices screen: a first page of 200 with its count, as the window asks for it.
async fn devices(roster: &Roster, pool: &SqlitePool, runs: usize, out: &mut Vec<Row>) -> Result {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM devices")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    print_header(&format!(
        "devices list: a page of {PAGE} with its count, {total} devices"
    ));
    let initech = roster
        .find_organization(&test_actor(), "Initech")
        .await
        .map_err(|e| e.to_string())?
        .id;
    let initech_filter =
        "d.organization_id = (SELECT id FROM organizations WHERE name = 'Initech')";
    let cases = [
        (
            "devices: no filter, by name",
            test_actor(),
            DeviceQuery::default(),
            String::new(),
        ),
        (
            "devices: search 'laptop-4242'",
            test_actor(),
            DeviceQuery {
                search: "laptop-4242".into(),
                ..DeviceQuery::default()
            },
            " AND (d.name_key LIKE '%laptop-4242%' OR d.serial_key LIKE '%laptop-4242%' \
             OR lower(d.model) LIKE '%laptop-4242%' OR u.username_key LIKE '%laptop-4242%')"
                .to_owned(),
        ),
        (
            "devices: Windows, active",
            test_actor(),
            DeviceQuery {
                os: vec![DeviceOs::Windows],
                state: Some(DeviceState::Active),
                ..DeviceQuery::default()
            },
            " AND d.os = 'windows' AND d.state = 'active'".to_owned(),
        ),
        (
            "devices: an Admin limited to Initech (1 of 100)",
            admin_of(&[initech]),
            DeviceQuery::default(),
            format!(" AND {initech_filter}"),
        ),
    ];
    for (name, actor, query, filter) in cases {
        let query = DeviceQuery {
            limit: PAGE,
            ..query
        };
        let page =
            format!("{BARE_DEVICES} WHERE 1 = 1{filter} ORDER BY d.name_key, d.id LIMIT {PAGE}");
        // As Roster counts: the owner is joined only for a search, which may match them.
        let join = if query.search.is_empty() {
            ""
        } else {
            " LEFT JOIN users u ON u.id = d.owner_id"
        };
        let count = format!("SELECT count(*) FROM devices d{join} WHERE 1 = 1{filter}");
        let matches = roster
            .list_devices(&actor, &query)
            .await
            .map_err(|e| e.to_string())?
            .total;
        let statements = [page, count];
        let bare_matches: i64 = sqlx::query_scalar(&statements[1])
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
        if bare_matches.max(0).unsigned_abs() != matches {
            return Err(format!(
                "{name}: the bare query found {bare_matches} devices, Roster {matches}; they must do the same work"
            ));
        }
        let row = Row {
            rows: Some(matches),
            ..read_row(
                name.into(),
                time(runs, |_| async {
                    roster
                        .list_devices(&actor, &query)
                        .await
                        .map_err(|e| e.to_string())
                })
                .await?,
                time(runs, |_| run_all(pool, &statements)).await?,
            )
        };
        row.print();
        out.push(row);
    }
    Ok(())
}

async fn writes(roster: &Roster, pool: &SqlitePool, users: usize, out: &mut Vec<Row>) -> Result {
    let actor = test_actor();
    // 10,000 at a million users; fewer in smaller datasets, which need 16 distinct blocks.
    let size = (users / 50).clamp(1, 10_000);
    let ids_of = |statuses: Vec<Status>| {
        let query = UserQuery {
            statuses,
            ..UserQuery::default()
        };
        let actor = &actor;
        async move {
            roster
                .matching_user_ids(actor, &query)
                .await
                .map_err(|e| e.to_string())
        }
    };
    // Suspends take active users from the front of the list; edits and deletes take any
    // users from its back, so no block is used twice.
    let active = ids_of(vec![Status::Active]).await?;
    let mut everyone = ids_of(Vec::new()).await?;
    everyone.reverse();
    let blocks_from_back = 2 + 2 * (DELETE_RUNS + 1);
    if active.len() < 2 * size || everyone.len() < (blocks_from_back + 2) * size {
        return Err(format!("{users} users are too few for the bulk cases"));
    }
    let block = |from: &[UserId], n: usize| from[n * size..(n + 1) * size].to_vec();
    let refs = |from: &[UserId], n: usize| -> Vec<UserRef> {
        block(from, n).into_iter().map(UserRef::Id).collect()
    };
    let json_ids = |from: &[UserId], n: usize| -> String {
        serde_json::to_string(&block(from, n).iter().map(|id| id.0).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    print_header(&format!(
        "bulk actions on {size} users, each one transaction, {WRITE_RUNS} runs ({DELETE_RUNS} for delete)"
    ));

    let suspend_block = refs(&active, 0);
    let status = |action: StatusAction| {
        let (actor, block) = (&actor, &suspend_block);
        async move {
            roster
                .change_status(actor, block, action)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
    let suspend = time_undone(
        WRITE_RUNS,
        || status(StatusAction::Suspend),
        || status(StatusAction::Unsuspend),
    )
    .await?;
    let suspend_ids = json_ids(&active, 1);
    let set = |status: &'static str| {
        bare_write(
            pool,
            "UPDATE users SET status = ?, version = version + 1 \
             WHERE id IN (SELECT value FROM json_each(?))",
            vec![status, &suspend_ids],
        )
    };
    let bare_suspend = time_undone(WRITE_RUNS, || set("suspended"), || set("active")).await?;
    out.push(write_row(
        format!("bulk suspend of {size}"),
        suspend,
        bare_suspend,
        size,
    ));

    let edit_block = refs(&everyone, 0);
    let teams = ["Operations", "Finance"];
    let edit = time(WRITE_RUNS, |run| {
        let edit = BulkEdit {
            team: Some(teams[run % 2].into()),
            ..BulkEdit::default()
        };
        let (actor, block) = (&actor, &edit_block);
        async move {
            roster
                .edit_users(actor, block, edit)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    })
    .await?;
    let edit_ids = json_ids(&everyone, 1);
    let bare_edit = time(WRITE_RUNS, |run| {
        bare_write(
            pool,
            "UPDATE users SET team_id = (SELECT id FROM teams WHERE name = ?), \
             version = version + 1 WHERE id IN (SELECT value FROM json_each(?))",
            vec![teams[run % 2], &edit_ids],
        )
    })
    .await?;
    out.push(write_row(
        format!("bulk edit (team) of {size}"),
        edit,
        bare_edit,
        size,
    ));

    // Each delete (the warm-up too) takes its own block: 2, 4, 6, … for Roster, the odd
    // ones after them for the bare statement.
    let delete = time(DELETE_RUNS, |run| {
        let block = refs(&everyone, 2 + 2 * run);
        let actor = &actor;
        async move {
            roster
                .delete_users(actor, &block, None)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    })
    .await?;
    let bare_delete = time(DELETE_RUNS, |run| {
        let ids = json_ids(&everyone, 3 + 2 * run);
        async move {
            bare_write(
                pool,
                "DELETE FROM users WHERE id IN (SELECT value FROM json_each(?))",
                vec![&ids],
            )
            .await
        }
    })
    .await?;
    out.push(write_row(
        format!("delete {size} users"),
        delete,
        bare_delete,
        size,
    ));
    Ok(())
}

fn write_row(name: String, roster: Timings, bare: Timings, size: usize) -> Row {
    let row = Row {
        name,
        kind: "write",
        roster,
        rows_first: None,
        with_json: None,
        bare: Some(bare),
        rows: Some(size as u64),
    };
    row.print();
    row
}

/// One bare write: `statement` with its text values bound, in a transaction of its own.
async fn bare_write(pool: &SqlitePool, statement: &str, values: Vec<&str>) -> Result {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let mut query = sqlx::query(statement);
    for value in values {
        query = query.bind(value);
    }
    query.execute(&mut *tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// `bench [--users N]`: every case on SQLite; `--case TEXT` runs only the users-list cases
/// whose name contains TEXT.
pub fn bench(args: &[String]) -> Result {
    let quick = args.iter().any(|a| a == "--quick");
    let users = if quick {
        10_000
    } else {
        users_flag(args, 100_000)?
    };
    if args.iter().any(|a| a == "--csv") {
        return crate::csv::csv(users);
    }
    if args.iter().any(|a| a == "--audit") {
        let entries = match flag(args, "--entries") {
            Some(n) => n
                .parse()
                .map_err(|_| format!("--entries {n}: not a number"))?,
            None if quick => 100_000,
            None => 10_000_000,
        };
        return crate::audit::audit(entries);
    }
    let only = flag(args, "--case");
    if let Some(server) = flag(args, "--server") {
        return server_list(&server, users, only.as_deref());
    }
    dataset::runtime()?.block_on(async {
        let dataset = dataset::cached(users).await?;
        let work = dataset::working_copy(&dataset)?;
        let url = roster_store::sqlite_url(&work);
        let roster = open(&url, OpenMode::MustExist).await?;
        let pool = bare_pool(&url).await?;
        let mut rows = Vec::new();
        let bare = Bare::Sqlite(pool);
        list(&roster, &bare, READ_RUNS, only.as_deref(), &mut rows).await?;
        // Chosen cases are list cases: the rest (reads, devices, writes) is the full run's.
        if only.is_some() {
            return Ok(());
        }
        let Bare::Sqlite(pool) = bare else {
            unreachable!("built as SQLite above")
        };
        reads(&roster, &pool, READ_RUNS, &mut rows).await?;
        devices(&roster, &pool, READ_RUNS, &mut rows).await?;
        writes(&roster, &pool, users, &mut rows).await?;
        let sign_in = sign_in_time(&roster).await?;
        let ui = if args.iter().any(|a| a == "--ui") {
            keystroke_to_rows(&roster, &url).await?
        } else {
            println!("\n(add --ui to also time keystroke-to-rows in the real app window)");
            Value::Null
        };
        let memberships: i64 = sqlx::query_scalar("SELECT count(*) FROM group_members")
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
        let report = json!({
            "machine": machine(),
            "dataset": {
                "users": users,
                "groups": dataset::GROUPS,
                "memberships_after_deletes": memberships,
                "backend": "sqlite",
                "file": dataset.display().to_string(),
            },
            "metrics": rows.iter().map(Row::json).collect::<Vec<_>>(),
            "sign_in": sign_in,
            "keystroke_to_rows": ui,
        });
        let out = target_dir().join("bench/results.json");
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

/// The bare queries' connection: it reads the file as Roster does (memory-mapped), so a
/// ratio compares the work the queries do, not the connection settings.
pub async fn bare_pool(url: &str) -> Result<SqlitePool> {
    let options = url
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .map_err(|e| e.to_string())?
        .pragma("mmap_size", (256 * 1024 * 1024).to_string());
    SqlitePool::connect_with(options)
        .await
        .map_err(|e| e.to_string())
}

/// `bench --server URL [--users N]`: the users list on a PostgreSQL or MySQL/MariaDB
/// database, beside the bare SQL on the same server. The cached SQLite dataset is copied
/// there first (`roster db copy`) unless the server already holds that many users; writes
/// target/bench/results-BACKEND.json. `--case TEXT` runs only the cases whose name contains
/// TEXT.
fn server_list(server: &str, users: usize, only: Option<&str>) -> Result {
    dataset::runtime()?.block_on(async {
        let dataset = dataset::cached(users).await?;
        let target = roster_store::Database::open(server, OpenMode::MustExist)
            .await
            .map_err(|e| e.to_string())?;
        let roster = Roster::new(
            target.repository(),
            std::sync::Arc::new(roster_core::SystemClock),
        );
        let held = roster
            .count_users(&test_actor(), &UserQuery::default(), None)
            .await
            .map_err(|e| e.to_string())?
            .n;
        let mut copy_seconds = None;
        if held != users as u64 {
            let source = roster_store::Database::open(
                &roster_store::sqlite_url(&dataset),
                OpenMode::MustExist,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "copying the {users}-user dataset to {} (it holds {held})…",
                roster_store::redact(server)
            );
            let started = Instant::now();
            source
                .copy_to(&target, true)
                .await
                .map_err(|e| e.to_string())?;
            copy_seconds = Some(started.elapsed().as_secs_f64());
            println!("copied in {:.0} s", started.elapsed().as_secs_f64());
        }
        let bare = Bare::connect(server).await?;
        let mut rows = Vec::new();
        list(&roster, &bare, READ_RUNS, only, &mut rows).await?;
        let backend = target.status().await.map_err(|e| e.to_string())?.backend;
        let report = json!({
            "machine": machine(),
            "dataset": {
                "users": users,
                "groups": dataset::GROUPS,
                "backend": backend,
                "server": roster_store::redact(server),
                "copied_in_seconds": copy_seconds,
            },
            "metrics": rows.iter().map(Row::json).collect::<Vec<_>>(),
        });
        let out = target_dir().join(format!("bench/results-{backend}.json"));
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

/// `startup --users N`: the app named by ROSTER_APP (the release build) started on an empty
/// directory and on N users; writes target/bench/startup.json.
pub fn startup(args: &[String]) -> Result {
    let users = users_flag(args, 100_000)?;
    let app = std::env::var("ROSTER_APP").map_err(
        |_| "startup times the app named by ROSTER_APP (cargo xtask bench --startup sets it)",
    )?;
    dataset::runtime()?.block_on(async {
        let seeded = dataset::cached(users).await?;
        let work = tempfile::tempdir().map_err(|e| e.to_string())?;
        // A new directory: its first Owner and nobody else.
        let empty = work.path().join("empty.db");
        dataset::fill(&roster_store::sqlite_url(&empty), 1, false).await?;
        // A copy, so the Owner made for signing in never changes the cached database.
        let full = work.path().join("seeded.db");
        std::fs::copy(&seeded, &full).map_err(|e| e.to_string())?;
        crate::startup::print_header(&app);
        let rows = vec![
            crate::startup::measure("new (the Owner only)", &roster_store::sqlite_url(&empty), 5)
                .await?,
            crate::startup::measure(
                &format!("{users} users"),
                &roster_store::sqlite_url(&full),
                5,
            )
            .await?,
        ];
        let out = target_dir().join("bench/startup.json");
        let report = json!({ "app": app, "machine": machine(), "startup": rows });
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

/// A full password sign-in through the service (find the account, Argon2id verify, record
/// the attempt): what a person waits for after pressing "Sign in".
async fn sign_in_time(roster: &Roster) -> Result<serde_json::Value> {
    use roster_core::{NewUser, SetPassword, SignInRequest, UserRef};
    const PASSWORD: &str = "bench sign-in passphrase";
    let login = "bench.signin";
    if roster
        .find_user(&test_actor(), &UserRef::Username(login.into()))
        .await
        .is_err()
    {
        let user = NewUser {
            email: "bench.signin@example.org".into(),
            first_name: "Bench".into(),
            last_name: "Sign-in".into(),
            username: Some(login.into()),
            status: Some(Status::Active),
            ..NewUser::default()
        };
        roster
            .add_user(&test_actor(), user)
            .await
            .map_err(|e| e.to_string())?;
    }
    let choice = SetPassword {
        password: Some(PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&test_actor(), &UserRef::Username(login.into()), choice)
        .await
        .map_err(|e| e.to_string())?;
    let request = SignInRequest {
        login: login.into(),
        password: PASSWORD.into(),
        code: None,
    };
    // Argon2id is the point of this figure, and it is slow on purpose: fewer runs.
    let timings = time(20, |_| async {
        roster
            .sign_in(&request, "bench", roster_core::Origin::Cli)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await?;
    let per_second = 1000.0 / timings.p50;
    println!(
        "\nsign-in (Argon2id m={} KiB, t={}, p={}): p50 {:.1} ms, p95 {:.1} ms, {per_second:.1} verifications per second",
        roster_core::ARGON2_MEMORY_KIB,
        roster_core::ARGON2_ITERATIONS,
        roster_core::ARGON2_PARALLELISM,
        timings.p50,
        timings.p95,
    );
    let mut figures = timings.json();
    figures["per_second"] = json!(per_second);
    Ok(figures)
}

/// In the real app: from the input event of a search keystroke until the new rows are shown
/// (the count line says they are being counted, or already gives their count), and until
/// their count is shown; IPC, queries and rendering included, timed inside the page.
async fn keystroke_to_rows(roster: &Roster, url: &str) -> Result<serde_json::Value> {
    use roster_tests::desktop::App;
    const MEASURE: &str = r#"
        const [term, expected, done] = arguments;
        const input = document.querySelector('[data-testid=search]');
        const count = document.querySelector('[data-testid=count]');
        const started = performance.now();
        let rowsAt = null;
        const ungrouped = (s) => s.replace(/[,.\u00a0\u202f']/g, '');
        const observer = new MutationObserver(() => {
            const text = ungrouped(count.innerText);
            const counted = text.includes(expected);
            if (rowsAt === null && (counted || text.includes('counting'))) rowsAt = performance.now() - started;
            if (counted) { observer.disconnect(); done([rowsAt, performance.now() - started]); }
        });
        observer.observe(count, { subtree: true, childList: true, characterData: true });
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, term);
        input.dispatchEvent(new Event('input', { bubbles: true }));
    "#;
    let app = App::launch(url).await?;
    let total = roster
        .list_users(&test_actor(), &UserQuery::default())
        .await
        .map_err(|e| e.to_string())?
        .total;
    let result: Result<Vec<serde_json::Value>> = async {
        app.wait_for_text("[data-testid=count]", &format!("of {total} users"))
            .await?;
        println!("\nkeystroke to rows in the app window, {total} users\n");
        println!("{:<34} {:>10} {:>10} {:>10}", "search", "rows ms", "count ms", "matches");
        let mut rows = Vec::new();
        let mut previous = Count::exact(total);
        for term in ["l", "lo", "love", "ada", "ada love", "", "zzzz", "grace", "hopper7"] {
            let query = UserQuery {
                search: term.into(),
                ..UserQuery::default()
            };
            let (_, count) = rows_and_count(roster, &test_actor(), &query).await?;
            // The page notices the new rows by their count; an unchanged count cannot be timed.
            if count == previous {
                continue;
            }
            previous = count;
            let matches = count.n;
            let expected = match count {
                Count { n: 0, .. } => "No users match".to_owned(),
                Count { n, more: true } => format!("{n}+ users"),
                Count { n, more: false } => format!("{n} users"),
            };
            let args = vec![serde_json::json!(term), serde_json::json!(expected)];
            let ms = app
                .client
                .execute_async(MEASURE, args)
                .await
                .map_err(|e| e.to_string())?;
            let at = |i: usize| ms.get(i).and_then(Value::as_f64).unwrap_or(f64::NAN);
            let (shown, counted) = (at(0), at(1));
            println!(
                "{:<34} {shown:>10.1} {counted:>10.1} {matches:>10}",
                format!("'{term}'")
            );
            rows.push(json!({ "search": term, "rows_ms": shown, "count_ms": counted, "matches": matches }));
        }
        Ok(rows)
    }
    .await;
    app.close().await;
    Ok(serde_json::Value::Array(result?))
}

/// `explain --db URL SQL…`: SQLite's plan for each statement and its time over a few runs,
/// for working out why a case is slow.
pub fn explain(args: &[String]) -> Result {
    let url = flag(args, "--db").ok_or("explain needs --db URL and SQL statements")?;
    let statements: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| *a != "--db" && (*i == 0 || args[i - 1] != "--db"))
        .map(|(_, a)| a)
        .collect();
    dataset::runtime()?.block_on(async {
        // One connection, so a PRAGMA among the statements holds for the ones after it.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        for statement in statements {
            println!("\n{statement}");
            let plan = sqlx::query(&format!("EXPLAIN QUERY PLAN {statement}"))
                .fetch_all(&pool)
                .await
                .map_err(|e| e.to_string())?;
            for step in plan {
                use sqlx::Row;
                let detail: String = step.try_get("detail").map_err(|e| e.to_string())?;
                println!("  {detail}");
            }
            let run = || async {
                sqlx::query(statement)
                    .fetch_all(&pool)
                    .await
                    .map(|rows| rows.len())
                    .map_err(|e| e.to_string())
            };
            let rows = run().await?;
            let timings = time(5, |_| run()).await?;
            println!(
                "  {rows} rows, p50 {:.2} ms, max {:.2} ms",
                timings.p50, timings.max
            );
        }
        Ok(())
    })
}
