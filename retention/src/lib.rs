//! `planRetention(policy, tags, { now })`, `explainRetention(policy)` and
//! `retentionTags(repository, name)`: the retention engine of the core
//! (`tagdeck::retention`) for JavaScript, as a WebAssembly module of its own
//! (see Cargo.toml for why). The tags cross in one buffer and the decisions
//! back in a few strings (`glue.js` says why). Failures are the package's
//! `TagdeckError`s: a real `Error` with `name` and `code`.

use alloc::collections::BTreeMap;
use core::fmt::Write;

use js_sys::{Array, Float64Array, Uint8Array};
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
    let text = String::from_utf8(packed.get(0).unchecked_into::<Uint8Array>().to_vec())
        .map_err(|_| invalid(String::from("tags: names must be text")))?;
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

    let inputs = read_tags(&text, &times);
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

/// The tags packTags packed: `text` holds repository, tag and digest per
/// tag, separated by NUL, `times` pushed, pulled and created per tag. The
/// names stay in `text`: a String per name was 300,000 allocations.
fn read_tags<'a>(text: &'a str, times: &[f64]) -> Vec<TagView<'a>> {
    let time = |ms: f64| (!ms.is_nan()).then_some(ms as i64);
    let mut names = text.split('\0');
    let mut inputs = Vec::with_capacity(times.len() / 3);
    let mut previous = "";
    for chunk in times.chunks_exact(3) {
        let (repository, tag, digest) = (
            names.next().unwrap_or(""),
            names.next().unwrap_or(""),
            names.next().unwrap_or(""),
        );
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

/// A plan as it crosses to JavaScript (glue.js: planResult): each distinct
/// rule and reason once (the same ones recur across repositories), and per
/// decision its action and the indices of its rule and reason.
struct Crossing {
    actions: Vec<u8>,
    rules: String,
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
            rule_of: Vec::with_capacity(count),
            reasons: String::new(),
            reason_of: Vec::with_capacity(count),
        };
        // A rule by its index (`by_index`: u32::MAX until seen), or by its
        // name (an id and a named rule both cross as "=name").
        let mut by_index: Vec<u32> = Vec::new();
        let mut distinct_rules: BTreeMap<(usize, &str), u32> = BTreeMap::new();
        // A reason by its id (the engine shares one text among the
        // decisions that say the same), else by its text (a dialect may
        // write equal reasons apart).
        let mut reason_ids: BTreeMap<usize, u32> = BTreeMap::new();
        let mut distinct_reasons: BTreeMap<(u128, &str), u32> = BTreeMap::new();
        for decision in &plan.decisions {
            crossing
                .actions
                .push(u8::from(decision.action == Action::Delete));
            let key = match &decision.rule {
                RuleRef::None => (usize::MAX, ""),
                RuleRef::Index(index) => (*index, ""),
                RuleRef::Id(id) => (usize::MAX, id.as_str()),
                RuleRef::Named(name) => (usize::MAX, *name),
            };
            if let RuleRef::Index(index) = decision.rule {
                if let Some(&known) = by_index.get(index).filter(|&&known| known != u32::MAX) {
                    crossing.rule_of.push(known);
                    crossing.push_reason(decision, &mut reason_ids, &mut distinct_reasons);
                    continue;
                }
            }
            let next = distinct_rules.len() as u32;
            let rules = &mut crossing.rules;
            let rule = *distinct_rules.entry(key).or_insert_with(|| {
                if next > 0 {
                    rules.push('\0');
                }
                match &decision.rule {
                    RuleRef::None => {}
                    RuleRef::Index(index) => {
                        let _ = write!(rules, "#{index}");
                    }
                    RuleRef::Id(name) => {
                        rules.push('=');
                        rules.push_str(name);
                    }
                    RuleRef::Named(name) => {
                        rules.push('=');
                        rules.push_str(name);
                    }
                }
                next
            });
            if let RuleRef::Index(index) = decision.rule {
                if by_index.len() <= index {
                    by_index.resize(index + 1, u32::MAX);
                }
                by_index[index] = rule;
            }
            crossing.rule_of.push(rule);
            crossing.push_reason(decision, &mut reason_ids, &mut distinct_reasons);
        }
        crossing
    }

    /// The index of `decision`'s reason, its text added when new.
    fn push_reason<'p>(
        &mut self,
        decision: &'p retention::Decision,
        by_id: &mut BTreeMap<usize, u32>,
        by_text: &mut BTreeMap<(u128, &'p str), u32>,
    ) {
        let next = by_text.len() as u32;
        let reasons = &mut self.reasons;
        let reason = *by_id.entry(decision.reason.id()).or_insert_with(|| {
            *by_text
                .entry(tail_key(&decision.reason))
                .or_insert_with(|| {
                    if next > 0 {
                        reasons.push('\0');
                    }
                    reasons.push_str(&decision.reason);
                    next
                })
        });
        self.reason_of.push(reason);
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
