//! The catalogues as the npm package's WebAssembly holds them: every entry
//! whole (actions, parameters, answers) but for the summaries (and the REST
//! tables' doc references), which are left out to keep the module small
//! (the package's TypeScript declarations carry them; `tests/operations.rs`
//! checks them natively).

use tagdeck::catalog;
use tagdeck::providers::{scaleway, swr};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn rpc_entries_are_whole_but_for_their_docs() {
    assert!(catalog::operations().count() > 60);
    for op in catalog::operations() {
        assert!(!op.action.is_empty());
        // The summaries are left out; the doc reference is one of a few
        // texts every entry shares (the SDK's version), kept.
        assert_eq!(op.summary, "", "{}", op.action);
    }
    let list = catalog::find("ListRepoTag").expect("ListRepoTag");
    assert!(list.param("RepoId").is_some_and(|p| p.required));
    assert!(list.response.iter().any(|f| f.name == "Images"));
}

#[wasm_bindgen_test]
fn rest_entries_are_whole_but_for_their_docs() {
    for api in [scaleway::API, swr::API] {
        assert!(!api.operations.is_empty());
        for op in api.operations {
            assert!(!op.name.is_empty() && !op.path.is_empty());
            assert_eq!((op.summary, op.doc), ("", ""), "{}", op.name);
        }
    }
    let list = scaleway::API.find("ListTags").expect("ListTags");
    assert!(list.param("image_id").is_some());
}
