//! RPC signature version 1.0 (Alibaba Cloud's "RPC request signature (V1)"
//! page; docs/api-facts.md): canonical query, string-to-sign,
//! HMAC-SHA1 signature keyed with `secret + "&"`.
//!
//! Each stage is a function of its own so it can be checked on its own
//! against the published vectors. [`sign`] runs them in order after adding
//! the common parameters; the timestamp and the nonce are arguments.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use hmac::{Mac, SimpleHmac};
use sha1::Sha1;

use crate::catalog::Method;
use crate::encode::{encode_pairs_into, percent_encode_into};
use crate::order::sorted_positions;
use crate::Credentials;

/// The canonical query: parameters sorted by the bytes of their names,
/// each `encode(name)=encode(value)`, joined with `&`. Empty values are
/// kept as `Name=`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_ref()).collect();
    let sorted: Vec<(&str, &str)> = sorted_positions(&names)
        .into_iter()
        .map(|i| (names[i], params[i].1.as_ref()))
        .collect();
    let mut out = String::with_capacity(
        sorted
            .iter()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum::<usize>()
            * 3
            / 2,
    );
    encode_pairs_into(&mut out, sorted);
    out
}

/// `METHOD&%2F&encode(canonical_query)`.
pub fn string_to_sign(method: Method, canonical_query: &str) -> String {
    let mut out = String::with_capacity(canonical_query.len() * 5 / 4 + 8);
    out.push_str(method.as_str());
    out.push_str("&%2F&");
    percent_encode_into(&mut out, canonical_query);
    out
}

/// Base64 of HMAC-SHA1 over `string_to_sign`, keyed with `secret + "&"`.
pub fn signature(string_to_sign: &str, access_key_secret: &str) -> String {
    // The key is the secret followed by `&`; the copy is wiped after use.
    let mut key =
        zeroize::Zeroizing::new(alloc::vec::Vec::with_capacity(access_key_secret.len() + 1));
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    hmac_sha1_base64(&key, string_to_sign.as_bytes())
}

/// Plain base64(HMAC-SHA1(key, data)), as in the SDKs' own tests.
///
/// `SimpleHmac` rather than `Hmac`: the same MAC, and for a one-shot MAC
/// the same work; its code, shared with V3's HMAC-SHA256, makes the
/// package's wasm 185 bytes smaller gzipped (`Hmac` keeps the
/// block-level state of each hash).
pub fn hmac_sha1_base64(key: &[u8], data: &[u8]) -> String {
    let mut mac =
        <SimpleHmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The response format asked for with the `Format` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// The service's default.
    Xml,
    /// `Format=JSON`.
    #[default]
    Json,
}

impl Format {
    /// `"XML"` or `"JSON"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "XML",
            Format::Json => "JSON",
        }
    }

    /// Parses `XML`/`JSON`, any case.
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("xml") {
            Some(Format::Xml)
        } else if text.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// What a signature depends on besides the operation's own parameters.
#[derive(Debug, Clone, Copy)]
pub struct SigningContext<'a> {
    /// GET or POST; it is part of the string-to-sign.
    pub method: Method,
    /// Who signs.
    pub credentials: &'a Credentials,
    /// `YYYY-MM-DDThh:mm:ssZ`, UTC (see [`crate::timestamp`]).
    pub timestamp: &'a str,
    /// A value never used before with this AccessKey.
    pub nonce: &'a str,
    /// The API version, [`crate::catalog::API_VERSION`] for `cr`.
    pub version: &'a str,
    /// The answer's format.
    pub format: Format,
}

/// A signed request, ready for any transport. Its `Debug` output redacts
/// secret parameters (STS token, passwords) and leaves out the canonical
/// query and string-to-sign, which contain them.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// GET or POST.
    pub method: Method,
    /// Every parameter sent, sorted by name, `Signature` last.
    pub params: Vec<(String, String)>,
    /// The canonical query that was signed (without `Signature`).
    pub canonical_query: String,
    /// The string-to-sign.
    pub string_to_sign: String,
    /// The signature (base64).
    pub signature: String,
}

impl core::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("params", &crate::request::Redacted(&self.params))
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl SignedRequest {
    /// The encoded parameters with the signature: the query string of a
    /// GET, the form body of a POST.
    pub fn encoded_params(&self) -> String {
        let mut out = self.canonical_query.clone();
        out.push_str("&Signature=");
        percent_encode_into(&mut out, &self.signature);
        out
    }

    /// The URL to send to, given an endpoint that is a host
    /// (`cr.cn-hangzhou.aliyuncs.com`, HTTPS assumed) or an origin
    /// (`http://127.0.0.1:8080`). A GET carries the parameters in it.
    pub fn url(&self, endpoint: &str) -> String {
        let mut url = origin(endpoint);
        url.push('/');
        if self.method == Method::Get {
            url.push('?');
            url.push_str(&self.encoded_params());
        }
        url
    }

    /// The form body of a POST (`None` for a GET).
    pub fn body(&self) -> Option<String> {
        (self.method == Method::Post).then(|| self.encoded_params())
    }
}

/// `https://host` for a bare host, the origin unchanged otherwise, without
/// a trailing slash.
pub fn origin(endpoint: &str) -> String {
    let trimmed = endpoint.trim_end_matches('/');
    if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        let mut out = String::from("https://");
        out.push_str(trimmed);
        out
    }
}

/// Adds the common parameters to `params` (the operation's own, including
/// `Action`), then signs. The caller's parameters win over common ones of
/// the same name, as in the vendor's Node client.
pub fn sign(params: Vec<(String, String)>, ctx: &SigningContext<'_>) -> SignedRequest {
    let creds = ctx.credentials;
    let mut all: Vec<(String, String)> = Vec::with_capacity(params.len() + 8);
    let mut common = |name: &str, value: &str| {
        if !params.iter().any(|(k, _)| k == name) {
            all.push((name.to_string(), value.to_string()));
        }
    };
    common("AccessKeyId", creds.access_key_id());
    common("Format", ctx.format.as_str());
    common("SignatureMethod", "HMAC-SHA1");
    common("SignatureNonce", ctx.nonce);
    common("SignatureVersion", "1.0");
    common("Timestamp", ctx.timestamp);
    common("Version", ctx.version);
    // An empty token is no token, as in the vendor's clients (pop-core tests
    // its truthiness); sending `SecurityToken=` would be refused.
    if let Some(token) = creds.security_token().filter(|token| !token.is_empty()) {
        common("SecurityToken", token);
    }
    all.extend(params);
    sign_all(ctx.method, all, creds.access_key_secret())
}

/// Signs exactly the given parameters (common ones included).
pub fn sign_all(
    method: Method,
    params: Vec<(String, String)>,
    access_key_secret: &str,
) -> SignedRequest {
    let mut params = sorted_by_name(params);
    let canonical_query = canonical_query(&params);
    let string_to_sign = string_to_sign(method, &canonical_query);
    let signature = signature(&string_to_sign, access_key_secret);
    params.push(("Signature".to_string(), signature.clone()));
    SignedRequest {
        method,
        params,
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// `params` sorted by the bytes of their names, equal names in their order.
pub(crate) fn sorted_by_name(params: Vec<(String, String)>) -> Vec<(String, String)> {
    let order = {
        let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        sorted_positions(&names)
    };
    let mut slots: Vec<Option<(String, String)>> = params.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_with_token(token: Option<&str>) -> SignedRequest {
        let mut credentials = Credentials::new("id", "secret");
        if let Some(token) = token {
            credentials = credentials.with_security_token(token);
        }
        let context = SigningContext {
            method: Method::Get,
            credentials: &credentials,
            timestamp: "2016-02-23T12:46:24Z",
            nonce: "nonce",
            version: "2018-12-01",
            format: Format::Json,
        };
        sign(
            alloc::vec![("Action".into(), "ListRepoTag".into())],
            &context,
        )
    }

    /// Regression: an empty STS token was sent as `SecurityToken=`; the
    /// vendor's Node client leaves the parameter out (found by the pop-core
    /// cross-check).
    #[test]
    fn an_empty_security_token_is_not_sent() {
        let without = signed_with_token(None);
        let empty = signed_with_token(Some(""));
        assert!(!empty.params.iter().any(|(k, _)| k == "SecurityToken"));
        assert_eq!(empty, without);
        let with = signed_with_token(Some("sts"));
        assert!(with
            .params
            .iter()
            .any(|(k, v)| k == "SecurityToken" && v == "sts"));
    }
}
