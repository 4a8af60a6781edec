//! One error type for everything the core can refuse or fail at.
//!
//! Messages name the parameter or field at fault and never contain a secret:
//! nothing here ever holds a [`crate::Credentials`] value.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

/// An error answer from the service (or an emulator of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiError {
    /// The API's code, e.g. `SignatureDoesNotMatch` or `Throttling.User`.
    pub code: String,
    /// The API's message.
    pub message: String,
    /// The request id, for support tickets.
    pub request_id: Option<String>,
    /// The host id (the endpoint that answered).
    pub host_id: Option<String>,
    /// The service's diagnosis link or advice, when it gave one.
    pub recommend: Option<String>,
    /// The HTTP status of the answer.
    pub http_status: u16,
}

impl ApiError {
    /// Whether sending the same request again (re-signed) may succeed:
    /// throttling, an unavailable service, or a 5xx answer.
    pub fn retryable(&self) -> bool {
        is_retryable(&self.code, self.http_status)
    }

    /// For `SignatureDoesNotMatch`: the server's string-to-sign, which the
    /// service puts after the last colon of its message.
    pub fn server_string_to_sign(&self) -> Option<&str> {
        if self.code != "SignatureDoesNotMatch" {
            return None;
        }
        self.message
            .rsplit_once(':')
            .map(|(_, s)| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// The retry rule shared by the client and the edge proxy: throttling,
/// `ServiceUnavailable` and any 5xx may pass on a later attempt. HTTP 429
/// counts as throttling whatever the code: the REST registries (Scaleway's
/// `too_many_requests`, SWR's gateway) say so only by that status.
pub fn is_retryable(code: &str, http_status: u16) -> bool {
    code.starts_with("Throttling")
        || code == "ServiceUnavailable"
        || http_status == 429
        || http_status >= 500
}

/// Everything the core can refuse or fail at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The service answered with an error (boxed: it is the largest kind,
    /// and `Result`s stay small on the success path).
    Api(alloc::boxed::Box<ApiError>),
    /// A required parameter was not given.
    MissingParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// A parameter has the wrong type or a value outside its limits.
    InvalidParameter {
        /// The parameter's wire name.
        name: String,
        /// What is wrong with it, for a human.
        reason: String,
    },
    /// An answer could not be decoded.
    Decode {
        /// What failed and where (line/column, or the field's path).
        message: String,
    },
    /// The action is not in the catalogue.
    UnknownAction {
        /// The action asked for.
        action: String,
    },
}

impl Error {
    /// A `MissingParameter` error.
    pub fn missing(name: &str) -> Self {
        Error::MissingParameter {
            name: name.to_string(),
        }
    }

    /// An `InvalidParameter` error.
    pub fn invalid(name: &str, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            name: name.to_string(),
            reason: reason.into(),
        }
    }

    /// An error answer of the service.
    pub fn api_error(error: ApiError) -> Self {
        Error::Api(alloc::boxed::Box::new(error))
    }

    /// A decode error.
    pub fn decode(message: impl Into<String>) -> Self {
        Error::Decode {
            message: message.into(),
        }
    }

    /// The code: the API's, or `MissingParameter`, `InvalidParameter`,
    /// `DecodeError`, `InvalidApi.NotFound` for client-side failures.
    pub fn code(&self) -> &str {
        match self {
            Error::Api(e) => &e.code,
            Error::MissingParameter { .. } => "MissingParameter",
            Error::InvalidParameter { .. } => "InvalidParameter",
            Error::Decode { .. } => "DecodeError",
            Error::UnknownAction { .. } => "InvalidApi.NotFound",
        }
    }

    /// A human-readable message naming what is at fault.
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.message.clone(),
            Error::MissingParameter { name } => format!("the required parameter {name} is missing"),
            Error::InvalidParameter { name, reason } => {
                format!("the parameter {name} is invalid: {reason}")
            }
            Error::Decode { message } => format!("the answer could not be decoded: {message}"),
            Error::UnknownAction { action } => {
                format!("the action {action:?} is not an operation of this API")
            }
        }
    }

    /// The API error, if the service answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// Whether the same request, re-signed, may succeed later.
    pub fn retryable(&self) -> bool {
        self.api().is_some_and(ApiError::retryable)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())?;
        if let Some(id) = self.api().and_then(|e| e.request_id.as_deref()) {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// At most `max_chars` characters of `text`, with `…` when cut, so that a
/// huge or hostile input cannot flood an error message or a log line.
pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Results of the core.
pub type Result<T, E = Error> = core::result::Result<T, E>;
