//! Roster's message catalogues and the one way to render a message.
//!
//! `locales/<language>.ftl` (Fluent) holds every sentence a person reads, for the window
//! (which reads the same files with @fluent/bundle) and for what core says: core returns a
//! message's id and its placeholder values, keeps the English rendered from `en.ftl` for
//! logs and scripts, and each front end renders the id in its reader's language.
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, sync::OnceLock};
use unic_langid::LanguageIdentifier;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

/// The language every message exists in, and the one to fall back to.
pub const ENGLISH: &str = "en";

/// A placeholder's value: a number chooses plural forms and is formatted for the reader.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

/// Placeholder values by name.
pub type Args = BTreeMap<String, Arg>;

struct Catalogue {
    language: String,
    bundle: FluentBundle<FluentResource>,
}

fn catalogues() -> &'static [Catalogue] {
    static CATALOGUES: OnceLock<Vec<Catalogue>> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        embedded::FILES
            .iter()
            .map(|(language, text)| {
                let id: LanguageIdentifier = language.parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks matter only to right-to-left scripts, none of which is
                // shipped; in a terminal they print as stray characters.
                bundle.set_use_isolating(false);
                // A syntax error drops only the broken entry; the catalogue test names it.
                let resource = FluentResource::try_new((*text).to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                Catalogue {
                    language: (*language).to_owned(),
                    bundle,
                }
            })
            .collect()
    })
}

/// The languages there is a catalogue for.
pub fn languages() -> impl Iterator<Item = &'static str> {
    catalogues().iter().map(|c| c.language.as_str())
}

/// The message `id` in `language`, or `None` when that catalogue does not have it.
pub fn render(language: &str, id: &str, args: &Args) -> Option<String> {
    let catalogue = catalogues().iter().find(|c| c.language == language)?;
    let pattern = catalogue.bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Number(n) => fluent_args.set(name.as_str(), FluentValue::from(*n)),
            Arg::Text(text) => fluent_args.set(name.as_str(), FluentValue::from(text.as_str())),
        }
    }
    let mut errors = Vec::new();
    let text = catalogue
        .bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors);
    Some(text.into_owned())
}

/// The message in English. Every id core uses is in `en.ftl` (a test reads each); a missing one
/// reads as its id rather than as nothing.
pub fn english(id: &str, args: &Args) -> String {
    render(ENGLISH, id, args).unwrap_or_else(|| id.to_owned())
}

/// The message in `language`, else in English.
pub fn localize(language: &str, id: &str, args: &Args) -> String {
    render(language, id, args).unwrap_or_else(|| english(id, args))
}

/// The catalogue that best serves someone who reads `wanted` (BCP 47 or POSIX: `de-AT`,
/// `de_AT.UTF-8`), English when none does.
pub fn negotiate(wanted: &[&str]) -> &'static str {
    let requested: Vec<LanguageIdentifier> = wanted
        .iter()
        .filter_map(|w| {
            let tag = w
                .split(['.', '@'])
                .next()
                .unwrap_or_default()
                .replace('_', "-");
            tag.parse().ok()
        })
        .collect();
    let available: Vec<LanguageIdentifier> = languages().filter_map(|l| l.parse().ok()).collect();
    let fallback: LanguageIdentifier = ENGLISH.parse().expect("en is a language tag");
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&fallback),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    let chosen = chosen.first().map(|id| id.to_string()).unwrap_or_default();
    languages().find(|l| *l == chosen).unwrap_or(ENGLISH)
}

/// The languages the POSIX locale environment asks for, as BCP 47 tags, most wanted first:
/// `LANGUAGE` (a list), else `LC_ALL`, `LC_MESSAGES`, `LANG`; "C" and "POSIX" ask for none.
pub fn posix_languages() -> Vec<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let wanted: Vec<String> = if let Some(list) = var("LANGUAGE") {
        list.split(':').map(str::to_owned).collect()
    } else if let Some(one) = var("LC_ALL")
        .or_else(|| var("LC_MESSAGES"))
        .or_else(|| var("LANG"))
    {
        vec![one]
    } else {
        Vec::new()
    };
    wanted
        .iter()
        .map(|w| {
            w.split(['.', '@'])
                .next()
                .unwrap_or_default()
                .replace('_', "-")
        })
        .filter(|tag| !tag.is_empty() && tag != "C" && tag != "POSIX")
        .collect()
}

/// The language a terminal program speaks ([`posix_languages`]).
pub fn terminal_language() -> &'static str {
    let wanted = posix_languages();
    negotiate(&wanted.iter().map(String::as_str).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, Arg)]) -> Args {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn every_language_has_every_english_message_with_the_same_placeholders() {
        let english = ids(ENGLISH);
        assert!(english.len() > 100, "en.ftl has {} messages", english.len());
        for language in languages().filter(|l| *l != ENGLISH) {
            let theirs = ids(language);
            let missing: Vec<_> = english
                .keys()
                .filter(|id| !theirs.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{language}.ftl lacks {missing:?}");
            let extra: Vec<_> = theirs
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(
                extra.is_empty(),
                "{language}.ftl has messages English does not: {extra:?}"
            );
            for (id, names) in &english {
                assert_eq!(
                    &theirs[id], names,
                    "{language}.ftl's {id} takes other placeholders than English"
                );
            }
        }
    }

    /// Each message's id and the placeholder names it uses, straight from the file's syntax.
    fn ids(language: &str) -> BTreeMap<String, Vec<String>> {
        use fluent_bundle::FluentResource;
        let mut found = BTreeMap::new();
        if let Some((_, text)) = embedded::FILES.iter().find(|(l, _)| *l == language) {
            let resource = FluentResource::try_new((*text).to_owned())
                .unwrap_or_else(|(_, errors)| panic!("{language}.ftl does not parse: {errors:?}"));
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    let mut names = Vec::new();
                    if let Some(value) = &message.value {
                        placeholders(value, &mut names);
                    }
                    names.sort();
                    names.dedup();
                    found.insert(message.id.name.to_owned(), names);
                }
            }
        }
        found
    }

    fn placeholders(pattern: &fluent_syntax::ast::Pattern<&str>, names: &mut Vec<String>) {
        use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                match expression {
                    Expression::Inline(InlineExpression::VariableReference { id }) => {
                        names.push(id.name.to_owned())
                    }
                    Expression::Select { selector, variants } => {
                        if let InlineExpression::VariableReference { id } = selector {
                            names.push(id.name.to_owned());
                        }
                        for variant in variants {
                            placeholders(&variant.value, names);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Every message the Rust side names (`message!("id", …)`, the file dialogs' titles) is in
    /// English, so none reads as its bare id.
    #[test]
    fn every_message_rust_names_is_in_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut sources = Vec::new();
        for dir in ["crates", "src-tauri/src"] {
            rust_files(&root.join(dir), &mut sources);
        }
        let english = ids(ENGLISH);
        let mut named = 0;
        let mut missing = Vec::new();
        for path in sources {
            let text = std::fs::read_to_string(&path).unwrap();
            for (marker, prefix) in [("message!(\"", ""), ("\"dialog-", "dialog-")] {
                for piece in text.split(marker).skip(1) {
                    let id = format!("{prefix}{}", piece.split('"').next().unwrap_or_default());
                    named += 1;
                    if !english.contains_key(&id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(named > 30, "found {named} messages named in Rust");
        assert!(missing.is_empty(), "not in en.ftl: {missing:?}");
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // This crate names ids only in its tests.
            if path.is_dir() && !path.ends_with("target") && !path.ends_with("l10n") {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_the_readers_language() {
        let long = args(&[("count", Arg::Number(300)), ("max", Arg::Number(64))]);
        assert_eq!(
            english("validate-username-too-long", &long),
            "username is 300 characters long; shorten it to at most 64"
        );
        assert_eq!(
            localize("de", "validate-username-too-long", &long),
            "Der Benutzername ist 300 Zeichen lang; kürzen Sie ihn auf höchstens 64"
        );
        let taken = args(&[("field", Arg::from("employee_id"))]);
        assert_eq!(
            localize("de", "error-taken", &taken),
            "Diese Personalnummer ist bereits vergeben; wählen Sie einen anderen"
        );
        assert_eq!(english("no-such-message", &Args::new()), "no-such-message");
    }

    #[test]
    fn a_terminal_speaks_the_language_its_locale_names() {
        assert_eq!(negotiate(&["de_DE.UTF-8"]), "de");
        assert_eq!(negotiate(&["de-AT"]), "de");
        assert_eq!(negotiate(&["fr_FR.UTF-8"]), ENGLISH);
        assert_eq!(negotiate(&[]), ENGLISH);
        assert_eq!(localize("xx", "nav-users", &Args::new()), "Users");
    }
}
