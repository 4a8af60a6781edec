//! The sans-IO shape of a REST exchange: a request description that any
//! transport (fetch, a test, the edge proxy) can send, and the parts of an
//! answer the decoders read (status, headers, body).
//!
//! The request carries its `X-Auth-Token` header, so its `Debug` shows that
//! header as `<redacted>` and the value is wiped when the request is dropped.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroize;

use crate::encode::percent_encode_into;

/// The HTTP methods the tag APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// Reads.
    Get,
    /// Creates (SWR's tag from a source tag).
    Post,
    /// Deletes.
    Delete,
}

impl HttpMethod {
    /// `"GET"`, `"POST"` or `"DELETE"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
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
    /// A JSON body, for the requests that have one.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The encoded query string without the leading `?` (RFC 3986: a
    /// space is `%20`).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (i, (name, value)) in self.query.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            percent_encode_into(&mut out, name);
            out.push('=');
            percent_encode_into(&mut out, value);
        }
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
            .field("query", &self.query)
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
    }
}

/// What the decoders read from an answer.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (names in any case).
    pub headers: &'a [(String, String)],
    /// The body as text.
    pub body: &'a str,
}

impl<'a> HttpResponse<'a> {
    /// An answer from its parts.
    pub fn new(status: u16, headers: &'a [(String, String)], body: &'a str) -> Self {
        HttpResponse {
            status,
            headers,
            body,
        }
    }

    /// The value of the header called `name` (ASCII case ignored).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        find_header(self.headers, name)
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

    #[test]
    fn path_segments_keep_sub_delimiters_and_encode_slashes() {
        let mut out = String::new();
        encode_path_segment(&mut out, "group$app/v1 x?#%");
        assert_eq!(out, "group$app%2Fv1%20x%3F%23%25");
    }
}
