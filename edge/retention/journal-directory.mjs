// The journal's store as a directory of JSON files, for the Node adapter:
// one file per key (`run+<id>.json`, `part+<id>+000001.json`, ...), each
// written to a temporary file and renamed, so a reader never sees half a record.

import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

const toFile = (key) => `${key.replaceAll(":", "+")}.json`;
const toKey = (file) => file.slice(0, -".json".length).replaceAll("+", ":");

export async function directoryStore(dir) {
  await mkdir(dir, { recursive: true });
  return {
    async get(key) {
      try {
        return await readFile(path.join(dir, toFile(key)), "utf8");
      } catch (error) {
        if (error.code === "ENOENT") return null;
        throw error;
      }
    },
    async put(key, text) {
      const file = path.join(dir, toFile(key));
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    },
    async list(prefix) {
      const files = await readdir(dir);
      return files
        .filter((file) => file.endsWith(".json"))
        .map(toKey)
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((name) => ({ name, metadata: undefined }));
    },
  };
}
