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

/** One page of `listRepositories`: paged like `listRepositoryTags`. */
export interface SwrRepositoryList {
  repos: SwrRepository[];
  contentRange: string | null;
  total: number | null;
  nextOffset: number | null;
}

/**
 * The per-operation methods of ScalewayRegistry and SwrRegistry, their
 * parameters and the objects of their answers are generated from the
 * operation tables (src/wasm/rest_operations.d.ts); the earlier names of
 * two parameter types stay as aliases.
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
