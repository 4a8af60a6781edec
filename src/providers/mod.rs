//! The REST tag registries — Scaleway Container Registry and Open Telekom
//! Cloud SWR — and one tag interface over them and Alibaba's `cr` API.
//!
//! Sans-IO like the rest of the core: builders produce an
//! [`http::HttpRequest`] (method, path, query, headers with
//! `X-Auth-Token`, JSON body) and decoders take an [`http::HttpResponse`]
//! (status, headers, body). Nothing here sends anything.
//!
//! - [`scaleway`]: `registry/v1` tags (list, get, delete) and the namespace
//!   and image listings that lead to an image's id.
//! - [`swr`]: SWR v2 tags (list with its filters and `Content-Range`
//!   paging, get, delete, create from a source tag).
//! - [`tags`]: the common [`tags::Tag`] view and [`tags::Registry`], which
//!   runs list-one-page / get / delete / create as request/response steps
//!   for all three registries.
//! - [`rest`]: the declarative operation tables both REST providers are
//!   described by, and their validation.

pub mod auth;
pub mod http;
pub mod rest;
pub mod scaleway;
pub mod swr;
pub mod tags;
pub mod time;

pub use auth::AuthToken;
pub use http::{HttpMethod, HttpRequest, HttpResponse};
pub use tags::{Outcome, Paging, Registry, Tag, TagCall, TagPage, TagRef, TagRequest};

use alloc::format;
use alloc::string::{String, ToString};

use crate::error::{shorten, Error, Result};

/// `text` when it is `well_formed`, else [`refuse`]'s error.
pub(crate) fn accept(well_formed: bool, name: &str, text: &str, rule: &str) -> Result<String> {
    if well_formed {
        Ok(text.to_string())
    } else {
        Err(refuse(name, text, rule))
    }
}

/// The error of a value that breaks `rule` (`expected ...`): it names the
/// parameter `name` and quotes the start of `text`.
pub(crate) fn refuse(name: &str, text: &str, rule: &str) -> Error {
    Error::invalid(name, format!("{rule}, got {:?}", shorten(text, 40)))
}

/// A Docker tag name: a word character (`A-Z a-z 0-9 _`) first, then up to
/// 127 word characters, `.` and `-`. The error names `name`.
pub fn check_docker_tag(name: &str, text: &str) -> Result<String> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let ok = (1..=128).contains(&b.len())
        && word(b[0])
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-');
    if ok {
        Ok(text.to_string())
    } else {
        Err(Error::invalid(
            name,
            format!(
                "expected a Docker tag: 1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -; got {:?}",
                shorten(text, 40)
            ),
        ))
    }
}
