//! Work that takes time: builds, synchronisations, scans and VPC links
//! move through their states as the clock passes.
//!
//! Each record keeps the times of its next steps; [`State::advance`] applies
//! every step that is due, and what a finished step produces is real state
//! (a successful build pushes its tag, a finished synchronisation copies the
//! tag into the target repository). The server advances the state before it
//! answers any request at or after [`State::next_due`], so reads always see
//! the state of "now".

use super::{image, ImageAddress, Repository, State};

impl State {
    /// Applies every step due at `now`; `true` if anything changed.
    pub fn advance(&mut self, now: i64) -> bool {
        let mut changed = false;
        let mut finished_builds: Vec<(usize, usize, String)> = Vec::new();
        let mut finished_syncs: Vec<(usize, usize)> = Vec::new();
        for (ii, instance) in self.instances.iter_mut().enumerate() {
            for vpc in &mut instance.linked_vpcs {
                if vpc.status == "CREATING" && now >= vpc.ready_at {
                    vpc.status = "RUNNING".into();
                    changed = true;
                }
            }
            for (ri, repo) in instance.repositories.iter_mut().enumerate() {
                for record in &mut repo.build_records {
                    if record.status == "PENDING" && now >= record.building_at {
                        record.status = "BUILDING".into();
                        changed = true;
                    }
                    if record.status == "BUILDING" && now >= record.finish_at {
                        record.status = "SUCCESS".into();
                        record.end_time = Some(record.finish_at);
                        finished_builds.push((ii, ri, record.image_tag.clone()));
                        changed = true;
                    }
                }
                for scan in &mut repo.scans {
                    if scan.status == "SCANNING" && now >= scan.finish_at {
                        scan.status = "COMPLETE".into();
                        changed = true;
                    }
                }
            }
            for (ti, task) in instance.sync_tasks.iter_mut().enumerate() {
                if task.status == "PENDING" && now >= task.syncing_at {
                    task.status = "SYNCING".into();
                    task.modified_time = task.syncing_at;
                    changed = true;
                }
                if task.status == "SYNCING" && now >= task.finish_at {
                    finished_syncs.push((ii, ti));
                    changed = true;
                }
            }
        }
        for (ii, ri, tag) in finished_builds {
            // The build's output: a new image on top of the base the
            // repository already uses.
            let created = now;
            let base = self.instances[ii].repositories[ri].name.len();
            let built = image::generate(&mut self.rng, base, created);
            let digest = self.put_image(built);
            self.instances[ii].repositories[ri].put_tag(&tag, &digest, now);
        }
        for (ii, ti) in finished_syncs {
            let task = self.instances[ii].sync_tasks[ti].clone();
            let delivered = self.deliver(&task.to, &task.digest, task.finish_at);
            let task = &mut self.instances[ii].sync_tasks[ti];
            task.status = if delivered { "SUCCESS" } else { "FAILED" }.into();
            task.modified_time = task.finish_at;
        }
        changed
    }

    /// Puts `digest` at `to`, creating the repository when its namespace
    /// allows it. `false` when the target does not exist.
    fn deliver(&mut self, to: &ImageAddress, digest: &str, now: i64) -> bool {
        let Some(ii) = self
            .instances
            .iter()
            .position(|i| i.id == to.instance_id && i.region_id == to.region_id)
        else {
            return false;
        };
        let repo_id = self.rng.resource_id("crr");
        let instance = &mut self.instances[ii];
        let Some(namespace) = instance.namespace(&to.namespace).cloned() else {
            return false;
        };
        if instance.repository_named(&to.namespace, &to.repo).is_none() {
            if !namespace.auto_create_repo {
                return false;
            }
            instance.repositories.push(Repository {
                id: repo_id,
                namespace: to.namespace.clone(),
                name: to.repo.clone(),
                status: "NORMAL".into(),
                repo_type: namespace.default_repo_type.clone(),
                build_type: "AUTO".into(),
                summary: String::new(),
                detail: String::new(),
                create_time: now,
                modified_time: now,
                tags: Vec::new(),
                build_rules: Vec::new(),
                build_records: Vec::new(),
                triggers: Vec::new(),
                scans: Vec::new(),
            });
        }
        let repo = instance
            .repositories
            .iter_mut()
            .find(|r| r.namespace == to.namespace && r.name == to.repo)
            .expect("present or just created");
        repo.put_tag(&to.tag, digest, now);
        true
    }

    /// The earliest time a step is due, `i64::MAX` when nothing waits.
    pub fn next_due(&self) -> i64 {
        let mut due = i64::MAX;
        for instance in &self.instances {
            for vpc in &instance.linked_vpcs {
                if vpc.status == "CREATING" {
                    due = due.min(vpc.ready_at);
                }
            }
            for repo in &instance.repositories {
                for record in &repo.build_records {
                    match record.status.as_str() {
                        "PENDING" => due = due.min(record.building_at),
                        "BUILDING" => due = due.min(record.finish_at),
                        _ => {}
                    }
                }
                for scan in &repo.scans {
                    if scan.status == "SCANNING" {
                        due = due.min(scan.finish_at);
                    }
                }
            }
            for task in &instance.sync_tasks {
                match task.status.as_str() {
                    "PENDING" => due = due.min(task.syncing_at),
                    "SYNCING" => due = due.min(task.finish_at),
                    _ => {}
                }
            }
        }
        due
    }
}
