// Profiles one case of the benchmarks (json, xml or sign) in this process
// with V8's sampling profiler and prints the functions with the most self
// time. Used by bench/profile.sh, which builds a package with names kept.
//
//   node bench/profile.mjs PKG_DIR json|xml|sign [TOP]
import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

const [dir, which = "json", top = "30"] = process.argv.slice(2);
const tagdeck = await import(path.resolve(dir, "tagdeck.js"));
tagdeck.initSync({ module: readFileSync(path.resolve(dir, "tagdeck_bg.wasm")) });

const fixture = (ext) => readFileSync(new URL(`fixtures/list-repo-tag-100.${ext}`, import.meta.url), "utf8");
const cases = {
  json: ((body) => () => tagdeck.decodeResponse("ListRepoTag", body, "JSON"))(fixture("json")),
  xml: ((body) => () => tagdeck.decodeResponse("ListRepoTag", body, "XML"))(fixture("xml")),
  sign: () =>
    tagdeck.signRequest({
      endpoint: "https://cr.cn-shanghai.aliyuncs.com",
      accessKeyId: "testid",
      accessKeySecret: "testsecret",
      params: { Action: "ListRepoTag", InstanceId: "cri-1", RegionId: "cn-shanghai", RepoId: "crr-1", PageNo: 1, PageSize: 100 },
    }),
};
const run = cases[which];
if (!run) throw new Error(`unknown case ${which}; one of ${Object.keys(cases).join(", ")}`);

for (const end = Date.now() + 1000; Date.now() < end; ) run(); // warm up
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
let calls = 0;
for (const end = Date.now() + 4000; Date.now() < end; calls++) run();
const { profile } = await session.post("Profiler.stop");

const self = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
for (const id of profile.samples) {
  const name = byId.get(id).callFrame.functionName || "(anonymous)";
  // Rust symbols end in a hash (`::h0123456789abcdef`): drop it.
  const short = name.replace(/::h[0-9a-f]{16}$/, "");
  self.set(short, (self.get(short) ?? 0) + 1);
}
const total = profile.samples.length;
console.log(`${which}: ${calls} calls in 4 s, ${((4000 / calls) * 1000).toFixed(1)} µs per call (profiler on); self time:`);
for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 140)}`);
}
