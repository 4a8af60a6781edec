//! Glob patterns, translated into the regular expressions that
//! `pattern.rs` compiles (the regex engine does the matching; this file only
//! says what each glob character means in each dialect).
//!
//! - [`GlobFlavor::Star`]: ECR's `tagPatternList`: `*` is any run of
//!   characters (at most four per pattern), everything else is literal,
//!   the whole tag must match.
//! - [`GlobFlavor::Doublestar`]: Harbor's `doublestar` selectors and
//!   tagdeck's own globs: `*` is any run without `/`, `**` any run at all,
//!   `?` one character other than `/`, `[abc]`/`[!abc]` a class, `{a,b}`
//!   alternatives; the whole name must match.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A glob whose only special character is `*`, matched directly: the
/// literal pieces between the stars must appear in order, the first at the
/// start, the last at the end. For [`GlobFlavor::Doublestar`] a `*` does
/// not cross `/`, so a name with a `/` is matched only when the glob has
/// no star (see [`Star::new`]).
#[derive(Debug, Clone)]
pub struct Star {
    /// The glob as written.
    pub source: String,
    pieces: Vec<String>,
    crosses_slash: bool,
}

impl Star {
    /// The glob as a [`Star`], or `None` when it needs the regex engine.
    pub fn new(glob: &str, flavor: GlobFlavor) -> Option<Self> {
        if flavor == GlobFlavor::Doublestar
            && (glob.contains("**") || glob.contains(['?', '[', '{', '/']))
        {
            return None;
        }
        Some(Star {
            source: glob.to_string(),
            pieces: glob.split('*').map(str::to_string).collect(),
            crosses_slash: flavor == GlobFlavor::Star,
        })
    }

    /// Whether the whole name matches.
    pub fn is_match(&self, name: &str) -> bool {
        if !self.crosses_slash && name.contains('/') {
            return false;
        }
        let (first, last) = (&self.pieces[0], &self.pieces[self.pieces.len() - 1]);
        if self.pieces.len() == 1 {
            return name == first;
        }
        if name.len() < first.len() + last.len()
            || !name.starts_with(first.as_str())
            || !name.ends_with(last.as_str())
        {
            return false;
        }
        // The middle pieces, leftmost first, between the two ends.
        let mut rest = &name[first.len()..name.len() - last.len()];
        for piece in &self.pieces[1..self.pieces.len() - 1] {
            match rest.find(piece.as_str()) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// Which glob dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobFlavor {
    /// `*` only (ECR).
    Star,
    /// `*`, `**`, `?`, `[...]`, `{a,b}` (Harbor's doublestar, tagdeck).
    Doublestar,
}

/// Whether the glob has no special character at all (then it is matched by
/// plain comparison, the fast path for names like `latest`).
pub fn is_literal(glob: &str, flavor: GlobFlavor) -> bool {
    match flavor {
        GlobFlavor::Star => !glob.contains('*'),
        GlobFlavor::Doublestar => !glob.contains(['*', '?', '[', '{']),
    }
}

/// The glob as an (unanchored) regular expression body; the caller anchors it.
pub fn to_regex(glob: &str, flavor: GlobFlavor) -> String {
    let mut out = String::with_capacity(glob.len() * 2);
    let mut chars = glob.chars().peekable();
    let mut braces = 0usize;
    while let Some(c) = chars.next() {
        match (flavor, c) {
            (GlobFlavor::Star, '*') => out.push_str(".*"),
            (GlobFlavor::Doublestar, '*') => {
                if chars.peek() == Some(&'*') {
                    chars.next();
                    // `**/` also matches no directory at all: `a/**/b` matches `a/b`.
                    if chars.peek() == Some(&'/') {
                        chars.next();
                        out.push_str("(?:.*/)?");
                    } else {
                        out.push_str(".*");
                    }
                } else {
                    out.push_str("[^/]*");
                }
            }
            (GlobFlavor::Doublestar, '?') => out.push_str("[^/]"),
            (GlobFlavor::Doublestar, '[') => {
                out.push('[');
                if matches!(chars.peek(), Some('!') | Some('^')) {
                    chars.next();
                    out.push('^');
                }
                for class_char in chars.by_ref() {
                    if class_char == ']' {
                        break;
                    }
                    if matches!(class_char, '[' | '\\' | '&' | '~') {
                        out.push('\\');
                    }
                    out.push(class_char);
                }
                out.push(']');
            }
            (GlobFlavor::Doublestar, '{') => {
                braces += 1;
                out.push_str("(?:");
            }
            (GlobFlavor::Doublestar, ',') if braces > 0 => out.push('|'),
            (GlobFlavor::Doublestar, '}') if braces > 0 => {
                braces -= 1;
                out.push(')');
            }
            (_, other) => push_literal(&mut out, other),
        }
    }
    for _ in 0..braces {
        out.push(')');
    }
    out
}

/// Appends `c` escaped for the regex syntax.
pub fn push_literal(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// `text` as a regex matching exactly itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        push_literal(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_globs() {
        let star = |g: &str| Star::new(g, GlobFlavor::Star).unwrap();
        assert!(
            star("prod*").is_match("prod")
                && star("prod*").is_match("prod-1")
                && !star("prod*").is_match("xprod")
        );
        assert!(
            star("*-alpine").is_match("1.2-alpine") && !star("*-alpine").is_match("1.2-alpine3")
        );
        assert!(star("v*.*.*").is_match("v1.2.3") && !star("v*.*.*").is_match("v1.2"));
        assert!(star("a*a").is_match("aa") && !star("a*a").is_match("a"));
        assert!(star("*").is_match("") && star("a/*").is_match("a/b/c"));
        let doublestar = Star::new("team*", GlobFlavor::Doublestar).unwrap();
        assert!(doublestar.is_match("team-x") && !doublestar.is_match("team/x"));
        assert!(Star::new("team/*", GlobFlavor::Doublestar).is_none());
    }

    #[test]
    fn translations() {
        assert_eq!(to_regex("prod*", GlobFlavor::Star), "prod.*");
        assert_eq!(to_regex("v1.?", GlobFlavor::Star), "v1\\.\\?");
        assert_eq!(to_regex("team/*", GlobFlavor::Doublestar), "team/[^/]*");
        assert_eq!(to_regex("**/app", GlobFlavor::Doublestar), "(?:.*/)?app");
        assert_eq!(
            to_regex("{a,b}-[!x]", GlobFlavor::Doublestar),
            "(?:a|b)\\-[^x]"
        );
    }
}
