//! RFC 3986 percent-encoding as the RPC signature requires it.
//!
//! Only the unreserved characters `A-Z a-z 0-9 - _ . ~` stay as they are;
//! every other byte of the UTF-8 text becomes `%XY` with upper-case hex.
//! A space is `%20`, never `+` (form encoding would sign differently).

use alloc::string::String;
#[cfg(feature = "emulator")]
use percent_encoding::percent_decode_str;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986's unreserved characters.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `text` for the canonical query, the URL and form bodies.
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).collect()
}

/// Appends the encoding of `text` to `out` without an intermediate string.
pub fn percent_encode_into(out: &mut String, text: &str) {
    for chunk in utf8_percent_encode(text, RFC3986) {
        out.push_str(chunk);
    }
}

/// Appends `encode(name)=encode(value)` for each pair, joined with `&`: the
/// form of both the signed canonical query and a REST request's query string.
pub fn encode_pairs_into<'a>(
    out: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(out, name);
        out.push('=');
        percent_encode_into(out, value);
    }
}

/// Decodes one `application/x-www-form-urlencoded` or query component:
/// `+` is a space, `%XY` a byte. `None` when the bytes are not UTF-8.
#[cfg(feature = "emulator")]
pub fn form_decode(text: &str) -> Option<String> {
    let spaced;
    let text = if text.contains('+') {
        spaced = text.replace('+', " ");
        spaced.as_str()
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_stay() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    }

    #[test]
    fn space_is_percent_20_not_plus() {
        // Regression guard: form encoding's `+` signs a different string.
        assert_eq!(percent_encode("a b"), "a%20b");
    }

    #[test]
    fn reserved_and_sub_delims_are_encoded_upper_case() {
        assert_eq!(
            percent_encode("*'()!+/%=&?:"),
            "%2A%27%28%29%21%2B%2F%25%3D%26%3F%3A"
        );
    }

    #[test]
    fn utf8_bytes_are_encoded() {
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("🐳"), "%F0%9F%90%B3");
    }

    #[cfg(feature = "emulator")]
    #[test]
    fn form_decoding_reverses_both_spellings_of_space() {
        assert_eq!(form_decode("a+b%20c%2B").as_deref(), Some("a b c+"));
        assert_eq!(form_decode("%FF"), None);
    }
}
