// Reads a request body with a hard size limit.
//
// Content-Length is checked first (cheap, and the body is never read), then
// the bytes actually received are counted, because a client can send a
// chunked body with no length, or lie about it.

/**
 * @returns {Promise<{ tooLarge: false, bytes: Uint8Array } | { tooLarge: true }>}
 */
export async function readBodyWithin(request, limit) {
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
    if (received > limit) {
      await reader.cancel().catch(() => {});
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { tooLarge: false, bytes };
}
