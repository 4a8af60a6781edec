//! An HTTP answer before it becomes hyper's: status, headers, body.

use bytes::Bytes;

/// `Content-Type` of JSON answers.
pub const JSON: &str = "application/json;charset=utf-8";
/// `Content-Type` of XML answers.
pub const XML: &str = "text/xml;charset=utf-8";

/// One answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers besides `Content-Length`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Bytes,
}

impl Reply {
    /// An answer with a body of `content_type`.
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_string())],
            body: body.into(),
        }
    }

    /// An answer without a body.
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The value of header `name`, if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `a=1&b=x%20y` (query strings and form bodies; `+` is a space).
/// The error names the parameter whose text is not UTF-8.
pub fn parse_form(text: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text =
        std::str::from_utf8(text).map_err(|_| "the parameters are not UTF-8 text".to_string())?;
    let mut out = Vec::new();
    for piece in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = tagdeck::encode::form_decode(name).ok_or_else(|| {
            format!("a parameter name ({name:?}) is not UTF-8 after percent-decoding")
        })?;
        let value = tagdeck::encode::form_decode(value)
            .ok_or_else(|| format!("the value of {name} is not UTF-8 after percent-decoding"))?;
        out.push((name, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_both_spellings_of_space() {
        assert_eq!(
            parse_form(b"A=1&B=x%20y+z&&C&D=%E4%B8%AD").unwrap(),
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x y z".into()),
                ("C".into(), String::new()),
                ("D".into(), "中".into())
            ]
        );
        assert!(parse_form(b"A=%FF").unwrap_err().contains("A"));
    }
}

/// A request to the REST APIs (Scaleway, SWR), apart from hyper.
#[derive(Debug, Clone, Copy)]
pub struct RestRequest<'a> {
    /// `GET`, `POST`, `DELETE`.
    pub method: &'a str,
    /// The path, still percent-encoded.
    pub path: &'a str,
    /// The query string.
    pub query: Option<&'a str>,
    /// The `X-Auth-Token` header.
    pub auth_token: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl RestRequest<'_> {
    /// The decoded query parameters (later values of a name win).
    pub fn query_params(&self) -> Result<Vec<(String, String)>, String> {
        parse_form(self.query.unwrap_or("").as_bytes())
    }
}

/// Compares secrets without an early exit.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
