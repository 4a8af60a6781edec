//! The declarative operation catalogue of the Alibaba Cloud Container
//! Registry Enterprise Edition API (`cr`, 2018-12-01).
//!
//! One [`Operation`] entry per API operation: its Action name, group, the
//! HTTP method the vendor's SDK uses, its parameters (type, required flag,
//! enumeration, limits, deprecation, how it travels) and the shape of its
//! answer. The core (`tagdeck`, which re-exports this crate as
//! `tagdeck::catalog`) validates requests and decodes answers by these
//! entries; its `build.rs` generates the JS methods and the TypeScript
//! types from them.
//!
//! The entries are generated at build time: `build.rs` reads
//! `api/cr-2018-12-01.json`, every operation of the vendor's official Go SDK
//! (`aliyun/alibabacloud-go-sdk`, folder `cr-20181201`, 3.2.2), and
//! `api/tagdeck.json` (summaries, secret parameters, and the answer types
//! tagdeck reads differently, each with its reason), and writes the
//! compact tables (`src/compact.rs` says why compact) into `OUT_DIR`. A new SDK
//! release is a new copy of that JSON; nothing generated is committed.
//! The core's `tests/catalogue.rs` fails when the catalogue and the JSON
//! disagree.

#![no_std]

extern crate alloc;

mod compact;

// One module per group (`tag`, `repository`, …), and `names` and `shapes`.
include!(concat!(env!("OUT_DIR"), "/tables.rs"));

use compact::Tables;

/// The API version every operation here belongs to.
pub const API_VERSION: &str = "2018-12-01";

/// The functional group an operation belongs to (one generated file each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Artifact lifecycle (retention) rules.
    Lifecycle,
    /// Artifact builds and artifact subscriptions.
    Artifact,
    /// The event center.
    Event,
    /// Delivery chains.
    Chain,
    /// Resource tags and resource groups.
    Resource,
    /// Helm chart namespaces, repositories and releases.
    Chart,
    /// Image security scans and scan rules.
    Scan,
    /// Image synchronization between instances.
    Sync,
    /// Image builds and their source code repositories.
    Build,
    /// Repository triggers.
    Trigger,
    /// Image tags.
    Tag,
    /// Namespaces.
    Namespace,
    /// Image repositories.
    Repository,
    /// Credentials for the registry itself.
    Credential,
    /// Endpoints, ACLs, linked VPCs, custom domains, storage-domain routing.
    Endpoint,
    /// Instances.
    Instance,
}

impl Group {
    /// Lower-case name, as used in docs and the JS `operations()` metadata.
    pub const fn name(self) -> &'static str {
        match self {
            Group::Lifecycle => "lifecycle",
            Group::Artifact => "artifact",
            Group::Event => "event",
            Group::Chain => "chain",
            Group::Resource => "resource",
            Group::Chart => "chart",
            Group::Scan => "scan",
            Group::Sync => "sync",
            Group::Build => "build",
            Group::Trigger => "trigger",
            Group::Tag => "tag",
            Group::Namespace => "namespace",
            Group::Repository => "repository",
            Group::Credential => "credential",
            Group::Endpoint => "endpoint",
            Group::Instance => "instance",
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
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// A list or structure sent as one parameter whose value is its JSON
    /// text (`Namespaces=["ns1"]`, `DefaultRepoConfiguration={"RepoType":…}`).
    Json(&'static Type),
    /// A list sent as one parameter per item, numbered from 1 (`Tag.1=a`),
    /// and per member of a structured item (`Tag.1.Key=k&Tag.1.Value=v`).
    Flat(&'static Type),
}

/// One request parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Whether the SDK marks it deprecated (still sent when given).
    pub deprecated: bool,
}

/// The type of a response field (and of the items of a JSON-text or flat
/// parameter).
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
    /// Free-form data kept as it arrives (the SDK's `Map`).
    Any,
}

/// One field of a response structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The wire name (`TotalCount`).
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
    /// The HTTP method the vendor's SDK sends it with.
    pub method: Method,
    /// Whether it is deprecated: `GetRepoTagLayers` and
    /// `GetRepoTagManifest`, removed from the vendor's SDK in 3.0.0. The
    /// service may still answer them; nothing in tagdeck depends on them.
    pub deprecated: bool,
    /// Where it is described (the SDK release that declares it). Empty in
    /// the npm package's WebAssembly, whose TypeScript declarations carry it.
    pub doc: &'static str,
    /// One-line summary. Empty in the npm package's WebAssembly, whose
    /// TypeScript declarations carry it.
    pub summary: &'static str,
    /// The operation's own parameters (not the common ones), as the SDK
    /// lists them.
    pub params: &'static [Param],
    /// The fields of its answer, besides the [`COMMON_RESPONSE`] ones.
    pub response: &'static [Field],
}

// The small functions the core calls are `#[inline]`: across the crate
// boundary LLVM inlined less, and the package's wasm grew by 481 bytes
// gzipped when the catalogue became its own crate; with the hints, 70.
impl Operation {
    /// Read-only operations (`Get*`, `List*`) are safe to retry; everything
    /// else changes state.
    #[inline]
    pub fn is_read_only(&self) -> bool {
        self.action.starts_with("Get") || self.action.starts_with("List")
    }

    /// The method to send it with unless told otherwise: the SDK's
    /// ([`Operation::method`]).
    #[inline]
    pub fn default_method(&self) -> Method {
        self.method
    }

    /// The parameter with this wire name.
    #[inline]
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Fields every answer of this API carries (the SDK lists them in each
/// answer; the catalogue lists them once).
pub const COMMON_RESPONSE: &[Field] = &[
    field("RequestId", Type::Str),
    field("IsSuccess", Type::Bool),
    field("Code", Type::Str),
];

/// Where the current operations come from ([`Operation::doc`]).
pub(crate) const CURRENT_DOC: &str = "official SDK cr-20181201 3.2.2";
/// Where the removed operations come from ([`Operation::doc`]).
pub(crate) const REMOVED_DOC: &str = "official SDK cr-20181201 before 3.0.0 (removed)";

/// A group's entries as the code reads them: as written, except in the npm
/// package's WebAssembly (`wasm32` with `std`, where `src/wasm/` is built),
/// which leaves [`Operation::summary`] empty. Nothing there reads it (the
/// package's TypeScript declarations carry it, generated by `build.rs` from
/// the entries as written): the texts no code reads are not compiled in.
#[cfg(not(all(target_arch = "wasm32", feature = "std")))]
macro_rules! group {
    ($group:ident, $entries:path) => {
        (Group::$group, $entries)
    };
}
#[cfg(all(target_arch = "wasm32", feature = "std"))]
macro_rules! group {
    ($group:ident, $entries:path) => {{
        const WITHOUT_SUMMARIES: [compact::Entry; $entries.len()] = without_summaries($entries);
        (Group::$group, &WITHOUT_SUMMARIES)
    }};
}

/// `entries` with empty summaries.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
const fn without_summaries<const N: usize>(entries: &[compact::Entry]) -> [compact::Entry; N] {
    const BLANK: compact::Entry = compact::Entry {
        action: "",
        method: Method::Post,
        deprecated: false,
        summary: "",
        params: &[],
        response: 0,
    };
    let mut out = [BLANK; N];
    let mut i = 0;
    while i < N {
        out[i] = compact::Entry {
            summary: "",
            ..entries[i]
        };
        i += 1;
    }
    out
}

/// The generated tables, by group.
const TABLES: Tables = Tables {
    names: names::NAMES,
    shapes: shapes::SHAPES,
    enums: shapes::ENUMS,
    limits: shapes::LIMITS,
    groups: &[
        group!(Lifecycle, lifecycle::OPERATIONS),
        group!(Artifact, artifact::OPERATIONS),
        group!(Event, event::OPERATIONS),
        group!(Chain, chain::OPERATIONS),
        group!(Resource, resource::OPERATIONS),
        group!(Chart, chart::OPERATIONS),
        group!(Scan, scan::OPERATIONS),
        group!(Sync, sync::OPERATIONS),
        group!(Build, build::OPERATIONS),
        group!(Trigger, trigger::OPERATIONS),
        group!(Tag, tag::OPERATIONS),
        group!(Namespace, namespace::OPERATIONS),
        group!(Repository, repository::OPERATIONS),
        group!(Credential, credential::OPERATIONS),
        group!(Endpoint, endpoint::OPERATIONS),
        group!(Instance, instance::OPERATIONS),
    ],
};

/// Every operation the catalogue knows, by group.
#[inline]
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    compact::operations(&TABLES).iter()
}

/// Whether a parameter of this name carries a secret anywhere in the API
/// (`SecurityToken`, or a parameter the catalogue marks secret).
#[inline]
pub fn is_secret_param(name: &str) -> bool {
    name == "SecurityToken" || operations().any(|op| op.param(name).is_some_and(|p| p.secret))
}

/// The operation with this Action name (exact, case-sensitive).
#[inline]
pub fn find(action: &str) -> Option<&'static Operation> {
    operations().find(|op| op.action == action)
}

// ---- The parameter types the expanded entries share. ----

/// A string parameter.
pub(crate) const STR: ParamType = ParamType::Str { max_len: None };
/// An `Integer` parameter: any 32-bit value unless the SDK states limits.
pub(crate) const INT: ParamType = ParamType::Int {
    min: i32::MIN as i64,
    max: i32::MAX as i64,
};
/// A `Long` parameter: any 64-bit value.
pub(crate) const LONG: ParamType = ParamType::Int {
    min: i64::MIN,
    max: i64::MAX,
};

/// A response field.
pub const fn field(name: &'static str, ty: Type) -> Field {
    Field { name, ty }
}
