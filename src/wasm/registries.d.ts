/** Options every REST registry client takes besides its token. */
export interface RestRegistryOptions extends TransportOptions {
  /**
   * A host (HTTPS) or an origin (`http://127.0.0.1:8080`), optionally with a
   * path prefix. Default: the registry's public API for `region`.
   */
  endpoint?: string;
}

/** Options of `new ScalewayRegistry(...)`. */
export interface ScalewayRegistryOptions extends RestRegistryOptions {
  /** The API secret key (a UUID), sent as `X-Auth-Token`; kept inside the WebAssembly instance. */
  authToken: string;
  /** `fr-par` (default), `nl-ams`, `pl-waw`. Default endpoint: `https://api.scaleway.com`. */
  region?: string;
}

/** Options of `new SwrRegistry(...)`. */
export interface SwrRegistryOptions extends RestRegistryOptions {
  /** An IAM token (`X-Subject-Token` of IAM), sent as `X-Auth-Token`; kept inside the WebAssembly instance. */
  authToken: string;
  /** `eu-de` (default), `eu-nl`, ...: the default endpoint is `https://swr-api.{region}.otc.t-systems.com`. */
  region?: string;
}

/** Scaleway statuses of tags, images and namespaces. */
export type ScalewayStatus = "unknown" | "ready" | "deleting" | "error" | "locked";

/** A Scaleway tag (times as RFC 3339 text). */
export interface ScalewayTag {
  id: string;
  name: string;
  imageId?: string;
  status?: ScalewayStatus | string;
  digest?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** A Scaleway image. */
export interface ScalewayImage {
  id: string;
  name: string;
  namespaceId?: string;
  status?: ScalewayStatus | string;
  statusMessage?: string;
  visibility?: string;
  /** Bytes, exact. */
  size?: bigint;
  createdAt?: string;
  updatedAt?: string;
  tags: string[];
}

/** A Scaleway namespace. */
export interface ScalewayNamespace {
  id: string;
  name: string;
  description?: string;
  organizationId?: string;
  projectId?: string;
  status?: ScalewayStatus | string;
  statusMessage?: string;
  endpoint?: string;
  isPublic?: boolean;
  /** Bytes, exact. */
  size?: bigint;
  createdAt?: string;
  updatedAt?: string;
  imageCount?: number;
  region?: string;
}

/** An SWR tag (the fields of the SWR API reference; sizes and ids exact). */
export interface SwrTag {
  id?: bigint;
  repoId?: bigint;
  /** The tag name (`Tag` on the wire). */
  tag: string;
  imageId?: string;
  manifest?: string;
  digest?: string;
  schema?: number;
  path?: string;
  internalPath?: string;
  size?: bigint;
  isTrusted?: boolean;
  created?: string;
  updated?: string;
  deleted?: string;
  domainId?: string;
  tagType?: number;
}

export interface SwrRepositoryParams {
  namespace: string;
  /** `/` is sent as `$`, as SWR writes it in paths. */
  repository: string;
}

/** One page of `listRepositoryTags`. */
export interface SwrTagList {
  tags: SwrTag[];
  /** The raw `Content-Range` header, when the answer had one. */
  contentRange: string | null;
  /** The total from `Content-Range`. */
  total: number | null;
  /** Where the next page starts, when paging was asked for and there is more. */
  nextOffset: number | null;
}

/** An SWR image repository (Huawei Cloud SDK model ShowReposResp; sizes exact). */
export interface SwrRepository {
  name: string;
  namespace?: string;
  category?: string;
  size?: bigint;
  isPublic?: boolean;
  numImages?: bigint;
  createdAt?: string;
  updatedAt?: string;
  /** Pull address, `host/namespace/name`. */
  path?: string;
  internalPath?: string;
  /** Its tag names. */
  tags?: string[];
  status?: boolean;
}

/** One page of `listRepositories`: paged like `listRepositoryTags`. */
export interface SwrRepositoryList {
  repos: SwrRepository[];
  contentRange: string | null;
  total: number | null;
  nextOffset: number | null;
}

/** An SWR namespace (organization). */
export interface SwrNamespace {
  id?: bigint;
  name: string;
  creatorName?: string;
  /** The caller's permission: 7 manage, 3 write, 1 read. */
  auth?: number;
}

/** The answer of `listNamespaces`. */
export interface SwrNamespaceList {
  namespaces: SwrNamespace[];
}

/**
 * One rule of an SWR image retention policy: `date_rule` keeps the tags
 * pushed within `params.days` days, `tag_rule` the `params.num` most recent;
 * tags a `tagSelectors` entry matches are set aside (never counted or
 * deleted). Numbers are decimal strings, as SWR writes them.
 */
export interface SwrRetentionRule {
  template: "date_rule" | "tag_rule" | string;
  params: { days?: string; num?: string };
  tagSelectors?: { kind: "label" | "regexp" | string; pattern: string }[];
}

/** An image retention policy (`listRetentions`, `showRetention`). */
export interface SwrRetention {
  id: number;
  /** `"or"`: a tag any rule keeps stays. */
  algorithm?: string;
  rules: SwrRetentionRule[];
  /** Reserved by the service. */
  scope?: string;
}

/** The answer of `createRetention`: the new policy's id. */
export interface SwrRetentionId {
  id: number;
}

/**
 * The per-operation methods of ScalewayRegistry and SwrRegistry and their
 * parameters are generated from the operation tables
 * (src/wasm/rest_operations.d.ts); the earlier names of two parameter types
 * stay as aliases.
 */
export type ScalewayTagParams = ScalewayGetTagParams;
export type SwrTagParams = SwrShowRepoTagParams;

/** The registries of the common tag interface. */
export type Provider = "alibaba" | "scaleway" | "swr";

/** A tag, the same shape whichever registry it comes from. */
export interface Tag {
  provider: Provider;
  name: string;
  digest?: string;
  /** Bytes, exact (Alibaba, SWR). */
  size?: bigint;
  /** RFC 3339. */
  createdAt?: string;
  /** Unix milliseconds, for sorting. */
  createdMs?: number;
  updatedAt?: string;
  updatedMs?: number;
  /** The registry's own status (Alibaba `NORMAL`, Scaleway `ready`, ...). */
  status?: string;
  /** The registry's own id of the tag (Scaleway's UUID, SWR's number as text). */
  id?: string;
  imageId?: string;
  /** Pull address (SWR). */
  path?: string;
}

/** A tag by name, with the registry's id when known (a listed `Tag` fits). */
export type TagRef = string | { name: string; id?: string };

export type SortKey = "name" | "created" | "updated";

export interface TagSort {
  key: SortKey;
  descending?: boolean;
}

export interface ListTagsOptions {
  /** From 1; default 1. */
  page?: number;
  /** Default 100; at most `capabilities.maxPageSize`. */
  pageSize?: number;
  /** Only keys in `capabilities.sortKeys`. */
  sort?: TagSort;
}

export interface TagPage {
  tags: Tag[];
  /** How many tags in all, when the registry says. */
  total: number | null;
  /** The next page, or null at the end. */
  next: { page: number; pageSize: number } | null;
}

export interface TagCapabilities {
  create: boolean;
  maxPageSize: number;
  sortKeys: SortKey[];
}

/** Where an Alibaba CR repository's tags are (`client.repository(...)`). */
export interface AlibabaRepositoryLocator {
  instanceId: string;
  repoId: string;
  /** Default: the client's `regionId`. */
  regionId?: string;
  /** Needed by `createTag`. */
  namespaceName?: string;
  /** Needed by `createTag`. */
  repoName?: string;
}

export interface ScalewayRepositoryLocator {
  imageId: string;
}

export type SwrRepositoryLocator = SwrRepositoryParams;

export interface Client {
  /** The common tag interface for one repository of this instance. */
  repository(locator: AlibabaRepositoryLocator): TagRepository;
}
