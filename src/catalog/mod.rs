//! The declarative operation catalogue.
//!
//! One [`Operation`] entry per API operation: its Action name, group, the
//! HTTP method the newer SDKs use, its parameters (type, required-ness,
//! limits) and the shape of its answer. Request validation
//! ([`crate::request`]), decoding ([`crate::decode`]), the JS methods and
//! the TypeScript types all follow from these entries, so adding an
//! operation is adding one entry to the file of its group.
//!
//! Types are the ones the API *really* uses on the wire, which is not always
//! what the seed's tables say (see `shared/docs/api-notes.md`, "Types drift"):
//! counts and times are numbers, 64-bit sizes and millisecond times are
//! [`Type::Long`]. The decoders accept either form for every scalar.

mod build;
mod chart;
mod credential;
mod endpoint;
mod instance;
mod namespace;
mod repository;
mod scan;
mod sync;
mod tag;
mod trigger;

/// The API version every operation here belongs to.
pub const API_VERSION: &str = "2018-12-01";

/// The functional group an operation belongs to (the seed's sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Seed 003 §7.
    Instance,
    /// Seed 003 §8: endpoints, ACLs, linked VPCs.
    Endpoint,
    /// Seed 003 §9.
    Sync,
    /// Seed 003 §10.
    Namespace,
    /// Seed 003 §11.
    Repository,
    /// Seed 003 §12 and seed 000.
    Tag,
    /// Seed 003 §13.
    Scan,
    /// Seed 003 §14.
    Build,
    /// Seed 003 §15.
    Trigger,
    /// Seed 003 §16, §17 and §18.
    Chart,
    /// Seed 003 §19.
    Credential,
}

impl Group {
    /// Lower-case name, as used in docs and the JS `operations()` metadata.
    pub const fn name(self) -> &'static str {
        match self {
            Group::Instance => "instance",
            Group::Endpoint => "endpoint",
            Group::Sync => "sync",
            Group::Namespace => "namespace",
            Group::Repository => "repository",
            Group::Tag => "tag",
            Group::Scan => "scan",
            Group::Build => "build",
            Group::Trigger => "trigger",
            Group::Chart => "chart",
            Group::Credential => "credential",
        }
    }
}

/// HTTP method used to send a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Parameters in the query string.
    Get,
    /// Parameters in an `application/x-www-form-urlencoded` body.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`, as it appears in the string-to-sign.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The type and limits of a request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// Any string; `max_len` in characters when documented.
    Str {
        /// Longest accepted value, in characters, when documented.
        max_len: Option<u32>,
    },
    /// A decimal integer within `min..=max` (inclusive).
    Int {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// `true` or `false`.
    Bool,
    /// One of the listed values, compared exactly.
    Enum(&'static [&'static str]),
}

/// One request parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The wire name, PascalCase (`PageSize`).
    pub name: &'static str,
    /// Type and limits.
    pub ty: ParamType,
    /// Whether a request without it is refused.
    pub required: bool,
    /// Whether its value is a secret (a password): redacted from `Debug`
    /// output and never echoed in error messages.
    pub secret: bool,
}

/// The type of a response field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Type {
    /// A string. Numbers that arrive here are kept as their decimal text.
    Str,
    /// A 32-bit-range integer (counts, page numbers).
    Int,
    /// A 64-bit integer (sizes, millisecond times), exact in every layer.
    Long,
    /// A floating point number.
    Float,
    /// `true`/`false`; the strings `"true"`/`"false"` are accepted too.
    Bool,
    /// A structure with known fields; unknown fields are ignored.
    Object(&'static [Field]),
    /// A list. In XML each item repeats the element (or, in some Alibaba
    /// products, sits inside a wrapper element); absent means empty.
    Array(&'static Type),
    /// Free-form data kept as it arrives (the seed's `Map`).
    Any,
}

/// One field of a response structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The wire name (`TotalCount`, or a Docker manifest's `schemaVersion`).
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
}

/// One API operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    /// The `Action` parameter (`ListRepoTag`).
    pub action: &'static str,
    /// Its functional group.
    pub group: Group,
    /// Where it is documented (`"seed 003 §12.1"`). Empty in the npm
    /// package's WebAssembly, whose TypeScript declarations carry it.
    pub doc: &'static str,
    /// One-line summary. Empty in the npm package's WebAssembly, whose
    /// TypeScript declarations carry it.
    pub summary: &'static str,
    /// The operation's own parameters (not the common ones).
    pub params: &'static [Param],
    /// The fields of its answer, besides the [`COMMON_RESPONSE`] ones.
    pub response: &'static [Field],
}

impl Operation {
    /// Read-only operations (`Get*`, `List*`) are safe to send as GET and
    /// to retry; everything else changes state.
    pub fn is_read_only(&self) -> bool {
        self.action.starts_with("Get") || self.action.starts_with("List")
    }

    /// The method the newer SDKs use: GET for reads, POST for writes.
    pub fn default_method(&self) -> Method {
        if self.is_read_only() {
            Method::Get
        } else {
            Method::Post
        }
    }

    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Fields every answer of this API carries.
pub const COMMON_RESPONSE: &[Field] = &[
    field("RequestId", Type::Str),
    field("IsSuccess", Type::Bool),
    field("Code", Type::Str),
];

/// A group's entries as the code reads them: as written, except in the npm
/// package's WebAssembly (`wasm32` with `std`, where `src/wasm/` is built),
/// which leaves [`Operation::summary`] and [`Operation::doc`] empty. Nothing
/// there reads them (the package's TypeScript declarations carry them,
/// generated by `build.rs` from the entries as written), and they were 5 KB
/// of the module. The texts of entries no code reads are not compiled in.
#[cfg(not(all(target_arch = "wasm32", feature = "std")))]
macro_rules! group {
    ($operations:path) => {
        $operations
    };
}
#[cfg(all(target_arch = "wasm32", feature = "std"))]
macro_rules! group {
    ($operations:path) => {{
        const WITHOUT_DOCS: [Operation; $operations.len()] = without_docs($operations);
        &WITHOUT_DOCS
    }};
}

/// `operations` with empty summaries and doc references.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
const fn without_docs<const N: usize>(operations: &[Operation]) -> [Operation; N] {
    const BLANK: Operation = Operation {
        action: "",
        group: Group::Instance,
        doc: "",
        summary: "",
        params: &[],
        response: &[],
    };
    let mut out = [BLANK; N];
    let mut i = 0;
    while i < N {
        out[i] = Operation {
            doc: "",
            summary: "",
            ..operations[i]
        };
        i += 1;
    }
    out
}

/// Every operation the catalogue knows, grouped as in seed 003.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    GROUPS.iter().flat_map(|group| group.iter())
}

/// Whether a parameter of this name carries a secret anywhere in the API
/// (`SecurityToken`, or a parameter the catalogue marks secret).
pub fn is_secret_param(name: &str) -> bool {
    name == "SecurityToken" || operations().any(|op| op.param(name).is_some_and(|p| p.secret))
}

/// The operation with this Action name (exact, case-sensitive).
pub fn find(action: &str) -> Option<&'static Operation> {
    operations().find(|op| op.action == action)
}

const GROUPS: &[&[Operation]] = &[
    group!(instance::OPERATIONS),
    group!(endpoint::OPERATIONS),
    group!(sync::OPERATIONS),
    group!(namespace::OPERATIONS),
    group!(repository::OPERATIONS),
    group!(tag::OPERATIONS),
    group!(scan::OPERATIONS),
    group!(build::OPERATIONS),
    group!(trigger::OPERATIONS),
    group!(chart::OPERATIONS),
    group!(credential::OPERATIONS),
];

// ---- Small constructors that keep the entries short and readable. ----

/// A required string parameter.
pub(crate) const fn required(name: &'static str) -> Param {
    param(name, ParamType::Str { max_len: None }, true)
}

/// An optional string parameter.
pub(crate) const fn optional(name: &'static str) -> Param {
    param(name, ParamType::Str { max_len: None }, false)
}

/// A required string parameter whose value is a secret.
pub(crate) const fn secret(name: &'static str) -> Param {
    Param {
        secret: true,
        ..required(name)
    }
}

/// A parameter of the given type.
pub(crate) const fn param(name: &'static str, ty: ParamType, required: bool) -> Param {
    Param {
        name,
        ty,
        required,
        secret: false,
    }
}

/// A response field.
pub(crate) const fn field(name: &'static str, ty: Type) -> Field {
    Field { name, ty }
}

/// `RegionId`: required by (almost) every operation; the client fills it
/// from its own configuration when the caller leaves it out.
pub(crate) const REGION_ID: Param = required("RegionId");
/// `InstanceId`: the Enterprise Edition instance.
pub(crate) const INSTANCE_ID: Param = required("InstanceId");
/// `PageNo`: 1-based page number.
pub(crate) const PAGE_NO: Param = param(
    "PageNo",
    ParamType::Int {
        min: 1,
        max: i32::MAX as i64,
    },
    false,
);
/// `PageSize`: entries per page; the service refuses more than 100.
pub(crate) const PAGE_SIZE: Param = param("PageSize", ParamType::Int { min: 1, max: 100 }, false);
/// A boolean parameter.
pub(crate) const fn flag(name: &'static str, required: bool) -> Param {
    param(name, ParamType::Bool, required)
}
/// An enumerated parameter.
pub(crate) const fn one_of(
    name: &'static str,
    values: &'static [&'static str],
    required: bool,
) -> Param {
    param(name, ParamType::Enum(values), required)
}
/// An integer parameter with inclusive limits.
pub(crate) const fn int(name: &'static str, min: i64, max: i64, required: bool) -> Param {
    param(name, ParamType::Int { min, max }, required)
}

/// The paging fields of every `List*` answer.
pub(crate) const PAGE_NO_FIELD: Field = field("PageNo", Type::Int);
pub(crate) const PAGE_SIZE_FIELD: Field = field("PageSize", Type::Int);
pub(crate) const TOTAL_COUNT_FIELD: Field = field("TotalCount", Type::Int);
