//! Cross-check of tagdeck's RPC signing against the vendor's own Node client,
//! `@alicloud/pop-core` (issue 2).
//!
//! A seeded generator makes [`CASES`] parameter sets; `tests/popcore/capture.mjs`
//! sends each through pop-core to a loopback server and reports exactly what
//! arrived. For every case tagdeck builds the same request from the same
//! inputs (`request::flatten`, `sign::sign`) and the two must agree byte for
//! byte: the method, the query string of a GET, the URL and form body of a
//! POST. Independently of how tagdeck built its request, each signing stage
//! is recomputed from the parameters pop-core sent (canonical query,
//! string-to-sign, signature).
//!
//! What pop-core accepts bounds what is generated (its `flatParams` and
//! `replaceRepeatList` in `lib/rpc.js`):
//! - parameter names are ASCII. pop-core sorts names with JavaScript's
//!   default sort (UTF-16 code units) and tagdeck by UTF-8 bytes; the two
//!   orders agree on ASCII, and every real API name is ASCII. Names mix
//!   cases, digits, `-`, `_` and `~` so that byte order matters; none holds
//!   `.`, which would collide with flattened names.
//! - a top-level value is a scalar or a list. pop-core sends a top-level
//!   object as `[object Object]`, and an object nested directly in an
//!   object the same way; lists may hold scalars, lists and objects, and an
//!   object's members may be scalars or lists.
//! - there are no `null`s: pop-core sends the text `null`, tagdeck treats
//!   `Null` as absent.
//! - a caller's parameter that replaces a common one (`Format`, `Version`,
//!   ...) is a scalar: pop-core replaces by top-level name before
//!   flattening, tagdeck by flattened name, so a list there would differ.
//!
//! The timestamp pop-core sends comes from JavaScript's `Date`, so
//! `timestamp::format_timestamp` is checked along the way.
//! `cargo test --test popcore_crosscheck -- --nocapture` prints the number
//! of cases and mismatches and how often each feature occurred.
//!
//! Needs Node and the npm packages: `npm ci` at the repository root. Without
//! them the test fails (CI installs them; a skipped cross-check proves nothing).

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value as Json};
use tagdeck::catalog::Method;
use tagdeck::encode::form_decode;
use tagdeck::request::{flatten, to_wire_name};
use tagdeck::sign::{self, Format, SignedRequest, SigningContext};
use tagdeck::timestamp::format_timestamp;
use tagdeck::{Credentials, Value};

/// How many parameter sets are generated.
const CASES: usize = 2_000;
/// The generator's seed; any change gives a new, equally valid run.
const SEED: u64 = 0x7a67_6465_636b_0002;

// ---------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64), so no crate is needed and a
// failure reproduces exactly.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// True with the given percentage.
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// Pools and generators.

/// Values that have broken signers before: every reserved character, the
/// ones form encoding treats specially, look-alikes of encoded text, and
/// scripts, emoji sequences and invisible characters.
const NASTY: &[&str] = &[
    "",
    " ",
    "  two leading",
    "trailing  ",
    "a b",
    "*",
    "~",
    "+",
    "/",
    "%",
    "=",
    "&",
    "?",
    "'",
    "* ~ + / % = & ? '",
    "!()*'",
    "%20",
    "%2F",
    "%25",
    "%zz",
    "100%",
    "a+b",
    "a=b&c=d",
    "?x=1#frag",
    "\"quoted\"",
    "<tag attr='v'>",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "\r\n",
    "\u{0}",
    "\u{7f}",
    "null",
    "undefined",
    "true",
    "[object Object]",
    "中文unicode",
    "日本語のタグ",
    "한국어",
    "العربية",
    "עברית",
    "Ελληνικά",
    "🐳",
    "👍🏽",
    "👨\u{200d}👩\u{200d}👧",
    "🇨🇳",
    "e\u{301}",
    "A\u{30a}",
    "Å",
    "ß",
    "İ",
    "ﬁ",
    "𝕏",
    "\u{feff}",
    "\u{200b}",
    "\u{2028}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{10ffff}",
    "\u{e000}",
    "registry.cn-hangzhou.aliyuncs.com/ns/repo:v1.0",
    "sha256:0123456789abcdef",
    "a.b-c_d~e",
    "2016-02-23T12:46:24Z",
];

/// One random character of a class chosen at random.
fn random_char(rng: &mut Rng, out: &mut String) {
    let ranges: &[(u32, u32)] = &[
        (0x20, 0x7e),       // printable ASCII
        (0x00, 0x1f),       // controls
        (0x80, 0xff),       // Latin-1 supplement
        (0x100, 0x2ff),     // Latin extended
        (0x370, 0x4ff),     // Greek, Cyrillic
        (0x4e00, 0x9fff),   // CJK
        (0xac00, 0xd7a3),   // Hangul
        (0xe000, 0xffff),   // private use up to the last BMP code point
        (0x1f300, 0x1faff), // emoji
        (0x10000, 0x10ffff),
    ];
    let kind = rng.below(ranges.len() as u64 + 1) as usize;
    if kind == ranges.len() {
        // A combining mark on a base letter.
        out.push(*rng.pick(&['a', 'e', 'o', 'Z', 'n']));
        out.push(char::from_u32(rng.range(0x300, 0x36f)).expect("combining marks are scalars"));
        return;
    }
    let (lo, hi) = ranges[kind];
    // Surrogates are not chars; the ranges above avoid them, but stay safe.
    let c = loop {
        if let Some(c) = char::from_u32(rng.range(lo, hi)) {
            break c;
        }
    };
    out.push(c);
}

/// A string of random characters and pieces of [`NASTY`].
fn random_string(rng: &mut Rng) -> String {
    if rng.percent(35) {
        return (*rng.pick(NASTY)).to_string();
    }
    let mut out = String::new();
    for _ in 0..rng.range(0, 10) {
        if rng.percent(20) {
            out.push_str(rng.pick::<&str>(NASTY));
        } else {
            random_char(rng, &mut out);
        }
    }
    out
}

/// A non-empty string, for what pop-core insists on (AccessKey id and secret).
fn random_nonempty(rng: &mut Rng) -> String {
    loop {
        let s = random_string(rng);
        if !s.is_empty() {
            return s;
        }
    }
}

fn random_alnum(rng: &mut Rng, len: u32) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len).map(|_| char::from(*rng.pick(ALNUM))).collect()
}

/// Names that share prefixes and differ in case and punctuation, so that
/// sorting by bytes (`-` < digits < upper case < `_` < lower case < `~`)
/// decides their order.
const NAMES: &[&str] = &[
    "Tag",
    "tag",
    "TAG",
    "Tags",
    "TagName",
    "Tag_Name",
    "Tag-Name",
    "Tag~x",
    "Tag1",
    "Tag10",
    "Tag2",
    "RepoId",
    "repoName",
    "Repo",
    "NamespaceName",
    "InstanceId",
    "instanceId",
    "a",
    "A",
    "b",
    "B",
    "z",
    "Z",
    "_",
    "_x",
    "x_",
    "0",
    "9",
    "1a",
    "Key",
    "key",
    "KeY",
    "PageSize",
    "pageNo",
    "RegionId",
    "Sub",
    "sub",
];

/// An ASCII parameter name (see the module comment for why ASCII).
fn random_name(rng: &mut Rng) -> String {
    if rng.percent(50) {
        return (*rng.pick(NAMES)).to_string();
    }
    const PLAIN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~";
    // Rarely, characters that must be encoded in the name too.
    const ODD: &[u8] = b" *'%=&+/?!()";
    let mut name: String = (0..rng.range(1, 8))
        .map(|_| char::from(*rng.pick(PLAIN)))
        .collect();
    if rng.percent(5) {
        name.push(char::from(*rng.pick(ODD)));
    }
    name
}

fn random_int(rng: &mut Rng) -> i64 {
    // Within ±(2^53 - 1): JavaScript numbers are exact only there.
    const MAX_SAFE: i64 = (1 << 53) - 1;
    const POOL: &[i64] = &[
        0,
        1,
        -1,
        9,
        10,
        100,
        i32::MAX as i64,
        i32::MIN as i64,
        MAX_SAFE,
        -MAX_SAFE,
    ];
    if rng.percent(50) {
        *rng.pick(POOL)
    } else {
        (rng.below(2 * MAX_SAFE as u64 + 1) as i64) - MAX_SAFE
    }
}

fn random_float(rng: &mut Rng) -> f64 {
    const POOL: &[f64] = &[
        0.1,
        0.5,
        -0.0,
        1.5,
        100.0,
        0.1 + 0.2,
        1.0 / 3.0,
        -2.5e-10,
        1e-6,
        1e-7,
        1e20,
        1e21,
        123_456_789_012_345_680_000.0,
        9_007_199_254_740_993.0,
        1.797_693_134_862_315_7e308,
        5e-324,
        2.225_073_858_507_201_4e-308,
    ];
    match rng.below(3) {
        0 => *rng.pick(POOL),
        // A short decimal, as a person would type it.
        1 => (rng.below(2_000_000) as f64 - 1_000_000.0) / 10f64.powi(rng.range(0, 6) as i32),
        // Any finite double: exercises both exponent notations.
        _ => loop {
            let f = f64::from_bits(rng.next_u64());
            if f.is_finite() {
                break f;
            }
        },
    }
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(100) {
        0..=69 => Value::Str(random_string(rng)),
        70..=81 => Value::Int(random_int(rng)),
        82..=91 => Value::Float(random_float(rng)),
        _ => Value::Bool(rng.percent(50)),
    }
}

const MAX_DEPTH: u32 = 3;

/// A list of scalars, lists and objects (`Key.1`, `Key.1.1`, `Key.1.Sub`).
fn random_list(rng: &mut Rng, depth: u32) -> Value {
    let len = if rng.percent(10) { 0 } else { rng.range(1, 4) };
    let items = (0..len)
        .map(|_| match rng.below(100) {
            _ if depth >= MAX_DEPTH => random_scalar(rng),
            0..=44 => random_scalar(rng),
            45..=64 => random_list(rng, depth + 1),
            _ => random_object(rng, depth + 1),
        })
        .collect();
    Value::Array(items)
}

/// An object inside a list; its members are scalars or lists.
fn random_object(rng: &mut Rng, depth: u32) -> Value {
    let mut members: Vec<(std::borrow::Cow<'static, str>, Value)> = Vec::new();
    for _ in 0..rng.range(0, 4) {
        let name = random_name(rng);
        if members.iter().any(|(k, _)| *k == name) {
            continue;
        }
        let value = if depth < MAX_DEPTH && rng.percent(30) {
            random_list(rng, depth)
        } else {
            random_scalar(rng)
        };
        members.push((name.into(), value));
    }
    Value::Object(members)
}

fn random_top_value(rng: &mut Rng) -> Value {
    if rng.percent(20) {
        random_list(rng, 1)
    } else {
        random_scalar(rng)
    }
}

/// The common parameters a caller may replace (as a scalar; see above).
const OVERRIDABLE: &[&str] = &[
    "Format",
    "format",
    "Version",
    "version",
    "Timestamp",
    "SignatureNonce",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "SecurityToken",
];

/// One parameter set and everything else a signature depends on.
struct Case {
    method: Method,
    action: String,
    api_version: String,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    unix_seconds: i64,
    nonce: String,
    /// Whether pop-core's endpoint ends with `/` (it strips it, so must we).
    trailing_slash: bool,
    /// Ask for XML: tagdeck through [`SigningContext::format`], pop-core
    /// (which has no such option) through a `Format` parameter.
    format_xml: bool,
    /// The operation's own parameters as the caller passes them (names
    /// before pop-core's first-letter upper-casing).
    params: Vec<(String, Value)>,
}

fn random_case(rng: &mut Rng) -> Case {
    const ACTIONS: &[&str] = &[
        "ListRepoTag",
        "listRepoTag",
        "GetRepoTag",
        "CreateRepoTag",
        "DescribeRegions",
        "ListInstance",
        "x",
    ];
    const VERSIONS: &[&str] = &["2018-12-01", "2014-05-26", "2017-08-25", "1.0", "v2"];
    // Dates where calendar arithmetic goes wrong, besides random instants.
    const INSTANTS: &[i64] = &[
        0,
        951_782_400,   // 2000-02-29T00:00:00Z
        946_684_799,   // 1999-12-31T23:59:59Z
        1_456_231_584, // 2016-02-23T12:46:24Z (the seed's example)
        1_709_251_199, // 2024-02-29T23:59:59Z
        2_147_483_648, // 2038-01-19T03:14:08Z
        4_102_444_799, // 2099-12-31T23:59:59Z
    ];

    let method = if rng.percent(50) {
        Method::Get
    } else {
        Method::Post
    };
    let action = if rng.percent(70) {
        (*rng.pick(ACTIONS)).to_string()
    } else {
        let len = rng.range(1, 12);
        random_alnum(rng, len)
    };
    let access_key_id = if rng.percent(70) {
        format!("LTAI{}", random_alnum(rng, 20))
    } else {
        random_nonempty(rng)
    };
    let access_key_secret = if rng.percent(70) {
        random_alnum(rng, 30)
    } else {
        random_nonempty(rng)
    };
    let security_token = match rng.below(100) {
        0..=39 => None,
        // An empty token is no token to pop-core (it tests truthiness).
        40..=49 => Some(String::new()),
        50..=74 => Some(format!(
            "CAIS{}+/{}==",
            random_alnum(rng, 40),
            random_alnum(rng, 8)
        )),
        _ => Some(random_nonempty(rng)),
    };
    let unix_seconds = if rng.percent(20) {
        *rng.pick(INSTANTS)
    } else {
        rng.below(4_102_444_800) as i64
    };
    let nonce = if rng.percent(60) {
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            rng.below(1 << 32),
            rng.below(1 << 16),
            rng.below(1 << 16),
            rng.below(1 << 16),
            rng.below(1 << 48)
        )
    } else {
        random_string(rng)
    };
    let format_xml = rng.percent(10);

    // Parameter names are unique after pop-core's upper-casing, and never
    // `Action` or `Signature`; common names appear only as scalar overrides.
    let mut taken: Vec<String> = vec!["Action".into(), "Signature".into()];
    if format_xml {
        taken.push("Format".into());
    }
    let mut params = Vec::new();
    for _ in 0..rng.range(0, 8) {
        let (name, value) = if rng.percent(5) {
            ((*rng.pick(OVERRIDABLE)).to_string(), random_scalar(rng))
        } else {
            (random_name(rng), random_top_value(rng))
        };
        let wire = to_wire_name(&name).into_owned();
        let is_common = OVERRIDABLE
            .iter()
            .any(|common| to_wire_name(common) == wire.as_str());
        if taken.contains(&wire) || (is_common && matches!(value, Value::Array(_))) {
            continue;
        }
        taken.push(wire);
        params.push((name, value));
    }

    Case {
        method,
        action,
        api_version: (*rng.pick(VERSIONS)).to_string(),
        access_key_id,
        access_key_secret,
        security_token,
        unix_seconds,
        nonce,
        trailing_slash: rng.percent(30),
        format_xml,
        params,
    }
}

/// The case as capture.mjs reads it.
fn case_json(case: &Case) -> Json {
    let mut params: Vec<Json> = case
        .params
        .iter()
        .map(|(name, value)| json!([name, common::to_json(value)]))
        .collect();
    if case.format_xml {
        params.push(json!(["Format", "XML"]));
    }
    json!({
        "method": case.method.as_str(),
        "action": case.action,
        "apiVersion": case.api_version,
        "accessKeyId": case.access_key_id,
        "accessKeySecret": case.access_key_secret,
        "securityToken": case.security_token,
        "unixSeconds": case.unix_seconds,
        "nonce": case.nonce,
        "trailingSlash": case.trailing_slash,
        "params": params,
    })
}

// ---------------------------------------------------------------------------
// tagdeck's side.

/// The request tagdeck builds for a case: the names pop-core would send
/// (`Action` and top-level names with their first letter upper-cased),
/// flattened, then signed with the common parameters added.
fn tagdeck_request(case: &Case) -> SignedRequest {
    let mut params = vec![(
        "Action".to_string(),
        to_wire_name(&case.action).into_owned(),
    )];
    for (name, value) in &case.params {
        flatten(&to_wire_name(name), value, &mut params);
    }
    let mut credentials = Credentials::new(&case.access_key_id, &case.access_key_secret);
    if let Some(token) = &case.security_token {
        credentials = credentials.with_security_token(token);
    }
    let timestamp = format_timestamp(case.unix_seconds);
    let context = SigningContext {
        method: case.method,
        credentials: &credentials,
        timestamp: &timestamp,
        nonce: &case.nonce,
        version: &case.api_version,
        format: if case.format_xml {
            Format::Xml
        } else {
            Format::Json
        },
    };
    sign::sign(params, &context)
}

fn endpoint(port: u16, trailing_slash: bool) -> String {
    format!(
        "http://127.0.0.1:{port}{}",
        if trailing_slash { "/" } else { "" }
    )
}

// ---------------------------------------------------------------------------
// pop-core's side.

/// What arrived at the loopback server for one case.
#[derive(Debug)]
struct Capture {
    method: String,
    /// Path and query, as on the request line.
    url: String,
    content_type: Option<String>,
    body: String,
}

struct Captured {
    pop_core_version: String,
    port: u16,
    captures: Vec<Result<Capture, String>>,
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs capture.mjs on the cases; fails (never skips) without Node or npm packages.
fn run_pop_core(cases: &[Json]) -> Captured {
    const HOW: &str = "the pop-core cross-check needs Node (>= 20) and the npm dev packages: \
                       run `npm ci` at the repository root";
    let pop_core = manifest_dir().join("node_modules/@alicloud/pop-core/lib/rpc.js");
    assert!(
        pop_core.is_file(),
        "{} is missing; {HOW}",
        pop_core.display()
    );
    let cases_path: PathBuf =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("popcore_crosscheck_cases.json");
    std::fs::write(&cases_path, serde_json::to_vec(cases).unwrap()).expect("write the cases");
    let output = Command::new("node")
        .arg(manifest_dir().join("tests/popcore/capture.mjs"))
        .arg(&cases_path)
        .current_dir(manifest_dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}); {HOW}"));
    assert!(
        output.status.success(),
        "capture.mjs failed ({}); {HOW}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Json = serde_json::from_slice(&output.stdout).expect("capture.mjs prints JSON");
    let text = |capture: &Json, field: &str| -> String {
        capture[field]
            .as_str()
            .unwrap_or_else(|| panic!("capture without {field}: {capture}"))
            .to_string()
    };
    let captures = answer["captures"]
        .as_array()
        .expect("captures")
        .iter()
        .map(|capture| match capture.get("error") {
            Some(error) => Err(format!(
                "pop-core failed: {}",
                error.as_str().unwrap_or("?")
            )),
            None => Ok(Capture {
                method: text(capture, "method"),
                url: text(capture, "url"),
                content_type: capture["contentType"].as_str().map(str::to_string),
                body: text(capture, "body"),
            }),
        })
        .collect();
    Captured {
        pop_core_version: text(&answer, "popCoreVersion"),
        port: u16::try_from(answer["port"].as_u64().expect("port")).expect("a port"),
        captures,
    }
}

/// Splits and decodes `a=1&b=2`, refusing any character pop-core should
/// have encoded.
fn decode_params(encoded: &str) -> Result<Vec<(String, String)>, String> {
    if let Some(bad) = encoded
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.~%=&".contains(*c)))
    {
        return Err(format!("pop-core sent an unencoded {bad:?}"));
    }
    encoded
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').ok_or(format!("no `=` in {pair:?}"))?;
            let decode = |s: &str| form_decode(s).ok_or(format!("not UTF-8 after decoding: {s:?}"));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The comparison.

/// Compares one case; `Err` describes the first difference.
fn compare(case: &Case, port: u16, capture: &Capture, ours: &SignedRequest) -> Result<(), String> {
    let theirs_encoded = match case.method {
        Method::Get => {
            if capture.method != "GET" {
                return Err(format!("pop-core sent {}, not GET", capture.method));
            }
            let ours_url = ours.url(&endpoint(port, case.trailing_slash));
            let theirs_url = format!("http://127.0.0.1:{port}{}", capture.url);
            if ours_url != theirs_url {
                return Err(format!(
                    "GET URLs differ; {}\n  tagdeck:  {ours_url}\n  pop-core: {theirs_url}",
                    first_difference(&ours_url, &theirs_url)
                ));
            }
            if !capture.body.is_empty() || ours.body().is_some() {
                return Err("a GET carried a body".into());
            }
            capture
                .url
                .strip_prefix("/?")
                .ok_or("pop-core's GET has no `/?`")?
        }
        Method::Post => {
            if capture.method != "POST" {
                return Err(format!("pop-core sent {}, not POST", capture.method));
            }
            let ours_url = ours.url(&endpoint(port, case.trailing_slash));
            if ours_url != format!("http://127.0.0.1:{port}{}", capture.url) || capture.url != "/" {
                return Err(format!(
                    "POST URLs differ: tagdeck {ours_url}, pop-core {}",
                    capture.url
                ));
            }
            if capture.content_type.as_deref() != Some("application/x-www-form-urlencoded") {
                return Err(format!(
                    "pop-core's POST content type is {:?}",
                    capture.content_type
                ));
            }
            let ours_body = ours.body().unwrap_or_default();
            if ours_body != capture.body {
                return Err(format!(
                    "POST bodies differ; {}\n  tagdeck:  {ours_body}\n  pop-core: {}",
                    first_difference(&ours_body, &capture.body),
                    capture.body
                ));
            }
            capture.body.as_str()
        }
    };
    check_stages(case, theirs_encoded, ours)
}

/// The first `&`-separated parameter where two encodings part, so that a
/// report names it rather than leaving two long strings to compare by eye.
fn first_difference(ours: &str, theirs: &str) -> String {
    let mut ours_parts = ours.split('&');
    let mut theirs_parts = theirs.split('&');
    loop {
        match (ours_parts.next(), theirs_parts.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => return "they differ only in length".into(),
            (a, b) => {
                return format!(
                    "first differing parameter: tagdeck {:?}, pop-core {:?}",
                    a.unwrap_or("(none)"),
                    b.unwrap_or("(none)")
                )
            }
        }
    }
}

/// Recomputes every signing stage from the parameters pop-core sent.
fn check_stages(case: &Case, encoded: &str, ours: &SignedRequest) -> Result<(), String> {
    let mut params = decode_params(encoded)?;
    let (last_name, their_signature) = params.pop().ok_or("no parameters")?;
    if last_name != "Signature" {
        return Err(format!("pop-core's last parameter is {last_name}"));
    }
    // The clock and nonce hooks of capture.mjs took effect (unless the
    // caller replaced those parameters, which is part of the test).
    let sent = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let replaced = |name: &str| case.params.iter().any(|(k, _)| to_wire_name(k) == name);
    let timestamp = format_timestamp(case.unix_seconds);
    if !replaced("Timestamp") && sent("Timestamp") != Some(&timestamp) {
        return Err(format!(
            "capture.mjs did not pin the clock: sent {:?}, case {timestamp}",
            sent("Timestamp")
        ));
    }
    if !replaced("SignatureNonce") && sent("SignatureNonce") != Some(&case.nonce) {
        return Err("capture.mjs did not pin the nonce".into());
    }

    let canonical = sign::canonical_query(&params);
    let signed_part = encoded
        .rsplit_once("&Signature=")
        .map_or("", |(before, _)| before);
    if canonical != signed_part {
        return Err(format!(
            "canonical query of pop-core's parameters differs from what it sent\n  \
             recomputed: {canonical}\n  sent:       {signed_part}"
        ));
    }
    let string_to_sign = sign::string_to_sign(case.method, &canonical);
    if string_to_sign != ours.string_to_sign {
        return Err(format!(
            "strings to sign differ\n  from pop-core's parameters: {string_to_sign}\n  \
             tagdeck:                    {}",
            ours.string_to_sign
        ));
    }
    let signature = sign::signature(&string_to_sign, &case.access_key_secret);
    if signature != their_signature || signature != ours.signature {
        return Err(format!(
            "signatures differ: recomputed {signature}, pop-core {their_signature}, tagdeck {}",
            ours.signature
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Coverage: the generator must keep producing what the issue asks for.

#[derive(Default, Debug)]
struct Coverage {
    get: usize,
    post: usize,
    with_token: usize,
    without_token: usize,
    non_ascii: usize,
    astral: usize,
    combining: usize,
    empty_value: usize,
    nested_object: usize,
    nested_list: usize,
    /// Cases whose values hold each of `space * ~ + / % = & ? '`.
    special: [usize; 10],
}

const SPECIAL: [char; 10] = [' ', '*', '~', '+', '/', '%', '=', '&', '?', '\''];

impl Coverage {
    fn add(&mut self, case: &Case, ours: &SignedRequest) {
        match case.method {
            Method::Get => self.get += 1,
            Method::Post => self.post += 1,
        }
        // The signature itself is left out: its base64 would count as `+`,
        // `/` and `=` in every case.
        let sent = || ours.params.iter().filter(|(k, _)| k != "Signature");
        let names = || sent().map(|(k, _)| k.as_str());
        let values = || sent().map(|(_, v)| v.as_str());
        if names().any(|k| k == "SecurityToken") {
            self.with_token += 1;
        } else {
            self.without_token += 1;
        }
        let any_value = |test: &dyn Fn(&str) -> bool| values().any(test);
        self.non_ascii += usize::from(any_value(&|v| !v.is_ascii()));
        self.astral += usize::from(any_value(&|v| v.chars().any(|c| c as u32 > 0xffff)));
        self.combining += usize::from(any_value(&|v| {
            v.chars().any(|c| (0x300..=0x36f).contains(&(c as u32)))
        }));
        self.empty_value += usize::from(any_value(&|v| v.is_empty()));
        let segments = |k: &str| k.split('.').skip(1).map(str::to_string).collect::<Vec<_>>();
        let is_index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        self.nested_object += usize::from(names().any(|k| {
            let s = segments(k);
            s.len() >= 2 && is_index(&s[0]) && !is_index(&s[1])
        }));
        self.nested_list += usize::from(names().any(|k| {
            let s = segments(k);
            s.len() >= 2 && is_index(&s[0]) && is_index(&s[1])
        }));
        for (count, c) in self.special.iter_mut().zip(SPECIAL) {
            *count += usize::from(any_value(&|v| v.contains(c)));
        }
    }

    fn check(&self, minimum: usize) {
        let mut thin = Vec::new();
        for (name, count) in [
            ("GET", self.get),
            ("POST", self.post),
            ("with SecurityToken", self.with_token),
            ("without SecurityToken", self.without_token),
            ("non-ASCII", self.non_ascii),
            ("astral/emoji", self.astral),
            ("combining marks", self.combining),
            ("empty values", self.empty_value),
            ("Key.N.Sub", self.nested_object),
            ("Key.N.M", self.nested_list),
        ] {
            if count < minimum {
                thin.push(format!("{name}: {count}"));
            }
        }
        for (c, count) in SPECIAL.iter().zip(self.special) {
            if count < minimum {
                thin.push(format!("{c:?}: {count}"));
            }
        }
        assert!(
            thin.is_empty(),
            "the generator covers too few cases (fewer than {minimum}): {}",
            thin.join(", ")
        );
    }
}

// ---------------------------------------------------------------------------

#[test]
fn tagdeck_and_pop_core_send_identical_requests() {
    let mut rng = Rng(SEED);
    let cases: Vec<Case> = (0..CASES).map(|_| random_case(&mut rng)).collect();
    let cases_json: Vec<Json> = cases.iter().map(case_json).collect();
    let captured = run_pop_core(&cases_json);
    assert_eq!(captured.captures.len(), cases.len(), "one capture per case");

    let mut coverage = Coverage::default();
    let mut mismatches = 0;
    let mut first_report = None;
    for (index, (case, capture)) in cases.iter().zip(&captured.captures).enumerate() {
        let ours = tagdeck_request(case);
        coverage.add(case, &ours);
        let outcome = capture
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|capture| compare(case, captured.port, capture, &ours));
        if let Err(difference) = outcome {
            mismatches += 1;
            if first_report.is_none() {
                let mut report = String::new();
                let _ = writeln!(report, "first mismatch: case {index} (seed {SEED:#x})");
                let _ = writeln!(report, "{difference}");
                let _ = writeln!(
                    report,
                    "case: {}",
                    serde_json::to_string_pretty(&cases_json[index]).unwrap()
                );
                let _ = writeln!(report, "tagdeck: {ours:#?}");
                let _ = writeln!(report, "pop-core: {capture:#?}");
                first_report = Some(report);
            }
        }
    }

    println!(
        "pop-core {} cross-check: {} cases, {mismatches} mismatches; coverage {coverage:?}",
        captured.pop_core_version,
        cases.len()
    );
    if let Some(report) = first_report {
        panic!(
            "{mismatches} of {} cases differ from pop-core\n{report}",
            cases.len()
        );
    }
    coverage.check(CASES / 50);
}
