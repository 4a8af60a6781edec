//! The `cr` operations on the state, one module per API group.
//!
//! Every operation is a [`Route`]: its Action and a handler that reads
//! ([`Handler::Read`]) or changes ([`Handler::Write`]) the state and returns
//! the answer's own fields as a [`Value`] object with the catalogue's wire
//! names. The request has already passed the signature check and the
//! catalogue's parameter check ([`tagdeck::request::check_wire`]) when a
//! handler runs, so required parameters are present and typed.
//! Failures of the operation itself ("no such repository") are [`Failure`]s,
//! answered as the service does: HTTP 200, `IsSuccess: false` and a Code.

mod artifact;
mod build;
mod chart;
mod credential;
mod endpoint;
mod findings;
mod instance;
mod kinds;
mod namespace;
pub mod records;
mod repository;
mod resource_tag;
mod scan;
mod sync;
mod tag;
mod trigger;

use std::borrow::Cow;

use tagdeck::catalog::Operation;
use tagdeck::Value;

use crate::state::{Instance, Repository, State};

/// A handler's result: the answer's own fields, or why not.
pub type Answer = Result<Value, Failure>;

/// How an operation touches the state.
#[derive(Clone, Copy)]
pub enum Handler {
    /// Reads only (many at once).
    Read(fn(&State, &Call<'_>) -> Answer),
    /// Changes the state (one at a time; saved before the answer is sent).
    Write(fn(&mut State, &Call<'_>) -> Answer),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Read(_) => "Read",
            Handler::Write(_) => "Write",
        })
    }
}

/// An operation's Action and its handler.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The Action.
    pub action: &'static str,
    /// What it does.
    pub handler: Handler,
}

impl Route {
    /// An operation that only reads the state.
    pub const fn read(action: &'static str, handler: fn(&State, &Call<'_>) -> Answer) -> Self {
        Route {
            action,
            handler: Handler::Read(handler),
        }
    }

    /// An operation that changes the state.
    pub const fn write(action: &'static str, handler: fn(&mut State, &Call<'_>) -> Answer) -> Self {
        Route {
            action,
            handler: Handler::Write(handler),
        }
    }
}

const GROUPS: &[&[Route]] = &[
    instance::ROUTES,
    endpoint::ROUTES,
    sync::ROUTES,
    namespace::ROUTES,
    repository::ROUTES,
    tag::ROUTES,
    scan::ROUTES,
    build::ROUTES,
    trigger::ROUTES,
    chart::ROUTES,
    credential::ROUTES,
    artifact::ROUTES,
    findings::ROUTES,
    resource_tag::ROUTES,
];

/// Every route: the hand-written groups, then the operations on records
/// ([`records`]).
pub fn routes() -> impl Iterator<Item = Route> {
    GROUPS
        .iter()
        .flat_map(|g| g.iter().copied())
        .chain(records::routes())
}

/// The handler of `action`.
pub fn handler(action: &str) -> Option<Handler> {
    routes().find(|r| r.action == action).map(|r| r.handler)
}

/// A failure of the operation itself, answered with `IsSuccess: false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The API's code (`REPO_NOT_EXIST`, `InvalidParameter`).
    pub code: String,
    /// For a human; names what is at fault.
    pub message: String,
    /// 200 for the service's business errors, 400 for invalid input.
    pub http_status: u16,
}

impl Failure {
    /// A business error: HTTP 200, `IsSuccess: false`.
    pub fn business(code: &str, message: impl Into<String>) -> Self {
        Failure {
            code: code.into(),
            message: message.into(),
            http_status: 200,
        }
    }

    /// A parameter whose value the operation cannot accept.
    pub fn invalid(name: &str, reason: impl std::fmt::Display) -> Self {
        Failure {
            code: "InvalidParameter".into(),
            message: format!("The specified parameter \"{name}\" is not valid: {reason}"),
            http_status: 400,
        }
    }

    /// A required parameter that is missing (for alternatives the catalogue
    /// cannot express, as "RepoId, or RepoNamespaceName and RepoName").
    pub fn missing(name: &str) -> Self {
        Failure {
            code: "MissingParameter".into(),
            message: format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            http_status: 400,
        }
    }
}

/// One request as a handler sees it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The operation.
    pub op: &'static Operation,
    /// Its parameters as received (decoded), in order.
    pub params: &'a [(String, String)],
    /// Now, in milliseconds.
    pub now: i64,
    /// How long simulated work (builds, syncs, scans) takes, milliseconds.
    pub task_ms: i64,
}

/// The service's default page size.
pub const DEFAULT_PAGE_SIZE: i64 = 30;

impl<'a> Call<'a> {
    /// The parameter's value, if given.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A required parameter (checked against the catalogue before).
    pub fn text(&self, name: &str) -> &'a str {
        self.get(name).unwrap_or("")
    }

    /// An optional parameter that is non-empty.
    pub fn given(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// An integer parameter (its format checked against the catalogue).
    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.parse().ok())
    }

    /// A boolean parameter (`true`, or `True` as the Python SDK sends it).
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `PageNo` (from 1) and `PageSize`.
    pub fn page(&self) -> (i64, i64) {
        (
            self.int("PageNo").unwrap_or(1).max(1),
            self.int("PageSize").unwrap_or(DEFAULT_PAGE_SIZE).max(1),
        )
    }

    /// The instance named by `InstanceId`, in the region named by
    /// `RegionId` when given (an instance is only seen in its own region).
    pub fn instance<'s>(&self, state: &'s State) -> Result<&'s Instance, Failure> {
        let index = self.instance_index(state)?;
        Ok(&state.instances[index])
    }

    /// The same, to change.
    pub fn instance_mut<'s>(&self, state: &'s mut State) -> Result<&'s mut Instance, Failure> {
        let index = self.instance_index(state)?;
        Ok(&mut state.instances[index])
    }

    /// The index of that instance in `state.instances`.
    pub fn instance_index(&self, state: &State) -> Result<usize, Failure> {
        let id = self.text("InstanceId");
        let region = self.given("RegionId");
        state
            .instances
            .iter()
            .position(|i| i.id == id && region.is_none_or(|r| r == i.region_id))
            .ok_or_else(|| {
                Failure::business(
                    "INSTANCE_NOT_EXIST",
                    format!(
                        "The instance {id} does not exist{}.",
                        region.map_or(String::new(), |r| format!(" in region {r}"))
                    ),
                )
            })
    }

    /// The repository named by `RepoId` in `instance`.
    pub fn repository<'s>(&self, instance: &'s Instance) -> Result<&'s Repository, Failure> {
        let id = self.text("RepoId");
        instance.repository(id).ok_or_else(|| repo_not_found(id))
    }

    /// The same, to change.
    pub fn repository_mut<'s>(
        &self,
        instance: &'s mut Instance,
    ) -> Result<&'s mut Repository, Failure> {
        let id = self.text("RepoId");
        instance
            .repository_mut(id)
            .ok_or_else(|| repo_not_found(id))
    }
}

/// `REPO_NOT_EXIST` for `what`.
pub fn repo_not_found(what: &str) -> Failure {
    Failure::business(
        "REPO_NOT_EXIST",
        format!("The repository {what} does not exist."),
    )
}

/// One page of `items` (`PageNo` from 1) and the paging fields, with the
/// list under `list_name`; `render` turns only the page's items into values.
pub fn page<T>(
    call: &Call<'_>,
    items: &[T],
    list_name: &'static str,
    render: impl Fn(&T) -> Value,
) -> Value {
    let (no, size) = call.page();
    let start = ((no - 1).saturating_mul(size)).min(items.len() as i64) as usize;
    let end = (start as i64 + size).min(items.len() as i64) as usize;
    let list: Vec<Value> = items[start..end].iter().map(render).collect();
    Value::Object(vec![
        (Cow::Borrowed("PageNo"), Value::Int(no)),
        (Cow::Borrowed("PageSize"), Value::Int(size)),
        (Cow::Borrowed("TotalCount"), Value::Int(items.len() as i64)),
        (Cow::Borrowed(list_name), Value::Array(list)),
    ])
}

/// What a `NextToken` starts with: the rest is the offset of the page.
const TOKEN_PREFIX: &str = "tdk1-";

/// Token paging (`MaxResults`, `NextToken`) over `total` items: the range
/// of this page and the token of the next one (`None` after the last).
/// `MaxResults` defaults to `default`; a token this emulator did not hand
/// out is refused, naming `NextToken`.
pub fn token_page(
    call: &Call<'_>,
    total: usize,
    default: i64,
) -> Result<(std::ops::Range<usize>, Option<String>), Failure> {
    let size = call.int("MaxResults").unwrap_or(default);
    if size < 1 {
        return Err(Failure::invalid("MaxResults", "must be at least 1"));
    }
    let start = match call.given("NextToken") {
        None => 0,
        Some(token) => token
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= total)
            .ok_or_else(|| {
                Failure::invalid(
                    "NextToken",
                    format!("{token:?} is not a token this list handed out"),
                )
            })?,
    };
    let end = start.saturating_add(size as usize).min(total);
    let next = (end < total).then(|| format!("{TOKEN_PREFIX}{end}"));
    Ok((start..end, next))
}

/// Whether the call pages by token rather than by page number.
pub fn pages_by_token(call: &Call<'_>) -> bool {
    call.get("MaxResults").is_some() || call.get("NextToken").is_some()
}

/// An answer with no fields of its own.
pub fn done() -> Answer {
    Ok(Value::Object(Vec::new()))
}

/// Conversion of the values handlers put into answers.
pub trait ToWire {
    /// The value.
    fn to_wire(self) -> Value;
}

impl ToWire for Value {
    fn to_wire(self) -> Value {
        self
    }
}
impl ToWire for &str {
    fn to_wire(self) -> Value {
        Value::Str(self.to_string())
    }
}
impl ToWire for String {
    fn to_wire(self) -> Value {
        Value::Str(self)
    }
}
impl ToWire for &String {
    fn to_wire(self) -> Value {
        Value::Str(self.clone())
    }
}
impl ToWire for i64 {
    fn to_wire(self) -> Value {
        Value::Int(self)
    }
}
impl ToWire for &i64 {
    fn to_wire(self) -> Value {
        Value::Int(*self)
    }
}
impl ToWire for usize {
    fn to_wire(self) -> Value {
        Value::Int(self as i64)
    }
}
impl ToWire for bool {
    fn to_wire(self) -> Value {
        Value::Bool(self)
    }
}
impl ToWire for &bool {
    fn to_wire(self) -> Value {
        Value::Bool(*self)
    }
}
impl ToWire for f64 {
    fn to_wire(self) -> Value {
        Value::Float(self)
    }
}
impl ToWire for Vec<Value> {
    fn to_wire(self) -> Value {
        Value::Array(self)
    }
}
impl<T: ToWire> ToWire for Option<T> {
    fn to_wire(self) -> Value {
        self.map_or(Value::Null, ToWire::to_wire)
    }
}

/// An answer object: `obj! { "Tag" => &tag.name, "ImageSize" => size }`.
#[macro_export]
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {
        ::tagdeck::Value::Object(vec![
            $((::std::borrow::Cow::Borrowed($key), $crate::api::ToWire::to_wire($value))),*
        ])
    };
}

/// A repository's answer, image or chart (their state shares these field
/// names): the members both have, then `extra` ones of its kind.
#[macro_export]
macro_rules! repository_obj {
    ($instance:expr, $repo:expr $(, $key:literal => $value:expr)* $(,)?) => {
        $crate::obj! {
            "InstanceId" => &$instance.id,
            "RepoId" => &$repo.id,
            "RepoNamespaceName" => &$repo.namespace,
            "RepoName" => &$repo.name,
            "RepoStatus" => &$repo.status,
            "RepoType" => &$repo.repo_type,
            "Summary" => &$repo.summary,
            "CreateTime" => $repo.create_time,
            "ModifiedTime" => $repo.modified_time,
            "ResourceGroupId" => &$instance.resource_group_id,
            $($key => $value),*
        }
    };
}

/// Names as the service accepts them: 2 to 64 characters of lower-case
/// letters, digits and `-`, `_`, `.`, starting and ending with a letter or
/// digit. `name` is the parameter reported when the value is refused.
pub fn check_name(name: &str, value: &str) -> Result<(), Failure> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(2..=64).contains(&value.len())
        || !value.chars().all(ok_char)
        || !edge(value.chars().next())
        || !edge(value.chars().last())
    {
        return Err(Failure::invalid(
            name,
            format!(
                "{value:?} must be 2 to 64 characters of lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
            ),
        ));
    }
    Ok(())
}

/// Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn check_tag(name: &str, value: &str) -> Result<(), Failure> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if !first_ok
        || value.len() > 128
        || !chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        return Err(Failure::invalid(
            name,
            format!("{value:?} is not a valid image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"),
        ));
    }
    Ok(())
}

/// `PUBLIC` or `PRIVATE`, as some operations take it without the catalogue
/// listing the values.
pub fn check_repo_type(name: &str, value: &str) -> Result<(), Failure> {
    if value == "PUBLIC" || value == "PRIVATE" {
        Ok(())
    } else {
        Err(Failure::invalid(
            name,
            format!("must be PUBLIC or PRIVATE, got {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_like_the_service() {
        for good in ["ns1", "my-team", "a.b_c", "00"] {
            assert!(check_name("NamespaceName", good).is_ok(), "{good}");
        }
        for bad in ["", "a", "Upper", "-lead", "trail-", "sp ace", "x/y"] {
            let e = check_name("NamespaceName", bad).unwrap_err();
            assert!(e.message.contains("NamespaceName"), "{bad}");
        }
    }

    #[test]
    fn tags_follow_dockers_grammar() {
        for good in ["v1", "1.0.0", "latest", "_x", "sha-abc1234"] {
            assert!(check_tag("ToTag", good).is_ok(), "{good}");
        }
        for bad in ["", ".x", "-x", "a b", "a:b", &"x".repeat(129)] {
            assert!(check_tag("ToTag", bad).is_err(), "{bad}");
        }
    }
}
