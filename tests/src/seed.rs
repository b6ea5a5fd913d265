//! A deterministic population of users: the same count always gives the same people, so
//! benchmarks and end-to-end tests can rely on what a search finds.

use roster_core::{Actor, NewUser, Profile, Roster, Status, UserField};
use unicode_normalization::UnicodeNormalization;

const FIRST: &[&str] = &[
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
    "Zoë", "José", "Søren", "Chloé", "Łukasz", "Anaïs", "Björn", "Mei", "Hiroshi", "Priya", "Olu",
    "Fatima", "Siobhán", "Nguyễn", "Ingrid", "Mateo", "Aroha", "Tariq", "Yuki", "Elif",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "O'Brien",
    "García",
    "Kierkegaard",
    "Dubois",
    "Kowalski",
    "Müller",
    "Andersson",
    "Wang",
    "Tanaka",
    "Patel",
    "Adeyemi",
    "Haddad",
    "Ní Bhriain",
    "Văn",
    "Berg",
    "Rossi",
    "Ngata",
    "Rahman",
    "Sato",
    "Yılmaz",
];
const ORGS: &[&str] = &["Acme", "Globex", "Initech"];
const DEPARTMENTS: &[&str] = &[
    "Customer Success",
    "Engineering",
    "Finance",
    "Legal",
    "Marketing",
    "Operations",
    "People",
    "Research",
    "Sales",
    "Security",
    "Support",
];
const TITLES: &[&str] = &[
    "Account Executive",
    "Analyst",
    "Designer",
    "Director",
    "Engineer",
    "Intern",
    "Manager",
    "Specialist",
    "Technician",
    "Writer",
];
const OFFICES: &[&str] = &["Berlin", "Lisbon", "London", "Madrid", "Remote", "Toronto"];
const TEAMS: &[&str] = &["Sales", "Support", "Engineering", "Finance", "Operations"];
const ROLES: &[&str] = &[
    "user", "user", "user", "user", "helpdesk", "admin", "auditor",
];
const STATUSES: &[Status] = &[
    Status::Active,
    Status::Active,
    Status::Active,
    Status::Active,
    Status::Staged,
    Status::Suspended,
    Status::Locked,
];

/// The `n`-th generated user (0-based). Usernames and emails carry `n`, so they are unique.
pub fn person(n: usize) -> NewUser {
    let first = FIRST[n % FIRST.len()];
    // A different stride for last names gives 900 distinct name pairs.
    let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
    let ascii = |s: &str| {
        // "Søren Łukasz Nguyễn" → "sorenlukasznguyen": accents off, a few letters spelled out.
        s.nfkd()
            .flat_map(|c| match c {
                'ø' | 'Ø' => vec!['o'],
                'ł' | 'Ł' => vec!['l'],
                'ı' => vec!['i'],
                c => vec![c],
            })
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    NewUser {
        email: format!("{}.{}{n}@example.org", ascii(first), ascii(last)),
        first_name: first.into(),
        last_name: last.into(),
        username: Some(format!("{}{n}", ascii(first))),
        phone: n
            .is_multiple_of(3)
            .then(|| format!("+1 555 {:04}", n % 10_000)),
        role: Some(ROLES[n % ROLES.len()].into()),
        status: Some(STATUSES[n % STATUSES.len()]),
        organization: Some(ORGS[n % ORGS.len()].into()),
        team: (n % 6 != 5).then(|| TEAMS[n % TEAMS.len()].into()),
        tags: if n.is_multiple_of(10) {
            vec!["vip".into()]
        } else {
            Vec::new()
        },
        identity_provider: None,
        profile: profile(n),
        manager: None,
        attributes: Default::default(),
    }
}

/// The `n`-th user's directory attributes: every built-in one filled (an end date for one
/// in fifty, years ahead, so no generated account is due), as an HR export carries them.
fn profile(n: usize) -> Profile {
    let mut profile = Profile::from([
        (UserField::JobTitle, TITLES[n % TITLES.len()].to_owned()),
        (
            UserField::Department,
            DEPARTMENTS[(n / 3) % DEPARTMENTS.len()].to_owned(),
        ),
        (UserField::EmployeeId, format!("E{n:07}")),
        (
            UserField::WorkPhone,
            format!("+1 555 {:04}", (n * 7) % 10_000),
        ),
        (
            UserField::MobilePhone,
            format!("+1 556 {:04}", (n * 13) % 10_000),
        ),
        (UserField::Office, OFFICES[n % OFFICES.len()].to_owned()),
        (UserField::CostCenter, format!("CC-{:03}", n % 120)),
        (
            UserField::StartDate,
            format!("20{:02}-{:02}-{:02}", 10 + n % 16, 1 + n % 12, 1 + n % 28),
        ),
    ]);
    if n.is_multiple_of(50) {
        let end = format!("20{:02}-{:02}-{:02}", 31 + n % 9, 1 + n % 12, 1 + n % 28);
        profile.insert(UserField::EndDate, end);
    }
    profile
}

/// Adds users `from..to` in batches of 5,000 (one transaction each).
pub async fn seed(
    roster: &Roster,
    actor: &Actor,
    from: usize,
    to: usize,
) -> Result<(), roster_core::Error> {
    let mut start = from;
    while start < to {
        let end = (start + 5_000).min(to);
        roster
            .add_users(actor, (start..end).map(person).collect())
            .await?;
        start = end;
    }
    Ok(())
}
