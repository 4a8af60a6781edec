// Starts the project's registry emulator (tagdeck-emulator) on a free
// loopback port and reads its banner: the address first, then the
// credentials and demo ids it accepts.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function startEmulator(extraArgs = []) {
  const child = spawn(
    "cargo",
    ["run", "-q", "-p", "tagdeck-emulator", "--", "--listen", "127.0.0.1:0", "--seed", "demo", ...extraArgs],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const banner = {};
  const lines = createInterface({ input: child.stdout });
  await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`tagdeck-emulator exited with ${code} before its banner`)));
    lines.on("line", (line) => {
      const listening = line.match(/^tagdeck-emulator listening on (http:\/\/\S+)$/);
      if (listening) banner.url = listening[1];
      const field = line.match(/^([a-z-]+): (.*)$/);
      if (field) banner[field[1]] = field[2];
      // "state:" is the banner's last line.
      if (field?.[1] === "state") resolve();
    });
  });
  child.removeAllListeners("exit");
  return {
    url: banner.url,
    accessKeyId: banner["access-key-id"],
    accessKeySecret: banner["access-key-secret"],
    regionId: banner["region-id"],
    instanceId: banner["instance-id"],
    authToken: banner["auth-token"],
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}
