//! Scaleway Container Registry, API `registry/v1` (Scaleway's API reference
//! and `scaleway/scaleway-sdk-go` `api/registry/v1/registry_sdk.go`; see
//! docs/api-facts.md): list, get and delete an image's tags, and list the
//! namespaces and images that lead to an image's id.
//!
//! Every request carries `X-Auth-Token: <secret key>`. Lists page with
//! `page` (from 1) and `page_size` (1 to 100) and answer `total_count`.
//! Errors are JSON `{"message", "type", ...}`; `type` becomes the error's
//! code.
//!
//! Where the reference is ambiguous, tagdeck decides as follows:
//! - `order_by`: the reference's prose lists `region`, `status_asc` and
//!   `status_desc` besides `created_at_asc`, `created_at_desc`, `name_asc`
//!   and `name_desc`, but the API's own enumeration (and Scaleway's SDKs)
//!   has only the latter four for tags and images; tagdeck accepts those
//!   four and refuses the rest before sending. Namespaces also sort by
//!   `description_asc`/`description_desc`, as the API's enumeration says.
//! - `page` is a "positive integer": 0 is refused (pages count from 1).
//! - `force` on delete is deprecated but still accepted; tagdeck sends it
//!   only when given.
//! - Ids are UUIDs; anything else is refused before sending.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::catalog::{field, Field, ParamType, Type};
use crate::decode::json;
use crate::error::{ApiError, Error, Result};
use crate::request::format_float;
use crate::value::Value;

use super::accept;
use super::auth::AuthToken;
use super::http::{HttpMethod, HttpRequest, HttpResponse};
use super::rest::{
    self, integer, items, path, query, query_checked, required_text, text, Answer, RestApi,
    RestOperation, RestParam, TypedObject,
};

/// The region a client uses unless told another.
pub const DEFAULT_REGION: &str = "fr-par";

/// Scaleway's API origin.
pub const DEFAULT_ENDPOINT: &str = "https://api.scaleway.com";

/// The orders a tag or image listing accepts (the API's enumeration).
pub const TAG_ORDERS: &[&str] = &["created_at_asc", "created_at_desc", "name_asc", "name_desc"];
/// The orders a namespace listing accepts.
pub const NAMESPACE_ORDERS: &[&str] = &[
    "created_at_asc",
    "created_at_desc",
    "description_asc",
    "description_desc",
    "name_asc",
    "name_desc",
];
/// The statuses of tags, images and namespaces.
pub const STATUSES: &[&str] = &["unknown", "ready", "deleting", "error", "locked"];

const PAGE: ParamType = ParamType::Int {
    min: 1,
    max: i32::MAX as i64,
};
const PAGE_SIZE: ParamType = ParamType::Int { min: 1, max: 100 };
const TEXT: ParamType = ParamType::Str { max_len: None };

const REGION: RestParam = path("region", check_region, "a Scaleway region such as fr-par");
/// The paging of every listing, and its filters shared by several.
const PAGE_PARAM: RestParam = query("page", PAGE);
const PAGE_SIZE_PARAM: RestParam = query("page_size", PAGE_SIZE);
const NAME: RestParam = query("name", TEXT);
const ORGANIZATION_ID: RestParam = query_checked("organization_id", check_uuid, "a UUID");
const PROJECT_ID: RestParam = query_checked("project_id", check_uuid, "a UUID");
const TAG_ORDER: RestParam = query("order_by", ParamType::Enum(TAG_ORDERS));
const TAG_ID: RestParam = path("tag_id", check_uuid, "a UUID");

/// A listing's answer: one page of `$key` (items of type `$item`) and
/// `total_count`, the size of the whole listing.
macro_rules! page_of {
    ($key:literal, $item:expr) => {
        Answer::Json(Type::Object(&[
            field($key, Type::Array(&$item)),
            field("total_count", Type::Int),
        ]))
    };
}

const TAG_FIELDS: &[Field] = &[
    field("id", Type::Str),
    field("name", Type::Str),
    field("image_id", Type::Str),
    field("status", Type::Str),
    field("digest", Type::Str),
    field("created_at", Type::Str),
    field("updated_at", Type::Str),
];
const TAG: Type = Type::Object(TAG_FIELDS);

const IMAGE_FIELDS: &[Field] = &[
    field("id", Type::Str),
    field("name", Type::Str),
    field("namespace_id", Type::Str),
    field("status", Type::Str),
    field("status_message", Type::Str),
    field("visibility", Type::Str),
    field("size", Type::Long),
    field("created_at", Type::Str),
    field("updated_at", Type::Str),
    field("tags", Type::Array(&Type::Str)),
];

const NAMESPACE_FIELDS: &[Field] = &[
    field("id", Type::Str),
    field("name", Type::Str),
    field("description", Type::Str),
    field("organization_id", Type::Str),
    field("project_id", Type::Str),
    field("status", Type::Str),
    field("status_message", Type::Str),
    field("endpoint", Type::Str),
    field("is_public", Type::Bool),
    field("size", Type::Long),
    field("created_at", Type::Str),
    field("updated_at", Type::Str),
    field("image_count", Type::Int),
    field("region", Type::Str),
];

/// The answer objects as the package's typings name them.
pub const TYPED_OBJECTS: &[TypedObject] = &[
    TypedObject {
        name: "ScalewayTag",
        about: "A Scaleway tag (times as RFC 3339 text).",
        fields: TAG_FIELDS,
        present: &["id", "name"],
        notes: &[],
        typed: &[("status", "ScalewayStatus | string")],
    },
    TypedObject {
        name: "ScalewayImage",
        about: "A Scaleway image.",
        fields: IMAGE_FIELDS,
        present: &["id", "name"],
        notes: &[("size", "Bytes, exact.")],
        typed: &[("status", "ScalewayStatus | string")],
    },
    TypedObject {
        name: "ScalewayNamespace",
        about: "A Scaleway namespace.",
        fields: NAMESPACE_FIELDS,
        present: &["id", "name"],
        notes: &[("size", "Bytes, exact.")],
        typed: &[("status", "ScalewayStatus | string")],
    },
];

/// The operations, one entry each.
pub const OPERATIONS: &[RestOperation] = &[
    RestOperation {
        name: "ListNamespaces",
        doc: "Scaleway Registry API, List namespaces",
        summary: "Lists the registry namespaces of a region, one page at a time.",
        method: HttpMethod::Get,
        path: "/registry/v1/regions/{region}/namespaces",
        params: &[
            REGION,
            PAGE_PARAM,
            PAGE_SIZE_PARAM,
            query("order_by", ParamType::Enum(NAMESPACE_ORDERS)),
            ORGANIZATION_ID,
            PROJECT_ID,
            NAME,
        ],
        rules: &[],
        answer: page_of!("namespaces", Type::Object(NAMESPACE_FIELDS)),
        resolves_to: "{ namespaces: ScalewayNamespace[]; totalCount: number }",
    },
    RestOperation {
        name: "ListImages",
        doc: "Scaleway Registry API, List images",
        summary: "Lists images, in one namespace or all, one page at a time.",
        method: HttpMethod::Get,
        path: "/registry/v1/regions/{region}/images",
        params: &[
            REGION,
            PAGE_PARAM,
            PAGE_SIZE_PARAM,
            TAG_ORDER,
            query_checked("namespace_id", check_uuid, "a UUID"),
            NAME,
            ORGANIZATION_ID,
            PROJECT_ID,
        ],
        rules: &[],
        answer: page_of!("images", Type::Object(IMAGE_FIELDS)),
        resolves_to: "{ images: ScalewayImage[]; totalCount: number }",
    },
    RestOperation {
        name: "ListTags",
        doc: "Scaleway Registry API, List tags",
        summary: "Lists the tags of an image, one page at a time.",
        method: HttpMethod::Get,
        path: "/registry/v1/regions/{region}/images/{image_id}/tags",
        params: &[
            REGION,
            path("image_id", check_uuid, "a UUID"),
            PAGE_PARAM,
            PAGE_SIZE_PARAM,
            TAG_ORDER,
            NAME,
        ],
        rules: &[],
        answer: page_of!("tags", TAG),
        resolves_to: "{ tags: ScalewayTag[]; totalCount: number }",
    },
    RestOperation {
        name: "GetTag",
        doc: "Scaleway Registry API, Get a tag",
        summary: "Reads one tag by its id.",
        method: HttpMethod::Get,
        path: "/registry/v1/regions/{region}/tags/{tag_id}",
        params: &[REGION, TAG_ID],
        rules: &[],
        answer: Answer::Json(TAG),
        resolves_to: "ScalewayTag",
    },
    RestOperation {
        name: "DeleteTag",
        doc: "Scaleway Registry API, Delete a tag",
        summary: "Deletes one tag by its id; answers the deleted tag.",
        method: HttpMethod::Delete,
        path: "/registry/v1/regions/{region}/tags/{tag_id}",
        params: &[REGION, TAG_ID, query("force", ParamType::Bool)],
        rules: &[],
        answer: Answer::Json(TAG),
        resolves_to: "ScalewayTag",
    },
];

/// The Scaleway registry API as a [`RestApi`].
pub const API: RestApi = RestApi {
    name: "Scaleway",
    class: "ScalewayRegistry",
    defaulted: &["region"],
    operations: rest::api_operations!(OPERATIONS),
    headers: &[],
    error: api_error,
    pages: &[],
};

/// `fr-par`, `nl-ams`, `pl-waw`: lower-case letters and digits in parts
/// joined by `-`.
fn check_region(name: &str, text: &str) -> Result<String> {
    let well_formed = !text.is_empty()
        && text.len() <= 32
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    accept(well_formed, name, text, "expected a region such as fr-par")
}

/// A UUID in its 8-4-4-4-12 hexadecimal form.
pub fn check_uuid(name: &str, text: &str) -> Result<String> {
    let b = text.as_bytes();
    let well_formed = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    accept(
        well_formed,
        name,
        text,
        "expected a UUID (8-4-4-4-12 hexadecimal digits)",
    )
}

// ---- Requests. ----

/// A client configuration: the region and the secret key. It builds
/// requests of the operations of [`OPERATIONS`] by name, checked against
/// the table ([`Scaleway::request`]); it sends nothing.
#[derive(Debug, Clone)]
pub struct Scaleway {
    region: String,
    token: AuthToken,
}

impl Scaleway {
    /// A configuration for `region` (e.g. `fr-par`) with a secret key.
    pub fn new(region: &str, token: AuthToken) -> Result<Self> {
        Ok(Scaleway {
            region: check_region("region", region)?,
            token,
        })
    }

    /// The region requests go to unless they name another.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Builds the request of the operation called `operation` from wire
    /// (or camelCase) parameters; `region` defaults to this configuration's.
    pub fn request<K: AsRef<str>>(
        &self,
        operation: &str,
        params: &[(K, Value)],
    ) -> Result<HttpRequest> {
        let op = API.operation(operation)?;
        let mut all: Vec<(&str, Value)> = params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.clone()))
            .collect();
        if !all.iter().any(|(k, v)| *k == "region" && *v != Value::Null) {
            all.push(("region", Value::from(self.region.as_str())));
        }
        API.build(op, &all, &self.token)
    }
}

// ---- Typed answers. ----

/// The status of a tag, image or namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `unknown` (also what an absent or empty status means, as in the SDKs).
    Unknown,
    /// `ready`.
    Ready,
    /// `deleting`.
    Deleting,
    /// `error`.
    Error,
    /// `locked`.
    Locked,
    /// A value this version does not know, kept as sent.
    Other(String),
}

impl Status {
    /// Reads a status; unknown values are kept, not refused.
    pub fn parse(text: &str) -> Status {
        match text {
            "" | "unknown" => Status::Unknown,
            "ready" => Status::Ready,
            "deleting" => Status::Deleting,
            "error" => Status::Error,
            "locked" => Status::Locked,
            other => Status::Other(other.to_string()),
        }
    }

    /// The wire text.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Unknown => "unknown",
            Status::Ready => "ready",
            Status::Deleting => "deleting",
            Status::Error => "error",
            Status::Locked => "locked",
            Status::Other(text) => text,
        }
    }
}

/// One tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalewayTag {
    /// Its UUID (what get and delete take).
    pub id: String,
    /// The tag's name, unique within its image.
    pub name: String,
    /// The image's UUID.
    pub image_id: String,
    /// Its status.
    pub status: Status,
    /// The content digest; several tags of an image may share it.
    pub digest: String,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Last update, RFC 3339.
    pub updated_at: Option<String>,
}

impl ScalewayTag {
    /// Reads a decoded tag object.
    pub fn from_value(value: &Value) -> Result<Self> {
        Ok(ScalewayTag {
            id: required_text(value, "id", "a Scaleway tag")?,
            name: required_text(value, "name", "a Scaleway tag")?,
            image_id: text(value, "image_id").unwrap_or_default(),
            status: Status::parse(&text(value, "status").unwrap_or_default()),
            digest: text(value, "digest").unwrap_or_default(),
            created_at: text(value, "created_at"),
            updated_at: text(value, "updated_at"),
        })
    }
}

/// One page of tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList {
    /// The tags of this page.
    pub tags: Vec<ScalewayTag>,
    /// How many tags match in all pages.
    pub total_count: u64,
}

/// Decodes the answer of the operation called `operation` into a value
/// (the generic path the JS layer uses).
pub fn decode(operation: &str, response: &HttpResponse) -> Result<Value> {
    API.decode(API.operation(operation)?, response)
}

fn total_count(value: &Value) -> Result<u64> {
    match integer(value, "total_count") {
        Some(n) if n >= 0 => Ok(n as u64),
        Some(n) => Err(Error::decode(format!("total_count is negative: {n}"))),
        None => Err(Error::decode("the list answer has no total_count")),
    }
}

/// Decodes a `GetTag` or `DeleteTag` answer.
pub fn decode_tag(response: &HttpResponse) -> Result<ScalewayTag> {
    ScalewayTag::from_value(&decode("GetTag", response)?)
}

/// Decodes a `ListTags` answer.
pub fn decode_tag_list(response: &HttpResponse) -> Result<TagList> {
    let value = decode("ListTags", response)?;
    Ok(TagList {
        tags: items(&value, "tags")
            .iter()
            .map(ScalewayTag::from_value)
            .collect::<Result<_>>()?,
        total_count: total_count(&value)?,
    })
}

// ---- Errors. ----

/// Reads a Scaleway error answer: `type` is the code, `message` the
/// message, followed by the answer's other details (`resource`,
/// `resource_id`, `details[]` with `argument_name`/`help_message`, ...) so
/// nothing the service said is lost. The request id comes from the
/// `X-Request-Id` header. A body that is not such a document still gives an
/// error, with a code from the HTTP status.
pub fn api_error(response: &HttpResponse) -> ApiError {
    let request_id = response.request_id();
    let parsed = json::decode(&response.body, &Type::Any)
        .ok()
        .filter(|v| v.get("type").is_some() || v.get("message").is_some());
    let Some(document) = parsed else {
        let mut fallback =
            crate::decode::api_error(response.status, &response.body, crate::sign::Format::Json);
        fallback.request_id = fallback.request_id.or(request_id);
        return fallback;
    };
    let code = text(&document, "type")
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| status_code(response.status).to_string());
    let mut message = text(&document, "message").unwrap_or_default();
    let mut extra: Vec<String> = Vec::new();
    if let Value::Object(members) = &document {
        for (key, value) in members {
            if key == "type" || key == "message" {
                continue;
            }
            if let Some(shown) = describe(value) {
                extra.push(format!("{key}: {shown}"));
            }
        }
    }
    if !extra.is_empty() {
        if !message.is_empty() {
            message.push(' ');
        }
        message.push('(');
        message.push_str(&extra.join("; "));
        message.push(')');
    }
    ApiError {
        code,
        message,
        request_id,
        host_id: None,
        recommend: None,
        http_status: response.status,
    }
}

/// A detail of an error body as short text: scalars as they are, lists
/// item by item, objects as `argument_name` + `help_message`/`reason` when
/// they have them (Scaleway's `invalid_arguments` details), else `k=v`.
fn describe(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Str(s) if s.is_empty() => None,
        Value::Str(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        Value::Float(f) => Some(format_float(*f)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(describe).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(members) => {
            if let Some(argument) = value.get("argument_name").and_then(Value::as_str) {
                let why = value
                    .get("help_message")
                    .or_else(|| value.get("reason"))
                    .and_then(describe)
                    .unwrap_or_default();
                return Some(format!("{argument} {why}").trim_end().to_string());
            }
            let parts: Vec<String> = members
                .iter()
                .filter_map(|(k, v)| describe(v).map(|shown| format!("{k}={shown}")))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    }
}

/// Scaleway's own error types for a bare HTTP status.
fn status_code(status: u16) -> &'static str {
    match status {
        400 => "invalid_arguments",
        401 => "denied_authentication",
        403 => "permissions_denied",
        404 => "not_found",
        409 => "conflict",
        429 => "too_many_requests",
        500..=599 => "internal_error",
        _ => "unknown_error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_check() {
        assert!(check_uuid("x", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0").is_ok());
        assert!(check_uuid("x", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0").is_ok());
        for bad in [
            "",
            "0f1e2d3c4b5a697887 96a5b4c3d2e1f0",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg",
            "0f1e2d3c_4b5a-6978-8796-a5b4c3d2e1f0",
        ] {
            let error = check_uuid("tag_id", bad).unwrap_err();
            assert_eq!(error.code(), "InvalidParameter", "{bad}");
            assert!(error.message().contains("tag_id"));
        }
    }

    #[test]
    fn region_check() {
        for good in ["fr-par", "nl-ams", "pl-waw", "it-mil"] {
            assert!(check_region("region", good).is_ok(), "{good}");
        }
        for bad in ["", "FR-PAR", "fr_par", "fr-", "-par", "fr-par/x", "fr par"] {
            assert!(check_region("region", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_details_show_numbers_as_javascript_spells_them() {
        assert_eq!(describe(&Value::Float(1e21)).as_deref(), Some("1e+21"));
        assert_eq!(describe(&Value::Float(0.5)).as_deref(), Some("0.5"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in STATUSES {
            assert_eq!(Status::parse(s).as_str(), *s);
        }
        assert_eq!(Status::parse(""), Status::Unknown);
        assert_eq!(Status::parse("frozen"), Status::Other("frozen".into()));
    }
}
