// Development helpers for the tests, the benchmark and the local runners (not
// part of the worker): a server process whose first stdout line is `<name>
// listening on <url>`, and a worker module run in workerd through miniflare.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The emulator with demo data on a free port, accepting exactly `credentials`,
 * serving this checkout's dashboard and package; `extraArgs` adds options
 * such as `--throttle-rate 1`.
 */
export function startEmulator(binary, { accessKeyId, accessKeySecret }, extraArgs = []) {
  return spawnListening(
    binary,
    ["--listen", "127.0.0.1:0", "--seed", "demo", "--www", path.join(ROOT, "www"), "--pkg", path.join(ROOT, "pkg"), "--access-key-id", accessKeyId, "--access-key-secret", accessKeySecret, ...extraArgs],
    { banner: /^tagdeck-emulator listening on (http:\/\/\S+)/ },
  );
}

/**
 * A Workers-style module (path relative to the repository) in workerd, loaded
 * as a deployment loads it: `.js` files as ES modules and the package's
 * `.wasm` through a CompiledWasm rule. Extra miniflare options pass through.
 */
export function workerd(script, { bindings, ...options } = {}) {
  return new Miniflare({
    scriptPath: path.join(ROOT, script),
    modules: true,
    modulesRoot: ROOT,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-07-01",
    bindings,
    ...options,
  });
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, banner: RegExp, timeoutMs?: number, group?: boolean }} options
 *   `banner` must capture the URL in group 1; `group`: the command runs in a
 *   process group of its own (a shell and what it starts), stopped as a whole
 * @returns {Promise<{ url: string, child: import("node:child_process").ChildProcess, output: string[], stop: () => Promise<void> }>}
 */
export function spawnListening(command, args, { env = {}, banner, timeoutMs = 120_000, group = false }) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: group });
  const output = [];
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(String(chunk)));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      if (group) process.kill(-child.pid, "SIGTERM");
      else child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} did not print its address within ${timeoutMs} ms; stderr: ${stderr.join("")}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not be started: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before it printed its address; stderr: ${stderr.join("")}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      output.push(line);
      if (output.length > 1) return;
      const match = banner.exec(line);
      clearTimeout(timer);
      if (!match) {
        stop();
        return reject(new Error(`${command} printed ${JSON.stringify(line)} first, not its address`));
      }
      resolve({ url: match[1], child, output, stop });
    });
  });
}
