// ---- Retention (src/wasm/retention.rs; the engine is src/retention/) ----

/** A time: ms since the epoch (number or bigint), RFC 3339 text, or a Date. */
export type RetentionTime = number | bigint | string | Date;

/** One tag as the retention engine takes it. */
export interface RetentionTag {
  repository: string;
  tag: string;
  /** The image's digest; tags sharing one are one image. */
  digest?: string;
  /** The last time the tag was pointed at an image; unknown: never old. */
  pushedAt?: RetentionTime | null;
  /** The last pull, where the registry knows it. */
  pulledAt?: RetentionTime | null;
  /** When the tag was created (only to spot a creation after the last update). */
  createdAt?: RetentionTime | null;
  /** Ignored by the engine (the dashboard sums it). */
  size?: bigint | number | null;
  /** Ignored by the engine: the registry's id of the tag where it has one (Scaleway), which deleting it takes. */
  id?: string;
}

/** A glob (`*`, `**`, `?`, `[...]`, `{a,b}`, whole name) or an anchored regex. */
export type RetentionPattern = string | { glob: string } | { regex: string };

/** A rule of tagdeck's own policy language (docs/retention.md). */
export interface RetentionRule {
  id?: string;
  description?: string;
  /** Repositories the rule applies to; default all. */
  repositories?: RetentionPattern | RetentionPattern[];
  /** Tags the rule selects (default all), minus the excluded ones. */
  tags?: { include?: RetentionPattern | RetentionPattern[]; exclude?: RetentionPattern | RetentionPattern[] };
  /** What the rule keeps among the tags it selects; any clause keeps. */
  keep: {
    newest?: number;
    /** "pushed" (default) or "version" (semver, then natural order). */
    by?: "pushed" | "version";
    /** Count `newest` per group: the capture groups of this regex (a search). */
    per?: string | { regex: string };
    pushedWithinDays?: number;
    pulledWithinDays?: number;
    /** Keep none: delete every selected tag. */
    none?: boolean;
  };
}

/** tagdeck's own policy. */
export interface TagdeckRetentionPolicy {
  format?: "tagdeck";
  rules: RetentionRule[];
  /** Never deleted, never counted. */
  protected?: RetentionPattern | RetentionPattern[];
  /** Only tags pushed more than this many days ago are deleted. */
  deleteOnlyOlderThanDays?: number;
  /** On by default. */
  safety?: { sharedDigest?: boolean; timestamps?: "refuse" | "warn" };
}

/** An Amazon ECR lifecycle policy document (or its JSON text). */
export interface EcrLifecyclePolicy {
  rules: Array<{
    rulePriority: number;
    description?: string;
    selection: {
      tagStatus: "tagged" | "untagged" | "any";
      tagPrefixList?: string[];
      tagPatternList?: string[];
      countType: "imageCountMoreThan" | "sinceImagePushed";
      countUnit?: "days";
      countNumber: number;
    };
    action: { type: "expire" };
  }>;
}

/** A GitLab cleanup policy (camelCase, or GitLab's snake_case names). */
export interface GitlabCleanupPolicy {
  nameRegexDelete?: string;
  nameRegexKeep?: string;
  keepN?: number;
  /** `"7d"`, `"14d"`, `"30d"`, `"90d"`... */
  olderThan?: string;
  name_regex_delete?: string;
  name_regex_keep?: string;
  keep_n?: number;
  older_than?: string;
}

export interface HarborSelector {
  kind?: "doublestar";
  decoration: "matches" | "excludes" | "repoMatches" | "repoExcludes";
  pattern: string;
  extras?: string;
}

/** Harbor tag retention rules, as Harbor's `/retentions` stores them. */
export interface HarborRetentionPolicy {
  algorithm?: "or";
  rules: Array<{
    disabled?: boolean;
    action?: "retain";
    template: "latestPushedK" | "latestPulledN" | "nDaysSinceLastPush" | "nDaysSinceLastPull" | "always";
    params?: Partial<Record<"latestPushedK" | "latestPulledN" | "nDaysSinceLastPush" | "nDaysSinceLastPull", number | string>>;
    tag_selectors?: HarborSelector[];
    scope_selectors?: { repository?: HarborSelector[] };
  }>;
  trigger?: unknown;
  scope?: unknown;
}

/** An SWR image retention policy. */
export interface SwrRetentionPolicy {
  algorithm?: "or";
  rules: Array<{
    template: "date_rule" | "tag_rule";
    params: { days?: string | number; num?: string | number };
    tag_selectors?: Array<{ kind: "label" | "regexp"; pattern: string }>;
  }>;
}

/** An ACR EE ArtifactLifecycleRule as `getArtifactLifecycleRule` answers it (tagdeck's stated reading). */
export interface AlibabaLifecycleRule {
  scope?: "INSTANCE" | "NAMESPACE" | "REPO";
  namespaceName?: string;
  repoName?: string;
  /** Tags to RETAIN (anchored). */
  tagRegexp?: string;
  retentionTagCount?: number | bigint;
  enableDeleteTag?: boolean;
  scheduleTime?: string;
  auto?: boolean;
  ruleId?: string;
  policies?: Array<{
    filter?: { tagWildcard?: string };
    condition?: { latestTagCount?: number; lastPushOlderThanDays?: number; lastPullOlderThanDays?: number };
  }>;
  [field: string]: unknown;
}

/** Any policy `planRetention` takes. */
export type RetentionPolicy =
  | TagdeckRetentionPolicy
  | { format: "ecr"; policy: EcrLifecyclePolicy | string }
  | { format: "gitlab"; policy: GitlabCleanupPolicy }
  | { format: "acr-purge"; args: string }
  | { format: "harbor"; policy: HarborRetentionPolicy | string }
  | { format: "swr"; policy: SwrRetentionPolicy | string }
  | { format: "alibaba"; rule: AlibabaLifecycleRule };

export interface RetentionDecision {
  repository: string;
  tag: string;
  digest: string;
  action: "keep" | "delete";
  /** The deciding rule: its index, its id (or a named clause such as "protected", "safety:shared-digest"), or null. */
  rule: number | string | null;
  /** Why, in plain words. */
  reason: string;
}

export interface RetentionPlan {
  /** One per input tag, in input order. */
  decisions: RetentionDecision[];
  /** What to read before applying (unusable timestamps, rules that select nothing). */
  warnings: string[];
}

export interface RetentionOptions {
  /** The clock; default: now. */
  now?: RetentionTime;
  /** The registry deletes tags one by one (an untag), not the manifest: lifts the shared-digest safety. */
  deletesTagsOneByOne?: boolean;
}

/** Plans which tags `policy` keeps and deletes, and why. No I/O. Throws a TagdeckError (`InvalidPolicy`, `InvalidParameter`). */
export function planRetention(policy: RetentionPolicy, tags: RetentionTag[], options?: RetentionOptions): RetentionPlan;

/** What a policy means in tagdeck's language: the equivalent tagdeck policy, or null and why not. */
export function explainRetention(policy: RetentionPolicy): { format: string; equivalent: TagdeckRetentionPolicy | null; note: string };

/** Every tag of a repository of the common tag interface as `planRetention`'s input (`name`: the repository's name). */
export function retentionTags(repository: { allTags(options?: unknown): AsyncIterable<unknown> }, name: string, options?: { pageSize?: number }): Promise<RetentionTag[]>;
