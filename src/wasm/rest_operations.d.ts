// @generated from the operation tables and answer objects of
// src/providers/scaleway.rs and src/providers/swr.rs by
// tests/rest_typescript.rs; do not edit.

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

/** Parameters of `ListNamespaces` (Scaleway Registry API, List namespaces): Lists the registry namespaces of a region, one page at a time. */
export interface ScalewayListNamespacesParams {
  /** a Scaleway region such as fr-par. Default: the client's. */
  region?: string;
  /** 1 to 2147483647. */
  page?: number | bigint;
  /** 1 to 100. */
  pageSize?: number | bigint;
  orderBy?: "created_at_asc" | "created_at_desc" | "description_asc" | "description_desc" | "name_asc" | "name_desc";
  /** a UUID. */
  organizationId?: string;
  /** a UUID. */
  projectId?: string;
  name?: string;
}

/** Parameters of `ListImages` (Scaleway Registry API, List images): Lists images, in one namespace or all, one page at a time. */
export interface ScalewayListImagesParams {
  /** a Scaleway region such as fr-par. Default: the client's. */
  region?: string;
  /** 1 to 2147483647. */
  page?: number | bigint;
  /** 1 to 100. */
  pageSize?: number | bigint;
  orderBy?: "created_at_asc" | "created_at_desc" | "name_asc" | "name_desc";
  /** a UUID. */
  namespaceId?: string;
  name?: string;
  /** a UUID. */
  organizationId?: string;
  /** a UUID. */
  projectId?: string;
}

/** Parameters of `ListTags` (Scaleway Registry API, List tags): Lists the tags of an image, one page at a time. */
export interface ScalewayListTagsParams {
  /** a Scaleway region such as fr-par. Default: the client's. */
  region?: string;
  /** a UUID. */
  imageId: string;
  /** 1 to 2147483647. */
  page?: number | bigint;
  /** 1 to 100. */
  pageSize?: number | bigint;
  orderBy?: "created_at_asc" | "created_at_desc" | "name_asc" | "name_desc";
  name?: string;
}

/** Parameters of `GetTag` (Scaleway Registry API, Get a tag): Reads one tag by its id. */
export interface ScalewayGetTagParams {
  /** a Scaleway region such as fr-par. Default: the client's. */
  region?: string;
  /** a UUID. */
  tagId: string;
}

/** Parameters of `DeleteTag` (Scaleway Registry API, Delete a tag): Deletes one tag by its id; answers the deleted tag. */
export interface ScalewayDeleteTagParams {
  /** a Scaleway region such as fr-par. Default: the client's. */
  region?: string;
  /** a UUID. */
  tagId: string;
  force?: boolean;
}

/**
 * One method per operation of the Scaleway table: `registry.listNamespaces(params)`
 * is `registry.call("ListNamespaces", params)`.
 */
export interface ScalewayRegistry {
  /** Lists the registry namespaces of a region, one page at a time. (`ListNamespaces`) */
  listNamespaces(params?: ScalewayListNamespacesParams): Promise<{ namespaces: ScalewayNamespace[]; totalCount: number }>;
  /** Lists images, in one namespace or all, one page at a time. (`ListImages`) */
  listImages(params?: ScalewayListImagesParams): Promise<{ images: ScalewayImage[]; totalCount: number }>;
  /** Lists the tags of an image, one page at a time. (`ListTags`) */
  listTags(params: ScalewayListTagsParams): Promise<{ tags: ScalewayTag[]; totalCount: number }>;
  /** Reads one tag by its id. (`GetTag`) */
  getTag(params: ScalewayGetTagParams): Promise<ScalewayTag>;
  /** Deletes one tag by its id; answers the deleted tag. (`DeleteTag`) */
  deleteTag(params: ScalewayDeleteTagParams): Promise<ScalewayTag>;
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
  tags: string[];
  status?: boolean;
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

/** An image retention policy (`listRetentions`, `showRetention`): a tag any rule keeps stays (`algorithm: "or"`). */
export interface SwrRetention {
  id: number;
  algorithm?: string;
  rules: SwrRetentionRule[];
  /** Reserved by the service. */
  scope?: string;
}

/** One rule of an image retention policy: `date_rule` keeps the tags pushed within `params.days` days, `tag_rule` the `params.num` most recent; the tags a selector matches are set aside (never counted or deleted). */
export interface SwrRetentionRule {
  template: "date_rule" | "tag_rule";
  params: SwrRetentionParams;
  tagSelectors: SwrTagSelector[];
}

/** A retention rule's number, a decimal string as SWR writes it: `days` for `date_rule`, `num` for `tag_rule`. */
export interface SwrRetentionParams {
  days?: string;
  num?: string;
}

/** A tag a retention rule sets aside: `label`, that tag; `regexp`, the tags the expression is found in. */
export interface SwrTagSelector {
  kind: "label" | "regexp";
  pattern: string;
}

/** The answer of `createRetention`: the new policy's id. */
export interface SwrRetentionId {
  id: number;
}

/** Parameters of `ListRepositoryTags` (SWR API reference, Querying the List of Image Repository Tags): Lists the tags of an image repository; pages through Content-Range. */
export interface SwrListRepositoryTagsParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** 0 to 9223372036854775807. Given with `limit`. A multiple of `limit`. */
  offset?: number | bigint;
  /** 1 to 1000. Given with `offset`. */
  limit?: number | bigint;
  /** Given with `orderType`. */
  orderColumn?: "updated_at" | "created_at";
  /** Given with `orderColumn`. */
  orderType?: "desc" | "asc";
  /** tag name characters. */
  tag?: string;
  /** offset::{offset}|limit::{limit}|order_column::{order_column}|order_type::{order_type}|tag::{tag}. Instead of `offset`, `limit`, `orderColumn`, `orderType`, `tag`. */
  filter?: string;
}

/** Parameters of `ShowRepoTag` (Huawei Cloud SWR v2 ShowRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)): Reads one tag of an image repository. */
export interface SwrShowRepoTagParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** a Docker tag name. */
  tag: string;
}

/** Parameters of `DeleteRepoTag` (Huawei Cloud SWR v2 DeleteRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)): Deletes one tag of an image repository. */
export interface SwrDeleteRepoTagParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** a Docker tag name. */
  tag: string;
}

/** Parameters of `CreateRepoTag` (Huawei Cloud SWR v2 CreateRepoTag (huaweicloud-sdk-go-v3 services/swr/v2)): Creates a tag pointing at the image of a source tag. */
export interface SwrCreateRepoTagParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** a Docker tag name. */
  sourceTag: string;
  /** a Docker tag name. */
  destinationTag: string;
  override?: boolean;
}

/** Parameters of `ListRepositories` (Huawei Cloud SWR v2 ListReposDetails (huaweicloud-sdk-go-v3 services/swr/v2)): Lists the image repositories of the account; pages through Content-Range. */
export interface SwrListRepositoriesParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace?: string;
  /** a repository name; '/' is sent as '$'. */
  name?: string;
  /** a category such as other. */
  category?: string;
  /** 0 to 9223372036854775807. Given with `limit`. A multiple of `limit`. */
  offset?: number | bigint;
  /** 1 to 1000. Given with `offset`. */
  limit?: number | bigint;
  /** Given with `orderType`. */
  orderColumn?: "name" | "updated_time" | "tag_count";
  /** Given with `orderColumn`. */
  orderType?: "desc" | "asc";
}

/** Parameters of `ListNamespaces` (Huawei Cloud SWR v2 ListNamespaces (huaweicloud-sdk-go-v3 services/swr/v2)): Lists the namespaces (organizations) of the account. */
export interface SwrListNamespacesParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace?: string;
}

/** Parameters of `ListRetentions` (SWR API reference, Querying the Image Retention Policy List): Lists the image retention policies of a repository. */
export interface SwrListRetentionsParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
}

/** Parameters of `ShowRetention` (SWR API reference, Querying an Image Retention Policy): Reads one image retention policy. */
export interface SwrShowRetentionParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** 1 to 9223372036854775807. */
  retentionId: number | bigint;
}

/** Parameters of `CreateRetention` (SWR API reference, Creating an Image Retention Policy): Creates the image retention policy of a repository; SWR applies it at once. */
export interface SwrCreateRetentionParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  algorithm: "or";
  rules: SwrRetentionRule[];
}

/** Parameters of `UpdateRetention` (SWR API reference, Modifying an Image Retention Policy): Replaces the rules of an image retention policy. */
export interface SwrUpdateRetentionParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** 1 to 9223372036854775807. */
  retentionId: number | bigint;
  algorithm: "or";
  rules: SwrRetentionRule[];
}

/** Parameters of `DeleteRetention` (SWR API reference, Deleting an Image Retention Policy): Deletes an image retention policy; tags are not touched. */
export interface SwrDeleteRetentionParams {
  /** an organization name: lower-case letters, digits, '.', '_', '-'. */
  namespace: string;
  /** a repository name; '/' is sent as '$'. */
  repository: string;
  /** 1 to 9223372036854775807. */
  retentionId: number | bigint;
}

/**
 * One method per operation of the SWR table: `registry.listRepositoryTags(params)`
 * is `registry.call("ListRepositoryTags", params)`.
 */
export interface SwrRegistry {
  /** Lists the tags of an image repository; pages through Content-Range. (`ListRepositoryTags`) */
  listRepositoryTags(params: SwrListRepositoryTagsParams): Promise<SwrTagList>;
  /** Reads one tag of an image repository. (`ShowRepoTag`) */
  showRepoTag(params: SwrShowRepoTagParams): Promise<SwrTag>;
  /** Deletes one tag of an image repository. (`DeleteRepoTag`) */
  deleteRepoTag(params: SwrDeleteRepoTagParams): Promise<void>;
  /** Creates a tag pointing at the image of a source tag. (`CreateRepoTag`) */
  createRepoTag(params: SwrCreateRepoTagParams): Promise<void>;
  /** Lists the image repositories of the account; pages through Content-Range. (`ListRepositories`) */
  listRepositories(params?: SwrListRepositoriesParams): Promise<SwrRepositoryList>;
  /** Lists the namespaces (organizations) of the account. (`ListNamespaces`) */
  listNamespaces(params?: SwrListNamespacesParams): Promise<SwrNamespaceList>;
  /** Lists the image retention policies of a repository. (`ListRetentions`) */
  listRetentions(params: SwrListRetentionsParams): Promise<SwrRetention[]>;
  /** Reads one image retention policy. (`ShowRetention`) */
  showRetention(params: SwrShowRetentionParams): Promise<SwrRetention>;
  /** Creates the image retention policy of a repository; SWR applies it at once. (`CreateRetention`) */
  createRetention(params: SwrCreateRetentionParams): Promise<SwrRetentionId>;
  /** Replaces the rules of an image retention policy. (`UpdateRetention`) */
  updateRetention(params: SwrUpdateRetentionParams): Promise<void>;
  /** Deletes an image retention policy; tags are not touched. (`DeleteRetention`) */
  deleteRetention(params: SwrDeleteRetentionParams): Promise<void>;
}
