//! The secrets Roster keeps and checks: passwords, TOTP second factors, device enrollment
//! tokens and one-time codes. Randomness comes from the operating system's CSPRNG.

pub(crate) mod password;
pub(crate) mod qr;
pub(crate) mod token;
pub(crate) mod totp;

use sha2::{Digest, Sha256};

/// `N` bytes from the operating system's cryptographically secure generator.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing means the machine cannot make secrets at all; there is
    // nothing sensible to fall back to.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// Codes and tokens carry ≥ 128 random bits, so a fast hash is enough to store them
/// (unlike passwords, they cannot be guessed from a dictionary).
pub(crate) fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 4648 base32 without padding, the alphabet authenticator apps and recovery codes use.
pub(crate) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// "ABCD EFGH IJKL …": groups of four are what people can copy by hand without losing
/// their place.
pub fn group_in_fours(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a person typed for a code: spaces, dashes and case do not matter.
pub(crate) fn clean_code(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase()
}

/// A one-time recovery or invitation code: 130 random bits as 26 base32 characters.
pub(crate) fn new_one_time_code() -> String {
    base32(&random_bytes::<17>())[..26].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn codes_are_long_random_and_forgiving_to_type() {
        let a = new_one_time_code();
        assert_eq!(a.len(), 26);
        assert_ne!(a, new_one_time_code());
        assert_eq!(clean_code(&group_in_fours(&a).to_lowercase()), a);
        assert_eq!(group_in_fours("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
