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

use alloc::string::String;

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
