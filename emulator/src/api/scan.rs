//! Security scans of image tags: `SCANNING` until a task's time has passed,
//! then `COMPLETE` (see `state::tasks`).

use super::{done, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{ScanTask, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateRepoTagScanTask", create),
    Route::read("GetRepoTagScanStatus", status),
];

/// The newest scan of the tag, or the one `ScanTaskId` names.
fn status(state: &State, call: &Call<'_>) -> Answer {
    let name = call.text("Tag");
    let repo = call.repository(call.instance(state)?)?;
    repo.tag(name)
        .ok_or_else(|| super::tag::tag_not_found(repo, name))?;
    let wanted = call.given("ScanTaskId");
    let scan = repo
        .scans
        .iter()
        .rev()
        .find(|s| s.tag == name && wanted.is_none_or(|id| s.id == id))
        .ok_or_else(|| {
            Failure::business(
                "SCAN_TASK_NOT_EXIST",
                format!("The tag {name} has no scan task."),
            )
        })?;
    Ok(obj! { "Status" => &scan.status, "ScanService" => "ACR_SCAN_SERVICE" })
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("Tag");
    let id = state.rng.resource_id("crst");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let tag = repo
        .tag(name)
        .ok_or_else(|| super::tag::tag_not_found(repo, name))?;
    let digest = tag.digest.clone();
    if repo
        .scans
        .iter()
        .any(|s| s.tag == name && s.status == "SCANNING")
    {
        return Err(Failure::business(
            "SCAN_TASK_IN_PROGRESS",
            format!("The tag {name} is being scanned already."),
        ));
    }
    repo.scans.push(ScanTask {
        id,
        tag: name.into(),
        digest,
        status: "SCANNING".into(),
        create_time: call.now,
        finish_at: call.now + call.task_ms,
        vulnerabilities: Vec::new(),
    });
    done()
}
