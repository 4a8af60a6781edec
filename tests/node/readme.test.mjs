// The README the package ships (node_modules/tagdeck/README.md) has three
// examples, marked `<!-- example: NAME -->`. Each is run here as it is
// written, against the project's emulator: the Node one with node, the
// Workers one in workerd (miniflare), the browser one in headless Chromium.
// Only the emulator's address (`http://127.0.0.1:8080` in the text) is
// replaced by the one it got.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { startEmulator } from "./emulator.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const installed = join(here, "node_modules", "tagdeck");

/**
 * The JavaScript modules of the installed package that its entry imports,
 * by their path in it (tagdeck.js, guards.js, wasm-bindgen's snippets/, the
 * retention module), as miniflare ES modules: as a bundler would include them.
 */
async function packageModules() {
  const files = await readdir(installed, { recursive: true });
  return Promise.all(
    files
      .filter((file) => file.endsWith(".js") && file !== "index.js")
      .map(async (file) => ({ type: "ESModule", path: file, contents: await readFile(join(installed, file), "utf8") })),
  );
}
const readme = await readFile(join(installed, "README.md"), "utf8");

/** The code block after `<!-- example: name -->`. */
function example(name) {
  const match = readme.match(new RegExp(`<!-- example: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``));
  assert.ok(match, `README has no ${name} example`);
  return match[1];
}

let emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator?.close());

const withEmulator = (code) => code.replaceAll("http://127.0.0.1:8080", emulator.url);

test("the Node example prints the first tags of demo/web", async () => {
  assert.match(example("node"), /initSync/);
  // Beside the installed package, so that "tagdeck" resolves as for a user.
  const dir = join(here, "node_modules", ".readme-examples");
  await mkdir(dir, { recursive: true });
  const file = join(dir, "node-example.mjs");
  await writeFile(file, withEmulator(example("node")));
  const { stdout } = await promisify(execFile)(process.execPath, [file], {
    env: {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.accessKeySecret,
    },
  });
  const lines = stdout.trim().split("\n");
  assert.match(lines[0], /^demo\/web has \d+ tags; the first 5:$/);
  assert.equal(lines.length, 6, stdout);
  for (const line of lines.slice(1)) assert.match(line, /^\S+ \S+ \d+ bytes$/);
});

test("the Workers example runs in workerd and answers JSON", async () => {
  const { Miniflare } = await import("miniflare");
  const wasm = await readFile(join(installed, "tagdeck_bg.wasm"));
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "worker.js", contents: example("worker") },
      // The package's entry, and the modules it imports.
      { type: "ESModule", path: "tagdeck", contents: await readFile(join(installed, "index.js"), "utf8") },
      ...(await packageModules()),
      { type: "CompiledWasm", path: "tagdeck/tagdeck_bg.wasm", contents: wasm },
    ],
    bindings: {
      ACCESS_KEY_ID: emulator.accessKeyId,
      ACCESS_KEY_SECRET: emulator.accessKeySecret,
      REGION_ID: emulator.regionId,
      ENDPOINT: emulator.url,
    },
    compatibilityDate: "2024-09-23",
  });
  try {
    // The RepoId of demo/web, found through the package in Node.
    const { Client } = await import("./tagdeck.mjs");
    const client = new Client({ ...emulatorCredentials(), endpoint: emulator.url });
    const { repoId } = await client.getRepository({ instanceId: emulator.instanceId, repoNamespaceName: "demo", repoName: "web" });

    const ok = await mf.dispatchFetch(`http://worker.test/tags?instance=${emulator.instanceId}&repo=${repoId}`);
    assert.equal(ok.status, 200);
    const answer = await ok.json();
    assert.ok(answer.totalCount > 0);
    assert.match(answer.images[0].imageSize, /^\d+$/, "bigints sent as decimal strings");

    const missing = await mf.dispatchFetch(`http://worker.test/tags?instance=${emulator.instanceId}`);
    assert.equal(missing.status, 400);
    const error = await missing.json();
    assert.equal(error.code, "InvalidParameter");
    assert.match(error.message, /RepoId/);
    assert.ok(!JSON.stringify(error).includes(emulator.accessKeySecret));
  } finally {
    await mf.dispose();
  }
});

function emulatorCredentials() {
  return { accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, regionId: emulator.regionId };
}

test("the browser example lists tags in headless Chromium", async () => {
  const { launchHeadless } = await import("../page/browser.mjs");
  const page = withEmulator(example("browser"))
    .replace("LTAI5tTagdeckDemoKey0001", emulator.accessKeyId)
    .replace("tagdeckDemoSecret0000000000001", emulator.accessKeySecret);
  // A static server for the page and the installed package: the page's
  // origin differs from the emulator's, as in real use (the emulator allows CORS).
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      if (path === "/") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(page);
      }
      const prefix = "/node_modules/tagdeck/";
      if (!path.startsWith(prefix) || path.includes("..")) throw new Error("not found");
      const body = await readFile(join(installed, path.slice(prefix.length)));
      res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => server.close());
  // The page tests' Chromium (system browser, their flags), with a fresh temporary profile.
  const browser = await launchHeadless();
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => document.querySelector("#tags").textContent.length > 0, null, { timeout: 20000 });
    const items = await tab.$$eval("#tags li", (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 10, `${items.length} items: ${await tab.textContent("#tags")} ${errors.join("; ")}`);
    for (const item of items) assert.match(item, /^\S+ \(\d+ bytes\)$/);
  } finally {
    await browser.close();
  }
});
