//! TOTP second factors (RFC 6238) as every authenticator app expects them: SHA-1, six
//! digits, 30-second steps, a 160-bit secret, and an `otpauth://` Key URI with the issuer.

use totp_rs::{Algorithm, TOTP};

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: u64 = 30;
/// RFC 4226 recommends 160 bits.
pub const SECRET_BYTES: usize = 20;

/// A fresh 160-bit secret.
pub(crate) fn new_secret() -> Vec<u8> {
    super::random_bytes::<SECRET_BYTES>().to_vec()
}

/// The most bytes the issuer and the account name may each take in a Key URI once
/// percent-encoded. Most names fit whole; a name in a script of three-byte characters
/// (Chinese, Japanese, Korean) keeps its first 22 characters. The URI then stays under
/// 700 bytes, a QR code phones read from a screen, where an organization name of 120 such
/// characters and a username of 64 need 2,800 bytes, more than any QR code holds.
/// Authenticator apps only show these names, to tell accounts apart; the secret decides.
const MAX_ENCODED_NAME_BYTES: usize = 200;

fn totp(secret: &[u8], issuer: &str, account: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS,
        secret.to_vec(),
        Some(issuer.to_owned()),
        account.to_owned(),
    )
}

/// `otpauth://totp/Issuer:account?secret=…&issuer=Issuer…`, what the QR code holds. The
/// issuer in the label and in the parameter are the same text, shortened alike.
pub(crate) fn key_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    // The Key URI format reserves ':' to separate issuer and account.
    let issuer = issuer.replace(':', " ");
    let account = account.replace(':', " ");
    totp(
        secret,
        shortened(&issuer, MAX_ENCODED_NAME_BYTES),
        shortened(&account, MAX_ENCODED_NAME_BYTES),
    )
    .get_url()
}

/// The longest start of `name` that percent-encodes to at most `max` bytes. It is cut
/// before encoding, between characters, so never inside a character or an escape.
fn shortened(name: &str, max: usize) -> &str {
    let mut bytes = 0;
    for (at, c) in name.char_indices() {
        bytes += encoded_len(c);
        if bytes > max {
            // A space left at the end would show as a trailing "%20".
            return name[..at].trim_end();
        }
    }
    name
}

/// What `c` takes in the Key URI as totp-rs encodes it: an unreserved ASCII character
/// stays itself, any other is `%XX` for each of its UTF-8 bytes.
fn encoded_len(c: char) -> usize {
    if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
        1
    } else {
        3 * c.len_utf8()
    }
}

/// The code for the step containing `unix_seconds`.
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    totp(secret, "", "").generate(unix_seconds)
}

/// Why a typed code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeProblem {
    /// Not six digits.
    Malformed,
    /// Not the code of the previous, current or next step.
    Wrong,
    /// Right, but that step's code was already used.
    Reused,
}

/// Checks a code at `unix_seconds`, accepting one step of clock drift either way. Returns
/// the step the code belongs to; a step at or before `last_used_step` is a replay.
pub(crate) fn verify(
    secret: &[u8],
    code: &str,
    unix_seconds: u64,
    last_used_step: Option<i64>,
) -> Result<i64, CodeProblem> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeProblem::Malformed);
    }
    let totp = totp(secret, "", "");
    let current = (unix_seconds / STEP_SECONDS) as i64;
    let matched = (current - 1..=current + 1)
        .filter(|step| *step >= 0)
        .find(|step| totp.check(&code, *step as u64 * STEP_SECONDS))
        .ok_or(CodeProblem::Wrong)?;
    if last_used_step.is_some_and(|last| matched <= last) {
        return Err(CodeProblem::Reused);
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, with the 8-digit values cut to the last six digits
    /// (the truncation is `mod 10^digits`).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(secret, time), code, "at {time}");
        }
    }

    #[test]
    fn one_step_of_drift_is_accepted_and_replays_are_not() {
        let secret = new_secret();
        let now = 1_700_000_000;
        let step = (now / STEP_SECONDS) as i64;
        let previous = code_at(&secret, now - STEP_SECONDS);
        let next = code_at(&secret, now + STEP_SECONDS);
        assert_eq!(verify(&secret, &previous, now, None), Ok(step - 1));
        assert_eq!(verify(&secret, &next, now, None), Ok(step + 1));
        let two_ago = code_at(&secret, now - 2 * STEP_SECONDS);
        assert_eq!(
            verify(&secret, &two_ago, now, None),
            Err(CodeProblem::Wrong)
        );
        let current = code_at(&secret, now);
        assert_eq!(
            verify(&secret, &current, now, Some(step)),
            Err(CodeProblem::Reused)
        );
        assert_eq!(
            verify(&secret, &previous, now, Some(step)),
            Err(CodeProblem::Reused)
        );
        assert_eq!(
            verify(&secret, "12345", now, None),
            Err(CodeProblem::Malformed)
        );
        assert_eq!(
            verify(&secret, "abcdef", now, None),
            Err(CodeProblem::Malformed)
        );
    }

    #[test]
    fn the_key_uri_names_issuer_and_account() {
        let uri = key_uri(b"12345678901234567890", "Acme: HQ", "ada");
        assert!(uri.starts_with("otpauth://totp/Acme%20%20HQ:ada?"), "{uri}");
        assert!(
            uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
        assert!(uri.contains("issuer=Acme%20%20HQ"), "{uri}");
    }

    /// Every byte of `text` as a `%XX` escape, as non-ASCII text is encoded.
    fn escaped(text: &str) -> String {
        text.bytes().map(|b| format!("%{b:02X}")).collect()
    }

    /// The issuer's text in the label (`otpauth://totp/ISSUER:…`) and the parameter.
    fn issuers(uri: &str) -> (&str, &str) {
        let label = uri["otpauth://totp/".len()..].split(':').next().unwrap();
        let parameter = uri
            .split("issuer=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        (label, parameter)
    }

    #[test]
    fn names_too_long_for_a_qr_code_are_shortened_to_whole_characters() {
        let secret = b"12345678901234567890";
        let organization: String = ('\u{4E00}'..='\u{9FFF}').take(120).collect();
        let username: String = ('\u{6C34}'..='\u{9FFF}').take(64).collect();
        let uri = key_uri(secret, &organization, &username);
        assert!(uri.len() < 700, "{} bytes: {uri}", uri.len());
        assert!(
            uri.contains("?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"),
            "{uri}"
        );
        let (label, parameter) = issuers(&uri);
        assert_eq!(label, parameter, "the same issuer in both places");
        // 22 ideographs of 9 encoded bytes each: whole characters, whole escapes.
        let first_22: String = organization.chars().take(22).collect();
        assert_eq!(label, escaped(&first_22), "{uri}");
        let account = uri.split(':').nth(2).unwrap().split('?').next().unwrap();
        let first_22: String = username.chars().take(22).collect();
        assert_eq!(account, escaped(&first_22), "{uri}");
        assert!(crate::credentials::qr::qr_png(&uri).is_ok());
    }

    #[test]
    fn names_that_fit_stay_whole() {
        let organization = "Analytical Engines Research Department of the Royal Society";
        let uri = key_uri(b"12345678901234567890", organization, "ada.lovelace");
        let (label, parameter) = issuers(&uri);
        assert_eq!(label, organization.replace(' ', "%20"));
        assert_eq!(parameter, label);
        assert!(uri.contains(":ada.lovelace?"), "{uri}");
    }

    #[test]
    fn shortening_counts_encoded_bytes_and_drops_a_trailing_space() {
        assert_eq!(shortened("ééé", 12), "éé", "é is %C3%A9, 6 bytes");
        assert_eq!(shortened("ééé", 11), "é");
        assert_eq!(shortened("ab cd", 4), "ab", "the cut space is not kept");
        assert_eq!(
            shortened("a-b.c_d~e", 9),
            "a-b.c_d~e",
            "unreserved: one byte each"
        );
        assert_eq!(shortened("", 5), "");
    }
}
