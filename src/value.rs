//! The typed value every decoded answer and every request parameter is.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A decoded value. Its variants follow the catalogue's [`crate::catalog::Type`]:
/// `Long` and `Int` fields both become [`Value::Int`] (exact to 64 bits).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON `null`, or an `Any` element with no content.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer, exact to 64 bits.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    Array(Vec<Value>),
    /// A structure; keys are wire names, in catalogue order for known shapes.
    Object(Vec<(Cow<'static, str>, Value)>),
}

impl Value {
    /// The value of `key` in an object (exact wire name).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A short name of the variant, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

/// Whether `f` is a whole number that an `i64` holds exactly enough to
/// round-trip (works without `std`, where `f64::fract` is missing).
pub fn is_whole(f: f64) -> bool {
    f.is_finite() && f.abs() < 9.0e18 && (f as i64) as f64 == f
}

/// Reads a decimal number exactly as Rust's `str::parse::<f64>` does: the
/// same grammar (an optional sign, then `inf`, `infinity` or `nan` in any
/// case, or digits with an optional point and exponent: `7`, `7.`, `.5`,
/// `1.5E-3`; no spaces) and the same correctly rounded result.
///
/// The digits are read by serde_json's exact parser (its `float_roundtrip`
/// feature), which the JSON decoder links anyway: core's own parser would
/// add 18 KB, 13 KB gzipped, of code and tables to the WebAssembly module.
pub fn parse_float(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude =
        if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
            f64::INFINITY
        } else if unsigned.eq_ignore_ascii_case("nan") {
            f64::NAN
        } else {
            parse_unsigned_decimal(unsigned)?
        };
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits [. digits] [e [sign] digits]`, a digit on at least one side of
/// the point, rewritten as the JSON number of the same value (no leading
/// zeros, a digit after any point) for serde_json to read.
fn parse_unsigned_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let digits_from = |start: usize| {
        start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
    };
    let int_end = digits_from(0);
    let (fraction_start, fraction_end) = if bytes.get(int_end) == Some(&b'.') {
        (int_end + 1, digits_from(int_end + 1))
    } else {
        (int_end, int_end)
    };
    if int_end == 0 && fraction_end == fraction_start {
        return None;
    }
    let mut end = fraction_end;
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exponent_start = end + 1;
        if matches!(bytes.get(exponent_start), Some(b'+' | b'-')) {
            exponent_start += 1;
        }
        end = digits_from(exponent_start);
        if end == exponent_start {
            return None;
        }
    }
    if end != bytes.len() {
        return None;
    }
    let int = text[..int_end].trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 2);
    json.push_str(if int.is_empty() { "0" } else { int });
    if fraction_end > fraction_start {
        json.push_str(&text[int_end..fraction_end]);
    }
    json.push_str(&text[fraction_end..]);
    match json.parse::<serde_json::Number>() {
        Ok(number) => number.as_f64(),
        // A well-formed JSON number is refused only when it is too large
        // for an f64, which Rust reads as infinity.
        Err(_) => Some(f64::INFINITY),
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.into())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_float;
    use alloc::format;
    use alloc::string::String;

    /// `parse_float` and `str::parse::<f64>` agree, bit for bit.
    fn same(text: &str) {
        let ours = parse_float(text);
        let core = text.parse::<f64>().ok();
        let agree = match (ours, core) {
            (Some(a), Some(b)) => {
                a.to_bits() == b.to_bits()
                    || (a.is_nan() && b.is_nan() && a.is_sign_negative() == b.is_sign_negative())
            }
            (None, None) => true,
            _ => false,
        };
        assert!(
            agree,
            "{text:?}: parse_float gives {ours:?}, str::parse {core:?}"
        );
    }

    #[test]
    fn parse_float_reads_what_str_parse_reads() {
        for text in [
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            "-0.0",
            "1",
            "+1",
            "-1",
            "007",
            "1.",
            "-1.",
            ".5",
            "-.5",
            "+.5",
            "0.5",
            "1.5e3",
            "1.5E3",
            "1.5e+3",
            "1.5e-3",
            "1e0",
            "5.e3",
            ".5e1",
            "1e",
            "1e+",
            "1e-",
            "e5",
            ".e5",
            ".",
            "-",
            "+",
            "",
            " 1",
            "1 ",
            "1_0",
            "0x10",
            "1.2.3",
            "1e5.5",
            "++1",
            "-+1",
            "--1",
            "1e--5",
            "inf",
            "-inf",
            "+inf",
            "INF",
            "Infinity",
            "-infinity",
            "iNfInItY",
            "infinit",
            "infinityy",
            "nan",
            "NaN",
            "-nan",
            "+NAN",
            "nana",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "-1e309",
            "1e400",
            "1e99999999999999999999",
            "-1e99999999999999999999",
            "0e99999999999999999999",
            "1e-99999999999999999999",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "-1e-400",
            "9007199254740992",
            "9007199254740993",
            "9007199254740995",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1",
            "0.2",
            "0.30000000000000004",
            "3.141592653589793238462643383279502884197",
            "1\u{e9}",
            "\u{663}",
        ] {
            same(text);
        }
        same(&format!("1{}", "0".repeat(400)));
        same(&format!("0.{}1", "0".repeat(400)));
        same(&format!("{}.5", "9".repeat(40)));
    }

    #[test]
    fn parse_float_agrees_with_str_parse_on_random_numbers() {
        // A fixed pseudo-random sequence (xorshift), so that a failure repeats.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..100_000 {
            let f = f64::from_bits(next());
            same(&format!("{f:e}"));
            same(&format!("{f:?}"));
            same(&format!("{f}"));
            // Random digits, leading zeros kept, a point and an exponent or not.
            let mut text = String::new();
            let point = (next() % 32) as usize;
            for i in 0..(next() % 30) as usize {
                if i == point {
                    text.push('.');
                }
                text.push(char::from(b'0' + (next() % 10) as u8));
            }
            if next() % 2 == 0 {
                text.push_str(&format!("e{}", (next() % 700) as i64 - 350));
            }
            same(&text);
        }
    }
}
