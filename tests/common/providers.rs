//! Helpers of the provider tests (tests/scaleway.rs, tests/swr.rs,
//! tests/common_tags.rs): configurations, tokens and ids, and checks.

use serde_json::json;
use tagdeck::providers::http::HttpRequest;
use tagdeck::providers::scaleway::Scaleway;
use tagdeck::providers::swr::Swr;
use tagdeck::providers::AuthToken;
use tagdeck::{ApiError, Error, Value};

pub const TOKEN: &str = "5ad1b0a8-93f6-4bb1-9e43-bd8b7a7e1f00";
pub const IMAGE: &str = "8f0c2a6e-5d3b-4c1a-9e7f-0a1b2c3d4e5f";
pub const TAG_ID: &str = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5";

pub fn scw() -> Scaleway {
    Scaleway::new("fr-par", AuthToken::new(TOKEN).unwrap()).unwrap()
}

/// A `GetTag` or `DeleteTag` request (`force` when given).
pub fn scw_tag(operation: &str, tag_id: &str, force: Option<bool>) -> Result<HttpRequest, Error> {
    scw().request(
        operation,
        &[("tag_id", Value::from(tag_id)), ("force", opt(force))],
    )
}

pub fn otc() -> Swr {
    Swr::new(AuthToken::new("MIIT-iam-token-value").unwrap())
}

pub fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An optional parameter: `None` is `Null`, which requests leave out.
pub fn opt<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

/// `api` has `code`, and its message says each of `fragments`.
pub fn assert_api_error(api: &ApiError, code: &str, fragments: &[&str]) {
    assert_eq!(api.code, code);
    for fragment in fragments {
        assert!(
            api.message.contains(fragment),
            "{fragment:?} is not in {:?}",
            api.message
        );
    }
}

/// A Scaleway tag answer (GetTag).
pub const SCW_TAG: &str = r#"{
  "id": "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
  "name": "latest",
  "image_id": "8f0c2a6e-5d3b-4c1a-9e7f-0a1b2c3d4e5f",
  "status": "ready",
  "digest": "sha256:57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3",
  "created_at": "2024-03-01T10:20:30.123456Z",
  "updated_at": "2024-03-02T00:00:00Z"
}"#;

/// The example answer of the SWR API reference ("Querying the List of
/// Image Repository Tags"), verbatim.
pub const SWR_REFERENCE_SAMPLE: &str = r#"[
{
"id": 0,
"repo_id": 0,
"Tag": "latest",
"image_id": "741f24a795d6d93d7c6edd11780d63c13e16c39615dd9d223378a57a836f2ee6",
"manifest": "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":1862,\"digest\":\"sha256:741f24a795d6d93d7c6edd11780d63c13e16c39615dd9d223378a57a836f2ee6\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":1292800,\"digest\":\"sha256:8ac8bfaff55af948c796026ee867448c5b5b5d9dd3549f4006d9759b25d4a893\"},{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":10240,\"digest\":\"sha256:77ddbf3a9fe11e81761a0f9df43a28e3e6f29bbb53c0c8cf71cd7efa69729aed\"}]}",
"digest": "sha256:57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3",
"schema": 2,
"path": "{Repository address}/group/busybox:latest",
"internal_path": "10.125.0.198:20202/namespace/busybox:latest",
"size": 1304902,
"is_trusted": false,
"created": "2018-07-06T06:18:55Z",
"updated": "2018-07-06T06:18:55Z",
"deleted": null,
"domain_id": "0503dda878000fed0f75c0096d70a960",
"tag_type": 0
}
]"#;

/// An SWR tag listing with these names.
pub fn swr_tags_json(names: impl IntoIterator<Item = String>) -> String {
    let tags: Vec<serde_json::Value> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"id": i, "repo_id": 7, "Tag": name, "image_id": "741f", "manifest": "",
                   "digest": format!("sha256:{i:064}"), "schema": 2,
                   "path": format!("swr.eu-de.otc.t-systems.com/group/busybox:{name}"),
                   "internal_path": "", "size": 1000 + i, "is_trusted": false,
                   "created": "2018-07-06T06:18:55Z", "updated": "2018-07-06T06:18:55Z",
                   "deleted": null, "domain_id": "d", "tag_type": 0})
        })
        .collect();
    serde_json::Value::Array(tags).to_string()
}
