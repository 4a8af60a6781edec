// JSON text for decoded answers, with 64-bit integers kept exact.
//
// The package decodes Long fields (sizes, millisecond times) as BigInt, which
// JSON.stringify refuses. Here a BigInt is written as a plain JSON number
// with all its digits: the same shape the registry itself sends, and exact on
// the wire. A reader that needs the digits beyond 2^53 can take them from
// the source text (`JSON.parse(text, (key, value, { source }) => ...)` in
// current browsers) or with any big-number JSON parser; `JSON.parse` alone
// gives the nearest double, which is fine for display.

/** Serializes `value` like JSON.stringify, writing BigInts as JSON numbers. */
export function stringifyExact(value) {
  return write(value) ?? "null";
}

function write(value) {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return undefined; // left out of objects, `null` in arrays, as JSON.stringify does
    default:
      break;
  }
  if (value === null) return "null";
  if (typeof value.toJSON === "function") return write(value.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
  }
  if (value instanceof Map) return write(Object.fromEntries(value));
  const members = [];
  for (const key of Object.keys(value)) {
    const text = write(value[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(",")}}`;
}
