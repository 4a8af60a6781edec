//! Request authentication as the RPC gateway does it, for both signature
//! versions: V1 (HMAC-SHA1 over the common parameters, [`Verifier::verify`])
//! and V3 (`ACS3-HMAC-SHA256` in the `Authorization` header, over the
//! headers it names, [`Verifier::verify_v3`]). Both check the timestamp
//! window, the AccessKey, the STS token and the signature over the
//! server's own canonical string, and hand back the nonce, which may be
//! used once ([`Verifier::use_nonce`]).
//!
//! The canonicalisation is the core's ([`tagdeck::sign`],
//! [`tagdeck::sign_v3`]): the emulator walks the client's path backwards
//! with the same code, and tells the client the string it signed when the
//! signatures differ, as the service does.

use std::collections::HashMap;
use std::sync::Mutex;

use tagdeck::catalog::Method;
use tagdeck::sign::{canonical_query, signature, string_to_sign};
use tagdeck::sign_v3::{self, Received, VerifyError};
use tagdeck::timestamp::parse_timestamp;
use tagdeck::Credentials;

/// How far a request's timestamp may be from the server's clock.
pub const TIMESTAMP_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Why a request was refused, as the service words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The API's code.
    pub code: &'static str,
    /// The API's message.
    pub message: String,
    /// The HTTP status.
    pub http_status: u16,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>, http_status: u16) -> Self {
        Refusal {
            code,
            message: message.into(),
            http_status,
        }
    }

    /// A missing parameter, named.
    pub fn missing(name: &str) -> Self {
        Refusal::new(
            "MissingParameter",
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            400,
        )
    }

    /// An invalid parameter, named, and why.
    pub fn invalid(name: &str, reason: impl std::fmt::Display) -> Self {
        Refusal::new(
            "InvalidParameter",
            format!("The specified parameter \"{name}\" is not valid: {reason}"),
            400,
        )
    }
}

/// The headers every V3 request carries and signs, checked in this order.
const V3_HEADERS: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// A nonce a verified request used, to be recorded with
/// [`Verifier::use_nonce`] once the request is otherwise accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonceUse {
    access_key_id: String,
    nonce: String,
    /// When the request says it was signed (its timestamp).
    signed_at_ms: i64,
}

/// A V3 request as the server received it.
#[derive(Debug, Clone, Copy)]
pub struct V3Request<'a> {
    /// GET or POST.
    pub method: Method,
    /// The query's parameters, decoded (`+` is a space).
    pub query: &'a [(String, String)],
    /// Every header, names in any case.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// The first value of header `name`, any case.
pub fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

fn incomplete(reason: impl std::fmt::Display) -> Refusal {
    Refusal::new(
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {reason}."),
        400,
    )
}

/// The parameters every signed request carries, checked in this order.
const SIGNATURE_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Timestamp",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Signature",
];

/// Checks requests against the credentials the emulator accepts.
#[derive(Debug)]
pub struct Verifier {
    credentials: Credentials,
    check_nonces: bool,
    nonces: Mutex<Nonces>,
}

#[derive(Debug, Default)]
struct Nonces {
    /// `AccessKeyId` NUL nonce → when it may be forgotten.
    seen: HashMap<String, i64>,
    inserts: u64,
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

impl Verifier {
    /// Accepts `credentials` (with its STS token, if it has one). Nonce
    /// checking can be turned off for load tests that replay one URL.
    pub fn new(credentials: Credentials, check_nonces: bool) -> Self {
        Verifier {
            credentials,
            check_nonces,
            nonces: Mutex::new(Nonces::default()),
        }
    }

    /// V1, everything but recording the nonce: the common parameters, the
    /// timestamp, the key, the token and the signature of a request sent
    /// with `method`.
    pub fn verify(
        &self,
        method: Method,
        params: &[(String, String)],
        now_ms: i64,
    ) -> Result<NonceUse, Refusal> {
        for name in SIGNATURE_PARAMS {
            if param(params, name).is_none() {
                return Err(Refusal::missing(name));
            }
        }
        let get = |name| param(params, name).unwrap_or("");
        if get("SignatureMethod") != "HMAC-SHA1" {
            return Err(Refusal::new(
                "InvalidSignatureMethod",
                format!(
                    "The specified parameter \"SignatureMethod\" is not valid: {:?} is not supported, use HMAC-SHA1.",
                    get("SignatureMethod")
                ),
                400,
            ));
        }
        if get("SignatureVersion") != "1.0" {
            return Err(Refusal::new(
                "InvalidSignatureVersion",
                format!(
                    "The specified parameter \"SignatureVersion\" is not valid: {:?} is not supported, use 1.0.",
                    get("SignatureVersion")
                ),
                400,
            ));
        }
        let signed_at_ms = check_timestamp("Timestamp", get("Timestamp"), now_ms)?;
        if get("AccessKeyId") != self.credentials.access_key_id() {
            return Err(Refusal::new(
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
                404,
            ));
        }
        self.check_token(param(params, "SecurityToken"))?;
        let signed: Vec<(&str, &str)> = params
            .iter()
            .filter(|(k, _)| k != "Signature")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let server_string = string_to_sign(method, &canonical_query(&signed));
        let expected = signature(&server_string, self.credentials.access_key_secret());
        if !constant_time_eq(expected.as_bytes(), get("Signature").as_bytes()) {
            return Err(Refusal::new(
                "SignatureDoesNotMatch",
                format!(
                    "Specified signature is not matched with our calculation. server string to sign is:{server_string}"
                ),
                400,
            ));
        }
        Ok(NonceUse {
            access_key_id: get("AccessKeyId").to_string(),
            nonce: get("SignatureNonce").to_string(),
            signed_at_ms,
        })
    }

    /// V3, everything but recording the nonce: the `Authorization` header,
    /// the headers it must sign, `x-acs-date`'s window, the key, the STS
    /// token (`x-acs-security-token`), the body's hash and the signature
    /// over the headers the `Authorization` names, whatever they are.
    pub fn verify_v3(&self, request: &V3Request<'_>, now_ms: i64) -> Result<NonceUse, Refusal> {
        let headers = request.headers;
        let Some(value) = header(headers, "authorization") else {
            return Err(incomplete("the Authorization header is missing"));
        };
        let auth = sign_v3::parse_authorization(value).map_err(incomplete)?;
        for name in V3_HEADERS {
            if header(headers, name).is_none_or(str::is_empty) {
                return Err(Refusal::missing(name));
            }
        }
        let token = header(headers, sign_v3::SECURITY_TOKEN_HEADER).filter(|t| !t.is_empty());
        let must_sign = V3_HEADERS
            .iter()
            .chain(token.map(|_| &sign_v3::SECURITY_TOKEN_HEADER));
        for name in must_sign {
            if !auth.header_names().any(|signed| signed == *name) {
                return Err(incomplete(format_args!(
                    "the header \"{name}\" must be signed (named in SignedHeaders)"
                )));
            }
        }
        let date = header(headers, "x-acs-date").unwrap_or("");
        let signed_at_ms = check_timestamp("x-acs-date", date, now_ms)?;
        if auth.access_key_id != self.credentials.access_key_id() {
            return Err(Refusal::new(
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
                404,
            ));
        }
        self.check_token(token)?;
        let received = Received {
            method: request.method,
            query: request.query,
            headers,
            body: request.body,
        };
        match sign_v3::verify(&received, &auth, self.credentials.access_key_secret()) {
            Ok(()) => Ok(NonceUse {
                access_key_id: auth.access_key_id.to_string(),
                nonce: header(headers, "x-acs-signature-nonce")
                    .unwrap_or("")
                    .to_string(),
                signed_at_ms,
            }),
            Err(VerifyError::MissingSignedHeader(name)) => Err(incomplete(format_args!(
                "the signed header \"{name}\" was not sent"
            ))),
            Err(VerifyError::ContentHashMismatch) => Err(Refusal::new(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation: \"x-acs-content-sha256\" is not the SHA-256 of the request body.",
                400,
            )),
            // The string to sign last, as V1's message ends with it: clients
            // read it after the last ':' (`ApiError::server_string_to_sign`).
            Err(VerifyError::SignatureMismatch {
                canonical_request,
                string_to_sign,
            }) => Err(Refusal::new(
                "SignatureDoesNotMatch",
                format!(
                    "Specified signature is not matched with our calculation. server canonical request is:{canonical_request} server string to sign is:{string_to_sign}"
                ),
                400,
            )),
        }
    }

    /// STS: a key issued with a token is only valid with that token; a
    /// long-term key takes none.
    fn check_token(&self, sent: Option<&str>) -> Result<(), Refusal> {
        match (self.credentials.security_token(), sent) {
            (None, None) => Ok(()),
            (Some(expected), Some(sent)) if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => {
                Ok(())
            }
            (Some(_), None) => Err(Refusal::new(
                "MissingSecurityToken",
                "The input parameter \"SecurityToken\" that is mandatory for processing this request is not supplied: the AccessKey is a temporary (STS) one.",
                400,
            )),
            (Some(_), Some(_)) => Err(Refusal::new(
                "InvalidSecurityToken.Mismatch",
                "Specified SecurityToken is not valid for this AccessKey.",
                400,
            )),
            (None, Some(_)) => Err(Refusal::new(
                "InvalidSecurityToken.Malformed",
                "Specified SecurityToken is malformed: the AccessKey is not a temporary (STS) one.",
                400,
            )),
        }
    }

    /// Records a verified request's nonce; refuses one already used in the
    /// window.
    pub fn use_nonce(&self, used: &NonceUse, now_ms: i64) -> Result<(), Refusal> {
        if !self.check_nonces {
            return Ok(());
        }
        let key = format!("{}\0{}", used.access_key_id, used.nonce);
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        if nonces.seen.get(&key).is_some_and(|&until| until > now_ms) {
            return Err(Refusal::new(
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
                400,
            ));
        }
        // A nonce must be remembered while a request carrying it can still
        // pass the timestamp check: until its timestamp leaves the window.
        nonces.seen.insert(
            key,
            used.signed_at_ms.max(now_ms) + TIMESTAMP_WINDOW_MS + 1_000,
        );
        nonces.inserts += 1;
        if nonces.inserts % 4096 == 0 {
            nonces.seen.retain(|_, until| *until > now_ms);
        }
        Ok(())
    }
}

/// A timestamp (`name` says which: `Timestamp` or `x-acs-date`) in the
/// service's format and within 15 minutes of `now_ms`; its milliseconds.
fn check_timestamp(name: &str, timestamp: &str, now_ms: i64) -> Result<i64, Refusal> {
    let Some(seconds) = parse_timestamp(timestamp) else {
        return Err(Refusal::new(
            "InvalidTimeStamp.Format",
            format!(
                "Specified time stamp or date value is not well formatted: \"{name}\" must be YYYY-MM-DDThh:mm:ssZ in UTC, got {timestamp:?}."
            ),
            400,
        ));
    };
    if (seconds * 1000 - now_ms).abs() > TIMESTAMP_WINDOW_MS {
        return Err(Refusal::new(
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: \"{name}\" {timestamp} is more than 15 minutes from the server's time {}.",
                tagdeck::timestamp::format_timestamp(now_ms / 1000)
            ),
            400,
        ));
    }
    Ok(seconds * 1000)
}

/// Compares without stopping at the first difference, so the time taken
/// says nothing about how much of a signature was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use tagdeck::sign::{sign, Format, SigningContext};

    const NOW: i64 = 1_717_200_000_000;

    fn signed(creds: &Credentials, nonce: &str, timestamp: &str) -> Vec<(String, String)> {
        let ctx = SigningContext {
            method: Method::Get,
            credentials: creds,
            timestamp,
            nonce,
            version: "2018-12-01",
            format: Format::Json,
        };
        sign(vec![("Action".into(), "ListInstance".into())], &ctx).params
    }

    fn verifier() -> (Verifier, Credentials) {
        let creds = Credentials::new("id", "secret");
        (Verifier::new(creds.clone(), true), creds)
    }

    #[test]
    fn a_good_request_passes_and_its_nonce_is_used_once() {
        let (v, creds) = verifier();
        let params = signed(&creds, "n1", "2024-06-01T00:00:00Z");
        let used = v.verify(Method::Get, &params, NOW).unwrap();
        v.use_nonce(&used, NOW).unwrap();
        assert_eq!(
            v.use_nonce(&used, NOW + 1000).unwrap_err().code,
            "SignatureNonceUsed"
        );
    }

    #[test]
    fn the_method_is_part_of_the_signature() {
        let (v, creds) = verifier();
        let params = signed(&creds, "n2", "2024-06-01T00:00:00Z");
        let e = v.verify(Method::Post, &params, NOW).unwrap_err();
        assert_eq!(e.code, "SignatureDoesNotMatch");
        assert!(
            e.message
                .contains(":POST&%2F&AccessKeyId%3Did%26Action%3DListInstance"),
            "{}",
            e.message
        );
    }

    #[test]
    fn timestamps_outside_15_minutes_expire() {
        let (v, creds) = verifier();
        let late = signed(&creds, "n3", "2024-05-31T23:44:59Z");
        assert_eq!(
            v.verify(Method::Get, &late, NOW).unwrap_err().code,
            "InvalidTimeStamp.Expired"
        );
        let edge = signed(&creds, "n4", "2024-05-31T23:45:00Z");
        v.verify(Method::Get, &edge, NOW).unwrap();
        let bad = signed(&creds, "n5", "2024-06-01 00:00:00");
        assert_eq!(
            v.verify(Method::Get, &bad, NOW).unwrap_err().code,
            "InvalidTimeStamp.Format"
        );
    }

    #[test]
    fn sts_keys_need_their_token() {
        let creds = Credentials::new("STS.id", "secret").with_security_token("tok");
        let v = Verifier::new(creds.clone(), true);
        v.verify(
            Method::Get,
            &signed(&creds, "a", "2024-06-01T00:00:00Z"),
            NOW,
        )
        .unwrap();
        let without = Credentials::new("STS.id", "secret");
        let e = v
            .verify(
                Method::Get,
                &signed(&without, "b", "2024-06-01T00:00:00Z"),
                NOW,
            )
            .unwrap_err();
        assert_eq!(e.code, "MissingSecurityToken");
        let wrong = Credentials::new("STS.id", "secret").with_security_token("other");
        let e = v
            .verify(
                Method::Get,
                &signed(&wrong, "c", "2024-06-01T00:00:00Z"),
                NOW,
            )
            .unwrap_err();
        assert_eq!(e.code, "InvalidSecurityToken.Mismatch");
    }
}
