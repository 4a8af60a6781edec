//! Open Telekom Cloud SWR (Software Repository for Containers), API v2
//! (OTC's "Software Repository for Container API Reference"; the facts it
//! leaves out in docs/api-facts.md, "Open Telekom Cloud SWR"): list an image
//! repository's tags with its filters and `Content-Range` paging, read one
//! tag, delete one, and create one from a source tag; list the account's
//! namespaces and its image repositories (paged the same way); and a
//! repository's image retention policies: list, read, create, modify and
//! delete them (the SWR API reference's "Image Retention Policy
//! Management"; tagdeck's retention engine previews them, `retention`'s
//! "swr" dialect).
//!
//! Every request carries `X-Auth-Token: <IAM token>` and, as the reference
//! requires, `Content-Type: application/json`.
//!
//! Where the reference is ambiguous, tagdeck decides as follows:
//! - `Content-Range` is documented as `offset-count/total` ("Count: number
//!   of records on the current page"), while HTTP's own header of that name
//!   is `first-last/total` (inclusive), and `0-99/250` reads either way.
//!   tagdeck pages by what it knows for sure: the offset it asked for, the
//!   number of tags in the body, and the total; the middle number is kept
//!   as sent ([`ContentRange`]) but never used for paging.
//! - Without `offset`/`limit`, OTC says "all records are returned"; the
//!   Huawei Cloud edition of the same API defaults to 100 and caps `limit`
//!   at 1000. tagdeck accepts `limit` from 1 to 1000 and always sends both
//!   when it pages, so both editions answer alike.
//! - `order_column`: the reference names only `updated_at`; tagdeck also
//!   accepts `created_at` (the other time every tag carries, and a column
//!   the Huawei Cloud edition sorts by). Anything else is refused before
//!   sending; sorting by name is the caller's, on the page it has.
//! - `filter` (`offset::0|limit::10|order_column::updated_at|order_type::desc|tag::v1`)
//!   is another spelling of the five separate parameters. tagdeck checks
//!   its parts by the same rules, sends it in that canonical order, and
//!   refuses a request that mixes it with the separate parameters (which
//!   one the service would obey is not documented).
//! - Repository names may contain `/`; in a path SWR writes it as `$`
//!   (as its SDKs and Terraform providers do). tagdeck accepts either.
//! - Error bodies: SWR's own are `{"errorCode", "errorMessage"}`; the API
//!   gateway and IAM in front of it answer `{"error_code", "error_msg"}` or
//!   `{"error": {"code", "message"}}`. All are read.

use alloc::format;
use alloc::string::{String, ToString};

use crate::catalog::{field, Field, ParamType, Type};
use crate::decode::json;
use crate::error::{ApiError, Error, Result};
use crate::value::Value;

use super::auth::AuthToken;
use super::http::{HttpMethod, HttpRequest, HttpResponse};
use super::rest::{
    self, body, path, query, query_checked, Answer, Kind, Place, RestApi, RestOperation, RestParam,
    Rule, TypedObject,
};

mod answers;
mod names;
mod paging;

pub use answers::{decode, decode_empty, decode_tag, decode_tag_page, SwrTag, TagPage};
use names::{check_filter, check_namespace, check_repository, check_tag_filter, check_tag_name};
pub use names::{filter, format_filter, parse_filter};
use paging::content_range_page;
pub use paging::{next_offset, parse_content_range, ContentRange};

/// The documented column to sort by, and the other time tagdeck accepts.
pub const ORDER_COLUMNS: &[&str] = &["updated_at", "created_at"];
/// The sort directions.
pub const ORDER_TYPES: &[&str] = &["desc", "asc"];
/// The largest `limit` (Huawei Cloud's documented cap).
pub const MAX_LIMIT: i64 = 1000;

/// The region a client uses unless told another.
pub const DEFAULT_REGION: &str = "eu-de";

/// The SWR API origin of an Open Telekom Cloud region (`eu-de`, `eu-nl`);
/// the error names `region` when it is not a region's name.
pub fn endpoint_for_region(region: &str) -> Result<String> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::invalid(
            "region",
            "expected a region such as eu-de (lower-case letters, digits and -)",
        ));
    }
    Ok(format!("https://swr-api.{region}.otc.t-systems.com"))
}

const LIMIT: ParamType = ParamType::Int {
    min: 1,
    max: MAX_LIMIT,
};
const OFFSET: ParamType = ParamType::Int {
    min: 0,
    max: i64::MAX,
};

const NAMESPACE_NAME: &str = "an organization name: lower-case letters, digits, '.', '_', '-'";
const REPOSITORY_NAME: &str = "a repository name; '/' is sent as '$'";
const NAMESPACE: RestParam = path("namespace", check_namespace, NAMESPACE_NAME);
const REPOSITORY: RestParam = path("repository", check_repository, REPOSITORY_NAME);
const TAG_NAME: RestParam = path("tag", check_tag_name, "a Docker tag name");

/// The five listing parameters `filter` can carry, with their rules.
const LISTING_PARAMS: &[RestParam] = &[
    query("offset", OFFSET),
    query("limit", LIMIT),
    query("order_column", ParamType::Enum(ORDER_COLUMNS)),
    query("order_type", ParamType::Enum(ORDER_TYPES)),
    query_checked("tag", check_tag_filter, "tag name characters"),
];
const LISTING_RULES: &[Rule] = &[
    Rule::Together("offset", "limit"),
    Rule::MultipleOf("offset", "limit"),
    Rule::Together("order_column", "order_type"),
];

/// The listing parameters alone: how the parts of `filter` are checked.
const FILTER_PARTS: RestOperation = RestOperation {
    name: "filter",
    doc: rest::doc("SWR API reference, Querying the List of Image Repository Tags: filter"),
    summary: rest::doc("The parts of the filter parameter."),
    method: HttpMethod::Get,
    path: "",
    params: LISTING_PARAMS,
    rules: LISTING_RULES,
    answer: Answer::Empty,
    resolves_to: "",
};

const TAG_FIELDS: &[Field] = &[
    field("id", Type::Long),
    field("repo_id", Type::Long),
    field("Tag", Type::Str),
    field("image_id", Type::Str),
    field("manifest", Type::Str),
    field("digest", Type::Str),
    field("schema", Type::Int),
    field("path", Type::Str),
    field("internal_path", Type::Str),
    field("size", Type::Long),
    field("is_trusted", Type::Bool),
    field("created", Type::Str),
    field("updated", Type::Str),
    field("deleted", Type::Str),
    field("domain_id", Type::Str),
    field("tag_type", Type::Int),
];
const TAG: Type = Type::Object(TAG_FIELDS);

/// A repository as `ListReposDetails` gives it (huaweicloud-sdk-go-v3
/// services/swr/v2 model ShowReposResp), less what a tag manager has no
/// use for and the WebAssembly budget would pay for: `description`,
/// `num_download`, `domain_name`, `total_range` and the unused `logo`/`url`.
const REPO_FIELDS: &[Field] = &[
    field("name", Type::Str),
    field("namespace", Type::Str),
    field("category", Type::Str),
    field("size", Type::Long),
    field("is_public", Type::Bool),
    field("num_images", Type::Long),
    field("created_at", Type::Str),
    field("updated_at", Type::Str),
    field("path", Type::Str),
    field("internal_path", Type::Str),
    field("tags", Type::Array(&Type::Str)),
    field("status", Type::Bool),
];
const REPO: Type = Type::Object(REPO_FIELDS);

/// A namespace as `ListNamespaces` gives it (SDK model ShowNamespace).
const NAMESPACE_FIELDS: &[Field] = &[
    field("id", Type::Long),
    field("name", Type::Str),
    field("creator_name", Type::Str),
    field("auth", Type::Int),
];
const NAMESPACE_LIST: &[Field] = &[field(
    "namespaces",
    Type::Array(&Type::Object(NAMESPACE_FIELDS)),
)];

/// One tag selector of a retention rule: a tag the rule sets aside
/// (`label`: that tag; `regexp`: tags the expression matches).
const TAG_SELECTOR_FIELDS: &[Field] = &[field("kind", Type::Str), field("pattern", Type::Str)];
/// A retention rule's `params`: `days` for `date_rule`, `num` for
/// `tag_rule`, each a decimal number written as a string.
const RULE_PARAMS_FIELDS: &[Field] = &[field("days", Type::Str), field("num", Type::Str)];
/// One rule of an image retention policy (SWR API reference, "Creating an
/// Image Retention Policy"): `template` is `date_rule` or `tag_rule`.
const RETENTION_RULE_FIELDS: &[Field] = &[
    field("template", Type::Str),
    field("params", Type::Object(RULE_PARAMS_FIELDS)),
    field(
        "tag_selectors",
        Type::Array(&Type::Object(TAG_SELECTOR_FIELDS)),
    ),
];
const RETENTION_RULES: Type = Type::Array(&Type::Object(RETENTION_RULE_FIELDS));
/// An image retention policy as "Querying an Image Retention Policy" gives
/// it (`scope` is reserved by the service).
const RETENTION_FIELDS: &[Field] = &[
    field("id", Type::Int),
    field("algorithm", Type::Str),
    field("rules", RETENTION_RULES),
    field("scope", Type::Str),
];
const RETENTION: Type = Type::Object(RETENTION_FIELDS);
/// The answer of a creation (the reference's example: `{"id": 34}`).
const RETENTION_CREATED: &[Field] = &[field("id", Type::Int)];
const RETENTION_ID: RestParam = RestParam {
    name: "retention_id",
    place: Place::Path,
    kind: Kind::Scalar(ParamType::Int {
        min: 1,
        max: i64::MAX,
    }),
    required: true,
};
/// The body of a policy: `algorithm` (only `or` is documented) and the rules.
const RETENTION_BODY: [RestParam; 2] = [
    body("algorithm", Kind::Scalar(ParamType::Enum(&["or"])), true),
    body(
        "rules",
        Kind::Scalar(ParamType::Json(&RETENTION_RULES)),
        true,
    ),
];

/// The answer objects as the package's typings name them.
pub const TYPED_OBJECTS: &[TypedObject] = &[
    TypedObject {
        name: "SwrTag",
        about: "An SWR tag (the fields of the SWR API reference; sizes and ids exact).",
        fields: TAG_FIELDS,
        present: &["Tag"],
        notes: &[("Tag", "The tag name (`Tag` on the wire).")],
        typed: &[],
    },
    TypedObject {
        name: "SwrRepository",
        about: "An SWR image repository (Huawei Cloud SDK model ShowReposResp; sizes exact).",
        fields: REPO_FIELDS,
        present: &["name"],
        notes: &[
            ("path", "Pull address, `host/namespace/name`."),
            ("tags", "Its tag names."),
        ],
        typed: &[],
    },
    TypedObject {
        name: "SwrNamespace",
        about: "An SWR namespace (organization).",
        fields: NAMESPACE_FIELDS,
        present: &["name"],
        notes: &[(
            "auth",
            "The caller's permission: 7 manage, 3 write, 1 read.",
        )],
        typed: &[],
    },
    TypedObject {
        name: "SwrNamespaceList",
        about: "The answer of `listNamespaces`.",
        fields: NAMESPACE_LIST,
        present: &[],
        notes: &[],
        typed: &[],
    },
    TypedObject {
        name: "SwrRetention",
        about: "An image retention policy (`listRetentions`, `showRetention`): a tag any rule keeps stays (`algorithm: \"or\"`).",
        fields: RETENTION_FIELDS,
        present: &["id"],
        notes: &[("scope", "Reserved by the service.")],
        typed: &[],
    },
    TypedObject {
        name: "SwrRetentionRule",
        about: "One rule of an image retention policy: `date_rule` keeps the tags pushed within `params.days` days, `tag_rule` the `params.num` most recent; the tags a selector matches are set aside (never counted or deleted).",
        fields: RETENTION_RULE_FIELDS,
        present: &["template", "params"],
        notes: &[],
        typed: &[("template", "\"date_rule\" | \"tag_rule\"")],
    },
    TypedObject {
        name: "SwrRetentionParams",
        about: "A retention rule's number, a decimal string as SWR writes it: `days` for `date_rule`, `num` for `tag_rule`.",
        fields: RULE_PARAMS_FIELDS,
        present: &[],
        notes: &[],
        typed: &[],
    },
    TypedObject {
        name: "SwrTagSelector",
        about: "A tag a retention rule sets aside: `label`, that tag; `regexp`, the tags the expression is found in.",
        fields: TAG_SELECTOR_FIELDS,
        present: &["kind", "pattern"],
        notes: &[],
        typed: &[("kind", "\"label\" | \"regexp\"")],
    },
    TypedObject {
        name: "SwrRetentionId",
        about: "The answer of `createRetention`: the new policy's id.",
        fields: RETENTION_CREATED,
        present: &["id"],
        notes: &[],
        typed: &[],
    },
];

/// The columns `ListReposDetails` sorts by (Huawei Cloud SWR v2 reference).
pub const REPO_ORDER_COLUMNS: &[&str] = &["name", "updated_time", "tag_count"];

/// The operations, one entry each.
pub const OPERATIONS: &[RestOperation] = &[
    RestOperation {
        name: "ListRepositoryTags",
        doc: "SWR API reference, Querying the List of Image Repository Tags",
        summary: "Lists the tags of an image repository; pages through Content-Range.",
        method: HttpMethod::Get,
        path: "/v2/manage/namespaces/{namespace}/repos/{repository}/tags",
        params: &[
            NAMESPACE,
            REPOSITORY,
            LISTING_PARAMS[0],
            LISTING_PARAMS[1],
            LISTING_PARAMS[2],
            LISTING_PARAMS[3],
            LISTING_PARAMS[4],
            query_checked("filter", check_filter, FILTER_FORM),
        ],
        rules: &[
            LISTING_RULES[0],
            LISTING_RULES[1],
            LISTING_RULES[2],
            Rule::Excludes(
                "filter",
                &["offset", "limit", "order_column", "order_type", "tag"],
            ),
        ],
        answer: Answer::Json(Type::Array(&TAG)),
        resolves_to: "SwrTagList",
    },
    RestOperation {
        name: "ShowRepoTag",
        doc: "Huawei Cloud SWR v2 ShowRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)",
        summary: "Reads one tag of an image repository.",
        method: HttpMethod::Get,
        path: "/v2/manage/namespaces/{namespace}/repos/{repository}/tags/{tag}",
        params: &[NAMESPACE, REPOSITORY, TAG_NAME],
        rules: &[],
        answer: Answer::Json(TAG),
        resolves_to: "SwrTag",
    },
    RestOperation {
        name: "DeleteRepoTag",
        doc: "Huawei Cloud SWR v2 DeleteRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)",
        summary: "Deletes one tag of an image repository.",
        method: HttpMethod::Delete,
        path: "/v2/manage/namespaces/{namespace}/repos/{repository}/tags/{tag}",
        params: &[NAMESPACE, REPOSITORY, TAG_NAME],
        rules: &[],
        answer: Answer::Empty,
        resolves_to: "void",
    },
    RestOperation {
        name: "CreateRepoTag",
        doc: "Huawei Cloud SWR v2 CreateRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)",
        summary: "Creates a tag pointing at the image of a source tag.",
        method: HttpMethod::Post,
        path: "/v2/manage/namespaces/{namespace}/repos/{repository}/tags",
        params: &[
            NAMESPACE,
            REPOSITORY,
            body("source_tag", DOCKER_TAG, true),
            body("destination_tag", DOCKER_TAG, true),
            body("override", Kind::Scalar(ParamType::Bool), false),
        ],
        rules: &[],
        answer: Answer::Empty,
        resolves_to: "void",
    },
    RestOperation {
        // The SDK's ListReposDetails; named for what it lists, beside
        // ListRepositoryTags.
        name: "ListRepositories",
        doc: "Huawei Cloud SWR v2 ListReposDetails (huaweicloud-sdk-go-v3 services/swr/v2)",
        summary: "Lists the image repositories of the account; pages through Content-Range.",
        method: HttpMethod::Get,
        path: "/v2/manage/repos",
        params: &[
            query_checked("namespace", check_namespace, NAMESPACE_NAME),
            query_checked("name", check_repository, REPOSITORY_NAME),
            query_checked("category", check_tag_filter, "a category such as other"),
            LISTING_PARAMS[0],
            LISTING_PARAMS[1],
            query("order_column", ParamType::Enum(REPO_ORDER_COLUMNS)),
            LISTING_PARAMS[3],
        ],
        rules: LISTING_RULES,
        answer: Answer::Json(Type::Array(&REPO)),
        resolves_to: "SwrRepositoryList",
    },
    RestOperation {
        name: "ListNamespaces",
        doc: "Huawei Cloud SWR v2 ListNamespaces (huaweicloud-sdk-go-v3 services/swr/v2)",
        summary: "Lists the namespaces (organizations) of the account.",
        method: HttpMethod::Get,
        path: "/v2/manage/namespaces",
        params: &[query_checked("namespace", check_namespace, NAMESPACE_NAME)],
        rules: &[],
        answer: Answer::Json(Type::Object(NAMESPACE_LIST)),
        resolves_to: "SwrNamespaceList",
    },
    RestOperation {
        name: "ListRetentions",
        doc: "SWR API reference, Querying the Image Retention Policy List",
        summary: "Lists the image retention policies of a repository.",
        method: HttpMethod::Get,
        path: RETENTIONS,
        params: &[NAMESPACE, REPOSITORY],
        rules: &[],
        answer: Answer::Json(Type::Array(&RETENTION)),
        resolves_to: "SwrRetention[]",
    },
    RestOperation {
        name: "ShowRetention",
        doc: "SWR API reference, Querying an Image Retention Policy",
        summary: "Reads one image retention policy.",
        method: HttpMethod::Get,
        path: RETENTION_PATH,
        params: &[NAMESPACE, REPOSITORY, RETENTION_ID],
        rules: &[],
        answer: Answer::Json(RETENTION),
        resolves_to: "SwrRetention",
    },
    RestOperation {
        name: "CreateRetention",
        doc: "SWR API reference, Creating an Image Retention Policy",
        summary: "Creates the image retention policy of a repository; SWR applies it at once.",
        method: HttpMethod::Post,
        path: RETENTIONS,
        params: &[NAMESPACE, REPOSITORY, RETENTION_BODY[0], RETENTION_BODY[1]],
        rules: &[],
        answer: Answer::Json(Type::Object(RETENTION_CREATED)),
        resolves_to: "SwrRetentionId",
    },
    RestOperation {
        name: "UpdateRetention",
        doc: "SWR API reference, Modifying an Image Retention Policy",
        summary: "Replaces the rules of an image retention policy.",
        method: HttpMethod::Patch,
        path: RETENTION_PATH,
        params: &[
            NAMESPACE,
            REPOSITORY,
            RETENTION_ID,
            RETENTION_BODY[0],
            RETENTION_BODY[1],
        ],
        rules: &[],
        answer: Answer::Empty,
        resolves_to: "void",
    },
    RestOperation {
        name: "DeleteRetention",
        doc: "SWR API reference, Deleting an Image Retention Policy",
        summary: "Deletes an image retention policy; tags are not touched.",
        method: HttpMethod::Delete,
        path: RETENTION_PATH,
        params: &[NAMESPACE, REPOSITORY, RETENTION_ID],
        rules: &[],
        answer: Answer::Empty,
        resolves_to: "void",
    },
];

const RETENTIONS: &str = "/v2/manage/namespaces/{namespace}/repos/{repository}/retentions";
const RETENTION_PATH: &str =
    "/v2/manage/namespaces/{namespace}/repos/{repository}/retentions/{retention_id}";

const DOCKER_TAG: Kind = Kind::Checked {
    check: check_tag_name,
    accepts: rest::doc("a Docker tag name"),
};

const FILTER_FORM: &str =
    "offset::{offset}|limit::{limit}|order_column::{order_column}|order_type::{order_type}|tag::{tag}";

/// The SWR API as a [`RestApi`].
pub const API: RestApi = RestApi {
    name: "SWR",
    class: "SwrRegistry",
    defaulted: &[],
    operations: rest::api_operations!(OPERATIONS),
    headers: &[("Content-Type", "application/json")],
    error: api_error,
    pages: &[
        ("ListRepositoryTags", list_page),
        ("ListRepositories", repos_page),
    ],
};

/// A `ListRepositoryTags` page as a call gives it: the tags in SWR's own
/// shape, the raw `Content-Range`, its total, and where the next page
/// starts.
const LIST_PAGE_FIELDS: &[Field] = &[
    field("tags", Type::Array(&TAG)),
    field("content_range", Type::Str),
    field("total", Type::Int),
    field("next_offset", Type::Int),
];

/// A `ListRepositories` page: the repositories and the same paging state.
const REPOS_PAGE_FIELDS: &[Field] = &[
    field("repos", Type::Array(&REPO)),
    LIST_PAGE_FIELDS[1],
    LIST_PAGE_FIELDS[2],
    LIST_PAGE_FIELDS[3],
];

/// Makes the page of a `ListRepositoryTags` exchange ([`LIST_PAGE_FIELDS`]).
fn list_page(request: &HttpRequest, response: &HttpResponse, tags: Value) -> Result<(Value, Type)> {
    content_range_page(LIST_PAGE_FIELDS, request, response, tags)
}

/// Makes the page of a `ListRepositories` exchange ([`REPOS_PAGE_FIELDS`]).
fn repos_page(
    request: &HttpRequest,
    response: &HttpResponse,
    repos: Value,
) -> Result<(Value, Type)> {
    content_range_page(REPOS_PAGE_FIELDS, request, response, repos)
}

// ---- Requests. ----

/// A client configuration: the IAM token. It builds requests of the
/// operations of [`OPERATIONS`] by name, checked against the table
/// ([`Swr::request`]); it sends nothing. (The endpoint is the transport's:
/// [`endpoint_for_region`].)
#[derive(Debug, Clone)]
pub struct Swr {
    token: AuthToken,
}

impl Swr {
    /// A configuration with an IAM token.
    pub fn new(token: AuthToken) -> Self {
        Swr { token }
    }

    /// Builds the request of the operation called `operation` from wire
    /// (or camelCase) parameters.
    pub fn request<K: AsRef<str>>(
        &self,
        operation: &str,
        params: &[(K, Value)],
    ) -> Result<HttpRequest> {
        API.build(API.operation(operation)?, params, &self.token)
    }
}

// ---- Errors. ----

/// Reads an SWR error answer (see the module's notes for the shapes). The
/// request id comes from `X-Request-Id`, or the body's `request_id`.
pub fn api_error(response: &HttpResponse) -> ApiError {
    let document = json::decode(&response.body, &Type::Any).ok();
    let nested = document.as_ref().and_then(|d| d.get("error")).cloned();
    let first = |keys: &[&str]| -> Option<String> {
        let sources = [document.as_ref(), nested.as_ref()];
        sources.into_iter().flatten().find_map(|doc| {
            keys.iter().find_map(|k| match doc.get(k) {
                Some(Value::Str(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Int(n)) => Some(n.to_string()),
                _ => None,
            })
        })
    };
    let code = first(&["errorCode", "error_code", "code"]);
    let message = first(&["errorMessage", "error_msg", "message"]);
    let request_id = response.request_id().or_else(|| first(&["request_id"]));
    match (code, message) {
        (None, None) => {
            let mut fallback = crate::decode::api_error(
                response.status,
                &response.body,
                crate::sign::Format::Json,
            );
            fallback.request_id = fallback.request_id.or(request_id);
            fallback
        }
        (code, message) => ApiError {
            code: code.unwrap_or_else(|| status_code(response.status).to_string()),
            message: message.unwrap_or_default(),
            request_id,
            host_id: None,
            recommend: None,
            http_status: response.status,
        },
    }
}

fn status_code(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "Throttling",
        500..=599 => "InternalError",
        _ => "UnexpectedResponse",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_rule() {
        for good in ["group", "a", "my-org.x", "a__b", "org1"] {
            assert!(check_namespace("namespace", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1org",
            "Org",
            "a-",
            "a..b",
            "a._b",
            "a___b",
            "a/b",
            &"a".repeat(65),
        ] {
            assert!(check_namespace("namespace", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn repository_slashes_become_dollars() {
        assert_eq!(
            check_repository("repository", "app/web").unwrap(),
            "app$web"
        );
        assert_eq!(
            check_repository("repository", "app$web").unwrap(),
            "app$web"
        );
        for bad in ["", "/app", "app/", "App", "a b", "a?b"] {
            assert!(check_repository("repository", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tag_rules() {
        for good in ["latest", "v1.2.3", "_x", "A-b_c.d", &"a".repeat(128)] {
            assert!(check_tag_name("tag", good).is_ok(), "{good}");
        }
        for bad in ["", ".x", "-x", "a/b", "a:b", "a|b", &"a".repeat(129)] {
            assert!(check_tag_name("tag", bad).is_err(), "{bad}");
        }
        assert!(check_tag_filter("tag", ".1").is_ok());
        assert!(check_tag_filter("tag", "a|b").is_err());
    }

    #[test]
    fn create_body_is_json_in_declaration_order() {
        let swr = Swr::new(AuthToken::new("token").unwrap());
        let create = |overwrite: Value| {
            swr.request(
                "CreateRepoTag",
                &[
                    ("namespace", Value::from("group")),
                    ("repository", "app".into()),
                    ("source_tag", "latest".into()),
                    ("destination_tag", "stable".into()),
                    ("override", overwrite),
                ],
            )
        };
        let request = create(Value::Bool(true)).unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some(r#"{"source_tag":"latest","destination_tag":"stable","override":true}"#)
        );
        let request = create(Value::Null).unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some(r#"{"source_tag":"latest","destination_tag":"stable"}"#)
        );
    }
}
