//! Native benchmarks of the core stages, one `ListRepoTag` call through
//! each: canonical query, string-to-sign, signature, the whole request
//! (validation + common parameters + signing), and decoding a 100-tag
//! answer in XML and JSON (the same bytes `bench/` decodes in Node).
//!
//! `cargo bench --bench core` (or `bash scripts/bench.sh --native`).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion, Throughput};
    use tagdeck::catalog::{Method, API_VERSION};
    use tagdeck::decode::{decode_action, xml};
    use tagdeck::request::prepare;
    use tagdeck::sign::{canonical_query, sign, signature, string_to_sign, Format, SigningContext};
    use tagdeck::{Credentials, Value};

    const XML_100: &str = include_str!("../bench/fixtures/list-repo-tag-100.xml");
    const JSON_100: &str = include_str!("../bench/fixtures/list-repo-tag-100.json");
    const TIMESTAMP: &str = "2026-11-22T10:00:00Z";
    const NONCE: &str = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    const SECRET: &str = "testsecret";

    fn list_repo_tag_params() -> Vec<(&'static str, Value)> {
        vec![
            ("InstanceId", Value::from("cri-kmsiwlxxdcvaduwb")),
            ("RegionId", Value::from("cn-shanghai")),
            ("RepoId", Value::from("crr-tquyps22md8purzx")),
            ("PageNo", Value::Int(1)),
            ("PageSize", Value::Int(100)),
        ]
    }

    /// Every parameter of the signed request, common ones included, as
    /// `sign` builds them before the canonical query.
    fn all_wire_params(creds: &Credentials) -> Vec<(String, String)> {
        let prepared = prepare("ListRepoTag", &list_repo_tag_params()).expect("valid call");
        let signed = sign(prepared.params, &context(creds));
        signed
            .params
            .into_iter()
            .filter(|(k, _)| k != "Signature")
            .collect()
    }

    fn context(creds: &Credentials) -> SigningContext<'_> {
        SigningContext {
            method: Method::Get,
            credentials: creds,
            timestamp: TIMESTAMP,
            nonce: NONCE,
            version: API_VERSION,
            format: Format::Json,
        }
    }

    fn signing(c: &mut Criterion) {
        let creds = Credentials::new("testid", SECRET);
        let params = all_wire_params(&creds);
        let query = canonical_query(&params);
        let to_sign = string_to_sign(Method::Get, &query);

        let mut group = c.benchmark_group("sign ListRepoTag");
        group.bench_function("canonical_query", |b| {
            b.iter(|| canonical_query(black_box(&params)))
        });
        group.bench_function("string_to_sign", |b| {
            b.iter(|| string_to_sign(Method::Get, black_box(&query)))
        });
        group.bench_function("signature", |b| {
            b.iter(|| signature(black_box(&to_sign), black_box(SECRET)))
        });
        group.bench_function("prepare", |b| {
            let call = list_repo_tag_params();
            b.iter(|| prepare("ListRepoTag", black_box(&call)).expect("valid call"))
        });
        group.bench_function("prepare + sign + url", |b| {
            let call = list_repo_tag_params();
            b.iter(|| {
                let prepared = prepare("ListRepoTag", black_box(&call)).expect("valid call");
                sign(prepared.params, &context(&creds)).url("cr.cn-shanghai.aliyuncs.com")
            })
        });
        group.finish();
    }

    fn decoding(c: &mut Criterion) {
        let mut group = c.benchmark_group("decode ListRepoTag, 100 tags");
        group.throughput(Throughput::Bytes(XML_100.len() as u64));
        group.bench_function("xml::parse (tree only)", |b| {
            b.iter(|| xml::parse(black_box(XML_100)).expect("well-formed"))
        });
        group.bench_function("decode_action XML", |b| {
            b.iter(|| {
                decode_action("ListRepoTag", 200, black_box(XML_100), Format::Xml).expect("decodes")
            })
        });
        group.throughput(Throughput::Bytes(JSON_100.len() as u64));
        group.bench_function("decode_action JSON", |b| {
            b.iter(|| {
                decode_action("ListRepoTag", 200, black_box(JSON_100), Format::Json)
                    .expect("decodes")
            })
        });
        group.finish();
    }

    /// Both fixtures decode to the same 100 tags, so the two formats are
    /// compared on equal work.
    fn check_fixtures() {
        let from_xml = decode_action("ListRepoTag", 200, XML_100, Format::Xml).expect("XML");
        let from_json = decode_action("ListRepoTag", 200, JSON_100, Format::Json).expect("JSON");
        assert_eq!(from_xml, from_json, "the XML and JSON fixtures differ");
        let images = from_json.get("Images").and_then(Value::as_array);
        assert_eq!(images.map(<[Value]>::len), Some(100));
    }

    criterion_group!(benches, signing, decoding);

    pub fn main() {
        check_fixtures();
        benches();
        criterion::Criterion::default()
            .configure_from_args()
            .final_summary();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
