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

use serde_json::Value as Json;
use tagdeck::catalog::Method;
use tagdeck::encode::form_decode;
use tagdeck::request::{flatten, to_wire_name};
use tagdeck::sign::{self, Format, SignedRequest, SigningContext};
use tagdeck::timestamp::format_timestamp;
use tagdeck::Credentials;

/// How many parameter sets are generated.
const CASES: usize = 2_000;
/// The generator's seed; any change gives a new, equally valid run.
const SEED: u64 = 0x7a67_6465_636b_0002;

// The generator beside the capture script it feeds.
#[path = "popcore/generator.rs"]
mod generator;

use generator::{case_json, random_case, Case, Rng};

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
