//! The dashboard (`www/` at `/`) and the npm package (`pkg/` at `/pkg/`) on
//! the API's own origin, and CORS for pages on other local origins.
//!
//! The real cr endpoints send no CORS headers (docs/api-facts.md,
//! "Browsers"); the emulator allows loopback origins only, for development.

use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::reply::Reply;

/// Request headers a page may send (the Scaleway/SWR token, form and JSON
/// bodies, an `Authorization` a proxy may add, and a V3 request's signed
/// `x-acs-*` headers and `Authorization`).
pub const ALLOWED_HEADERS: &str = "X-Auth-Token, Content-Type, Authorization, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256, x-acs-accesskey-id, x-acs-security-token";
/// Response headers a page may read.
pub const EXPOSED_HEADERS: &str = "Content-Range, x-acs-retry-after, x-acs-request-id, Retry-After";
const ALLOWED_METHODS: &str = "GET, POST, PATCH, DELETE, OPTIONS";

/// Whether `origin` is a page on this machine (`http://localhost:5173`,
/// `http://127.0.0.1:8000`, `http://[::1]:3000`).
pub fn is_local_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = if let Some(v6) = rest.strip_prefix('[') {
        match v6.split_once(']') {
            Some((addr, port)) if port.is_empty() || is_port(port) => return addr == "::1",
            _ => return false,
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) if is_port(&format!(":{port}")) => host,
            Some(_) => return false,
            None => rest,
        }
    };
    host == "localhost"
        || host.strip_prefix("127.").is_some_and(|r| {
            r.split('.').count() == 3 && r.split('.').all(|p| p.parse::<u8>().is_ok())
        })
}

fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.parse::<u16>().is_ok())
}

/// Adds the CORS headers for a local `origin`.
pub fn with_cors(reply: Reply, origin: Option<&str>) -> Reply {
    match origin.filter(|o| is_local_origin(o)) {
        Some(origin) => reply
            .with("access-control-allow-origin", origin)
            .with("access-control-expose-headers", EXPOSED_HEADERS)
            .with("vary", "Origin"),
        None => reply,
    }
}

/// The answer to an `OPTIONS` preflight.
pub fn preflight(origin: Option<&str>) -> Reply {
    let reply = Reply::empty(204);
    match origin.filter(|o| is_local_origin(o)) {
        Some(_) => with_cors(reply, origin)
            .with("access-control-allow-methods", ALLOWED_METHODS)
            .with("access-control-allow-headers", ALLOWED_HEADERS)
            .with("access-control-max-age", "600"),
        None => reply,
    }
}

/// The file for `path` (`/pkg/…` from the package, anything else from the
/// dashboard; a directory means its `index.html`).
pub fn serve(config: &Config, path: &str) -> Reply {
    let decoded = tagdeck::encode::form_decode(&path.replace('+', "%2B")).unwrap_or_default();
    let (root, rest) = match decoded.strip_prefix("/pkg/") {
        Some(rest) => (&config.pkg, rest),
        None => (&config.www, decoded.trim_start_matches('/')),
    };
    let Some(mut file) = contained(root, rest) else {
        return not_found(path);
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => Reply::new(200, content_type(&file), bytes).with("cache-control", "no-cache"),
        Err(_) if rest.is_empty() => missing_dashboard(config),
        Err(_) => not_found(path),
    }
}

/// `root/rest`, refusing anything that would leave `root`.
fn contained(root: &Path, rest: &str) -> Option<PathBuf> {
    let relative = Path::new(rest);
    if rest.contains('\0')
        || rest.contains('\\')
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    Some(root.join(relative))
}

fn not_found(path: &str) -> Reply {
    Reply::new(
        404,
        "text/plain;charset=utf-8",
        format!("404 Not Found: {path}\n"),
    )
}

/// What `/` shows before the dashboard is built.
fn missing_dashboard(config: &Config) -> Reply {
    Reply::new(
        200,
        "text/html;charset=utf-8",
        format!(
            "<!doctype html><meta charset=utf-8><title>tagdeck-emulator</title>\
             <h1>tagdeck-emulator</h1><p>The dashboard is not here yet: no <code>index.html</code> in \
             <code>{}</code>. The APIs are: the cr RPC API at <code>/</code>, Scaleway at \
             <code>/registry/v1/</code>, SWR at <code>/v2/manage/</code>.</p>",
            html_escape(&config.www.display().to_string())
        ),
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html;charset=utf-8",
        "js" | "mjs" => "text/javascript;charset=utf-8",
        "css" => "text/css;charset=utf-8",
        "json" | "map" => "application/json;charset=utf-8",
        // `WebAssembly.instantiateStreaming` insists on this type.
        "wasm" => "application/wasm",
        "ts" => "text/plain;charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain;charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_origins_only() {
        for ok in [
            "http://localhost:5173",
            "http://127.0.0.1:8000",
            "http://[::1]:3000",
            "http://localhost",
            "https://127.9.8.7:1",
        ] {
            assert!(is_local_origin(ok), "{ok}");
        }
        for no in [
            "http://example.com",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
            "null",
            "http://10.0.0.1:80",
            "http://localhost:99999",
            "file://",
        ] {
            assert!(!is_local_origin(no), "{no}");
        }
    }

    #[test]
    fn paths_cannot_leave_the_root() {
        let root = Path::new("/srv/www");
        assert_eq!(
            contained(root, "app/main.js"),
            Some(PathBuf::from("/srv/www/app/main.js"))
        );
        assert_eq!(contained(root, "../etc/passwd"), None);
        assert_eq!(contained(root, "a/../../b"), None);
        assert_eq!(contained(root, "/etc/passwd"), None);
        assert_eq!(contained(root, "a\\..\\b"), None);
    }

    #[test]
    fn wasm_has_its_mime_type() {
        assert_eq!(
            content_type(Path::new("pkg/tagdeck_bg.wasm")),
            "application/wasm"
        );
    }
}
