//! Name patterns: regular expressions (regex-automata's meta engine: RE2
//! syntax, as Go's `regexp` that GitLab, acr and SWR use) and globs
//! (translated in `glob.rs`), matched either against the whole name or as a
//! search, as each dialect says.
//!
//! The syntax is ASCII (`\d`, `\w`, `(?i)` without Unicode tables): tag and
//! repository names are ASCII by the distribution spec, and the tables
//! would triple the engine's size.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::Input;

use super::glob::{self, GlobFlavor};
use super::read::PolicyError;

/// Whole-name match or search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchoring {
    /// The pattern must match the whole name (`\A(?:…)\z`).
    Whole,
    /// The pattern may match anywhere in the name (Go's `MatchString`).
    Search,
}

/// A compiled regular expression with the text it came from.
///
/// The meta engine picks, per search, the lazy DFA, the one-pass DFA, the
/// bounded backtracker or the PikeVM: all linear in the name, whatever the
/// pattern (the PikeVM alone was 10 times slower on 100,000 tags).
#[derive(Debug, Clone)]
pub struct Regex {
    engine: meta::Regex,
    /// What the user wrote (for reasons and explanations).
    pub source: String,
}

impl Regex {
    /// Compiles `pattern`; an error names `field`.
    pub fn new(pattern: &str, anchoring: Anchoring, field: &str) -> Result<Self, PolicyError> {
        let body = match anchoring {
            Anchoring::Whole => format!("\\A(?:{pattern})\\z"),
            Anchoring::Search => pattern.to_string(),
        };
        Self::compile(&body, pattern, field)
    }

    fn compile(body: &str, source: &str, field: &str) -> Result<Self, PolicyError> {
        let engine = meta::Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .configure(meta::Config::new().utf8_empty(false))
            .build(body)
            .map_err(|error| {
                PolicyError::new(field, format!("not a valid regular expression ({error})"))
            })?;
        Ok(Regex {
            engine,
            source: source.to_string(),
        })
    }

    /// Whether the name matches.
    pub fn is_match(&self, name: &str) -> bool {
        self.engine.is_match(name)
    }

    /// The group key of `name`: its capture groups joined by `/` (the whole
    /// match when the pattern has none), or `None` when it does not match.
    pub fn group_key(&self, name: &str) -> Option<String> {
        let mut caps = self.engine.create_captures();
        self.engine.search_captures(&Input::new(name), &mut caps);
        if !caps.is_match() {
            return None;
        }
        let groups = caps.group_len();
        let spans: Vec<&str> = if groups <= 1 {
            caps.get_group(0)
                .map(|span| &name[span.range()])
                .into_iter()
                .collect()
        } else {
            (1..groups)
                .map(|i| caps.get_group(i).map_or("", |span| &name[span.range()]))
                .collect()
        };
        Some(spans.join("/"))
    }
}

/// A name pattern: a literal name, a glob or a regular expression.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// Exactly this name (a glob with no special character).
    Exact(String),
    /// A glob whose only special character is `*` (`release-*`, `*-alpine`,
    /// `v*.*`), the common case, matched without a regex: `glob::Star`.
    Star(glob::Star),
    /// A compiled pattern; `glob` keeps the glob the user wrote, if any.
    Compiled {
        /// The engine.
        regex: Regex,
        /// The glob this was translated from (for messages), or `None` for a regex.
        glob: Option<String>,
    },
}

impl Pattern {
    /// A glob matched against the whole name.
    pub fn glob(text: &str, flavor: GlobFlavor, field: &str) -> Result<Self, PolicyError> {
        if glob::is_literal(text, flavor) {
            return Ok(Pattern::Exact(text.to_string()));
        }
        if let Some(star) = glob::Star::new(text, flavor) {
            return Ok(Pattern::Star(star));
        }
        let body = format!("\\A(?:{})\\z", glob::to_regex(text, flavor));
        let regex = Regex::compile(&body, text, field)?;
        Ok(Pattern::Compiled {
            regex,
            glob: Some(text.to_string()),
        })
    }

    /// A regular expression.
    pub fn regex(text: &str, anchoring: Anchoring, field: &str) -> Result<Self, PolicyError> {
        Ok(Pattern::Compiled {
            regex: Regex::new(text, anchoring, field)?,
            glob: None,
        })
    }

    /// Whether the name matches.
    pub fn is_match(&self, name: &str) -> bool {
        match self {
            Pattern::Exact(exact) => exact == name,
            Pattern::Star(star) => star.is_match(name),
            Pattern::Compiled { regex, .. } => regex.is_match(name),
        }
    }

    /// The pattern as the user wrote it, quoted for a reason: `` `latest` ``,
    /// `` `release-*` ``, `` regex `^v\d+` ``.
    pub fn describe(&self) -> String {
        match self {
            Pattern::Exact(exact) => format!("`{exact}`"),
            Pattern::Star(star) => format!("`{}`", star.source),
            Pattern::Compiled {
                glob: Some(glob), ..
            } => format!("`{glob}`"),
            Pattern::Compiled { regex, glob: None } => format!("`{}`", regex.source),
        }
    }
}

/// Whether any of `patterns` matches (an empty list matches nothing).
pub fn any_match(patterns: &[Pattern], name: &str) -> bool {
    patterns.iter().any(|pattern| pattern.is_match(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchoring() {
        let whole = Regex::new("v1", Anchoring::Whole, "f").unwrap();
        assert!(whole.is_match("v1") && !whole.is_match("v1.2"));
        let search = Regex::new(":?1", Anchoring::Search, "f").unwrap();
        assert!(search.is_match("v1.2"));
        let alternation = Regex::new("a|b", Anchoring::Whole, "f").unwrap();
        assert!(!alternation.is_match("ab"));
    }

    #[test]
    fn group_keys() {
        let minor = Regex::new(r"^v?(\d+)\.(\d+)\.", Anchoring::Search, "f").unwrap();
        assert_eq!(minor.group_key("v1.4.2").as_deref(), Some("1/4"));
        assert_eq!(minor.group_key("latest"), None);
        let variant = Regex::new(r"-[a-z]+$", Anchoring::Search, "f").unwrap();
        assert_eq!(variant.group_key("1.2-alpine").as_deref(), Some("-alpine"));
    }

    #[test]
    fn errors_name_the_field() {
        let error = Regex::new("(", Anchoring::Whole, "rules[0].tags").unwrap_err();
        assert_eq!(error.field, "rules[0].tags");
        assert!(error.message.starts_with("not a valid regular expression"));
    }
}
