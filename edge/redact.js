// Scrubs credential values out of text before it leaves the proxy.
//
// The proxy never puts a credential into a message itself; this is the
// second line of defence for text it passes on from elsewhere (an upstream
// error message quotes the server's string-to-sign, which contains the
// AccessKeyId and a SecurityToken, percent-encoded once or twice).

import { percentEncode } from "./percent-encode.js";

const REPLACEMENT = "[redacted]";

/**
 * Returns a function that replaces every form (raw, encoded once, encoded
 * twice) of each given value with `[redacted]`.
 * @param {(string | undefined)[]} values
 */
export function redactor(values) {
  const forms = new Set();
  for (const value of values) {
    if (!value) continue;
    const once = percentEncode(value);
    for (const form of [value, once, percentEncode(once), encodeURIComponent(value)]) forms.add(form);
  }
  // Longest first, so a form that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = String(text);
    for (const form of ordered) out = out.split(form).join(REPLACEMENT);
    return out;
  };
}
