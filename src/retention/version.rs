//! Version order of tag names, for "keep the newest N by version".
//!
//! A tag that reads as a version (`1`, `1.4`, `v1.4.2`, `1.4.2-rc.1`,
//! `2.0.0+build5`: semantic versioning with an optional `v` and one to
//! three numeric parts) ranks by semver precedence: numeric parts compared
//! as numbers, a pre-release below its release (`1.4.2-rc.1` < `1.4.2`),
//! pre-release identifiers compared as semver says (numeric ones as
//! numbers, below alphanumeric ones), build metadata ignored. Every other
//! tag ranks below every version, in natural order (`build-9` < `build-10`:
//! runs of digits compared as numbers). Names still equal in order (`1.4`
//! and `1.4.0`) fall back to plain text order so the order is total.

use core::cmp::Ordering;

/// Ascending version order: `compare(a, b) == Less` means `a` is older.
pub fn compare(a: &str, b: &str) -> Ordering {
    Key::new(a).cmp(&Key::new(b))
}

/// A name parsed once for sorting by version (a sort compares each name
/// many times).
#[derive(Debug)]
pub struct Key<'a> {
    name: &'a str,
    version: Option<Version<'a>>,
}

impl<'a> Key<'a> {
    /// The sort key of `name`.
    pub fn new(name: &'a str) -> Self {
        Key {
            name,
            version: parse(name),
        }
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.version, &other.version) {
            (Some(x), Some(y)) => compare_parsed(x, y),
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (None, None) => natural(self.name, other.name),
        }
        .then_with(|| self.name.cmp(other.name))
    }
}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key<'_> {}

#[derive(Debug)]
struct Version<'a> {
    parts: [&'a str; 3],
    pre: Option<&'a str>,
}

fn parse(name: &str) -> Option<Version<'_>> {
    let text = name.strip_prefix(['v', 'V']).unwrap_or(name);
    let text = text.split_once('+').map_or(text, |(core, _build)| core);
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) if !pre.is_empty() => (core, Some(pre)),
        Some(_) => return None,
        None => (text, None),
    };
    let mut parts = ["0"; 3];
    for (count, part) in core.split('.').enumerate() {
        if count == 3 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[count] = part;
    }
    Some(Version { parts, pre })
}

fn compare_parsed(a: &Version<'_>, b: &Version<'_>) -> Ordering {
    for (x, y) in a.parts.iter().zip(b.parts.iter()) {
        let order = numeric(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
    match (a.pre, b.pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => compare_pre(x, y),
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let x_num = !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
                let y_num = !y.is_empty() && y.bytes().all(|c| c.is_ascii_digit());
                let order = match (x_num, y_num) {
                    (true, true) => numeric(x, y),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => natural(x, y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// Two runs of ASCII digits compared as numbers of any length.
fn numeric(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Natural order: runs of digits as numbers, everything else as text.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (x_run, x_rest) = split_run(x);
        let (y_run, y_rest) = split_run(y);
        let x_digits = x_run.as_bytes()[0].is_ascii_digit();
        let y_digits = y_run.as_bytes()[0].is_ascii_digit();
        let order = if x_digits && y_digits {
            numeric(x_run, y_run)
        } else {
            x_run.cmp(y_run)
        };
        if order != Ordering::Equal {
            return order;
        }
        x = x_rest;
        y = y_rest;
    }
}

/// The leading run of digits or of non-digits, and the rest.
fn split_run(text: &str) -> (&str, &str) {
    let digits = text.as_bytes()[0].is_ascii_digit();
    let end = text
        .bytes()
        .position(|b| b.is_ascii_digit() != digits)
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn semver_and_natural_order() {
        let mut names = vec![
            "latest",
            "1.10.0",
            "v1.9.3",
            "1.10.0-rc.10",
            "1.10.0-rc.2",
            "1.10.0-beta",
            "2",
            "build-10",
            "build-9",
            "1.10.0+b7",
        ];
        names.sort_by(|a, b| compare(a, b));
        let expected: Vec<&str> = vec![
            "build-9",
            "build-10",
            "latest",
            "v1.9.3",
            "1.10.0-beta",
            "1.10.0-rc.2",
            "1.10.0-rc.10",
            "1.10.0",
            "1.10.0+b7",
            "2",
        ];
        assert_eq!(names, expected);
    }
}
