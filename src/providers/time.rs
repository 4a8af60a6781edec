//! The registries' times in one form: Unix milliseconds.
//!
//! Scaleway sends RFC 3339 text (`2024-01-02T03:04:05.123456Z`, possibly
//! with an offset), SWR sends `2018-07-06T06:18:55Z` (UTC, by its
//! reference), and Alibaba sends milliseconds. The common tag view carries
//! both the text and the milliseconds so a page can show one and sort by
//! the other.

use alloc::string::String;

use crate::timestamp::{format_timestamp, parse_timestamp};

/// Parses RFC 3339 date-time text into Unix milliseconds: `T` or `t` (or a
/// space) between date and time, an optional fraction (digits beyond
/// milliseconds are dropped), and `Z`/`z` or a `±hh:mm` offset. A time
/// without any zone is read as UTC, as SWR documents its times. `None`
/// when the text is not such a time.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 19 || !text.is_char_boundary(19) {
        return None;
    }
    let separator = bytes[10];
    if !matches!(separator, b'T' | b't' | b' ') {
        return None;
    }
    // The date and whole seconds, in the one form `parse_timestamp` reads.
    let mut whole = String::with_capacity(20);
    whole.push_str(&text[..10]);
    whole.push('T');
    whole.push_str(&text[11..19]);
    whole.push('Z');
    let seconds = parse_timestamp(&whole)?;

    let mut rest = &text[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, b) in fraction.bytes().take(3).take(digits).enumerate() {
            millis += i64::from(b - b'0') * [100, 10, 1][i];
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let b = rest.as_bytes();
            if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
                return None;
            }
            let two = |s: &[u8]| -> Option<i64> {
                (s[0].is_ascii_digit() && s[1].is_ascii_digit())
                    .then(|| i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'))
            };
            let (hours, minutes) = (two(&b[1..3])?, two(&b[4..6])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if b[0] == b'-' { -1 } else { 1 };
            sign * (hours * 60 + minutes)
        }
    };
    seconds
        .checked_sub(offset_minutes * 60)?
        .checked_mul(1000)?
        .checked_add(millis)
}

/// Unix milliseconds as RFC 3339 UTC text (whole seconds, as Alibaba's
/// times are shown elsewhere in tagdeck; milliseconds when not zero).
pub fn format_ms(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let millis = unix_ms.rem_euclid(1000);
    let mut text = format_timestamp(seconds);
    if millis != 0 {
        text.pop(); // the `Z`
        text.push_str(&alloc::format!(".{millis:03}Z"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_the_registries_send() {
        assert_eq!(
            parse_rfc3339_ms("2018-07-06T06:18:55Z"),
            Some(1_530_857_935_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2018-07-06T06:18:55.123456Z"),
            Some(1_530_857_935_123)
        );
        assert_eq!(
            parse_rfc3339_ms("2018-07-06T08:18:55.5+02:00"),
            Some(1_530_857_935_500)
        );
        assert_eq!(
            parse_rfc3339_ms("2018-07-06T06:18:55"),
            Some(1_530_857_935_000)
        );
        assert_eq!(
            parse_rfc3339_ms("1970-01-01T00:00:00-00:30"),
            Some(1_800_000)
        );
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "",
            "2018-07-06",
            "2018-13-06T06:18:55Z",
            "2018-07-06X06:18:55Z",
            "2018-07-06T06:18:55.Z",
            "2018-07-06T06:18:55+2:00",
            "2018-07-06T06:18:55 UTC",
            "2018-07-06T06:18:5é",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_milliseconds() {
        assert_eq!(format_ms(1_530_857_935_000), "2018-07-06T06:18:55Z");
        assert_eq!(format_ms(1_530_857_935_007), "2018-07-06T06:18:55.007Z");
        assert_eq!(parse_rfc3339_ms(&format_ms(-1)), Some(-1));
    }
}
