/**
 * The tag filter: a case-insensitive substring of the tag name, or a
 * regular expression when `regex` is on. A query that starts with a digest
 * algorithm (`sha256:…`) matches tags whose digest starts with it, which is
 * how "show the tags sharing this image" works.
 *
 * Returns `{ test, error }`; `error` names what is wrong with the query and
 * `test` then matches nothing, so a typo never silently shows everything.
 */
const DIGEST_QUERY = /^[a-z0-9]+:[0-9a-f]+$/i;

export function compileFilter(query, { regex = false } = {}) {
  const text = (query ?? "").trim();
  if (text === "") return { test: () => true, error: null };
  if (DIGEST_QUERY.test(text)) {
    const prefix = text.toLowerCase();
    return { test: (tag) => (tag.digest ?? "").toLowerCase().startsWith(prefix), error: null };
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
