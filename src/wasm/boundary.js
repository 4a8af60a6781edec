// The JavaScript half of the two crossings that carry the most data between
// JS and wasm (src/wasm/boundary.rs declares them for Rust). The package
// carries this text after the constants of src/wasm/wire.rs (build.rs).
// Reading or building a JS object from wasm costs one call into JS per
// property and one text decoding per string; here the same work is one call
// with a few flat arrays and one string, and plain JS does the rest.

// ---- text in ----------------------------------------------------------------

const encoder = new TextEncoder();

/** A string's UTF-8 bytes, or undefined for anything else (see boundary.rs). */
export function utf8(value) {
  return typeof value === "string" ? encoder.encode(value) : undefined;
}

// ---- signRequest's options, packed into one string ---------------------------

// SIGN_OPTIONS, the slot order of the packed options, is defined above this
// text from src/wasm/wire.rs (build.rs puts it there).
const SEPARATOR = "\0";

/** Whether `value` is an object literal (as convert.rs `is_plain_object`). */
function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `signRequest`'s options as one string: for each option of SIGN_OPTIONS
 * "-" (absent) or "+" and its text, then each parameter's name and text, all
 * separated by NUL. Returns undefined when the options are anything but the
 * common, simple case (an unknown option, a non-string option, a nested or
 * non-scalar parameter, a NUL anywhere, no string Action): the Rust side then
 * reads them property by property and names whatever is at fault.
 */
export function packSignOptions(opts) {
  if (!isPlainObject(opts)) return undefined;
  const slots = new Array(SIGN_OPTIONS.length).fill("-");
  let params;
  for (const name of Object.keys(opts)) {
    const value = opts[name];
    if (name === "params") {
      params = value;
      continue;
    }
    const slot = SIGN_OPTIONS.indexOf(name);
    if (slot < 0) return undefined;
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || value.includes(SEPARATOR)) return undefined;
    slots[slot] = "+" + value;
  }
  if (!isPlainObject(params) || typeof params.Action !== "string") return undefined;
  let packed = slots.join(SEPARATOR);
  for (const name of Object.keys(params)) {
    const value = params[name];
    let text;
    switch (typeof value) {
      case "string":
        text = value;
        break;
      case "number":
        // String(n) is how the vendor's clients, and format_float, write numbers.
        if (!Number.isFinite(value)) return undefined;
        text = String(value);
        break;
      case "boolean":
        text = value ? "true" : "false";
        break;
      case "undefined":
        continue;
      default:
        // null (absent, but Rust names a null Action), bigint, lists, objects.
        if (value === null && name !== "Action") continue;
        return undefined;
    }
    if (name.includes(SEPARATOR) || text.includes(SEPARATOR)) return undefined;
    packed += SEPARATOR + name + SEPARATOR + text;
  }
  return packed;
}

/**
 * signRequest's result from one string of pieces and their lengths (UTF-16
 * code units): url, method, stringToSign, signature, then the signed
 * parameters' names and values.
 */
export function signedRequest(text, lengths) {
  let at = 0;
  let piece = 0;
  const next = () => text.slice(at, (at += lengths[piece++]));
  const url = next();
  const method = next();
  const stringToSign = next();
  const signature = next();
  const params = {};
  while (piece < lengths.length) {
    const name = next();
    setOwn(params, name, next());
  }
  return { url, method, params, stringToSign, signature };
}

/**
 * signRequest's V3 result (signatureVersion "3") from one string of pieces
 * and their lengths: url, method, canonicalRequest, stringToSign, signature,
 * then the headers' names and values.
 */
export function signedRequestV3(text, lengths) {
  let at = 0;
  let piece = 0;
  const next = () => text.slice(at, (at += lengths[piece++]));
  const url = next();
  const method = next();
  const canonicalRequest = next();
  const stringToSign = next();
  const signature = next();
  const headers = {};
  while (piece < lengths.length) {
    const name = next();
    setOwn(headers, name, next());
  }
  return { url, method, headers, canonicalRequest, stringToSign, signature };
}

// ---- decoded answers, as a tape --------------------------------------------

// The opcodes (NULL, FALSE, TRUE, NUMBER, LONG, STRING, ARRAY, OBJECT,
// INLINE_KEY) are defined above this text from src/wasm/wire.rs, which says
// what follows each.

// The tape being read. Module state rather than closures: one answer is
// read at a time (synchronously), and V8 optimizes this loop best.
let ops, numbers, longs, text, keys;
let opAt, numberAt, longAt, textAt;

function nextText(length) {
  return text.slice(textAt, (textAt += length));
}

function read() {
  switch (ops[opAt++]) {
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case NUMBER:
      return numbers[numberAt++];
    case LONG:
      return longs[longAt++];
    case STRING:
      return nextText(ops[opAt++]);
    case ARRAY: {
      const count = ops[opAt++];
      const array = new Array(count);
      for (let i = 0; i < count; i++) array[i] = read();
      return array;
    }
    case OBJECT: {
      const count = ops[opAt++];
      const object = {};
      for (let i = 0; i < count; i++) {
        const key = ops[opAt++];
        if (key === INLINE_KEY) {
          const name = nextText(ops[opAt++]);
          setOwn(object, name, read());
        } else {
          object[keys[key]] = read();
        }
      }
      return object;
    }
    default:
      throw new Error(`tagdeck: bad answer tape opcode at ${opAt - 1}`);
  }
}

/**
 * The decoded answer written by tape.rs: the key table (each key's length
 * and the keys' text), then the tape holding one value. The arrays are
 * views of wasm memory, read here and not kept.
 */
export function answerFromTape(keyLengths, keyText, tapeOps, tapeNumbers, tapeLongs, tapeText) {
  keys = new Array(keyLengths.length);
  for (let i = 0, at = 0; i < keyLengths.length; i++) keys[i] = keyText.slice(at, (at += keyLengths[i]));
  ops = tapeOps;
  numbers = tapeNumbers;
  longs = tapeLongs;
  text = tapeText;
  opAt = numberAt = longAt = textAt = 0;
  try {
    return read();
  } finally {
    ops = numbers = longs = text = keys = undefined;
  }
}

/**
 * Sets an own data property. A key such as `__proto__` (free-form data, a
 * parameter's name) becomes a plain property instead of replacing the
 * prototype. Catalogue keys are camelCase identifiers, set directly.
 */
function setOwn(object, name, value) {
  if (name === "__proto__") {
    Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[name] = value;
  }
}
