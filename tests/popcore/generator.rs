//! The cross-check's generator: a seeded PRNG and the parameter sets it
//! makes, within what pop-core accepts (see the test's own header).

use serde_json::{json, Value as Json};
use tagdeck::catalog::Method;
use tagdeck::request::to_wire_name;
use tagdeck::Value;

// A small deterministic PRNG (SplitMix64), so no crate is needed and a
// failure reproduces exactly.

pub struct Rng(pub u64);

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
pub struct Case {
    pub method: Method,
    pub action: String,
    pub api_version: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
    pub unix_seconds: i64,
    pub nonce: String,
    /// Whether pop-core's endpoint ends with `/` (it strips it, so must we).
    pub trailing_slash: bool,
    /// Ask for XML: tagdeck through [`SigningContext::format`], pop-core
    /// (which has no such option) through a `Format` parameter.
    pub format_xml: bool,
    /// The operation's own parameters as the caller passes them (names
    /// before pop-core's first-letter upper-casing).
    pub params: Vec<(String, Value)>,
}

pub fn random_case(rng: &mut Rng) -> Case {
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
pub fn case_json(case: &Case) -> Json {
    let mut params: Vec<Json> = case
        .params
        .iter()
        .map(|(name, value)| json!([name, crate::common::to_json(value)]))
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
