// The package's typings as two kinds of TypeScript project see them, with
// the installed package (node_modules/tagdeck, exactly what `npm pack`
// publishes) and no `skipLibCheck`, so that every .d.ts of the package is
// checked too:
//   - a browser or Workers project: `lib: ["ES2022", "DOM"]`, `types: []`;
//   - a Node project: the same with @types/node.
// Both compile, under `strict`, every example of the package's README as it
// is written (```js blocks with `checkJs`, ```ts blocks as TypeScript, the
// Node example also as TypeScript, since that is how a TypeScript user
// copies it) and tests/node/typecheck-usage.ts, which uses the rest of the
// API. The browser example's module script is checked as JavaScript; the
// examples that need Node (`node:` modules, `process`) only in the Node project.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = fileURLToPath(new URL(".", import.meta.url));
const installed = join(here, "node_modules", "tagdeck");
const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const readme = await readFile(join(installed, "README.md"), "utf8");

/** The README's code: every ```js / ```ts block, and the browser page's module script. */
function readmeExamples() {
  const examples = [];
  const blocks = readme.matchAll(/(?:<!-- example: ([\w-]+) -->\s*)?```(\w*)\n([\s\S]*?)\n```/g);
  let index = 0;
  for (const [, name, language, code] of blocks) {
    index += 1;
    const base = `readme-${index}${name ? `-${name}` : ""}`;
    if (language === "js" || language === "ts") examples.push({ file: `${base}.${language}`, code });
    if (name === "node") examples.push({ file: `${base}-as-typescript.ts`, code });
    if (language === "html") {
      const script = code.match(/<script type="module">\n([\s\S]*?)<\/script>/);
      assert.ok(script, `README example ${base} has no module script`);
      examples.push({ file: `${base}.js`, code: script[1] });
    }
  }
  assert.ok(examples.length >= 6, `${examples.length} examples found in the README`);
  return examples;
}

/** Whether an example needs Node's typings. */
const needsNode = (code) => /from "node:|process\./.test(code);

/** The tsconfig of one kind of project; `files` are relative to the project. */
function tsconfig(types, files) {
  return {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      types,
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      // Deliberately left out, so that the package's own .d.ts are checked: skipLibCheck.
    },
    files,
  };
}

async function project() {
  // Beside the installed package, so that "tagdeck" (and the browser
  // example's ./node_modules/tagdeck/) resolve as in a user's project.
  const dir = join(here, "node_modules", ".typecheck");
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "node_modules"), { recursive: true });
  await symlink(installed, join(dir, "node_modules", "tagdeck"), "dir");
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  // What a Workers project declares for `import wasm from "….wasm"`
  // (@cloudflare/workers-types and wrangler's generated types say the same).
  await writeFile(
    join(dir, "workers-wasm.d.ts"),
    'declare module "*.wasm" {\n  const module: WebAssembly.Module;\n  export default module;\n}\n',
  );
  await copyFile(join(here, "typecheck-usage.ts"), join(dir, "usage.ts"));
  const examples = readmeExamples();
  for (const { file, code } of examples) await writeFile(join(dir, file), code + "\n");
  return { dir, examples };
}

async function typecheck(dir, name, config) {
  await writeFile(join(dir, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], { cwd: dir });
  } catch (error) {
    assert.fail(`tsc -p tsconfig.${name}.json (${config.files.join(", ")}):\n${error.stdout}${error.stderr}`);
  }
}

const { dir, examples } = await project();

test("a browser or Workers project (lib ES2022 + DOM, no @types) type-checks the package and the README's web examples", async () => {
  const files = ["workers-wasm.d.ts", "usage.ts", ...examples.filter((e) => !needsNode(e.code)).map((e) => e.file)];
  await typecheck(dir, "web", tsconfig([], files));
});

test("a Node project (with @types/node) type-checks the package and every README example", async () => {
  const files = ["workers-wasm.d.ts", "usage.ts", ...examples.map((e) => e.file)];
  await typecheck(dir, "node", tsconfig(["node"], files));
});

test("the check can fail: a wrong type in a user's file is reported", async () => {
  await writeFile(join(dir, "wrong.ts"), 'import { operations } from "tagdeck";\nconst count: number = operations();\n');
  await writeFile(join(dir, "tsconfig.wrong.json"), JSON.stringify(tsconfig([], ["wrong.ts"])));
  const failure = await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], { cwd: dir }).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(failure, "tsc accepted a string[] as a number");
  assert.match(failure.stdout, /wrong\.ts.*TS2322/);
});
