// Writes the 100-tag ListRepoTag answers the benchmarks decode, in XML and
// JSON, shaped as the real endpoint sends them (compact, XML with its
// declaration and <ListRepoTagResponse> root, one <Images> per item; see
// docs/api-facts.md, "cr answers"). Deterministic, so every run decodes the same bytes.
// Usage: node bench/make-fixtures.mjs   (rewrites bench/fixtures/*)
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";

const hex = (seed) => createHash("sha256").update(seed).digest("hex");

export function listRepoTagAnswer(count) {
  const images = [];
  for (let i = 0; i < count; i++) {
    images.push({
      Status: "NORMAL",
      ImageCreate: 1572839125000 + i * 3_600_000,
      ImageSize: 27107966 + i * 4099,
      Digest: hex(`digest-${i}`),
      ImageId: hex(`image-${i}`),
      ImageUpdate: 1572875608000 + i * 3_600_000,
      Tag: `v1.${Math.floor(i / 10)}.${i % 10}`,
    });
  }
  return {
    IsSuccess: true,
    TotalCount: count,
    PageSize: count,
    RequestId: "031572FA-7D8F-4C05-B790-1071E0E05DE6",
    Images: images,
    PageNo: 1,
    Code: "success",
  };
}

export function toXml(answer, root) {
  const element = (name, value) =>
    Array.isArray(value)
      ? value.map((item) => element(name, item)).join("")
      : typeof value === "object"
        ? `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join("")}</${name}>`
        : `<${name}>${value}</${name}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>${element(root, answer)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const answer = listRepoTagAnswer(100);
  const dir = new URL("./fixtures/", import.meta.url);
  writeFileSync(new URL("list-repo-tag-100.json", dir), JSON.stringify(answer));
  writeFileSync(new URL("list-repo-tag-100.xml", dir), toXml(answer, "ListRepoTagResponse"));
  console.log("wrote bench/fixtures/list-repo-tag-100.{json,xml}");
}
