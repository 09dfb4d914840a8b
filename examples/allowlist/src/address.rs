//! Parsing and normalisation of allowlist addresses (`0x` + 1..=64 hex digits).

use std::fmt;

/// Most hex digits an address may carry (256 bits).
pub const MAX_HEX_DIGITS: usize = 64;

/// An address in canonical form: `0x`, lowercase, no leading zeros (`0x0` for zero).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address(String);

/// Why a piece of text is not an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    MissingPrefix,
    NoDigits,
    NotHex(char),
    TooLong(usize),
}

impl Address {
    /// Parses user input so that every spelling of one address maps to one stored key.
    pub fn parse(input: &str) -> Result<Self, AddressError> {
        let digits = input
            .strip_prefix("0x")
            .or_else(|| input.strip_prefix("0X"))
            .ok_or(AddressError::MissingPrefix)?;
        if digits.is_empty() {
            return Err(AddressError::NoDigits);
        }
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(AddressError::NotHex(bad));
        }
        // All characters are ASCII from here on, so bytes == characters.
        if digits.len() > MAX_HEX_DIGITS {
            return Err(AddressError::TooLong(digits.len()));
        }
        let significant = digits.trim_start_matches('0');
        let significant = if significant.is_empty() {
            "0"
        } else {
            significant
        };
        Ok(Address(format!("0x{}", significant.to_ascii_lowercase())))
    }

    /// Gives the canonical text, used as the storage key and in responses.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressError::MissingPrefix => {
                write!(
                    f,
                    "Address must start with 0x followed by 1 to {MAX_HEX_DIGITS} hex digits."
                )
            }
            AddressError::NoDigits => write!(f, "Address has no hex digits after 0x."),
            AddressError::NotHex(c) => {
                write!(
                    f,
                    "Address contains {c:?}, which is not a hex digit (0-9, a-f, A-F)."
                )
            }
            AddressError::TooLong(n) => {
                write!(
                    f,
                    "Address has {n} hex digits, but at most {MAX_HEX_DIGITS} are allowed."
                )
            }
        }
    }
}

impl std::error::Error for AddressError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_valid_addresses() {
        let max = format!("0x{}", "f".repeat(64));
        let max_upper = format!("0X{}", "F".repeat(64));
        let padded = format!("0x{}1", "0".repeat(63));
        let cases: &[(&str, &str)] = &[
            ("0x0", "0x0"),
            ("0x0000", "0x0"),
            ("0x1", "0x1"),
            ("0xab", "0xab"),
            ("0xAB", "0xab"),
            ("0XAb", "0xab"),
            ("0x000AB", "0xab"),
            ("0x00100", "0x100"),
            ("0xdeadBEEF", "0xdeadbeef"),
            ("0x0123456789abcdefABCDEF", "0x123456789abcdefabcdef"),
            (&max, &max),
            (&max_upper, &max),
            (&padded, "0x1"),
        ];
        for (input, expected) in cases {
            let parsed = Address::parse(input)
                .unwrap_or_else(|e| panic!("{input:?} should be valid, got {e}"));
            assert_eq!(parsed.as_str(), *expected, "input {input:?}");
            assert_eq!(parsed.to_string(), *expected, "Display of {input:?}");
        }
    }

    #[test]
    fn rejects_invalid_addresses() {
        let too_long = format!("0x{}", "a".repeat(65));
        let too_many_zeros = format!("0x{}", "0".repeat(65));
        let cases: &[(&str, AddressError)] = &[
            ("", AddressError::MissingPrefix),
            ("0", AddressError::MissingPrefix),
            ("x12", AddressError::MissingPrefix),
            ("ab", AddressError::MissingPrefix),
            ("00x1", AddressError::MissingPrefix),
            (" 0x1", AddressError::MissingPrefix),
            ("0y12", AddressError::MissingPrefix),
            ("0x", AddressError::NoDigits),
            ("0X", AddressError::NoDigits),
            ("0xg", AddressError::NotHex('g')),
            ("0x12z4", AddressError::NotHex('z')),
            ("0x1 ", AddressError::NotHex(' ')),
            ("0x-1", AddressError::NotHex('-')),
            ("0x0x1", AddressError::NotHex('x')),
            ("0x١٢", AddressError::NotHex('١')),
            ("0xé", AddressError::NotHex('é')),
            (&too_long, AddressError::TooLong(65)),
            (&too_many_zeros, AddressError::TooLong(65)),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Address::parse(input).as_ref(),
                Err(expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn error_messages_are_single_sentences() {
        let errors = [
            AddressError::MissingPrefix,
            AddressError::NoDigits,
            AddressError::NotHex('g'),
            AddressError::TooLong(65),
        ];
        for e in errors {
            let text = e.to_string();
            assert!(text.ends_with('.'), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        assert_eq!(
            AddressError::NotHex('g').to_string(),
            "Address contains 'g', which is not a hex digit (0-9, a-f, A-F)."
        );
    }
}
