// Compiled by scripts/test-wasm.sh with `tsc --noEmit --strict`: the
// package's typings describe the API as it is used here. Each
// `@ts-expect-error` line must fail to type-check, so typings that are too
// loose (`any`) fail this file too.
import init, {
  Client,
  decodeResponse,
  initSync,
  operations,
  signRequest,
  type Action,
  type ClientOptions,
  type GetRepoTagManifestResult,
  type ListRepoTagParams,
  type ListRepoTagResult,
  type SignedRequest,
  type TagdeckError,
} from "../pkg/index.js";

export async function browser(): Promise<void> {
  await init();
}

export function node(bytes: Uint8Array): void {
  initSync({ module: bytes });
}

export async function use(): Promise<void> {
  const options: ClientOptions = {
    accessKeyId: "id",
    accessKeySecret: "secret",
    regionId: "cn-hangzhou",
    endpoint: "http://127.0.0.1:8080",
    format: "XML",
    method: "POST",
    timeoutMs: 5000,
    maxRetries: 3,
    retryWrites: true,
    fetch: (url, init) => fetch(url, init),
  };
  const client = new Client(options);

  const params: ListRepoTagParams = { instanceId: "cri-1", repoId: "crr-1", pageNo: 1, pageSize: 30n };
  const page: ListRepoTagResult = await client.listRepoTag(params);
  const total: number | undefined = page.totalCount;
  const sizes: Array<bigint | undefined> = page.images.map((image) => image.imageSize);
  const tags: Array<string | undefined> = page.images.map((image) => image.tag);

  const tag = await client.call("GetRepoTag", { instanceId: "cri-1", repoId: "crr-1", tag: "v1" });
  const digest: string | undefined = tag.digest;
  const manifest: GetRepoTagManifestResult = await client.getRepoTagManifest({ instanceId: "i", repoId: "r", tag: "v1" });
  const layerSize: bigint | undefined = manifest.manifest?.layers[0]?.size;
  // Every parameter of ListInstanceRegion is optional (RegionId is filled in).
  await client.listInstanceRegion();
  await client.call("ListInstanceRegion");

  const actions: Action[] = operations();
  const signed: SignedRequest = signRequest({
    endpoint: "cr.cn-hangzhou.aliyuncs.com",
    accessKeyId: "id",
    accessKeySecret: "secret",
    params: { Action: "ListRepoTag", RepoId: "crr-1", PageSize: 30 },
    timestamp: "2016-02-23T12:46:24Z",
  });
  const form = new URLSearchParams(signed.params);
  const decoded = decodeResponse("ListRepoTag", "{}", "JSON", 200);
  const firstTag: string | undefined = decoded.images[0]?.tag;

  try {
    await client.deleteRepoTag({ instanceId: "cri-1", repoId: "crr-1", tag: "v1" });
  } catch (e) {
    const error = e as TagdeckError;
    const code: string = error.code;
    const status: number | undefined = error.httpStatus;
    const retryable: boolean = error.retryable;
    const stack: string | undefined = error.stack;
    void [code, status, retryable, stack];
  }
  client.free();
  void [total, sizes, tags, digest, layerSize, actions, form, firstTag];

  // What must not compile:
  // @ts-expect-error pageSize is a number or a bigint
  await client.listRepoTag({ instanceId: "cri-1", repoId: "crr-1", pageSize: "30" });
  // @ts-expect-error repoId is required
  await client.listRepoTag({ instanceId: "cri-1" });
  // @ts-expect-error not an operation
  await client.call("ListRepoTags", {});
  // @ts-expect-error GetRepoTag needs its parameters
  await client.call("GetRepoTag");
  // @ts-expect-error imageSize is a bigint, not a number
  const wrongSize: number | undefined = page.images[0]?.imageSize;
  // @ts-expect-error the formats are JSON and XML
  new Client({ ...options, format: "YAML" });
  // @ts-expect-error regionId is required
  new Client({ accessKeyId: "id", accessKeySecret: "secret" });
  // @ts-expect-error signRequest needs params with an Action
  signRequest({ endpoint: "e", accessKeyId: "id", accessKeySecret: "s", params: {} });
  // @ts-expect-error decodeResponse knows the operations
  decodeResponse("Nope", "{}", "JSON");
  void wrongSize;
}
