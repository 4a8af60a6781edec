// Reads a request body with a hard size limit.
//
// Content-Length is checked first (cheap, and the body is never read), then
// the bytes actually received are counted, because a client can send a
// chunked body with no length, or lie about it.
//
// Past the limit, the rest is read and dropped up to `drainLimit` bytes
// before the refusal goes out: a runtime that answers while the client is
// still sending resets the connection, and the client would see a network
// error instead of the 413. Beyond `drainLimit` the stream is cancelled.

/**
 * @returns {Promise<{ tooLarge: false, bytes: Uint8Array } | { tooLarge: true }>}
 */
export async function readBodyWithin(request, limit, drainLimit = limit) {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limit) return { tooLarge: true };
  if (request.body === null) return { tooLarge: false, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > drainLimit) {
      await reader.cancel().catch(() => {});
      return { tooLarge: true };
    }
    if (received <= limit) chunks.push(value);
  }
  if (received > limit) return { tooLarge: true };
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { tooLarge: false, bytes };
}

/**
 * Reads and drops a body nobody read (up to `drainLimit` bytes), so that a
 * refusal given before the body mattered (401, 403, 429, ...) reaches a
 * client that is still sending. A declared Content-Length the runtimes
 * handle themselves; only a chunked body needs this.
 */
export async function discardBody(request, drainLimit) {
  if (request.body === null || request.bodyUsed || request.headers.has("Content-Length")) return;
  await readBodyWithin(request, 0, drainLimit);
}
