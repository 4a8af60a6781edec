//! `az acr purge` / `acr purge` (Azure's acr-cli), from its arguments:
//! `--filter "<repoRegex>:<tagRegex>"` (repeatable) `--ago <duration>`
//! `[--keep N] [--untagged] [--dry-run] [--include-locked]`.
//!
//! - The repository regex is matched as `^` + regex + `$` (plain
//!   concatenation: `a|b` becomes `^a|b$`); the tag regex is a search, not
//!   anchored (`:1` also matches `v1.2`).
//! - Eligible: a filter's tag regex matches, and the last update is
//!   strictly before now − ago. Tags without a last-update time are not
//!   eligible (the manifest is kept). Locks are not part of a plan's input.
//! - `--keep N` keeps the N most recently updated ELIGIBLE tags (younger
//!   tags stay anyway). Deletion is an untag: tag by tag.
//! - `--ago` is a Go duration with a day unit in front: `30d`, `1d12h`,
//!   `90m`, `0`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::json;

use super::super::explain::{ago, count, Explanation};
use super::super::group::{by_repository, sort_newest_first};
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::{Anchoring, Regex};
use super::super::read::{PolicyError, Result};
use super::finish;

/// Checked `acr purge` arguments.
#[derive(Debug, Clone)]
pub struct AcrPurge {
    filters: Vec<Filter>,
    ago_ms: Millis,
    ago_text: String,
    keep: u64,
}

#[derive(Debug, Clone)]
struct Filter {
    text: String,
    repository: Regex,
    tag: Regex,
}

impl AcrPurge {
    /// Parses the command line (quotes as a shell reads them).
    pub fn parse(args: &str, path: &str) -> Result<Self> {
        let words =
            split_words(args).ok_or_else(|| PolicyError::new(path, "has an unclosed quote"))?;
        let mut words = words.into_iter().peekable();
        // Tolerate the command itself in front: `az acr purge`, `acr purge`.
        while matches!(
            words.peek().map(String::as_str),
            Some("az" | "acr" | "purge")
        ) {
            words.next();
        }
        let field = |flag: &str| format!("{path} {flag}");
        let (mut filters, mut ago_text, mut keep) = (Vec::new(), None::<String>, 0u64);
        while let Some(word) = words.next() {
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_string(), Some(value.to_string()))
                }
                _ => (word.clone(), None),
            };
            let value = |words: &mut core::iter::Peekable<alloc::vec::IntoIter<String>>| {
                inline
                    .clone()
                    .or_else(|| words.next())
                    .ok_or_else(|| PolicyError::new(field(&flag), "needs a value"))
            };
            match flag.as_str() {
                "--filter" | "-f" => {
                    let text = value(&mut words)?;
                    filters.push(parse_filter(&text, &field("--filter"))?);
                }
                "--ago" => ago_text = Some(value(&mut words)?),
                "--keep" => {
                    let text = value(&mut words)?;
                    keep = text.parse().map_err(|_| PolicyError::new(field("--keep"), format!("must be a whole number, not {text:?}")))?;
                }
                "--untagged" | "--dry-run" | "--include-locked" => {}
                "--registry" | "-r" | "--concurrency" | "--timeout" | "--username" | "-u" | "--password" | "-p" => {
                    value(&mut words)?;
                }
                other => return Err(PolicyError::new(field(other), "is not an acr purge flag (expected --filter, --ago, --keep, --untagged, --dry-run, --include-locked)")),
            }
        }
        if filters.is_empty() {
            return Err(PolicyError::new(
                field("--filter"),
                "is required (\"<repository regex>:<tag regex>\")",
            ));
        }
        let ago_text = ago_text
            .ok_or_else(|| PolicyError::new(field("--ago"), "is required (e.g. 30d, 1d12h)"))?;
        let ago_ms = parse_ago(&ago_text).ok_or_else(|| {
            PolicyError::new(
                field("--ago"),
                format!("must be a duration like 30d, 1d12h or 90m, not {ago_text:?}"),
            )
        })?;
        Ok(AcrPurge {
            filters,
            ago_ms,
            ago_text,
            keep,
        })
    }

    /// Untags as acr purge would at `now`.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let cutoff = options.now - self.ago_ms;
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        for (repository, members) in by_repository(tags) {
            let filters: Vec<&Filter> = self
                .filters
                .iter()
                .filter(|f| f.repository.is_match(repository))
                .collect();
            let mut eligible = Vec::new();
            for i in members {
                let tag = &tags[i];
                let Some(filter) = filters.iter().find(|f| f.tag.is_match(tag.tag)) else {
                    decisions[i] = Some(Decision::keep(
                        RuleRef::None,
                        String::from("no --filter matches its repository and tag"),
                    ));
                    continue;
                };
                decisions[i] = match tag.pushed_at {
                    None => Some(Decision::keep(
                        RuleRef::Named("--ago"),
                        String::from("no last-update time: acr purge keeps it"),
                    )),
                    Some(time) if time < cutoff => {
                        eligible.push(i);
                        None
                    }
                    Some(time) => Some(Decision::keep(
                        RuleRef::Named("--ago"),
                        format!(
                            "matches --filter `{}` but was last updated {}, not before --ago {}",
                            filter.text,
                            ago(options.now, time),
                            self.ago_text
                        ),
                    )),
                };
            }
            sort_newest_first(&mut eligible, tags, |i| tags[i].pushed_at, true);
            let total = eligible.len();
            for (rank, &i) in eligible.iter().enumerate() {
                let when = ago(options.now, tags[i].pushed_at.unwrap_or(cutoff));
                decisions[i] = Some(if (rank as u64) < self.keep {
                    Decision::keep(
                        RuleRef::Named("--keep"),
                        format!(
                            "#{} most recently updated of the {} (--ago {}): --keep {}",
                            rank + 1,
                            count(total, "eligible tag"),
                            self.ago_text,
                            self.keep
                        ),
                    )
                } else {
                    let kept = if self.keep > 0 {
                        format!(", beyond --keep {}", self.keep)
                    } else {
                        String::new()
                    };
                    Decision::delete(RuleRef::Named("--filter"), format!("matches the filter and was last updated {when}, before --ago {}{kept} (#{} of {total} eligible)", self.ago_text, rank + 1))
                });
            }
        }
        Plan {
            decisions: finish(decisions, || {
                Decision::keep(RuleRef::None, String::from("not evaluated"))
            }),
            warnings: Vec::new(),
        }
    }

    /// The tagdeck equivalent, where there is one.
    pub fn explain(&self) -> Explanation {
        let whole_days = self.ago_ms % DAY_MS == 0 && self.ago_ms > 0;
        if self.keep > 0 || !whole_days {
            return Explanation {
                format: "acr-purge",
                equivalent: None,
                note: format!(
                    "No tagdeck equivalent: {}acr purge untags what is older than --ago; tagdeck counts \"newest N\" among all the tags a rule selects, and its ages are whole days.",
                    if self.keep > 0 { "--keep counts only the tags already older than --ago (younger tags stay on top of them); " } else { "" }
                ),
            };
        }
        let rules: Vec<serde_json::Value> = self
            .filters
            .iter()
            .map(|f| {
                json!({
                    // The repository regex exactly as acr anchors it, inside tagdeck's own anchors.
                    "repositories": { "regex": format!("^{}$", f.repository_source()) },
                    "tags": { "include": { "regex": format!(".*(?:{}).*", f.tag.source) } },
                    "keep": { "pushedWithinDays": self.ago_ms / DAY_MS },
                })
            })
            .collect();
        Explanation {
            format: "acr-purge",
            equivalent: Some(json!({ "rules": rules, "safety": { "sharedDigest": false } })),
            note: String::from("acr purge untags (one tag at a time), hence no shared-digest safety in the equivalent; tagdeck keeps tags with untrusted push times where acr uses them."),
        }
    }
}

impl Filter {
    fn repository_source(&self) -> &str {
        &self.repository.source[1..self.repository.source.len() - 1]
    }
}

fn parse_filter(text: &str, field: &str) -> Result<Filter> {
    let (repository, tag) = text.split_once(':').ok_or_else(|| {
        PolicyError::new(
            field,
            format!("must be \"<repository regex>:<tag regex>\", not {text:?}"),
        )
    })?;
    if repository.is_empty() || tag.is_empty() {
        return Err(PolicyError::new(
            field,
            format!("needs both a repository regex and a tag regex, not {text:?}"),
        ));
    }
    Ok(Filter {
        text: text.to_string(),
        repository: Regex::new(&format!("^{repository}$"), Anchoring::Search, field)?,
        tag: Regex::new(tag, Anchoring::Search, field)?,
    })
}

/// acr's duration: optional `<N>d` then a Go duration (`1h30m`, `90s`,
/// `1.5h`), or `0`. In milliseconds.
pub fn parse_ago(text: &str) -> Option<Millis> {
    let (days, rest) = match text.find('d') {
        Some(at) => (text[..at].parse::<i64>().ok()?, &text[at + 1..]),
        None => (0, text),
    };
    let rest_ms = if rest.is_empty() {
        if text.is_empty() {
            return None;
        }
        0.0
    } else {
        go_duration_ms(rest)?
    };
    if days < 0 {
        return None;
    }
    Some(days * DAY_MS + rest_ms as Millis)
}

/// Go's `time.ParseDuration`, unsigned, in milliseconds.
fn go_duration_ms(text: &str) -> Option<f64> {
    if text == "0" {
        return Some(0.0);
    }
    let mut total = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            "m" => 60e3,
            "h" => 3600e3,
            _ => return None,
        };
        total += number * scale;
        rest = &rest[unit_end..];
    }
    Some(total)
}

/// Splits a command line into words: whitespace separates, single and
/// double quotes group, a backslash escapes the next character outside
/// single quotes. `None` for an unclosed quote.
fn split_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => word.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        // In double quotes a backslash escapes only these (as in a shell).
                        '\\' => match chars.next()? {
                            escaped @ ('"' | '\\' | '$' | '`') => word.push(escaped),
                            other => {
                                word.push('\\');
                                word.push(other);
                            }
                        },
                        other => word.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(core::mem::take(&mut word));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_ago("30d"), Some(30 * DAY_MS));
        assert_eq!(parse_ago("1d12h"), Some(DAY_MS + 12 * 3_600_000));
        assert_eq!(parse_ago("90m"), Some(90 * 60_000));
        assert_eq!(parse_ago("0"), Some(0));
        assert_eq!(parse_ago("1.5h"), Some(5_400_000));
        assert_eq!(parse_ago("ten"), None);
        assert_eq!(parse_ago(""), None);
    }

    #[test]
    fn words() {
        assert_eq!(
            split_words(r#"--filter "app:^v1\..*" --ago 30d"#).unwrap(),
            ["--filter", r"app:^v1\..*", "--ago", "30d"]
        );
        assert_eq!(
            split_words("--filter 'a:b c'").unwrap(),
            ["--filter", "a:b c"]
        );
    }
}
