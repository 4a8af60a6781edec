//! The `X-Auth-Token` both REST registries take: a Scaleway secret key (a
//! UUID) or an Open Telekom Cloud IAM token (a long opaque string).
//! Zeroized when dropped, never shown by `Debug`, never put in an error.

use alloc::string::String;
use core::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The header that carries the token.
pub const AUTH_HEADER: &str = "X-Auth-Token";

/// A secret token sent as `X-Auth-Token`.
#[derive(Clone)]
pub struct AuthToken(Zeroizing<String>);

impl AuthToken {
    /// Checks and wraps a token. It must be non-empty and fit in an HTTP
    /// header value (visible ASCII only: no spaces, no line breaks that
    /// could smuggle another header). The error names the header and
    /// never repeats the value.
    pub fn new(token: impl Into<String>) -> Result<Self> {
        let token = Zeroizing::new(token.into());
        if token.is_empty() {
            return Err(Error::missing(AUTH_HEADER));
        }
        if let Some(position) = token.bytes().position(|b| !b.is_ascii_graphic()) {
            return Err(Error::invalid(
                AUTH_HEADER,
                alloc::format!(
                    "the token must be visible ASCII characters only; character {} is not",
                    position + 1
                ),
            ));
        }
        Ok(AuthToken(token))
    }

    /// The token, for the request builders only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_and_errors_never_show_the_token() {
        let token = AuthToken::new("11111111-2222-3333-4444-555555555555").unwrap();
        assert_eq!(format!("{token:?}"), "AuthToken(<redacted>)");
        let error = AuthToken::new("abc\r\nX-Evil: 1").unwrap_err();
        assert_eq!(error.code(), "InvalidParameter");
        assert!(!error.message().contains("abc"), "{}", error.message());
        assert!(error.message().contains("X-Auth-Token"));
    }

    #[test]
    fn an_empty_token_is_missing() {
        assert_eq!(
            AuthToken::new("").unwrap_err(),
            Error::missing("X-Auth-Token")
        );
    }
}
