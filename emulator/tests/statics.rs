//! The dashboard and the package on the API's origin, and CORS for other
//! local origins only.

mod common;

use std::path::PathBuf;

use common::*;

fn site() -> (PathBuf, PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!("tagdeck-emulator-site-{}", std::process::id()));
    let (www, pkg) = (root.join("www"), root.join("pkg"));
    std::fs::create_dir_all(www.join("app")).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<!doctype html><title>tagdeck</title>",
    )
    .unwrap();
    std::fs::write(www.join("app/main.js"), "export const x = 1;").unwrap();
    std::fs::write(pkg.join("tagdeck_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(root.join("secret.txt"), "outside").unwrap();
    (root, www, pkg)
}

#[test]
fn the_dashboard_and_the_package_are_served() {
    let (root, www, pkg) = site();
    let server = start_with(move |c| {
        c.www = www;
        c.pkg = pkg;
    });
    let index = http(server.addr, "GET", "/", &[], b"");
    assert_eq!(index.status, 200);
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(index.body.contains("<title>tagdeck</title>"));
    let js = http(server.addr, "GET", "/app/main.js", &[], b"");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript;charset=utf-8")
    );
    let wasm = http(server.addr, "GET", "/pkg/tagdeck_bg.wasm", &[], b"");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    let head = http(server.addr, "HEAD", "/app/main.js", &[], b"");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    for escape in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/../../secret.txt",
        "/app/%2F..%2F..%2Fsecret.txt",
        "/missing.js",
    ] {
        let response = http(server.addr, "GET", escape, &[], b"");
        assert_eq!(response.status, 404, "{escape}");
        assert!(!response.body.contains("outside"), "{escape}");
    }
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn cors_is_for_local_origins_only() {
    let server = start();
    // A request as a page on `origin` sends it, with `headers` besides.
    let from_page = |origin: &str, method: &str, target: &str, headers: &[(&str, &str)]| {
        http(
            server.addr,
            method,
            target,
            &[&[("Origin", origin)], headers].concat(),
            b"",
        )
    };
    let read_from =
        |origin: &str, path: &str| from_page(origin, "GET", path, &[("X-Auth-Token", TOKEN)]);
    let local = read_from(
        "http://localhost:5173",
        "/registry/v1/regions/fr-par/namespaces",
    );
    assert_eq!(
        local.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let exposed = local.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("Content-Range") && exposed.contains("x-acs-retry-after"));

    let foreign = read_from(
        "https://evil.example",
        "/v2/manage/namespaces/demo/repos/web/tags",
    );
    assert_eq!(foreign.status, 200);
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    let preflight = from_page(
        "http://127.0.0.1:8000",
        "OPTIONS",
        "/",
        &[
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8000")
    );
    let allowed = preflight.header("access-control-allow-headers").unwrap();
    for header in ["X-Auth-Token", "Content-Type", "Authorization"] {
        assert!(allowed.contains(header), "{header}");
    }
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("DELETE"));
    let refused = from_page("https://evil.example", "OPTIONS", "/", &[]);
    assert_eq!(refused.header("access-control-allow-origin"), None);

    // RPC answers (errors too) carry the headers for a local page.
    let rpc = from_page(
        "http://[::1]:3000",
        "GET",
        "/?Action=ListInstance&Format=JSON",
        &[],
    );
    assert_eq!(rpc.status, 400);
    assert_eq!(
        rpc.header("access-control-allow-origin"),
        Some("http://[::1]:3000")
    );
}
