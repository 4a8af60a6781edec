//! `planRetention(policy, tags, { now })`, `explainRetention(policy)` and
//! `retentionTags(repository, name)`: the retention engine of the core
//! (`tagdeck::retention`) for JavaScript, as a WebAssembly module of its own
//! (see Cargo.toml for why). The tags cross in one buffer and the decisions
//! back in a few strings (`glue.js` says why). Failures are the package's
//! `TagdeckError`s: a real `Error` with `name` and `code`.

use alloc::collections::BTreeMap;

use js_sys::{Array, Float64Array, Uint32Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

extern crate alloc;

/// The core's retention engine, the same source as `tagdeck::retention`.
#[path = "../../src/retention/mod.rs"]
#[allow(missing_docs)]
pub mod retention;

use retention::model::tail_key;
use retention::{Action, AnyPolicy, Options, RuleRef, TagView};

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = packTags, catch)]
    fn pack_tags(tags: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = encodeText, catch)]
    fn encode_text(text: &JsValue, into: &mut [u8]) -> Result<f64, JsValue>;
    #[wasm_bindgen(js_name = packOptions, catch)]
    fn pack_options(options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = policyText, catch)]
    fn policy_text(policy: &JsValue) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(js_name = planResult, catch)]
    fn plan_result(
        tags: &JsValue,
        actions: &[u8],
        rules: &str,
        rule_of: &[u32],
        reasons: &str,
        reason_of: &[u32],
        warnings: &str,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = gatherTags, catch)]
    fn gather_tags(
        source: &JsValue,
        name: &JsValue,
        options: &JsValue,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// A `TagdeckError` as the core package makes them (src/wasm/errors.rs):
/// nothing here is retryable, and no request was sent.
fn failure(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("TagdeckError");
    for (key, value) in [
        ("code", JsValue::from_str(code)),
        ("retryable", JsValue::FALSE),
    ] {
        // Setting a data property on a fresh Error cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    }
    error.into()
}

fn invalid(message: String) -> JsValue {
    failure("InvalidParameter", &message)
}

/// An exception from glue.js: a bug, reported rather than unwound.
fn internal(exception: JsValue) -> JsValue {
    let detail = exception
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default();
    failure(
        "InternalError",
        &format!("tagdeck could not build the result in JavaScript: {detail}"),
    )
}

fn read_policy(policy: &JsValue) -> Result<AnyPolicy, JsValue> {
    let text = policy_text(policy).map_err(internal)?;
    let text = text.ok_or_else(|| {
        failure(
            "InvalidPolicy",
            "policy: must be a JSON object (numbers, not bigint)",
        )
    })?;
    AnyPolicy::from_json_text(&text).map_err(|error| failure("InvalidPolicy", &format!("{error}")))
}

/// Plans `tags` under `policy`: one decision per tag, in input order.
#[wasm_bindgen(js_name = planRetention, skip_typescript)]
pub fn plan_retention(
    policy: JsValue,
    tags: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let policy = read_policy(&policy)?;
    let packed = pack_tags(&tags).map_err(internal)?;
    if let Some(message) = packed.as_string() {
        return Err(invalid(message));
    }
    let packed: Array = packed.unchecked_into();
    let (text, ascii) = read_text(&packed.get(0))?;
    let lengths = packed.get(2).unchecked_into::<Uint32Array>().to_vec();
    let times = packed.get(1).unchecked_into::<Float64Array>().to_vec();
    let options = pack_options(&options).map_err(internal)?;
    if let Some(message) = options.as_string() {
        return Err(invalid(message));
    }
    let options: Array = options.unchecked_into();
    let now = options
        .get(0)
        .as_f64()
        .filter(|now| !now.is_nan())
        .unwrap_or_else(js_sys::Date::now);
    let options = Options {
        now: now as i64,
        deletes_tags_one_by_one: options.get(1).is_truthy(),
    };

    let inputs = read_tags(&text, ascii, &times, &lengths);
    let plan = policy.plan_views(&inputs, &options);
    let crossing = Crossing::new(&plan);
    plan_result(
        &tags,
        &crossing.actions,
        &crossing.rules,
        &crossing.rule_of,
        &crossing.reasons,
        &crossing.reason_of,
        &plan.warnings.join("\0"),
    )
    .map_err(internal)
}

/// A JS string as UTF-8, written straight into the module's memory: a
/// byte per UTF-16 unit when it is ASCII (names are, by the distribution
/// spec), else up to three; and whether it was ASCII (a byte per unit).
fn read_text(text: &JsValue) -> Result<(String, bool), JsValue> {
    let units = text.unchecked_ref::<js_sys::JsString>().length() as usize;
    for room in [units, units * 3] {
        let mut bytes = vec![0u8; room];
        let written = encode_text(text, &mut bytes).map_err(internal)?;
        if written >= 0.0 {
            bytes.truncate(written as usize);
            let ascii = bytes.len() == units;
            return String::from_utf8(bytes)
                .map(|text| (text, ascii))
                .map_err(|_| invalid(String::from("tags: names must be text")));
        }
    }
    Err(failure(
        "InternalError",
        "tagdeck could not pass the tags' names to WebAssembly",
    ))
}

/// The tags packTags packed: `text` holds repository, tag and digest per
/// tag, `lengths` the length of each in UTF-16 units (in bytes too when
/// the text is `ascii`), `times` pushed, pulled and created per tag. The
/// names stay in `text`: a String per name was 300,000 allocations.
fn read_tags<'a>(text: &'a str, ascii: bool, times: &[f64], lengths: &[u32]) -> Vec<TagView<'a>> {
    let time = |ms: f64| (!ms.is_nan()).then_some(ms as i64);
    let mut rest = text;
    let mut next = |k: usize| {
        let units = lengths.get(k).map_or(0, |&units| units as usize);
        let bytes = if ascii {
            units
        } else {
            utf8_length(rest, units)
        };
        let (name, after) = rest.split_at_checked(bytes).unwrap_or((rest, ""));
        rest = after;
        name
    };
    let mut inputs = Vec::with_capacity(times.len() / 3);
    let mut previous = "";
    for (i, chunk) in times.chunks_exact(3).enumerate() {
        let (repository, tag, digest) = (next(i * 3), next(i * 3 + 1), next(i * 3 + 2));
        // "" is the previous tag's repository (glue.js: packTags).
        if !repository.is_empty() {
            previous = repository;
        }
        inputs.push(TagView {
            repository: previous,
            tag,
            digest,
            pushed_at: time(chunk[0]),
            pulled_at: time(chunk[1]),
            created_at: time(chunk[2]),
        });
    }
    inputs
}

/// The bytes of `text`'s first `units` UTF-16 units (a lone surrogate
/// crossed as U+FFFD, one unit as well).
fn utf8_length(text: &str, units: usize) -> usize {
    let mut counted = 0;
    for (at, c) in text.char_indices() {
        if counted >= units {
            return at;
        }
        counted += c.len_utf16();
    }
    text.len()
}

/// A plan as it crosses to JavaScript (glue.js: planResult): each distinct
/// rule and reason once (the same ones recur across repositories), and per
/// decision its action and the indices of its rule and reason.
struct Crossing {
    actions: Vec<u8>,
    rules: String,
    rule_count: u32,
    rule_of: Vec<u32>,
    reasons: String,
    reason_of: Vec<u32>,
}

impl Crossing {
    fn new(plan: &retention::Plan) -> Self {
        let count = plan.decisions.len();
        let mut crossing = Crossing {
            actions: Vec::with_capacity(count),
            rules: String::new(),
            rule_count: 0,
            rule_of: Vec::with_capacity(count),
            reasons: String::new(),
            reason_of: Vec::with_capacity(count),
        };
        // A rule by its index (`by_index`: u32::MAX until seen), or by its
        // name (an id and a named rule both cross as "=name").
        let mut by_index: Vec<u32> = Vec::new();
        let mut by_name: BTreeMap<(u128, &str), usize> = BTreeMap::new();
        let mut no_rule = None;
        let mut reason_index = ReasonIndex::default();
        for decision in &plan.decisions {
            crossing
                .actions
                .push(u8::from(decision.action == Action::Delete));
            let rule = match &decision.rule {
                RuleRef::None => *no_rule.get_or_insert_with(|| crossing.add_rule("", "")),
                RuleRef::Index(index) => {
                    if by_index.len() <= *index {
                        by_index.resize(index + 1, u32::MAX);
                    }
                    if by_index[*index] == u32::MAX {
                        by_index[*index] = crossing.add_rule("#", &format!("{index}"));
                    }
                    by_index[*index]
                }
                RuleRef::Id(name) => crossing.named_rule(&mut by_name, name),
                RuleRef::Named(name) => crossing.named_rule(&mut by_name, name),
            };
            crossing.rule_of.push(rule);
            crossing.push_reason(decision, &mut reason_index);
        }
        crossing
    }

    /// Adds a distinct rule (`prefix` then `text`) and returns its index.
    fn add_rule(&mut self, prefix: &str, text: &str) -> u32 {
        if self.rule_count > 0 {
            self.rules.push('\0');
        }
        self.rules.push_str(prefix);
        self.rules.push_str(text);
        self.rule_count += 1;
        self.rule_count - 1
    }

    /// The index of the rule named `name`, added when new.
    fn named_rule<'p>(
        &mut self,
        by_name: &mut BTreeMap<(u128, &'p str), usize>,
        name: &'p str,
    ) -> u32 {
        if let Some(&known) = by_name.get(&tail_key(name)) {
            return known as u32;
        }
        let rule = self.add_rule("=", name);
        by_name.insert(tail_key(name), rule as usize);
        rule
    }

    /// The index of `decision`'s reason, its text added when new.
    fn push_reason<'p>(&mut self, decision: &'p retention::Decision, index: &mut ReasonIndex<'p>) {
        let id = decision.reason.id();
        // Reasons are allocated 8-byte aligned: the low bits say nothing.
        let slot = (id >> 3) % RECENT;
        if index.recent[slot].0 == id {
            self.reason_of.push(index.recent[slot].1);
            return;
        }
        let next = index.by_text.len();
        let reasons = &mut self.reasons;
        let by_text = &mut index.by_text;
        let reason = *index.by_id.entry(id).or_insert_with(|| {
            *by_text
                .entry(tail_key(&decision.reason))
                .or_insert_with(|| {
                    if next > 0 {
                        reasons.push('\0');
                    }
                    reasons.push_str(&decision.reason);
                    next
                }) as u32
        });
        index.recent[slot] = (id, reason);
        self.reason_of.push(reason);
    }
}

/// Slots of `ReasonIndex::recent`.
const RECENT: usize = 1024;

/// Where each reason already crossing is: by the id of its shared text
/// (the engine shares one text among the decisions that say the same),
/// else by its text (a dialect may write equal reasons apart).
struct ReasonIndex<'p> {
    /// The last reason seen per slot of its id: most decisions find their
    /// reason here without a search (a plan has a few hundred distinct).
    recent: Vec<(usize, u32)>,
    by_id: BTreeMap<usize, u32>,
    by_text: BTreeMap<(u128, &'p str), usize>,
}

impl Default for ReasonIndex<'_> {
    fn default() -> Self {
        ReasonIndex {
            // Id 0 is no reason's: an empty slot never matches.
            recent: vec![(0, 0); RECENT],
            by_id: BTreeMap::new(),
            by_text: BTreeMap::new(),
        }
    }
}

/// What `policy` means in tagdeck's own language: `{ format, equivalent, note }`.
#[wasm_bindgen(js_name = explainRetention, skip_typescript)]
pub fn explain_retention(policy: JsValue) -> Result<JsValue, JsValue> {
    let explanation = read_policy(&policy)?.explain();
    let json = serde_json::json!({
        "format": explanation.format,
        "equivalent": explanation.equivalent,
        "note": explanation.note,
    });
    js_sys::JSON::parse(&json.to_string()).map_err(internal)
}

/// Every tag of `repository` (the common tag interface) as `planRetention`'s input.
#[wasm_bindgen(js_name = retentionTags, skip_typescript)]
pub async fn retention_tags(
    repository: JsValue,
    name: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let promise = gather_tags(&repository, &name, &options).map_err(internal)?;
    let tags = JsFuture::from(promise).await?;
    match tags.as_string() {
        Some(message) => Err(invalid(message)),
        None => Ok(tags),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const RETENTION_TYPES: &str = include_str!("types.d.ts");
