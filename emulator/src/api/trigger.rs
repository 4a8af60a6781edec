//! Repository triggers: URLs called when a matching image is built.

use super::{done, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{State, Trigger};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateRepoTrigger", create),
    Route::write("UpdateRepoTrigger", update),
    Route::write("DeleteRepoTrigger", delete),
    Route::read("ListRepoTrigger", list),
];

fn not_found(id: &str) -> Failure {
    Failure::business(
        "TRIGGER_NOT_EXIST",
        format!("The trigger {id} does not exist."),
    )
}

fn check_url(url: &str) -> Result<(), Failure> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(Failure::invalid(
            "TriggerUrl",
            format!("{url:?} is not an http(s) URL"),
        ));
    }
    Ok(())
}

/// A `TAG_REG_EXP` trigger's tag must be a regular expression.
fn check_tag_expression(kind: &str, tag: &str) -> Result<(), Failure> {
    if kind == "TAG_REG_EXP" {
        if let Err(e) = regex_lite::Regex::new(tag) {
            return Err(Failure::invalid(
                "TriggerTag",
                format!("{tag:?} is not a regular expression: {e}"),
            ));
        }
    }
    Ok(())
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let (name, url) = (call.text("TriggerName"), call.text("TriggerUrl"));
    let (kind, tag) = (call.text("TriggerType"), call.text("TriggerTag"));
    check_url(url)?;
    check_tag_expression(kind, tag)?;
    let id = state.rng.resource_id("crw");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    if repo.triggers.iter().any(|t| t.name == name) {
        return Err(Failure::business(
            "TRIGGER_ALREADY_EXIST",
            format!("A trigger named {name} exists."),
        ));
    }
    repo.triggers.push(Trigger {
        id: id.clone(),
        name: name.into(),
        url: url.into(),
        trigger_type: kind.into(),
        trigger_tag: tag.into(),
        repo_event: "BUILD_SUCCESS".into(),
    });
    Ok(obj! { "TriggerId" => id })
}

fn update(state: &mut State, call: &Call<'_>) -> Answer {
    if let Some(url) = call.given("TriggerUrl") {
        check_url(url)?;
    }
    let id = call.text("TriggerId");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let trigger = repo
        .triggers
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| not_found(id))?;
    let kind = call
        .given("TriggerType")
        .unwrap_or(&trigger.trigger_type)
        .to_string();
    let tag = call
        .get("TriggerTag")
        .unwrap_or(&trigger.trigger_tag)
        .to_string();
    check_tag_expression(&kind, &tag)?;
    trigger.name = call.text("TriggerName").into();
    if let Some(url) = call.given("TriggerUrl") {
        trigger.url = url.into();
    }
    trigger.trigger_type = kind;
    trigger.trigger_tag = tag;
    done()
}

fn delete(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("TriggerId");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let before = repo.triggers.len();
    repo.triggers.retain(|t| t.id != id);
    if repo.triggers.len() == before {
        return Err(not_found(id));
    }
    done()
}

fn list(state: &State, call: &Call<'_>) -> Answer {
    let repo = call.repository(call.instance(state)?)?;
    let triggers: Vec<_> = repo
        .triggers
        .iter()
        .map(|t| {
            obj! {
                "TriggerId" => &t.id,
                "TriggerName" => &t.name,
                "TriggerUrl" => &t.url,
                "RepoEvent" => &t.repo_event,
                "TriggerType" => &t.trigger_type,
                "TriggerTag" => &t.trigger_tag,
            }
        })
        .collect();
    Ok(obj! { "Triggers" => triggers })
}
