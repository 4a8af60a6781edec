//! What the emulator's integration tests share: starting an emulator on a
//! free loopback port, a small HTTP/1.1 client over a plain TCP stream, and
//! RPC requests signed with the core (`tagdeck::sign`), decoded with the
//! core (`tagdeck::decode`).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tagdeck::catalog::Method;
use tagdeck::sign::{sign, Format, SigningContext};
use tagdeck::{Credentials, Error, Value};
use tagdeck_emulator::clock::{Clock, ManualClock};
use tagdeck_emulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_AUTH_TOKEN};
use tagdeck_emulator::seed::{DEMO_INSTANCE_ID, DEMO_REGION_ID};
use tagdeck_emulator::{Config, Running};

pub const INSTANCE: &str = DEMO_INSTANCE_ID;
pub const REGION: &str = DEMO_REGION_ID;
pub const TOKEN: &str = DEMO_AUTH_TOKEN;

/// An emulator with the demo data on a free port.
pub fn start() -> Running {
    start_with(|_| {})
}

/// The same, with changes to the configuration.
pub fn start_with(change: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    change(&mut config);
    tagdeck_emulator::spawn(config).expect("the emulator starts")
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A request to the SWR API: the token, and a JSON body.
pub fn swr(addr: SocketAddr, method: &str, target: &str, body: &str) -> Response {
    http(
        addr,
        method,
        target,
        &[
            ("X-Auth-Token", TOKEN),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
}

/// One request on a fresh connection (`Connection: close`), read to the end.
pub fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8(raw).expect("UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Seconds since the epoch, for timestamps.
pub fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

static NONCE: AtomicU64 = AtomicU64::new(0);

/// A nonce no other request of this test run uses.
pub fn nonce() -> String {
    format!(
        "test-{}-{}-{}",
        std::process::id(),
        now_seconds(),
        NONCE.fetch_add(1, Ordering::SeqCst)
    )
}

/// How to sign a request.
#[derive(Debug, Clone)]
pub struct Signing {
    pub credentials: Credentials,
    pub method: Method,
    pub format: Format,
    pub timestamp: String,
    pub nonce: String,
}

impl Signing {
    /// The demo key, now, a fresh nonce.
    pub fn demo(method: Method, format: Format) -> Self {
        Signing {
            credentials: Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
            method,
            format,
            timestamp: tagdeck::timestamp::format_timestamp(now_seconds()),
            nonce: nonce(),
        }
    }

    /// What the RPC signature of `cr`'s API version is computed with.
    pub fn context(&self) -> SigningContext<'_> {
        SigningContext {
            method: self.method,
            credentials: &self.credentials,
            timestamp: &self.timestamp,
            nonce: &self.nonce,
            version: tagdeck::catalog::API_VERSION,
            format: self.format,
        }
    }
}

/// A signed request as sent, and the answer.
#[derive(Debug)]
pub struct Exchange {
    pub string_to_sign: String,
    pub response: Response,
    pub format: Format,
    pub action: String,
}

impl Exchange {
    /// The answer decoded by the core, as a client would.
    pub fn decoded(&self) -> Result<Value, Error> {
        tagdeck::decode::decode_action(
            &self.action,
            self.response.status,
            &self.response.body,
            self.format,
        )
    }

    /// The decoded answer of a call that must succeed.
    pub fn ok(&self) -> Value {
        self.decoded()
            .unwrap_or_else(|e| panic!("{} failed: {e}\n{}", self.action, self.response.body))
    }

    /// The API error of a call that must fail.
    pub fn api_error(&self) -> tagdeck::ApiError {
        match self.decoded() {
            Err(e) => e
                .api()
                .cloned()
                .unwrap_or_else(|| panic!("not an API error: {e}")),
            Ok(v) => panic!("{} succeeded: {v:?}", self.action),
        }
    }
}

/// Sends `action` with `params` (wire names, `Action` added), signed as
/// `signing` says.
pub fn send(
    addr: SocketAddr,
    action: &str,
    params: &[(&str, &str)],
    signing: &Signing,
) -> Exchange {
    let mut own: Vec<(String, String)> = vec![("Action".into(), action.into())];
    own.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let signed = sign(own, &signing.context());
    let response = match signing.method {
        Method::Get => http(
            addr,
            "GET",
            &format!("/?{}", signed.encoded_params()),
            &[],
            b"",
        ),
        Method::Post => http(
            addr,
            "POST",
            "/",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            signed.encoded_params().as_bytes(),
        ),
    };
    Exchange {
        string_to_sign: signed.string_to_sign,
        response,
        format: signing.format,
        action: action.into(),
    }
}

/// A Scaleway or SWR call with the demo `X-Auth-Token` and no body.
pub fn with_token(addr: SocketAddr, method: &str, target: &str) -> Response {
    http(addr, method, target, &[("X-Auth-Token", TOKEN)], b"")
}

/// Sends with the demo key, GET and JSON.
pub fn call(addr: SocketAddr, action: &str, params: &[(&str, &str)]) -> Exchange {
    send(
        addr,
        action,
        params,
        &Signing::demo(Method::Get, Format::Json),
    )
}

/// Sends with the demo key as the catalogue's default method, in `format`.
pub fn call_as(
    addr: SocketAddr,
    action: &str,
    params: &[(&str, &str)],
    format: Format,
) -> Exchange {
    let method = tagdeck::catalog::find(action)
        .map(|op| op.default_method())
        .unwrap_or(Method::Get);
    send(addr, action, params, &Signing::demo(method, format))
}

/// The string value of `key` in an answer.
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string {key} in {value:?}"))
}

/// The integer value of `key`.
pub fn int(value: &Value, key: &str) -> i64 {
    value
        .get(key)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("no integer {key} in {value:?}"))
}

/// The list `key`.
pub fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no list {key} in {value:?}"))
}

/// The id of the demo repository `namespace/name`.
pub fn repo_id(addr: SocketAddr, namespace: &str, name: &str) -> String {
    let answer = call(
        addr,
        "GetRepository",
        &[
            ("InstanceId", INSTANCE),
            ("RegionId", REGION),
            ("RepoNamespaceName", namespace),
            ("RepoName", name),
        ],
    )
    .ok();
    text(&answer, "RepoId").to_string()
}

/// The parameters that name tag `tag` of the repository `repo_id`.
pub fn repo_tag<'a>(repo_id: &'a str, tag: &'a str) -> [(&'static str, &'a str); 2] {
    [("RepoId", repo_id), ("Tag", tag)]
}

/// `CreateRepoTag`'s parameters: tag `from` of `namespace/repo` again as `to`.
pub fn copy_tag<'a>(
    namespace: &'a str,
    repo: &'a str,
    from: &'a str,
    to: &'a str,
) -> [(&'static str, &'a str); 4] {
    [
        ("NamespaceName", namespace),
        ("RepoName", repo),
        ("FromTag", from),
        ("ToTag", to),
    ]
}

/// `params` after the demo instance's `InstanceId` and `RegionId`.
pub fn with_instance<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("InstanceId", INSTANCE), ("RegionId", REGION)];
    all.extend_from_slice(params);
    all
}

/// [`ok`]'s answer's text field `key`: the id a create answers, a status.
pub fn ok_text(addr: SocketAddr, action: &str, params: &[(&str, &str)], key: &str) -> String {
    text(&ok(addr, action, params), key).to_string()
}

/// Calls on the demo instance; panics unless it succeeds.
pub fn ok(addr: SocketAddr, action: &str, params: &[(&str, &str)]) -> Value {
    call(addr, action, &with_instance(params)).ok()
}

/// Calls on the demo instance signed at `clock`'s time (for tests that
/// move it beyond the 15-minute window); panics unless it succeeds.
pub fn ok_at(
    addr: SocketAddr,
    clock: &ManualClock,
    action: &str,
    params: &[(&str, &str)],
) -> Value {
    let mut signing = Signing::demo(Method::Get, Format::Json);
    signing.timestamp = tagdeck::timestamp::format_timestamp(clock.now_ms() / 1000);
    send(addr, action, &with_instance(params), &signing).ok()
}

/// Calls on the demo instance; the API error it must give.
pub fn fails(addr: SocketAddr, action: &str, params: &[(&str, &str)]) -> tagdeck::ApiError {
    call(addr, action, &with_instance(params)).api_error()
}

/// A server whose clock the test moves, starting at the real time so that
/// request timestamps are within the window.
pub fn start_with_clock(task_ms: i64) -> (Running, Arc<ManualClock>) {
    let clock = ManualClock::at(now_seconds() * 1000);
    let shared = clock.clone();
    let server = start_with(move |c| {
        c.clock = shared;
        c.task_ms = task_ms;
    });
    (server, clock)
}
