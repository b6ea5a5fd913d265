//! Input rules. Each check returns a [`FieldError`] naming the field and the fix; the
//! desktop forms show these same messages, so they are the one source of truth.

use crate::error::FieldError;
use crate::field::Profile;
use crate::message;
use crate::user::{NewUser, UserPatch};
use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

pub const MAX_NAME_CHARS: usize = 120;
const MAX_USERNAME_CHARS: usize = 64;
const MAX_EMAIL_CHARS: usize = 254;
const MAX_PHONE_CHARS: usize = 32;
const MAX_TAG_CHARS: usize = 64;
const MAX_TAGS: usize = 50;
pub(crate) const UNASSIGNED_TEAM: &str = "Unassigned";

/// The form under which names are compared for uniqueness: Unicode-normalised (NFKC)
/// and lower-cased, so "ÉVA@Example.com" and "éva@example.com" are the same person.
pub fn normalize_key(text: &str) -> String {
    let text = text.trim();
    // ASCII is already in every normal form; most emails and usernames are ASCII, and an
    // import normalises a million of them.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkc().collect::<String>().to_lowercase()
}

/// The form under which two names that look alike compare equal: the Unicode confusable
/// skeleton (UTS #39) of the name as written. "аdmin" with a Cyrillic а, "admin" and
/// "adrnin" share one; so do "user1", "userl" and "userI". Case is kept, as the eye sees
/// it ("userI" passes for "userl", "useri" does not); names that differ only in case are
/// the same name already by [`normalize_key`]. No two users share either, so nobody is
/// given a name that reads as another's. Only compared, never shown.
pub fn lookalike_key(text: &str) -> String {
    let text = text.trim();
    // An import compares a million names; ASCII, nearly all of them, is mapped a
    // character at a time from a table built once (each ASCII character's skeleton is
    // itself in normal form, so joining them is the skeleton of the whole).
    if text.is_ascii() {
        static ASCII: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let table = ASCII.get_or_init(|| {
            (0u8..128)
                .map(|b| skeleton_of(&char::from(b).to_string()))
                .collect()
        });
        return bounded(
            text.bytes()
                .map(|b| table[usize::from(b)].as_str())
                .collect(),
        );
    }
    bounded(skeleton_of(text))
}

fn skeleton_of(text: &str) -> String {
    unicode_security::skeleton(text).collect()
}

/// A skeleton can be several times longer than its name ("m" becomes "rn", one ligature
/// eighteen letters); a long one is kept as its SHA-256 so every key fits the indexed
/// column and two long names still compare as their skeletons do.
fn bounded(skeleton: String) -> String {
    const MAX_CHARS: usize = 256;
    if skeleton.chars().count() <= MAX_CHARS {
        return skeleton;
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(skeleton.as_bytes());
    format!("sha256:{}", crate::credentials::hex(&digest))
}

/// Trimmed and NFC-normalised: what we store for text a person typed.
pub(crate) fn clean(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        return text.to_owned();
    }
    text.nfc().collect()
}

/// `None` for empty or blank text.
pub(crate) fn clean_optional(text: Option<&str>) -> Option<String> {
    text.map(clean).filter(|t| !t.is_empty())
}

fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

pub(crate) fn check_person_name(field: &str, value: &str) -> Option<FieldError> {
    let count = value.chars().count();
    if count == 0 {
        Some(FieldError::new(
            field,
            message!("validate-name-required", field = field),
        ))
    } else if count > MAX_NAME_CHARS {
        Some(FieldError::new(
            field,
            message!(
                "validate-name-too-long",
                field = field,
                count = count,
                max = MAX_NAME_CHARS
            ),
        ))
    } else if has_control_chars(value) {
        Some(FieldError::new(
            field,
            message!("validate-name-control-character", field = field),
        ))
    } else {
        None
    }
}

pub(crate) fn check_email(value: &str) -> Option<FieldError> {
    let field = "email";
    if value.is_empty() {
        return Some(FieldError::new(field, message!("validate-email-required")));
    }
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Some(FieldError::new(
            field,
            message!("validate-email-too-long", max = MAX_EMAIL_CHARS),
        ));
    }
    let Ok(address) = value.parse::<email_address::EmailAddress>() else {
        return Some(FieldError::new(
            field,
            message!("validate-email-invalid", value = value),
        ));
    };
    // Display names ("Ada <ada@x.org>") parse as valid but are not addresses.
    if address.as_str() != value || value.contains(['<', '>', ' ']) {
        return Some(FieldError::new(
            field,
            message!("validate-email-not-plain", value = value),
        ));
    }
    if !address.domain().contains('.') {
        return Some(FieldError::new(
            field,
            message!("validate-email-no-domain", value = value),
        ));
    }
    None
}

pub(crate) fn check_username(value: &str) -> Option<FieldError> {
    let field = "username";
    let count = value.chars().count();
    if count == 0 {
        return Some(FieldError::new(field, message!("validate-username-empty")));
    }
    if count > MAX_USERNAME_CHARS {
        return Some(FieldError::new(
            field,
            message!(
                "validate-username-too-long",
                count = count,
                max = MAX_USERNAME_CHARS
            ),
        ));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+')))
    {
        return Some(FieldError::new(
            field,
            message!("validate-username-character", character = bad.to_string()),
        ));
    }
    // All-digit names would be mistaken for user IDs on the command line.
    if value.chars().all(|c| c.is_ascii_digit()) {
        return Some(FieldError::new(field, message!("validate-username-digits")));
    }
    // "аdmin" with a Cyrillic а reads as "admin". Scripts written together (Japanese
    // kanji with kana) count as one, as UTS #39 has it.
    if !value.is_single_script() {
        return Some(FieldError::new(
            field,
            message!("validate-username-mixed-scripts"),
        ));
    }
    None
}

pub(crate) fn check_phone(value: &str) -> Option<FieldError> {
    let count = value.chars().count();
    if count > MAX_PHONE_CHARS {
        return Some(FieldError::new(
            "phone",
            message!(
                "validate-phone-too-long",
                count = count,
                max = MAX_PHONE_CHARS
            ),
        ));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.' | '/'))
        || !value.chars().any(|c| c.is_ascii_digit())
    {
        return Some(FieldError::new(
            "phone",
            message!("validate-phone-invalid", value = value),
        ));
    }
    None
}

/// Organization and team names, role and identity provider labels.
pub(crate) fn check_label(field: &str, value: &str) -> Option<FieldError> {
    let count = value.chars().count();
    if count > MAX_NAME_CHARS {
        Some(FieldError::new(
            field,
            message!(
                "validate-label-too-long",
                field = field,
                count = count,
                max = MAX_NAME_CHARS
            ),
        ))
    } else if has_control_chars(value) {
        Some(FieldError::new(
            field,
            message!("validate-label-control-character", field = field),
        ))
    } else {
        None
    }
}

fn check_team(value: &str) -> Option<FieldError> {
    if normalize_key(value) == normalize_key(UNASSIGNED_TEAM) {
        return Some(FieldError::new(
            "team",
            message!("validate-team-unassigned"),
        ));
    }
    check_label("team", value)
}

/// Cleans tags (trim, drop blanks and case-insensitive duplicates) and checks them.
pub(crate) fn clean_tags(tags: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for tag in tags.iter().map(|t| clean(t)).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_CHARS {
            errors.push(FieldError::new(
                "tags",
                message!("validate-tag-too-long", tag = &tag, max = MAX_TAG_CHARS),
            ));
        } else if tag.contains(',') || has_control_chars(&tag) {
            errors.push(FieldError::new(
                "tags",
                message!("validate-tag-character", tag = &tag),
            ));
        } else if seen.insert(normalize_key(&tag)) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "tags",
            message!("validate-too-many-tags", count = out.len(), max = MAX_TAGS),
        ));
    }
    out
}

/// A [`NewUser`] after cleaning and validation: every field ready to store.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValidNewUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub team: Option<String>,
    pub tags: Vec<String>,
    pub identity_provider: Option<String>,
    pub profile: Profile,
    pub manager: Option<String>,
}

/// The profile's values cleaned and checked ([`crate::UserField::check`]); a blank value is kept
/// as "" (clear) where `keep_blank`, else dropped.
fn clean_profile(profile: &Profile, keep_blank: bool, errors: &mut Vec<FieldError>) -> Profile {
    let mut out = Profile::new();
    for (field, value) in profile {
        if field.profile_kind().is_none() {
            errors.push(FieldError::new(
                field.name(),
                format!(
                    "{} is not a profile field; set it as its own field",
                    field.name()
                ),
            ));
            continue;
        }
        match field.check(value) {
            Ok(value) if value.is_empty() && !keep_blank => {}
            Ok(value) => {
                out.insert(*field, value);
            }
            Err(error) => errors.push(error),
        }
    }
    out
}

/// Checks every field and reports all problems at once, so a form can mark them together.
pub(crate) fn validate_new_user(input: &NewUser) -> Result<ValidNewUser, Vec<FieldError>> {
    let mut errors = Vec::new();
    let first_name = clean(&input.first_name);
    let last_name = clean(&input.last_name);
    let email = clean(&input.email);
    let username = clean_optional(input.username.as_deref());
    let phone = clean_optional(input.phone.as_deref());
    // Role names are case-insensitive; the store keeps them lower-case.
    let role = clean_optional(input.role.as_deref()).map(|r| normalize_key(&r));
    let organization = clean_optional(input.organization.as_deref());
    let team = clean_optional(input.team.as_deref());
    let identity_provider = clean_optional(input.identity_provider.as_deref());

    errors.extend(check_person_name("first_name", &first_name));
    errors.extend(check_person_name("last_name", &last_name));
    errors.extend(check_email(&email));
    errors.extend(username.as_deref().and_then(check_username));
    errors.extend(phone.as_deref().and_then(check_phone));
    errors.extend(role.as_deref().and_then(|r| check_label("role", r)));
    errors.extend(
        organization
            .as_deref()
            .and_then(|o| check_label("organization", o)),
    );
    errors.extend(team.as_deref().and_then(check_team));
    errors.extend(
        identity_provider
            .as_deref()
            .and_then(|p| check_label("identity_provider", p)),
    );
    let tags = clean_tags(&input.tags, &mut errors);
    let profile = clean_profile(&input.profile, false, &mut errors);
    let manager = clean_optional(input.manager.as_deref());

    if errors.is_empty() {
        Ok(ValidNewUser {
            email,
            first_name,
            last_name,
            username,
            phone,
            role,
            organization,
            team,
            tags,
            identity_provider,
            profile,
            manager,
        })
    } else {
        Err(errors)
    }
}

/// Every problem with a new user's fields, for forms that validate as the admin types.
/// Uniqueness is checked when saving.
pub fn check_new_user(input: &NewUser) -> Vec<FieldError> {
    validate_new_user(input).err().unwrap_or_default()
}

/// Every problem with the fields a patch sets.
pub fn check_user_patch(patch: &UserPatch) -> Vec<FieldError> {
    validate_patch(patch).err().unwrap_or_default()
}

/// Checks the fields a patch sets. Optional fields set to blank mean "clear".
pub(crate) fn validate_patch(patch: &UserPatch) -> Result<UserPatch, Vec<FieldError>> {
    // Every field, named: one added to UserPatch does not compile here until it is handled.
    let UserPatch {
        email,
        first_name,
        last_name,
        username,
        phone,
        role,
        organization,
        team,
        tags,
        identity_provider,
        profile,
        manager,
        attributes,
    } = patch;
    let mut errors = Vec::new();
    let mut out = UserPatch::default();
    if let Some(v) = first_name {
        let v = clean(v);
        errors.extend(check_person_name("first_name", &v));
        out.first_name = Some(v);
    }
    if let Some(v) = last_name {
        let v = clean(v);
        errors.extend(check_person_name("last_name", &v));
        out.last_name = Some(v);
    }
    if let Some(v) = email {
        let v = clean(v);
        errors.extend(check_email(&v));
        out.email = Some(v);
    }
    if let Some(v) = username {
        let v = clean(v);
        errors.extend(check_username(&v));
        out.username = Some(v);
    }
    if let Some(v) = phone {
        let v = clean(v);
        if !v.is_empty() {
            errors.extend(check_phone(&v));
        }
        out.phone = Some(v);
    }
    if let Some(v) = role {
        let v = clean(v);
        if v.is_empty() {
            errors.push(FieldError::new("role", message!("validate-role-empty")));
        }
        errors.extend(check_label("role", &v));
        out.role = Some(normalize_key(&v));
    }
    if let Some(v) = organization {
        let v = clean(v);
        errors.extend(check_label("organization", &v));
        out.organization = Some(v);
    }
    if let Some(v) = team {
        let v = clean(v);
        if !v.is_empty() {
            errors.extend(check_team(&v));
        }
        out.team = Some(v);
    }
    if let Some(v) = identity_provider {
        let v = clean(v);
        errors.extend(check_label("identity_provider", &v));
        out.identity_provider = Some(v);
    }
    if let Some(tags) = tags {
        out.tags = Some(clean_tags(tags, &mut errors));
    }
    out.profile = clean_profile(profile, true, &mut errors);
    out.manager = manager.as_deref().map(clean);
    // Checked against their definitions by the service (`Roster::apply_values`).
    out.attributes = attributes.clone();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A username made from an email's local part: lower-cased, with characters a username
/// may not hold dropped.
pub(crate) fn username_from_email(email: &str) -> String {
    // "ada+newsletter@…" is still ada.
    let local = email.split('@').next().unwrap_or_default();
    let local = local.split('+').next().unwrap_or_default();
    let mut name: String = local
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(MAX_USERNAME_CHARS - 4)
        .collect();
    // A name that mixes scripts is refused when given (see `check_username`), so none
    // is made from an email either: such an address gets the plain fallback.
    if !name.is_single_script() {
        name.clear();
    }
    if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
        name.insert_str(0, "user");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_user(first: &str, last: &str, email: &str) -> NewUser {
        NewUser {
            email: email.into(),
            first_name: first.into(),
            last_name: last.into(),
            ..NewUser::default()
        }
    }

    fn fields(result: Result<ValidNewUser, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_complete_user_is_cleaned() {
        let mut input = new_user("  Zoë ", "O'Brien", " Zoe.OBrien+it@Example.org ");
        input.tags = vec!["VIP".into(), " vip ".into(), "".into(), "Remote".into()];
        input.team = Some("  ".into());
        let valid = validate_new_user(&input).unwrap();
        assert_eq!(valid.first_name, "Zoë");
        assert_eq!(valid.email, "Zoe.OBrien+it@Example.org");
        assert_eq!(valid.tags, vec!["VIP", "Remote"]);
        assert_eq!(valid.team, None);
    }

    #[test]
    fn missing_required_fields_are_all_reported() {
        assert_eq!(
            fields(validate_new_user(&new_user("", " ", ""))),
            vec![
                ("first_name".into(), "first name is required".into()),
                ("last_name".into(), "last name is required".into()),
                ("email".into(), "email is required".into()),
            ]
        );
    }

    #[test]
    fn names_are_limited_to_120_characters_counted_as_characters() {
        let ok = "é".repeat(120);
        assert!(validate_new_user(&new_user(&ok, "X", "a@b.co")).is_ok());
        let long = "é".repeat(121);
        assert_eq!(
            fields(validate_new_user(&new_user(&long, "X", "a@b.co"))),
            vec![(
                "first_name".into(),
                "first name is 121 characters long; shorten it to at most 120".into()
            )]
        );
    }

    #[test]
    fn bad_emails_name_the_fix() {
        for bad in [
            "plainaddress",
            "a@b",
            "a b@c.de",
            "Ada <ada@x.org>",
            "@x.org",
            "ada@",
        ] {
            let errors = fields(validate_new_user(&new_user("A", "B", bad)));
            assert_eq!(errors.len(), 1, "{bad}");
            assert_eq!(errors[0].0, "email");
            assert!(
                errors[0].1.contains("name@example.com"),
                "{bad}: {}",
                errors[0].1
            );
        }
        for good in [
            "ada@example.org",
            "ADA+tag@sub.example.co.uk",
            "jürgen@bücher.de",
        ] {
            assert!(
                validate_new_user(&new_user("A", "B", good)).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn usernames_refuse_spaces_symbols_and_bare_digits() {
        assert!(check_username("ada.lovelace").is_none());
        assert!(check_username("Ñandú_2").is_none());
        assert!(
            check_username("ada lovelace")
                .unwrap()
                .message
                .contains("' '")
        );
        assert!(check_username("x'; DROP TABLE users;--").is_some());
        assert!(check_username("12345").unwrap().message.contains("User ID"));
        assert!(check_username(&"a".repeat(65)).is_some());
    }

    #[test]
    fn control_characters_are_refused() {
        let errors = fields(validate_new_user(&new_user("Ada\nX", "B", "a@b.co")));
        assert_eq!(errors[0].0, "first_name");
        assert!(errors[0].1.contains("control character"));
    }

    #[test]
    fn phones_and_teams() {
        assert!(check_phone("+44 (0)20 7946-0958").is_none());
        assert!(check_phone("call me").is_some());
        assert!(
            check_team("unassigned")
                .unwrap()
                .message
                .contains("leave the team empty")
        );
    }

    #[test]
    fn keys_fold_case_and_unicode_forms() {
        assert_eq!(normalize_key(" ÉVA@Example.COM "), "éva@example.com");
        // "e" + combining acute accent is the same key as the precomposed "é".
        assert_eq!(normalize_key("E\u{301}va"), normalize_key("Éva"));
    }

    #[test]
    fn usernames_derive_from_the_email() {
        assert_eq!(
            username_from_email("Ada.Lovelace+it@example.org"),
            "ada.lovelace"
        );
        assert_eq!(username_from_email("12345@example.org"), "user12345");
        assert_eq!(username_from_email("Zoë@example.org"), "zoë");
    }

    #[test]
    fn patches_check_only_what_they_set() {
        let patch = UserPatch {
            phone: Some("".into()),
            team: Some("".into()),
            ..UserPatch::default()
        };
        assert_eq!(validate_patch(&patch).unwrap().phone.as_deref(), Some(""));
        let bad = UserPatch {
            first_name: Some(" ".into()),
            role: Some("".into()),
            ..UserPatch::default()
        };
        let errors = validate_patch(&bad).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            vec!["first_name", "role"]
        );
    }

    #[test]
    fn names_that_look_alike_share_a_lookalike_key() {
        for (a, b) in [
            ("admin", "\u{430}dmin"),
            ("admin", "adrnin"),
            ("user1", "userl"),
            ("userI", "userl"),
            ("user0", "userO"),
            ("ada@example.com", "ada@exarnple.com"),
            ("\u{ff21}da", "Ada"),
        ] {
            assert_eq!(lookalike_key(a), lookalike_key(b), "{a} / {b}");
        }
        for (a, b) in [("jöhn", "john"), ("useri", "userl"), ("山田", "山口")] {
            assert_ne!(lookalike_key(a), lookalike_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn ascii_lookalike_keys_are_the_skeleton_itself() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "Grace.Hopper+navy@Example.org",
            "rn|l1I0O",
        ] {
            assert_eq!(
                lookalike_key(text),
                bounded(skeleton_of(text.trim())),
                "{text}"
            );
        }
    }

    #[test]
    fn a_long_lookalike_key_is_kept_as_a_digest_that_still_compares() {
        let long = lookalike_key(&"m".repeat(200));
        assert!(long.starts_with("sha256:") && long.len() == 71, "{long}");
        assert_eq!(long, lookalike_key(&"rn".repeat(200)));
        assert_ne!(long, lookalike_key(&"m".repeat(201)));
    }

    #[test]
    fn a_username_is_written_in_one_script() {
        let error = check_username("\u{430}dmin").expect("Cyrillic а in a Latin name");
        assert!(error.message.contains("one script"), "{}", error.message);
        for fine in ["ada.lovelace", "山田たろう", "Ιωάννης", "олег_1", "jöhn-2"] {
            assert_eq!(check_username(fine), None, "{fine}");
        }
        assert_eq!(username_from_email("\u{430}dmin@example.org"), "user");
    }
}
