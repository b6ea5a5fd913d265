//! Passwords as NIST SP 800-63B (rev. 4) wants them: long rather than complex, checked
//! against breached passwords, counted in Unicode code points after normalisation, never
//! truncated; stored as Argon2id PHC strings so the cost can be raised later.

use crate::error::FieldError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// NIST's default minimum for a password that is the only factor.
pub const DEFAULT_MIN_PASSWORD_CHARS: u32 = 15;
/// Policy settings may not go below this.
pub const LOWEST_MIN_PASSWORD_CHARS: u32 = 8;
/// NIST asks to allow at least 64; far more is allowed, but not megabytes to hash.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Generated passwords: 24 characters from a 56-symbol alphabet, about 139 bits.
const GENERATED_CHARS: usize = 24;
/// No 0/O, 1/l/I: a generated password is often read out or typed from a screen.
const GENERATED_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Argon2id cost. OWASP's floor is m = 19 MiB, t = 2, p = 1; 64 MiB (over three times the
/// memory) keeps a whole sign-in at about 190 ms on a 2-core machine, under the 250 ms a
/// person notices (`cargo xtask bench`; t = 3 measured 256 ms, too slow).
pub const HASH_MEMORY_KIB: u32 = 64 * 1024;
pub const HASH_ITERATIONS: u32 = 2;
pub const HASH_PARALLELISM: u32 = 1;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

fn hasher() -> Argon2<'static> {
    let params = Params::new(HASH_MEMORY_KIB, HASH_ITERATIONS, HASH_PARALLELISM, None)
        .expect("the Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// NFKC, so the same password typed on a Mac, on Windows or on a phone keyboard (composed
/// or decomposed accents, full-width forms) is the same password.
pub(crate) fn normalize(password: &str) -> String {
    password.nfkc().collect()
}

/// Checks a new password against the policy. `context` holds words the password must not
/// contain: the username and the local part of the email.
pub(crate) fn check(
    password: &str,
    min_chars: u32,
    context: &[&str],
) -> Result<String, FieldError> {
    let normalized = normalize(password);
    let length = normalized.chars().count();
    let refuse = |message: String| Err(FieldError::new("password", message));
    if length == 0 {
        return refuse("enter a password".into());
    }
    if length < min_chars as usize {
        return refuse(format!(
            "use at least {min_chars} characters (this one has {length}); a few unrelated words make a long password that is easy to remember"
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return refuse(format!(
            "use at most {MAX_PASSWORD_CHARS} characters (this one has {length})"
        ));
    }
    let lower = normalized.to_lowercase();
    if COMMON_PASSWORDS.contains(lower.as_str()) {
        return refuse(
            "this password is on a list of passwords leaked in breaches, which attackers try first; choose another"
                .into(),
        );
    }
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return refuse("do not use one character repeated; choose a few unrelated words".into());
    }
    for word in context {
        let word = normalize(word).to_lowercase();
        if word.chars().count() >= 3 && lower.contains(&word) {
            return refuse(format!(
                "do not put the account's name ('{word}') in its password; choose something else"
            ));
        }
    }
    Ok(normalized)
}

/// An Argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) with a fresh salt.
/// Slow on purpose: call it off the async runtime's threads.
pub(crate) fn hash(normalized: &str) -> String {
    let salt =
        SaltString::encode_b64(&super::random_bytes::<16>()).expect("16 bytes make a valid salt");
    hasher()
        .hash_password(normalized.as_bytes(), &salt)
        .expect("Argon2id hashing with valid parameters cannot fail")
        .to_string()
}

/// Whether the password matches, and whether the stored hash used older parameters and
/// should be replaced now that the password is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verified {
    pub matches: bool,
    pub outdated: bool,
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub(crate) fn verify(phc: &str, password: &str) -> Verified {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Verified {
            matches: false,
            outdated: false,
        };
    };
    // Verify with the parameters stored in the hash, whatever they are.
    let matches = Argon2::default()
        .verify_password(normalize(password).as_bytes(), &parsed)
        .is_ok();
    let current = |name: &str, want: u32| {
        parsed
            .params
            .get_decimal(name)
            .is_some_and(|value| value == want)
    };
    let outdated = parsed.algorithm.as_str() != "argon2id"
        || parsed.version != Some(Version::V0x13 as u32)
        || !current("m", HASH_MEMORY_KIB)
        || !current("t", HASH_ITERATIONS)
        || !current("p", HASH_PARALLELISM);
    Verified { matches, outdated }
}

/// A hash to verify against when the account does not exist, so a wrong username takes
/// as long as a wrong password and response times do not reveal which accounts exist.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: LazyLock<String> = LazyLock::new(|| hash("no account has this password"));
    &DECOY
}

/// A password from the CSPRNG, shown to the admin once.
pub(crate) fn generate() -> String {
    // Rejection sampling keeps every symbol equally likely.
    let limit = 256 - 256 % GENERATED_ALPHABET.len();
    let mut out = String::with_capacity(GENERATED_CHARS);
    while out.len() < GENERATED_CHARS {
        for byte in super::random_bytes::<32>() {
            if (byte as usize) < limit && out.len() < GENERATED_CHARS {
                out.push(GENERATED_ALPHABET[byte as usize % GENERATED_ALPHABET.len()] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(password: &str) -> String {
        check(password, 15, &["ada.lovelace", "ada"])
            .unwrap_err()
            .message
    }

    #[test]
    fn length_counts_code_points_after_normalisation() {
        // 15 characters, each a composed é once normalised, though typed decomposed.
        let decomposed = "e\u{301}".repeat(7) + "xyzwvutq";
        assert_eq!(check(&decomposed, 15, &[]).unwrap().chars().count(), 15);
        assert!(problem("short one").contains("at least 15 characters (this one has 9)"));
        assert!(problem(&"Grüße, Zoë! ".repeat(30)).contains("at most 256"));
        assert_eq!(problem(""), "enter a password");
    }

    #[test]
    fn long_passphrases_pass_without_composition_rules() {
        let phrase = "correct horse battery staple";
        assert_eq!(check(phrase, 15, &[]).unwrap(), phrase);
        let sixty_four = "a quiet river ".repeat(5)[..64].to_owned();
        assert!(
            check(&sixty_four, 15, &[]).is_ok(),
            "64 characters are allowed"
        );
    }

    #[test]
    fn breached_repeated_and_personal_passwords_are_refused() {
        assert!(
            check("password", 8, &[])
                .unwrap_err()
                .message
                .contains("leaked")
        );
        assert!(
            check("Iloveyou", 8, &[])
                .unwrap_err()
                .message
                .contains("leaked")
        );
        assert!(problem("aaaaaaaaaaaaaaaaaaaa").contains("one character repeated"));
        assert!(problem("my name is Ada.Lovelace ok").contains("'ada.lovelace'"));
    }

    #[test]
    fn hashes_are_argon2id_phc_strings_that_verify() {
        let phc = hash("correct horse battery staple");
        assert!(
            phc.starts_with(&format!(
                "$argon2id$v=19$m={HASH_MEMORY_KIB},t={HASH_ITERATIONS},p={HASH_PARALLELISM}$"
            )),
            "{phc}"
        );
        assert_eq!(
            verify(&phc, "correct horse battery staple"),
            Verified {
                matches: true,
                outdated: false
            }
        );
        assert!(!verify(&phc, "correct horse battery stapl").matches);
        assert!(!verify("not a hash", "x").matches);
    }

    #[test]
    fn weaker_stored_parameters_are_outdated() {
        let params = Params::new(19 * 1024, 2, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery staple", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify(&old, "correct horse battery staple"),
            Verified {
                matches: true,
                outdated: true
            }
        );
    }

    #[test]
    fn generated_passwords_are_long_unambiguous_and_pass_the_policy() {
        let a = generate();
        assert_eq!(a.chars().count(), GENERATED_CHARS);
        assert!(a.bytes().all(|b| GENERATED_ALPHABET.contains(&b)));
        assert_ne!(a, generate());
        assert!(check(&a, 15, &["someone"]).is_ok());
    }
}
