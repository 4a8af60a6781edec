/**
 * The tag filter: a case-insensitive substring of the tag name, or a
 * regular expression when `regex` is on. A query written as a digest
 * (`sha256:` and hex) matches tags whose digest starts with that hex, with or
 * without the algorithm in the registry's answer; that is how "show the tags
 * sharing this image" works.
 *
 * Returns `{ test, error }`; `error` names what is wrong with the query and
 * `test` then matches nothing, so a typo never silently shows everything.
 */
import { digestHex } from "./format.js";

const DIGEST_QUERY = /^[a-z0-9]+:[0-9a-f]+$/i;

export function compileFilter(query, { regex = false } = {}) {
  const text = (query ?? "").trim();
  if (text === "") return { test: () => true, error: null };
  if (DIGEST_QUERY.test(text)) {
    const prefix = digestHex(text);
    return { test: (tag) => digestHex(tag.digest).startsWith(prefix), error: null };
  }
  if (regex) {
    let pattern;
    try {
      pattern = new RegExp(text, "i");
    } catch (error) {
      return { test: () => false, error: `Not a valid regular expression: ${error.message}` };
    }
    return { test: (tag) => pattern.test(tag.tag), error: null };
  }
  const needle = text.toLowerCase();
  return { test: (tag) => tag.tag.toLowerCase().includes(needle), error: null };
}
