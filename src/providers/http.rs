//! The sans-IO shape of every exchange tagdeck makes: one request type that
//! any transport (fetch, a test, the edge proxy) can send, whichever API
//! and signer made it ([`HttpRequest`]: the REST registries' token
//! requests, and a signed `cr` RPC call through [`HttpRequest::rpc`]), and
//! one answer type the decoders read ([`HttpResponse`]: status, headers,
//! body).
//!
//! A request carries its secrets (the `X-Auth-Token` or `Authorization`
//! header, an STS `SecurityToken` parameter), so its `Debug` shows them as
//! `<redacted>` and their values are wiped when the request is dropped.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroize;

use crate::catalog::{is_secret_param, Method};
use crate::encode::encode_pairs_into;
use crate::request::Redacted;
use crate::sign::SignedRequest;
use crate::value::parse_float;

/// The HTTP methods the APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// Reads.
    Get,
    /// Creates (SWR's tag from a source tag).
    Post,
    /// Deletes.
    Delete,
    /// Changes (SWR's image retention policy).
    Patch,
}

impl From<Method> for HttpMethod {
    fn from(method: Method) -> Self {
        match method {
            Method::Get => HttpMethod::Get,
            Method::Post => HttpMethod::Post,
        }
    }
}

impl HttpMethod {
    /// `"GET"`, `"POST"`, `"DELETE"` or `"PATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }
}

/// Header names whose values are secrets (compared ignoring ASCII case).
const SECRET_HEADERS: &[&str] = &["x-auth-token", "authorization"];

/// Whether the header called `name` carries a secret.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A request ready for any transport.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: HttpMethod,
    /// The path from the API's origin, starting with `/`, each segment
    /// already percent-encoded.
    pub path: String,
    /// Query parameters as plain text (not encoded), in sending order.
    pub query: Vec<(String, String)>,
    /// Headers, `X-Auth-Token` included.
    pub headers: Vec<(String, String)>,
    /// The body, for the requests that have one: JSON for the REST
    /// registries (with its `Content-Type` header), a form for `cr` (no
    /// header: transports send a body without one as a form).
    pub body: Option<String>,
}

impl HttpRequest {
    /// A signed `cr` RPC call as a request: `GET /?{parameters}` or
    /// `POST /` with the parameters as a form body. The query string is
    /// byte for byte the signed one ([`SignedRequest::encoded_params`]):
    /// the parameters are in signing order, encoded the same way.
    pub fn rpc(signed: &SignedRequest) -> HttpRequest {
        let (query, body) = match signed.method {
            Method::Get => (signed.params.clone(), None),
            Method::Post => (Vec::new(), Some(signed.encoded_params())),
        };
        HttpRequest {
            method: signed.method.into(),
            path: "/".into(),
            query,
            headers: Vec::new(),
            body,
        }
    }

    /// A `cr` call signed with V3 as a request: every parameter in the
    /// query (in canonical order, encoded as signed), the signed headers
    /// but `host` (the transport addresses the endpoint the host was taken
    /// from), an empty body.
    pub fn rpc_v3(signed: &crate::sign_v3::SignedRequest) -> HttpRequest {
        HttpRequest {
            method: signed.method.into(),
            path: "/".into(),
            query: signed.params.clone(),
            headers: signed
                .headers
                .iter()
                .filter(|(name, _)| name != "host")
                .cloned()
                .collect(),
            body: None,
        }
    }

    /// The encoded query string without the leading `?` (RFC 3986: a
    /// space is `%20`).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        encode_pairs_into(
            &mut out,
            self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        out
    }

    /// The path with the query string, as it goes on the request line.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&self.query_string());
        }
        out
    }

    /// The full URL under `endpoint`: a host (`api.scaleway.com`, HTTPS
    /// assumed) or an origin, optionally with a path prefix
    /// (`http://127.0.0.1:8080`).
    pub fn url(&self, endpoint: &str) -> String {
        let mut url = crate::sign::origin(endpoint);
        url.push_str(&self.path_and_query());
        url
    }

    /// The value of the header called `name` (ASCII case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if is_secret_header(k) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &Redacted(&self.query))
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

impl Drop for HttpRequest {
    fn drop(&mut self) {
        for (name, value) in &mut self.headers {
            if is_secret_header(name) {
                value.zeroize();
            }
        }
        for (name, value) in &mut self.query {
            if is_secret_param(name) {
                value.zeroize();
            }
        }
    }
}

/// An answer: what the transports give and the decoders read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// An answer from its parts.
    pub fn new(status: u16, headers: &[(String, String)], body: &str) -> Self {
        HttpResponse {
            status,
            headers: headers.to_vec(),
            body: body.into(),
        }
    }

    /// The value of the header called `name` (ASCII case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// A 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The request id the gateway put in `X-Request-Id`, if any.
    pub fn request_id(&self) -> Option<String> {
        self.header("x-request-id")
            .filter(|id| !id.is_empty())
            .map(String::from)
    }

    /// How long the service asked the client to wait before trying again,
    /// in milliseconds: Alibaba's `x-acs-retry-after` (milliseconds) or
    /// HTTP's `Retry-After` (delta-seconds; an HTTP date is not read).
    pub fn retry_after_ms(&self) -> Option<f64> {
        let read = |name: &str, scale: f64| {
            let value = parse_float(self.header(name)?.trim())?;
            (value.is_finite() && value >= 0.0).then_some(value * scale)
        };
        read("x-acs-retry-after", 1.0).or_else(|| read("retry-after", 1000.0))
    }
}

fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What a path segment may hold unencoded (RFC 3986 `pchar`): unreserved
/// characters, sub-delimiters, `:` and `@`. SWR's `$` (its stand-in for
/// `/` in repository names) therefore goes out as `$`, as its SDKs send it.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes one path segment (a `/` inside it becomes `%2F`).
pub fn encode_path_segment(out: &mut String, segment: &str) {
    for chunk in utf8_percent_encode(segment, PATH_SEGMENT) {
        out.push_str(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;

    fn request() -> HttpRequest {
        HttpRequest {
            method: HttpMethod::Get,
            path: "/a/b".to_string(),
            query: vec![
                ("name".to_string(), "a b".to_string()),
                ("x".to_string(), "1|2".to_string()),
            ],
            headers: vec![("X-Auth-Token".to_string(), "secret-value".to_string())],
            body: None,
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let shown = format!("{:?} {:#?}", request(), request());
        assert!(!shown.contains("secret-value"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn query_is_rfc3986_encoded() {
        assert_eq!(request().query_string(), "name=a%20b&x=1%7C2");
        assert_eq!(
            request().url("http://127.0.0.1:9/"),
            "http://127.0.0.1:9/a/b?name=a%20b&x=1%7C2"
        );
        assert_eq!(
            request().url("api.scaleway.com"),
            "https://api.scaleway.com/a/b?name=a%20b&x=1%7C2"
        );
    }

    #[test]
    fn headers_are_found_ignoring_case() {
        assert_eq!(request().header("x-auth-token"), Some("secret-value"));
        let headers = vec![("X-Request-Id".to_string(), "r-1".to_string())];
        let response = HttpResponse::new(200, &headers, "");
        assert_eq!(response.request_id().as_deref(), Some("r-1"));
        assert!(response.is_success());
        assert!(HttpResponse::new(204, &[], "").header("x").is_none());
    }

    /// A signed `cr` call with an STS token, by `method`.
    fn signed(method: Method) -> SignedRequest {
        let credentials =
            crate::Credentials::new("AKID", "secret").with_security_token("sts-token");
        crate::sign::sign(
            vec![
                ("Action".to_string(), "ListRepoTag".to_string()),
                ("RepoId".to_string(), "crr-1 x".to_string()),
            ],
            &crate::sign::SigningContext {
                method,
                credentials: &credentials,
                timestamp: "2026-11-22T10:00:00Z",
                nonce: "n-1",
                version: "2018-12-01",
                format: crate::sign::Format::Json,
            },
        )
    }

    #[test]
    fn a_signed_rpc_call_is_the_same_request_byte_for_byte() {
        let get = signed(Method::Get);
        let request = HttpRequest::rpc(&get);
        assert_eq!(request.method, HttpMethod::Get);
        assert_eq!(
            request.url("cr.cn-hangzhou.aliyuncs.com"),
            get.url("cr.cn-hangzhou.aliyuncs.com")
        );
        assert_eq!(request.body, None);
        assert!(request.headers.is_empty());

        let post = signed(Method::Post);
        let request = HttpRequest::rpc(&post);
        assert_eq!(request.method, HttpMethod::Post);
        assert_eq!(
            request.url("http://127.0.0.1:9"),
            post.url("http://127.0.0.1:9")
        );
        assert_eq!(request.body, post.body());
        assert!(request.query.is_empty());
    }

    #[test]
    fn debug_never_shows_a_secret_parameter() {
        let request = HttpRequest::rpc(&signed(Method::Get));
        let shown = format!("{request:?}");
        assert!(!shown.contains("sts-token"), "{shown}");
        assert!(shown.contains("SecurityToken"), "{shown}");
    }

    #[test]
    fn retry_after_is_read_from_either_header() {
        let answer = |name: &str, value: &str| {
            HttpResponse::new(429, &[(name.to_string(), value.to_string())], "")
        };
        assert_eq!(
            answer("x-acs-retry-after", "1500").retry_after_ms(),
            Some(1500.0)
        );
        assert_eq!(answer("Retry-After", "2").retry_after_ms(), Some(2000.0));
        assert_eq!(answer("Retry-After", "-1").retry_after_ms(), None);
        assert_eq!(
            answer("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT").retry_after_ms(),
            None
        );
        assert_eq!(HttpResponse::new(429, &[], "").retry_after_ms(), None);
        let both = HttpResponse::new(
            503,
            &[
                ("Retry-After".to_string(), "9".to_string()),
                ("x-acs-retry-after".to_string(), "250".to_string()),
            ],
            "",
        );
        assert_eq!(both.retry_after_ms(), Some(250.0));
    }

    #[test]
    fn path_segments_keep_sub_delimiters_and_encode_slashes() {
        let mut out = String::new();
        encode_path_segment(&mut out, "group$app/v1 x?#%");
        assert_eq!(out, "group$app%2Fv1%20x%3F%23%25");
    }
}
