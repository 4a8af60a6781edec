//! Work that takes time: builds, synchronisations, scans and VPC links
//! move through their states as the clock passes.
//!
//! Each record keeps the times of its next steps; [`State::advance`] applies
//! every step that is due, and what a finished step produces is real state
//! (a successful build pushes its tag, a finished synchronisation copies the
//! tag into the target repository). The server advances the state before it
//! answers any request at or after [`State::next_due`], so reads always see
//! the state of "now".

use super::{image, ImageAddress, Repository, State, SyncRule, SyncTask};

impl SyncRule {
    /// Whether the rule synchronises the repository `namespace/repo`.
    pub fn covers(&self, namespace: &str, repo: &str) -> bool {
        self.local_namespace == namespace && (self.scope == "NAMESPACE" || self.local_repo == repo)
    }

    /// Whether `tag` matches the rule's filter (the whole name must match).
    pub fn matches_tag(&self, tag: &str) -> bool {
        regex_lite::Regex::new(&format!("^(?:{})$", self.tag_filter)).is_ok_and(|r| r.is_match(tag))
    }

    /// A task copying `repo:tag` of `instance_id` to the rule's target,
    /// starting `now` and taking `duration`. Its `id` and `batch_id` are
    /// left for the caller to draw.
    #[allow(clippy::too_many_arguments)]
    pub fn task(
        &self,
        instance_id: &str,
        repo: &str,
        tag: &str,
        digest: &str,
        trigger: &str,
        now: i64,
        duration: i64,
    ) -> SyncTask {
        let target_repo = if self.scope == "REPO" {
            self.target_repo.clone()
        } else {
            repo.to_string()
        };
        SyncTask {
            id: String::new(),
            rule_id: self.id.clone(),
            batch_id: String::new(),
            trigger: trigger.into(),
            status: "PENDING".into(),
            digest: digest.into(),
            from: ImageAddress {
                region_id: self.local_region_id.clone(),
                instance_id: instance_id.into(),
                namespace: self.local_namespace.clone(),
                repo: repo.into(),
                tag: tag.into(),
            },
            to: ImageAddress {
                region_id: self.target_region_id.clone(),
                instance_id: self.target_instance_id.clone(),
                namespace: self.target_namespace.clone(),
                repo: target_repo,
                tag: tag.into(),
            },
            create_time: now,
            modified_time: now,
            syncing_at: now + duration / 4,
            finish_at: now + duration,
            priority: self.priority,
            target_user_id: self.target_user_id.clone(),
        }
    }
}

impl State {
    /// Applies every step due at `now`; `true` if anything changed.
    pub fn advance(&mut self, now: i64) -> bool {
        let mut changed = false;
        let mut finished_builds: Vec<(usize, usize, usize, String, i64)> = Vec::new();
        let mut finished_syncs: Vec<(usize, usize)> = Vec::new();
        let mut finished_scans: Vec<(usize, usize, usize)> = Vec::new();
        for (ii, instance) in self.instances.iter_mut().enumerate() {
            for vpc in &mut instance.linked_vpcs {
                if vpc.status == "CREATING" && now >= vpc.ready_at {
                    vpc.status = "RUNNING".into();
                    changed = true;
                }
            }
            for (ri, repo) in instance.repositories.iter_mut().enumerate() {
                for (bi, record) in repo.build_records.iter_mut().enumerate() {
                    if record.status == "PENDING" && now >= record.building_at {
                        record.status = "BUILDING".into();
                        changed = true;
                    }
                    if record.status == "BUILDING" && now >= record.finish_at {
                        record.status = "SUCCESS".into();
                        record.end_time = Some(record.finish_at);
                        let duration = record.finish_at - record.start_time;
                        finished_builds.push((ii, ri, bi, record.image_tag.clone(), duration));
                        changed = true;
                    }
                }
                for (si, scan) in repo.scans.iter_mut().enumerate() {
                    if scan.status == "SCANNING" && now >= scan.finish_at {
                        scan.status = "COMPLETE".into();
                        finished_scans.push((ii, ri, si));
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
        for (ii, ri, bi, tag, duration) in finished_builds {
            // The build's output: a new image on top of the base the
            // repository already uses.
            let base = self.instances[ii].repositories[ri].name.len();
            let built = image::generate(&mut self.rng, base, now);
            let digest = self.put_image(built);
            if !self.push_tag(ii, ri, &tag, &digest, now, duration) {
                // An immutable tag is not moved: the build fails to push.
                self.instances[ii].repositories[ri].build_records[bi].status = "FAILED".into();
            }
            let repo = &self.instances[ii].repositories[ri];
            let (ns, name) = (repo.namespace.clone(), repo.name.clone());
            self.notify(ii, "cr:Artifact:BuildCompleted", &ns, &name, &tag, now);
        }
        for (ii, ri, si) in finished_scans {
            let digest = self.instances[ii].repositories[ri].scans[si].digest.clone();
            let found = self.findings_of(&digest);
            let repo = &mut self.instances[ii].repositories[ri];
            repo.scans[si].vulnerabilities = found;
            let (ns, name, tag) = (
                repo.namespace.clone(),
                repo.name.clone(),
                repo.scans[si].tag.clone(),
            );
            self.notify(ii, "cr:Artifact:ScanCompleted", &ns, &name, &tag, now);
        }
        for (ii, ti) in finished_syncs {
            let task = self.instances[ii].sync_tasks[ti].clone();
            let delivered = self.deliver(&task.to, &task.digest, task.finish_at);
            let task = &mut self.instances[ii].sync_tasks[ti];
            task.status = if delivered { "SUCCESS" } else { "FAILED" }.into();
            task.modified_time = task.finish_at;
            let from = task.from.clone();
            self.notify(
                ii,
                "cr:Artifact:SynchronizationCompleted",
                &from.namespace,
                &from.repo,
                &from.tag,
                now,
            );
        }
        changed |= self.advance_artifact_builds(now);
        changed |= self.run_due_lifecycle_rules(now);
        changed |= self.run_due_swr_retentions(now);
        changed
    }

    /// What a scan finds in the image `digest`.
    pub fn findings_of(&self, digest: &str) -> Vec<super::findings::Vulnerability> {
        let layers: Vec<String> = self
            .images
            .get(digest)
            .map(|i| i.layers.iter().map(|l| l.digest.clone()).collect())
            .unwrap_or_default();
        super::findings::vulnerabilities(digest, &layers)
    }

    /// Points tag `tag` of repository `ri` of instance `ii` at `digest`, as a
    /// push does: rules that synchronise on push (`INITIATIVE`) and cover
    /// the repository and tag start a task taking `duration`. `false`, and
    /// nothing changed, when the tag is immutable and would move.
    pub fn push_tag(
        &mut self,
        ii: usize,
        ri: usize,
        tag: &str,
        digest: &str,
        now: i64,
        duration: i64,
    ) -> bool {
        let instance = &mut self.instances[ii];
        if instance.repositories[ri].refuses_push(tag, digest) {
            return false;
        }
        instance.repositories[ri].put_tag(tag, digest, now);
        let repo = &instance.repositories[ri];
        let mut tasks: Vec<SyncTask> = instance
            .sync_rules
            .iter()
            .filter(|r| {
                r.trigger == "INITIATIVE"
                    && r.covers(&repo.namespace, &repo.name)
                    && r.matches_tag(tag)
            })
            .map(|r| {
                r.task(
                    &instance.id,
                    &repo.name,
                    tag,
                    digest,
                    "INITIATIVE",
                    now,
                    duration,
                )
            })
            .collect();
        let batch = self.rng.uuid();
        for task in &mut tasks {
            task.id = self.rng.resource_id("rst");
            task.batch_id = batch.clone();
        }
        self.instances[ii].sync_tasks.extend(tasks);
        self.after_push(ii, ri, tag, now, duration);
        true
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
            let mut repo = Repository::new(
                repo_id,
                &to.namespace,
                &to.repo,
                &namespace.default_repo_type,
                now,
            );
            repo.build_type = "AUTO".into();
            repo.tag_immutability = namespace.default_tag_immutability;
            instance.repositories.push(repo);
        }
        let repo = instance
            .repositories
            .iter_mut()
            .find(|r| r.namespace == to.namespace && r.name == to.repo)
            .expect("present or just created");
        if repo.refuses_push(&to.tag, digest) {
            return false;
        }
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
        due.min(self.next_lifecycle_due())
            .min(self.next_artifact_build_due())
            .min(self.next_swr_retention_due())
    }
}
