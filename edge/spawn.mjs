// Development helper for the tests and the benchmark (not part of the
// worker): starts a server process whose first stdout line is
// `<name> listening on <url>`, and stops it again.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, banner: RegExp, timeoutMs?: number }} options
 *   `banner` must capture the URL in group 1
 * @returns {Promise<{ url: string, child: import("node:child_process").ChildProcess, output: string[], stop: () => Promise<void> }>}
 */
export function spawnListening(command, args, { env = {}, banner, timeoutMs = 120_000 }) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(String(chunk)));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
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
