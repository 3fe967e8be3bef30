//! Enrollment codes and device tokens: random, and easy to type where they must be typed.

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new enrollment code, `WISH-XXXX-XXXX` (40 bits of randomness; codes expire and are
/// redeemable once, and redemption is rate-limited).
pub fn new_code() -> String {
    let bytes: [u8; 8] = rand::random();
    let chars: String = bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("WISH-{}-{}", &chars[..4], &chars[4..])
}

/// Accepts a code however it was typed: lower case, spaces, missing dashes or prefix.
pub fn normalise(code: &str) -> String {
    let clean: String = code
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let body = clean.strip_prefix("WISH").unwrap_or(&clean);
    if body.len() == 8 {
        format!("WISH-{}-{}", &body[..4], &body[4..])
    } else {
        code.to_owned()
    }
}

/// A new device token: 256 random bits, hex.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}
