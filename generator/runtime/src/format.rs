//! `format` checks for the formats JSON Schema and OpenAPI name. A format not listed here is
//! not checked (JSON Schema makes unknown formats pass); the generator says which.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A checked format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `date`: `2024-02-29` (RFC 3339 full-date).
    Date,
    /// `date-time`: RFC 3339, with an offset.
    DateTime,
    /// `time`: RFC 3339 full-time.
    Time,
    /// `email`.
    Email,
    /// `hostname` (RFC 1123).
    Hostname,
    /// `ipv4`.
    Ipv4,
    /// `ipv6`.
    Ipv6,
    /// `uri`: an absolute URI (RFC 3986).
    Uri,
    /// `uuid`.
    Uuid,
}

impl Format {
    /// The format of that name, if it is one of these.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "date" => Format::Date,
            "date-time" => Format::DateTime,
            "time" => Format::Time,
            "email" => Format::Email,
            "hostname" => Format::Hostname,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            "uri" => Format::Uri,
            "uuid" => Format::Uuid,
            _ => return None,
        })
    }

    /// The format's name, as specs write it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Time => "time",
            Format::Email => "email",
            Format::Hostname => "hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Uri => "uri",
            Format::Uuid => "uuid",
        }
    }

    /// Whether `s` is a valid value of the format.
    pub fn is_valid(self, s: &str) -> bool {
        match self {
            Format::Date => is_date(s),
            Format::DateTime => is_date_time(s),
            Format::Time => is_time(s),
            Format::Email => is_email(s),
            Format::Hostname => is_hostname(s),
            Format::Ipv4 => Ipv4Addr::from_str(s).is_ok(),
            Format::Ipv6 => Ipv6Addr::from_str(s).is_ok(),
            Format::Uri => fluent_uri::Uri::parse(s).is_ok(),
            Format::Uuid => is_uuid(s),
        }
    }
}

fn digits(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// RFC 3339 `full-date`: exactly `YYYY-MM-DD`, a day that exists.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(&s[0..4]), digits(&s[5..7]), digits(&s[8..10])) {
        (Some(y), Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some(),
        _ => false,
    }
}

/// RFC 3339 `date-time`: a date, `T`, a time with its offset.
fn is_date_time(s: &str) -> bool {
    match s.find(['T', 't']) {
        Some(at) => is_date(&s[..at]) && is_time(&s[at + 1..]),
        None => false,
    }
}

/// RFC 3339 `full-time`: `HH:MM:SS`, optional fraction, `Z` or `+HH:MM`. A leap second
/// (`:60`) is valid only at 23:59 UTC.
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(&s[0..2]), digits(&s[3..5]), digits(&s[6..8])) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &s[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return false;
        }
        rest = &fraction[len..];
    }
    let offset_minutes: i64 = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(oh), Some(om)) = (
                digits(std::str::from_utf8(&[*h1, *h2]).unwrap_or("")),
                digits(std::str::from_utf8(&[*m1, *m2]).unwrap_or("")),
            ) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let minutes = i64::from(oh * 60 + om);
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return false,
    };
    if second == 60 {
        let utc = (i64::from(hour * 60 + minute) - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// RFC 5322 addresses as the `email_address` crate reads them (what `jsonschema` uses too),
/// with a domain that is a host name or an IP literal.
fn is_email(s: &str) -> bool {
    plain_email(s) || full_email(s)
}

/// The common form, checked without allocating: an ASCII dot-atom local part of at most 64
/// bytes, `@`, a host name. Everything it accepts, the full parse accepts too; anything else
/// goes to the full parse.
fn plain_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b);
    !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(atext))
        && is_hostname(domain)
}

fn full_email(s: &str) -> bool {
    let Ok(address) = email_address::EmailAddress::from_str(s) else { return false };
    let domain = address.domain();
    match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.strip_prefix("IPv6:") {
            Some(v6) => Ipv6Addr::from_str(v6).is_ok(),
            None => Ipv4Addr::from_str(literal).is_ok(),
        },
        None => is_hostname(domain),
    }
}

/// RFC 1123 host name: dot-separated labels of 1 to 63 letters, digits and hyphens, not
/// starting or ending with a hyphen; 253 characters at most.
fn is_hostname(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 || s.ends_with('.') {
        return false;
    }
    s.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// The hyphenated form only: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-1-05"));
        assert!(!is_date("1985-01-01T"));
    }

    #[test]
    fn date_times() {
        assert!(is_date_time("2023-02-01T13:30:00.0000000+00:00"));
        assert!(is_date_time("1990-12-31T23:59:60Z"));
        assert!(is_date_time("1990-12-31T15:59:60-08:00"));
        assert!(!is_date_time("1990-12-31T22:59:60Z"));
        assert!(!is_date_time("1985-01-01T"));
        assert!(!is_date_time("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));
        assert!(!is_date_time("2023-02-01 13:30:00Z"));
    }

    /// The fast path never accepts what the full parse refuses.
    #[test]
    fn plain_emails_are_a_subset_of_full_emails() {
        let samples = [
            "jane@example.com",
            "a.b@c.d",
            "x@localhost",
            "weird!#$%&'*+-/=?^_`{|}~@ex.com",
            ".a@b.c",
            "a.@b.c",
            "a..b@c.d",
            "a@b..c",
            "a@-b.c",
            "a@b-.c",
            "\"quoted\"@ex.com",
            "a@[127.0.0.1]",
            "a b@c.d",
            "é@c.d",
            "a@é.d",
            "a@b@c.d",
            "",
            "@",
            "a@",
            "@b.c",
        ];
        for sample in samples {
            if plain_email(sample) {
                assert!(full_email(sample), "{sample} passes the fast path only");
            }
            assert_eq!(is_email(sample), full_email(sample), "{sample}");
        }
        let long_local = format!("{}@ex.com", "a".repeat(65));
        assert!(!is_email(&long_local));
    }

    #[test]
    fn emails_uuids_hostnames() {
        assert!(is_email("jane@example.com"));
        assert!(!is_email("jane@"));
        assert!(!is_email("jane@-bad-.com"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(!is_hostname("a..b"));
    }
}
