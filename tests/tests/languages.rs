//! Roster in the reader's language: a pseudo-locale walk of every screen finds English left
//! outside the catalogues and controls too narrow for longer words; German follows the
//! system's language, core's refusals included; names in Chinese and Japanese have glyphs.

use roster_core::{Roster, UserQuery};
use roster_tests::desktop::{App, Check, Clipped, Inspection, Profile, Theme, walk_every_screen};
use roster_tests::{TempDatabase, seed, test_actor};
use std::collections::BTreeSet;

/// Finds, in the part of the window it is given, text outside the pseudo-locale's brackets
/// that still has Latin letters (English a message left out of the catalogues), and what is
/// [`Clipped`]. Text that is the directory's own data is allowed.
struct LeftInEnglish {
    data: BTreeSet<String>,
}

const LEFT_IN_ENGLISH: &str = r#"
const scope = document.querySelector(arguments[0]);
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
// What is outside every [bracketed message]; dates and times are the locale's, data is marked.
const latin = (text) => text.replace(/\[[^\]]*\]/g, " ").match(/[A-Za-z]{2,}/g) || [];
const found = [];
const notLanguage = "time, code, kbd, script, style, [translate=no]";
const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const el = walker.currentNode.parentElement;
  if (!el || el.closest(notLanguage) || !shown(el)) continue;
  const words = latin(walker.currentNode.textContent);
  if (words.length) found.push([walker.currentNode.textContent.trim().slice(0, 100), words]);
}
for (const el of scope.querySelectorAll("[aria-label], [placeholder], [title], [alt]")) {
  if (el.closest(notLanguage)) continue;
  for (const name of ["aria-label", "placeholder", "title", "alt"]) {
    const value = el.getAttribute(name);
    const words = value ? latin(value) : [];
    if (words.length) found.push([`${name}="${value.slice(0, 100)}"`, words]);
  }
}
return found;
"#;

impl Inspection for LeftInEnglish {
    async fn inspect(&self, app: &App, scope: &str) -> Check<Vec<String>> {
        let found: Vec<(String, Vec<String>)> =
            app.script(LEFT_IN_ENGLISH, vec![scope.into()]).await?;
        let mut found: Vec<String> = found
            .into_iter()
            .filter(|(_, words)| words.iter().any(|w| !self.data.contains(&w.to_lowercase())))
            .map(|(text, _)| text)
            .collect();
        found.extend(Clipped.inspect(app, scope).await?);
        Ok(found)
    }
}

/// Every word of the directory's data the console shows: names, emails, groups, roles,
/// organizations, attributes, and the database's location in the status bar.
async fn data_words(roster: &Roster, db: &TempDatabase) -> BTreeSet<String> {
    let actor = test_actor();
    // The status bar names the database; audit entries name this workstation.
    let mut values = vec![
        serde_json::json!(db.url),
        serde_json::json!(whoami::fallible::hostname().unwrap_or_default()),
    ];
    let page = roster
        .list_users(
            &actor,
            &UserQuery {
                limit: 1_000,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    values.push(serde_json::to_value(&page.users).unwrap());
    values.push(serde_json::to_value(roster.list_groups(&actor).await.unwrap()).unwrap());
    values.push(serde_json::to_value(roster.list_roles(&actor).await.unwrap()).unwrap());
    values.push(serde_json::to_value(roster.list_organizations(&actor).await.unwrap()).unwrap());
    values.push(serde_json::to_value(roster.attributes(&actor).await.unwrap()).unwrap());
    let mut words = BTreeSet::new();
    let mut strings = Vec::new();
    for value in &values {
        collect_strings(value, &mut strings);
    }
    for text in strings {
        for word in text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 1)
        {
            words.insert(word.to_lowercase());
        }
    }
    // Names that are the same in every language; the test actor's workstation; and the
    // words of dates and times, which the pseudo-locale writes as English does.
    let dates = "January February March April May June July August September October November December \
                 Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec \
                 Monday Tuesday Wednesday Thursday Friday Saturday Sunday at AM PM UTC";
    for name in [
        "roster",
        "sqlite",
        "postgresql",
        "mariadb",
        "mysql",
        "csv",
        "qr",
        "totp",
        "test",
        "host",
    ]
    .into_iter()
    .chain(dates.split_whitespace())
    {
        words.insert(name.to_lowercase());
    }
    words
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                out.push(key.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_in_the_pseudo_locale_has_no_english_left_and_nothing_clipped() {
    let (db, roster, work, app) = launched_in("en_XA").await;
    let file = work.path().join(EXPORT);
    let data = data_words(&roster, &db).await;
    let result = async {
        app.wait_for_element("[data-testid=user-row]").await?;
        let title = app.texts("[data-testid=nav-users]").await?.join("");
        if !title.starts_with('[') {
            return Err(format!(
                "the window is not in the pseudo-locale: the Users screen reads {title:?}"
            ));
        }
        app.screenshot("pseudo-users").await?;
        let inspection = LeftInEnglish { data };
        // The CSV wizard past its first step: mapping, problems, options.
        app.click("[data-testid=import-users]").await?;
        app.click("[data-testid=choose-import-file]").await?;
        app.answer_file_dialog(
            &roster_l10n::localize("en", "dialog-import-users", &Default::default()),
            &file,
        )
        .await?;
        app.wait_for_element("[data-testid=import-mapping]").await?;
        let mut found: Vec<String> = inspection
            .inspect(&app, "dialog[open]")
            .await?
            .into_iter()
            .map(|f| format!("import wizard, mapping: {f}"))
            .collect();
        app.click("dialog[open] [data-testid=close-dialog]").await?;
        app.wait_for_absence("dialog[open]").await?;
        found.extend(walk_every_screen(&app, &inspection).await?);
        if found.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "left in English or clipped, in the pseudo-locale:\n{}",
                found.join("\n")
            ))
        }
    }
    .await;
    app.finish("pseudo-locale", result).await;
}

/// The Google Workspace export [`launched_in`] leaves in its folder.
const EXPORT: &str = "google.csv";

/// Sixty users, a Google Workspace export to import ([`EXPORT`]), and the app signed in on a
/// system whose language (`LANGUAGE`) is `language`.
async fn launched_in(language: &str) -> (TempDatabase, Roster, tempfile::TempDir, App) {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 60).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    google_export(&work.path().join(EXPORT));
    let mut profile = Profile::new();
    profile.set_env("LANGUAGE", language);
    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap();
    (db, roster, work, app)
}

/// A Google Workspace export of a few people, one with an address that is not one.
fn google_export(path: &std::path::Path) {
    let mut text = String::from(
        "First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required],Department\n",
    );
    for n in 1..=12 {
        let email = if n == 7 {
            "keine-adresse".to_owned()
        } else {
            format!("jana.muster{n}@example.de")
        };
        text.push_str(&format!("Jana,Muster {n},{email},/Vertrieb,Vertrieb\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn german(id: &str, args: &[(&str, roster_l10n::Arg)]) -> String {
    let args = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    roster_l10n::localize("de", id, &args)
}

#[tokio::test(flavor = "multi_thread")]
async fn german_follows_the_systems_language_core_refusals_and_file_dialogs_included() {
    let (db, _roster, work, app) = launched_in("de_DE").await;
    let file = work.path().join(EXPORT);
    let result = async {
        app.wait_for_element("[data-testid=user-row]").await?;
        let users = app.texts("[data-testid=nav-users]").await?.join("");
        if users != german("nav-users", &[]) {
            return Err(format!("the Users screen is called {users:?} in German"));
        }
        app.screenshot("users-de").await?;

        // Core refuses the address; the form says so in German, from core's message code.
        app.click("[data-testid=new-user]").await?;
        let form = "[data-testid=create-user-dialog]";
        app.wait_for_element(&format!("{form} input[name=first_name]"))
            .await?;
        app.type_into(&format!("{form} input[name=first_name]"), "Jana")
            .await?;
        app.type_into(&format!("{form} input[name=last_name]"), "Muster")
            .await?;
        app.type_into(&format!("{form} input[name=email]"), "jana@")
            .await?;
        app.click("[data-testid=save-user]").await?;
        let expected = german("validate-email-invalid", &[("value", "jana@".into())]);
        app.wait_for_text("[data-testid=field-error-email]", &expected)
            .await?;
        app.click("dialog[open] [data-testid=close-dialog]").await?;
        app.wait_for_absence("dialog[open]").await?;

        // The CSV wizard, the OS file dialog titled in German.
        app.click("[data-testid=import-users]").await?;
        app.click("[data-testid=choose-import-file]").await?;
        app.answer_file_dialog(&german("dialog-import-users", &[]), &file)
            .await?;
        app.wait_for_element("[data-testid=import-mapping]").await?;
        app.wait_for_text("[data-testid=import-problems]", "keine-adresse")
            .await?;
        app.screenshot("import-de").await?;
        app.click("dialog[open] [data-testid=close-dialog]").await?;
        app.wait_for_absence("dialog[open]").await?;

        // Signing in again with a wrong password: core's refusal, in German.
        app.click("[data-testid=sign-out]").await?;
        let owner = roster_tests::desktop::prepare_owner(&db.url).await?;
        app.sign_in_to_step(&owner, "not the password", "[data-testid=sign-in-error]")
            .await?;
        let refused = german("sign-in-bad-credentials", &[]);
        app.wait_for_text("[data-testid=sign-in-error]", &refused)
            .await?;
        Ok(())
    }
    .await;
    app.finish("german", result).await;
}

/// Draws each Chinese, Japanese or Korean character of the users list in the list's own font
/// and compares it with a character no font has: where the system lacks the glyphs, every
/// one of them is the same empty box.
const MISSING_GLYPHS: &str = r##"
const rows = [...document.querySelectorAll("[data-testid=user-row]")];
const text = rows.map((r) => r.innerText).join(" ");
const chars = [...new Set([...text].filter((c) => /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(c)))];
const family = getComputedStyle(rows[0]).fontFamily;
const canvas = document.createElement("canvas");
canvas.width = 48;
canvas.height = 48;
const g = canvas.getContext("2d", { willReadFrequently: true });
const draw = (c) => {
  g.clearRect(0, 0, 48, 48);
  g.font = `32px ${family}`;
  g.fillStyle = "#000";
  g.fillText(c, 4, 36);
  return Array.from(g.getImageData(0, 0, 48, 48).data).join(",");
};
const none = draw(String.fromCodePoint(0x10fffd));
const drawn = new Map();
const missing = [];
for (const c of chars) {
  const image = draw(c);
  if (image === none) missing.push(c);
  else if (drawn.has(image)) missing.push(`${c} (drawn as ${drawn.get(image)})`);
  else drawn.set(image, c);
}
return [chars.length, missing];
"##;

#[tokio::test(flavor = "multi_thread")]
async fn names_in_chinese_japanese_and_korean_are_drawn_with_glyphs() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    let people = [
        ("秀英", "王", "wang"),
        ("はなこ", "山田", "yamada"),
        ("민준", "김", "kim"),
        ("Ada", "Lovelace", "ada"),
    ];
    roster
        .add_users(
            &test_actor(),
            people
                .iter()
                .map(|(first, last, login)| roster_core::NewUser {
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    email: format!("{login}@example.org"),
                    status: Some(roster_core::Status::Active),
                    ..roster_core::NewUser::default()
                })
                .collect(),
        )
        .await
        .unwrap();
    let app = App::launch(&db.url).await.unwrap();
    let result = async {
        app.wait_for("the people named in Chinese, Japanese and Korean", || async {
            Ok(app.texts("[data-testid=user-row]").await?.join(" ").contains("山田").then_some(()))
        })
        .await?;
        app.screenshot("users-cjk").await?;
        let (count, missing): (usize, Vec<String>) = app.script(MISSING_GLYPHS, Vec::new()).await?;
        if count < 7 {
            return Err(format!("only {count} CJK characters found in the list"));
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "drawn as empty boxes: {} (install the fonts the package recommends: fonts-noto-cjk)",
                missing.join(" ")
            ))
        }
    }
    .await;
    app.finish("cjk-glyphs", result).await;
}
