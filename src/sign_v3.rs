//! Signature V3 (`ACS3-HMAC-SHA256`), as the vendor's page "V3 request
//! structure and signature" and its shared SDK runtime
//! (`aliyun/darabonba-openapi`, `GetAuthorization`) define it; tagdeck's
//! reading is written down in `shared/docs/signature-v3.md`.
//!
//! Each stage is a function of its own, checked on its own against the
//! published vectors (`tests/signing_v3.rs`): [`canonical_query`],
//! [`canonical_headers`], [`canonical_request`], [`string_to_sign`],
//! [`signature`], [`authorization`]. [`sign`] runs them for a `cr` request
//! (every parameter in the query, an empty body); [`verify`] runs them
//! backwards for a server, over whatever headers the request's
//! `Authorization` names. No clock, no random source: the date and the
//! nonce are arguments.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use hmac::{Mac, SimpleHmac};
use sha2::{Digest, Sha256};

use crate::catalog::Method;
use crate::order::sorted_positions;
use crate::Credentials;

/// The algorithm's name, first in the string to sign and the `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `x-acs-content-sha256` of an empty body (every `cr` request's).
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The header that carries an STS token; its value is never shown.
pub const SECURITY_TOKEN_HEADER: &str = "x-acs-security-token";

/// The canonical query: the same as V1's (names sorted by their bytes, both
/// sides RFC 3986-encoded with `%20` for a space, `Name=` for an empty
/// value, joined with `&`).
pub use crate::sign::canonical_query;

/// Lower-case hex of the SHA-256 of `data`: the payload hash and the hash
/// of the canonical request.
pub fn hex_sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The signed headers of a request: the canonical block (`name:value\n`
/// per name) and the names joined with `;`. `Debug` shows only the names:
/// the block holds the STS token.
#[derive(Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// `lowercase(name) ":" values "\n"` for each name in byte order.
    pub canonical: String,
    /// The same lower-case names joined with `;` (`SignedHeaders`).
    pub signed_headers: String,
}

impl fmt::Debug for CanonicalHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CanonicalHeaders")
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Canonicalizes `headers` (every one given is signed): names lower-cased
/// and sorted by their bytes; values trimmed; the values of one name
/// (given twice, in any case) sorted and joined with `,`, as the SDK
/// runtime does.
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> CanonicalHeaders {
    let lowered: Vec<String> = headers
        .iter()
        .map(|(name, _)| name.as_ref().to_ascii_lowercase())
        .collect();
    // One sort by name, then value: NUL sorts before every byte a header
    // name or value may hold, so a shorter name still sorts first.
    let keys: Vec<String> = lowered
        .iter()
        .zip(headers)
        .map(|(name, (_, value))| format!("{name}\0{}", value.as_ref().trim()))
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut canonical = String::new();
    let mut signed_headers = String::new();
    let mut current: Option<&str> = None;
    for i in sorted_positions(&key_refs) {
        let name = lowered[i].as_str();
        let value = headers[i].1.as_ref().trim();
        if current == Some(name) {
            canonical.pop(); // the previous value's "\n"
            canonical.push(',');
        } else {
            if current.is_some() {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
            current = Some(name);
        }
        canonical.push_str(value);
        canonical.push('\n');
    }
    CanonicalHeaders {
        canonical,
        signed_headers,
    }
}

/// `METHOD "\n" "/" "\n" query "\n" canonical headers "\n" signed headers
/// "\n" payload hash`. The canonical headers end in `"\n"` themselves, so
/// a blank line precedes the signed headers.
pub fn canonical_request(
    method: Method,
    canonical_query: &str,
    headers: &CanonicalHeaders,
    hashed_payload: &str,
) -> String {
    let mut out = String::with_capacity(
        canonical_query.len()
            + headers.canonical.len()
            + headers.signed_headers.len()
            + hashed_payload.len()
            + 16,
    );
    for part in [
        method.as_str(),
        "/",
        canonical_query,
        &headers.canonical,
        &headers.signed_headers,
    ] {
        out.push_str(part);
        out.push('\n');
    }
    out.push_str(hashed_payload);
    out
}

/// `ACS3-HMAC-SHA256 "\n"` and the hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut out = String::from(ALGORITHM);
    out.push('\n');
    out.push_str(&hex_sha256(canonical_request.as_bytes()));
    out
}

/// Lower-case hex of HMAC-SHA256 over the string to sign, keyed with the
/// AccessKey secret itself (V1 appends `&`; V3 does not).
/// `SimpleHmac`, as V1's (`crate::sign::hmac_sha1_base64` says why).
pub fn signature(string_to_sign: &str, access_key_secret: &str) -> String {
    let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(access_key_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header's value.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}")
}

/// What a `cr` V3 request is signed with besides its parameters.
#[derive(Debug, Clone, Copy)]
pub struct SigningContext<'a> {
    /// GET or POST; the `cr` SDK sends POST.
    pub method: Method,
    /// Who signs; an STS token adds `x-acs-accesskey-id` and
    /// `x-acs-security-token`.
    pub credentials: &'a Credentials,
    /// The endpoint's host (`cr.cn-hangzhou.aliyuncs.com`, or
    /// `127.0.0.1:8080`), the signed `host` header.
    pub host: &'a str,
    /// The operation (`x-acs-action`).
    pub action: &'a str,
    /// The API version (`x-acs-version`), [`crate::catalog::API_VERSION`].
    pub version: &'a str,
    /// `x-acs-date`, `YYYY-MM-DDThh:mm:ssZ` in UTC.
    pub date: &'a str,
    /// `x-acs-signature-nonce`: never used before with this AccessKey.
    pub nonce: &'a str,
}

/// The `host` an endpoint addresses: a bare host (`cr.cn-hangzhou.aliyuncs.com`)
/// as it is, an origin (`http://127.0.0.1:8080/`) without its scheme and
/// path.
pub fn host_of(endpoint: &str) -> &str {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// The headers tagdeck signs for a `cr` request (empty body), sorted by
/// name: `host`, `x-acs-accesskey-id` (STS), `x-acs-action`,
/// `x-acs-content-sha256`, `x-acs-date`, `x-acs-security-token` (STS),
/// `x-acs-signature-nonce`, `x-acs-version`. An empty token is no token.
pub fn request_headers(ctx: &SigningContext<'_>) -> Vec<(String, String)> {
    let token = ctx.credentials.security_token().filter(|t| !t.is_empty());
    let mut headers: Vec<(String, String)> = Vec::with_capacity(8);
    let mut add = |name: &str, value: &str| headers.push((name.to_string(), value.to_string()));
    add("host", ctx.host);
    if token.is_some() {
        add("x-acs-accesskey-id", ctx.credentials.access_key_id());
    }
    add("x-acs-action", ctx.action);
    add("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256);
    add("x-acs-date", ctx.date);
    if let Some(token) = token {
        add(SECURITY_TOKEN_HEADER, token);
    }
    add("x-acs-signature-nonce", ctx.nonce);
    add("x-acs-version", ctx.version);
    headers
}

/// A signed V3 request, ready for any transport: POST or GET to
/// [`SignedRequest::url`] with [`SignedRequest::headers`] and an empty
/// body. `Debug` hides the STS token and the canonical request.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// GET or POST.
    pub method: Method,
    /// The operation's parameters, sorted by name.
    pub params: Vec<(String, String)>,
    /// The canonical query: also the URL's query string.
    pub canonical_query: String,
    /// Every header to send, lower-case names, `authorization` last.
    pub headers: Vec<(String, String)>,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature (lower-case hex).
    pub signature: String,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("params", &crate::request::Redacted(&self.params))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if name.eq_ignore_ascii_case(SECURITY_TOKEN_HEADER) {
                list.entry(&(name, "<redacted>"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

impl SignedRequest {
    /// The URL, given an endpoint that is a host (HTTPS assumed) or an
    /// origin: `origin "/?" canonical query` (`origin "/"` without
    /// parameters).
    pub fn url(&self, endpoint: &str) -> String {
        let mut url = crate::sign::origin(endpoint);
        url.push('/');
        if !self.canonical_query.is_empty() {
            url.push('?');
            url.push_str(&self.canonical_query);
        }
        url
    }

    /// The value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Signs a `cr` request: `params` (the operation's own, without `Action`)
/// go in the query, the body is empty, the headers are
/// [`request_headers`].
pub fn sign(params: Vec<(String, String)>, ctx: &SigningContext<'_>) -> SignedRequest {
    sign_with_headers(
        ctx.method,
        params,
        request_headers(ctx),
        EMPTY_PAYLOAD_SHA256,
        ctx.credentials,
    )
}

/// Signs over exactly `headers` (all of them signed; `x-acs-content-sha256`
/// should be among them and equal `hashed_payload`) and appends the
/// `authorization` header.
pub fn sign_with_headers(
    method: Method,
    params: Vec<(String, String)>,
    mut headers: Vec<(String, String)>,
    hashed_payload: &str,
    credentials: &Credentials,
) -> SignedRequest {
    let params = crate::sign::sorted_by_name(params);
    let canonical_query = canonical_query(&params);
    let canonical = canonical_headers(&headers);
    let canonical_request = canonical_request(method, &canonical_query, &canonical, hashed_payload);
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(&string_to_sign, credentials.access_key_secret());
    headers.push((
        "authorization".to_string(),
        authorization(
            credentials.access_key_id(),
            &canonical.signed_headers,
            &signature,
        ),
    ));
    SignedRequest {
        method,
        params,
        canonical_query,
        headers,
        canonical_request,
        string_to_sign,
        signature,
    }
}

/// An `Authorization` header taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// `Credential`: the AccessKey id.
    pub access_key_id: &'a str,
    /// `SignedHeaders`: lower-case names joined with `;`.
    pub signed_headers: &'a str,
    /// `Signature`: 64 lower-case hex digits.
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// The signed header names.
    pub fn header_names(&self) -> impl Iterator<Item = &'a str> {
        self.signed_headers.split(';')
    }
}

/// Why an `Authorization` header could not be read (the service's
/// `IncompleteSignature`). Says what is wrong, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedAuthorization(pub &'static str);

impl fmt::Display for MalformedAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Reads `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=HEX`
/// (spaces after the commas tolerated). Each field exactly once; the
/// header names lower-case and not empty.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, MalformedAuthorization> {
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .filter(|rest| rest.starts_with(' '))
        .ok_or(MalformedAuthorization(
            "the Authorization header must start with \"ACS3-HMAC-SHA256 \"",
        ))?;
    let (mut credential, mut signed, mut sig) = (None, None, None);
    for field in rest.split(',') {
        let (name, value) = field.trim().split_once('=').ok_or(MalformedAuthorization(
            "each Authorization field must be Name=value",
        ))?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut sig,
            _ => {
                return Err(MalformedAuthorization(
                    "the Authorization header has a field other than Credential, SignedHeaders and Signature",
                ))
            }
        };
        if slot.replace(value).is_some() {
            return Err(MalformedAuthorization(
                "a field of the Authorization header is given twice",
            ));
        }
    }
    let access_key_id = credential
        .filter(|id| !id.is_empty())
        .ok_or(MalformedAuthorization(
            "the Authorization header has no Credential",
        ))?;
    let signed_headers = signed
        .filter(|s| !s.is_empty())
        .ok_or(MalformedAuthorization(
            "the Authorization header has no SignedHeaders",
        ))?;
    let names_ok = signed_headers.split(';').all(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    });
    if !names_ok {
        return Err(MalformedAuthorization(
            "SignedHeaders must be lower-case header names joined with \";\"",
        ));
    }
    let signature = sig
        .filter(|s| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .ok_or(MalformedAuthorization(
            "the Authorization header's Signature must be 64 lower-case hex digits",
        ))?;
    Ok(Authorization {
        access_key_id,
        signed_headers,
        signature,
    })
}

/// A request as a server received it, for [`verify`].
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// GET or POST.
    pub method: Method,
    /// The query's parameters, decoded (`+` and `%20` are spaces).
    pub query: &'a [(String, String)],
    /// Every header received, names in any case, repeated names repeated.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// Why [`verify`] refused a request.
#[derive(Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// A header named in `SignedHeaders` was not sent.
    MissingSignedHeader(String),
    /// `x-acs-content-sha256` is not the SHA-256 of the body.
    ContentHashMismatch,
    /// The signature differs from the server's; the server's canonical
    /// request and string to sign, for the client to compare with its own.
    SignatureMismatch {
        /// The server's canonical request.
        canonical_request: String,
        /// The server's string to sign.
        string_to_sign: String,
    },
}

impl fmt::Debug for VerifyError {
    // The canonical request holds the STS token: only the string to sign
    // (a hash) is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingSignedHeader(name) => {
                f.debug_tuple("MissingSignedHeader").field(name).finish()
            }
            VerifyError::ContentHashMismatch => f.write_str("ContentHashMismatch"),
            VerifyError::SignatureMismatch { string_to_sign, .. } => f
                .debug_struct("SignatureMismatch")
                .field("string_to_sign", string_to_sign)
                .finish_non_exhaustive(),
        }
    }
}

/// The received headers `auth` names, every value of a repeated name, in
/// any spelling of the name; a named header that was not sent is refused.
pub fn signed_headers<'h>(
    headers: &[(&'h str, &'h str)],
    auth: &Authorization<'_>,
) -> Result<Vec<(&'h str, &'h str)>, VerifyError> {
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in auth.header_names() {
        let before = signed.len();
        signed.extend(
            headers
                .iter()
                .filter(|(sent, _)| sent.eq_ignore_ascii_case(name))
                .copied(),
        );
        if signed.len() == before {
            return Err(VerifyError::MissingSignedHeader(name.to_string()));
        }
    }
    Ok(signed)
}

/// Recomputes the signature of `request` over the headers `auth` names
/// (all values of a repeated name) with the AccessKey secret the caller
/// looked up for `auth.access_key_id`, and compares in constant time. The
/// payload hash is the server's own SHA-256 of the body; a
/// `x-acs-content-sha256` that differs is refused first.
pub fn verify(
    request: &Received<'_>,
    auth: &Authorization<'_>,
    access_key_secret: &str,
) -> Result<(), VerifyError> {
    let hashed_payload = hex_sha256(request.body);
    let sent_hash = request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("x-acs-content-sha256"));
    for (_, value) in sent_hash {
        if !value.trim().eq_ignore_ascii_case(&hashed_payload) {
            return Err(VerifyError::ContentHashMismatch);
        }
    }
    let signed = signed_headers(request.headers, auth)?;
    let canonical = canonical_headers(&signed);
    let canonical_request = canonical_request(
        request.method,
        &canonical_query(request.query),
        &canonical,
        &hashed_payload,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let expected = signature(&string_to_sign, access_key_secret);
    if constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        })
    }
}

/// Compares without stopping at the first difference, so the time taken
/// says nothing about how much of a signature was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn hex_sha256_of_nothing_is_the_empty_payload_hash() {
        assert_eq!(hex_sha256(b""), EMPTY_PAYLOAD_SHA256);
    }

    #[test]
    fn headers_are_lowered_sorted_trimmed_and_repeated_names_joined() {
        let h = canonical_headers(&[
            ("X-Acs-B", " 2 "),
            ("host", "h"),
            ("x-acs-b", "1"),
            ("x-acs-a-long", "3"),
            ("x-acs-a", "4"),
        ]);
        assert_eq!(
            h.canonical,
            "host:h\nx-acs-a:4\nx-acs-a-long:3\nx-acs-b:1,2\n"
        );
        assert_eq!(h.signed_headers, "host;x-acs-a;x-acs-a-long;x-acs-b");
    }

    #[test]
    fn the_host_of_an_endpoint() {
        assert_eq!(
            host_of("cr.cn-hangzhou.aliyuncs.com"),
            "cr.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(host_of("https://h.example/prefix/"), "h.example");
    }

    #[test]
    fn the_canonical_request_has_a_blank_line_before_the_signed_headers() {
        let h = canonical_headers(&[("host", "h")]);
        assert_eq!(
            canonical_request(Method::Post, "A=1", &h, "hash"),
            "POST\n/\nA=1\nhost:h\n\nhost\nhash"
        );
    }

    #[test]
    fn authorization_reads_back_what_it_writes() {
        let sig = "0".repeat(64);
        let text = authorization("id", "host;x-acs-date", &sig);
        let parsed = parse_authorization(&text).unwrap();
        assert_eq!(parsed.access_key_id, "id");
        assert_eq!(
            parsed.header_names().collect::<Vec<_>>(),
            ["host", "x-acs-date"]
        );
        assert_eq!(parsed.signature, sig);
        let spaced = format!("{ALGORITHM} Credential=id, SignedHeaders=host, Signature={sig}");
        assert!(parse_authorization(&spaced).is_ok());
    }

    #[test]
    fn malformed_authorizations_say_what_is_wrong() {
        let sig = "a".repeat(64);
        let cases = [
            (
                format!("ACS3-HMAC-SHA1 Credential=id,SignedHeaders=host,Signature={sig}"),
                "must start",
            ),
            (
                format!("{ALGORITHM}Credential=id,SignedHeaders=host,Signature={sig}"),
                "must start",
            ),
            (
                format!("{ALGORITHM} SignedHeaders=host,Signature={sig}"),
                "no Credential",
            ),
            (
                format!("{ALGORITHM} Credential=id,Signature={sig}"),
                "no SignedHeaders",
            ),
            (
                format!("{ALGORITHM} Credential=id,SignedHeaders=Host,Signature={sig}"),
                "lower-case",
            ),
            (
                format!("{ALGORITHM} Credential=id,SignedHeaders=host;;x,Signature={sig}"),
                "lower-case",
            ),
            (
                format!("{ALGORITHM} Credential=id,SignedHeaders=host,Signature=ABC"),
                "64 lower-case",
            ),
            (
                format!(
                    "{ALGORITHM} Credential=id,Credential=id,SignedHeaders=host,Signature={sig}"
                ),
                "twice",
            ),
            (
                format!("{ALGORITHM} Credential=id,SignedHeaders=host,Signature={sig},Extra=1"),
                "other than",
            ),
            (format!("{ALGORITHM} Credential"), "Name=value"),
        ];
        for (text, expected) in cases {
            let e = parse_authorization(&text).unwrap_err();
            assert!(e.0.contains(expected), "{text}: {e}");
        }
    }

    fn sts_context<'a>(creds: &'a Credentials) -> SigningContext<'a> {
        SigningContext {
            method: Method::Post,
            credentials: creds,
            host: "cr.cn-hangzhou.aliyuncs.com",
            action: "ListInstance",
            version: "2018-12-01",
            date: "2026-11-22T10:00:00Z",
            nonce: "n-1",
        }
    }

    #[test]
    fn sts_adds_the_key_id_and_token_headers_and_debug_hides_the_token() {
        let creds = Credentials::new("STS.id", "very-secret").with_security_token("token-value");
        let signed = sign(vec![("PageNo".into(), "1".into())], &sts_context(&creds));
        assert_eq!(signed.header("x-acs-accesskey-id"), Some("STS.id"));
        assert_eq!(signed.header(SECURITY_TOKEN_HEADER), Some("token-value"));
        assert!(signed.header("authorization").unwrap().contains(
            "SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
        ));
        let shown = format!("{signed:?}");
        assert!(
            !shown.contains("token-value") && !shown.contains("very-secret"),
            "{shown}"
        );
        let empty_token = Credentials::new("id", "s").with_security_token("");
        let plain = sign(vec![], &sts_context(&empty_token));
        assert_eq!(plain.header(SECURITY_TOKEN_HEADER), None);
        assert_eq!(plain.url("h"), "https://h/");
    }

    fn received<'a>(signed: &'a SignedRequest, headers: &'a [(&'a str, &'a str)]) -> Received<'a> {
        Received {
            method: signed.method,
            query: &signed.params,
            headers,
            body: b"",
        }
    }

    #[test]
    fn verify_accepts_what_sign_makes_and_refuses_any_change() {
        let creds = Credentials::new("id", "secret").with_security_token("tok");
        let signed = sign(
            vec![
                ("Name".into(), "a b+c".into()),
                ("Empty".into(), String::new()),
            ],
            &sts_context(&creds),
        );
        let headers: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let auth = parse_authorization(signed.header("authorization").unwrap()).unwrap();
        verify(&received(&signed, &headers), &auth, "secret").unwrap();

        let e = verify(&received(&signed, &headers), &auth, "other").unwrap_err();
        let VerifyError::SignatureMismatch {
            canonical_request, ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(canonical_request, &signed.canonical_request);
        assert!(!format!("{e:?}").contains("tok"));

        let mut changed = headers.clone();
        changed[0] = ("Host", "other.example");
        assert!(matches!(
            verify(&received(&signed, &changed), &auth, "secret"),
            Err(VerifyError::SignatureMismatch { .. })
        ));
        let without_date: Vec<_> = headers
            .iter()
            .copied()
            .filter(|(n, _)| *n != "x-acs-date")
            .collect();
        assert_eq!(
            verify(&received(&signed, &without_date), &auth, "secret"),
            Err(VerifyError::MissingSignedHeader("x-acs-date".into()))
        );
        let mut with_body = received(&signed, &headers);
        with_body.body = b"x";
        assert_eq!(
            verify(&with_body, &auth, "secret"),
            Err(VerifyError::ContentHashMismatch)
        );
    }
}
