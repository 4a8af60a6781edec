// The first minutes of a newcomer: scripts/demo.sh ends with the URL and the
// credentials on their own, and they work; a busy port's error names
// TAGDECK_LISTEN; the licences are in the repository and in the npm tarball.
//
// The demo runs with TAGDECK_LISTEN=127.0.0.1:0 (a free port) and
// TAGDECK_EMULATOR_PROFILE=dev, so it reuses the debug emulator the test
// command has built instead of compiling the optimized one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { ROOT, loadPackage } from "./harness.mjs";

const DEMO_ENV = { TAGDECK_EMULATOR_PROFILE: "dev" };
/** The closing block's last row. */
const LAST_ROW = /^ {2}Scaleway, OTC SWR +Secret key \/ IAM token (\S+)$/;

/**
 * Runs ./scripts/demo.sh in a process group of its own, stdout and stderr
 * in one stream (in the order written), until `done(lines)` holds or it exits.
 */
function runDemo(listen, done) {
  const child = spawn("bash", ["-c", "exec ./scripts/demo.sh 2>&1"], {
    cwd: ROOT,
    env: { ...process.env, ...DEMO_ENV, TAGDECK_LISTEN: listen },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const lines = [];
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line.replace(/\x1b\[[0-9;]*m/g, "")); // without colours
      if (done(lines)) resolve(true);
    });
    exited.then(() => resolve(false));
  });
  /** Ctrl-C, as in a terminal: SIGINT to the whole group. */
  const interrupt = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGINT");
    return exited;
  };
  return { lines, ready, exited, interrupt };
}

test("demo.sh ends with the URL and the credentials on their own, and they work", async () => {
  const demo = runDemo("127.0.0.1:0", (lines) => LAST_ROW.test(lines.at(-1)));
  try {
    assert.ok(await demo.ready, `demo.sh stopped before its closing block:\n${demo.lines.join("\n")}`);
    const { lines } = demo;
    const start = lines.findIndex((line) => line.startsWith("tagdeck demo:"));
    assert.ok(start > 0, lines.join("\n"));
    // Before the block: only the scripts' own one-line progress notes, no build output.
    for (const line of lines.slice(0, start - 1)) assert.match(line, /^\[(setup|demo)\] /, `build output in the way: ${line}`);
    assert.equal(lines[start - 1], "", "a blank line sets the block apart");
    assert.match(lines[start + 1], /TAGDECK_LISTEN=HOST:PORT/);

    const row = (label) => {
      const found = lines.slice(start).find((line) => line.startsWith(`  ${label} `));
      assert.ok(found, `no ${label} row`);
      return found.slice(`  ${label} `.length).trim();
    };
    const url = row("Dashboard");
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(new URL(url).port, "0", "the real port, not the one asked for");
    const accessKeyId = row("  AccessKey ID");
    const accessKeySecret = row("  AccessKey secret");
    const region = /^region (\S+),/.exec(row("Alibaba Cloud CR EE"))[1];
    assert.match(lines.at(-1), LAST_ROW);

    // The URL serves the dashboard, and the printed credentials are accepted.
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const tagdeck = await loadPackage();
    const client = new tagdeck.Client({ accessKeyId, accessKeySecret, regionId: region, endpoint: url.replace(/\/$/, "") });
    const { instances } = await client.listInstance({});
    assert.ok(instances.length > 0, "the demo data");
    const scaleway = await fetch(new URL("/registry/v1/regions/fr-par/namespaces", url), { headers: { "X-Auth-Token": LAST_ROW.exec(lines.at(-1))[1] } });
    assert.equal(scaleway.status, 200, "the printed Scaleway/SWR token is accepted");

    // Ctrl-C stops the demo and the emulator with it.
    await demo.interrupt();
    await assert.rejects(fetch(url), "nothing listens any more");
  } finally {
    await demo.interrupt();
  }
});

test("a busy port or a malformed address: demo.sh fails with an error that names TAGDECK_LISTEN", async () => {
  const malformed = runDemo("8080", () => false);
  assert.equal((await malformed.exited).code, 2);
  assert.deepEqual(malformed.lines, ['[demo] TAGDECK_LISTEN must be HOST:PORT (e.g. 127.0.0.1:9090), got "8080"'], "refused before anything is built");

  const busy = http.createServer(() => {});
  await new Promise((resolve) => busy.listen(0, "127.0.0.1", resolve));
  const listen = `127.0.0.1:${busy.address().port}`;
  try {
    const demo = runDemo(listen, () => false);
    const { code } = await demo.exited;
    assert.notEqual(code, 0);
    const output = demo.lines.join("\n");
    assert.match(output, new RegExp(`cannot listen on ${listen.replaceAll(".", "\\.")}: .*TAGDECK_LISTEN=HOST:PORT`));
    assert.doesNotMatch(output, /Dashboard/, "no closing block for a demo that is not running");
    // The first test's demo built the package if it had to: this one reuses it.
    assert.match(output, /^\[demo\] the package \(pkg\/\) is up to date$/m, "a second demo.sh reuses the package");
    assert.doesNotMatch(output, /building the package/);
  } finally {
    busy.close();
  }
});

test("the licences are in the repository, and in the package's tarball", async () => {
  const mit = await readFile(path.join(ROOT, "LICENSE-MIT"), "utf8");
  assert.match(mit, /^MIT License\n\nCopyright \(c\) the tagdeck authors\n\nPermission is hereby granted, free of charge/);
  const apache = await readFile(path.join(ROOT, "LICENSE-APACHE"), "utf8");
  assert.match(apache, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(apache, /END OF TERMS AND CONDITIONS/);
  const cargo = await readFile(path.join(ROOT, "Cargo.toml"), "utf8");
  assert.match(cargo, /license = "MIT OR Apache-2\.0"/, "the licences the crate and the package declare");

  // What `npm publish` would upload from pkg/.
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "./pkg"], { cwd: ROOT });
  const files = JSON.parse(stdout)[0].files.map((file) => file.path);
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(files.includes(name), `${name} in the tarball: ${files.join(", ")}`);
    assert.equal(await readFile(path.join(ROOT, "pkg", name), "utf8"), await readFile(path.join(ROOT, name), "utf8"), `pkg/${name} is the repository's`);
  }
});

test("README.md documents TAGDECK_LISTEN, and its two commands stay as they are", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  assert.match(readme, /TAGDECK_LISTEN=127\.0\.0\.1:9090 \.\/scripts\/demo\.sh/);
  const [, commands] = /## Two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
  assert.deepEqual(commands.trim().split("\n").map((line) => line.split(/\s+#/)[0].trim()), ["./scripts/demo.sh", "./scripts/test.sh"]);
});
