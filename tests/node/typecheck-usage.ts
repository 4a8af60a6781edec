// A user's TypeScript over the parts of the API the README's examples do
// not reach, compiled by typecheck.test.mjs in a browser/Workers project and
// in a Node project. It is only type-checked, never run.
import init, {
  Client,
  ScalewayRegistry,
  decodeResponse,
  initRetention,
  initSync,
  operations,
  planRetention,
  signRequest,
  type Tag,
  type TagdeckError,
} from "tagdeck";

export async function everything(bytes: Uint8Array, wasmUrl: URL): Promise<string[]> {
  await init({ module_or_path: wasmUrl });
  initSync({ module: bytes });
  await initRetention();

  const client = new Client({ accessKeyId: "id", accessKeySecret: "secret", regionId: "cn-hangzhou" });
  const names: string[] = [];
  // The common tag interface's async iteration (AsyncGenerator).
  for await (const tag of client.repository({ instanceId: "cri-1", repoId: "crr-1" }).allTags()) {
    const named: Tag = tag;
    names.push(named.name);
  }
  // The explicit resource management wasm-bindgen declares on every class.
  const scaleway = new ScalewayRegistry({ authToken: "token" });
  scaleway[Symbol.dispose]();
  client.free();

  const signed = signRequest({
    method: "GET",
    endpoint: "cr.cn-hangzhou.aliyuncs.com",
    accessKeyId: "id",
    accessKeySecret: "secret",
    params: { Action: "ListRepoTag", InstanceId: "cri-1", RepoId: "crr-1" },
  });
  const decoded = decodeResponse("ListRepoTag", "{}", "JSON", 200);
  const plan = planRetention({ rules: [{ keep: { newest: 5 } }] }, []);
  try {
    await client.call("GetRepoTag", { instanceId: "cri-1", repoId: "crr-1", tag: "v1" });
  } catch (caught) {
    const error = caught as TagdeckError;
    names.push(error.code, String(error.retryable));
  }
  return [...names, ...operations(), signed.url, String(decoded.images.length), String(plan.decisions.length)];
}
