//! Request authentication as the RPC gateway does it: the common
//! parameters, the timestamp window, the AccessKey, the STS token, the
//! HMAC-SHA1 signature over the server's own canonical string, and nonces
//! that may be used once.
//!
//! The canonicalisation is the core's ([`tagdeck::sign`]): the emulator
//! walks the client's path backwards with the same code, and tells the
//! client the string it signed when the signatures differ, as the service
//! does.

use std::collections::HashMap;
use std::sync::Mutex;

use tagdeck::catalog::Method;
use tagdeck::sign::{canonical_query, signature, string_to_sign};
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

    /// Everything but the nonce: the common parameters, the timestamp, the
    /// key, the token and the signature of a request sent with `method`.
    pub fn verify(
        &self,
        method: Method,
        params: &[(String, String)],
        now_ms: i64,
    ) -> Result<(), Refusal> {
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
        let timestamp = get("Timestamp");
        let Some(seconds) = parse_timestamp(timestamp) else {
            return Err(Refusal::new(
                "InvalidTimeStamp.Format",
                format!(
                    "Specified time stamp or date value is not well formatted: \"Timestamp\" must be YYYY-MM-DDThh:mm:ssZ in UTC, got {timestamp:?}."
                ),
                400,
            ));
        };
        if (seconds * 1000 - now_ms).abs() > TIMESTAMP_WINDOW_MS {
            return Err(Refusal::new(
                "InvalidTimeStamp.Expired",
                format!(
                    "Specified time stamp or date value is expired: \"Timestamp\" {timestamp} is more than 15 minutes from the server's time {}.",
                    tagdeck::timestamp::format_timestamp(now_ms / 1000)
                ),
                400,
            ));
        }
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
        Ok(())
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

    /// Records the request's nonce; refuses one already used in the window.
    pub fn use_nonce(&self, params: &[(String, String)], now_ms: i64) -> Result<(), Refusal> {
        if !self.check_nonces {
            return Ok(());
        }
        let key = format!(
            "{}\0{}",
            param(params, "AccessKeyId").unwrap_or(""),
            param(params, "SignatureNonce").unwrap_or("")
        );
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
        let timestamp_ms = param(params, "Timestamp")
            .and_then(parse_timestamp)
            .map_or(now_ms, |s| s * 1000);
        nonces
            .seen
            .insert(key, timestamp_ms.max(now_ms) + TIMESTAMP_WINDOW_MS + 1_000);
        nonces.inserts += 1;
        if nonces.inserts % 4096 == 0 {
            nonces.seen.retain(|_, until| *until > now_ms);
        }
        Ok(())
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
        v.verify(Method::Get, &params, NOW).unwrap();
        v.use_nonce(&params, NOW).unwrap();
        assert_eq!(
            v.use_nonce(&params, NOW + 1000).unwrap_err().code,
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
