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

fn totp(secret: &[u8], issuer: &str, account: &str) -> TOTP {
    // The Key URI format reserves ':' to separate issuer and account.
    TOTP::new_unchecked(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS,
        secret.to_vec(),
        Some(issuer.replace(':', " ")),
        account.replace(':', " "),
    )
}

/// `otpauth://totp/Issuer:account?secret=…&issuer=Issuer…`, what the QR code holds.
pub(crate) fn key_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    totp(secret, issuer, account).get_url()
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
}
