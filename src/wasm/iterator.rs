//! `repository.allTags()`: an async iterator over every tag, page by
//! page, its `next()` calls served in order.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect, Symbol};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::errors::Failure;
use super::promise::promise;
use super::repository::{set, tag_to_js, unexpected, TagRepository};
use crate::providers::tags::{Outcome, Paging, Sort, Tag};
#[derive(Debug)]
pub(super) struct IterState {
    /// Tags fetched and not yet handed out.
    pub(super) buffered: VecDeque<Tag>,
    /// The page to fetch when the buffer runs dry; `None` at the end.
    pub(super) next: Option<Paging>,
    pub(super) sort: Option<Sort>,
    /// The previous `next()`'s promise: calls are served in order.
    pub(super) tail: Option<Promise>,
}

/// The iterator behind `allTags()`.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug)]
pub struct TagIterator {
    pub(super) repository: TagRepository,
    pub(super) state: Rc<RefCell<IterState>>,
}

#[wasm_bindgen]
impl TagIterator {
    /// The next tag: `{ value: Tag, done: false }`, then `{ done: true }`.
    pub fn next(&self) -> Promise {
        let previous = self.state.borrow_mut().tail.take();
        let state = Rc::clone(&self.state);
        let repository = self.repository.clone();
        let next = promise(Box::pin(async move {
            if let Some(previous) = previous {
                // Only the order matters; that call's own caller sees its result.
                let _ = JsFuture::from(previous).await;
            }
            next_tag(&repository, &state).await
        }));
        self.state.borrow_mut().tail = Some(next.clone());
        next
    }
}

async fn next_tag(
    repository: &TagRepository,
    state: &RefCell<IterState>,
) -> Result<JsValue, Failure> {
    loop {
        if let Some(tag) = state.borrow_mut().buffered.pop_front() {
            return Ok(iteration(Some(tag_to_js(&tag)?)));
        }
        let (paging, sort) = {
            let state = state.borrow();
            match state.next {
                Some(paging) => (paging, state.sort),
                None => return Ok(iteration(None)),
            }
        };
        let call = repository.inner.registry.list(paging, sort)?;
        let page = match repository.inner.run(call).await? {
            Outcome::Page(page) => page,
            other => return unexpected(other),
        };
        let mut state = state.borrow_mut();
        state.next = page.next;
        state.buffered.extend(page.tags);
    }
}

/// An iterator result object.
fn iteration(value: Option<JsValue>) -> JsValue {
    let object = Object::new();
    set(&object, "done", &JsValue::from_bool(value.is_none()));
    if let Some(value) = value {
        set(&object, "value", &value);
    }
    object.into()
}

/// `{ next, [Symbol.asyncIterator]() }` around the iterator, so that both
/// `for await` and direct `next()` calls work.
pub(super) fn async_iterable(iterator: JsValue) -> JsValue {
    let object = Object::new();
    if let Ok(next) = Reflect::get(&iterator, &JsValue::from_str("next")) {
        if let Some(next) = next.dyn_ref::<Function>() {
            set(&object, "next", &next.bind0(&iterator));
        }
    }
    let this_iterator = iterator.clone();
    let get_iterator = Closure::<dyn FnMut() -> JsValue>::new(move || this_iterator.clone());
    let _ = Reflect::set(
        &object,
        &Symbol::async_iterator(),
        &get_iterator.into_js_value(),
    );
    object.into()
}
