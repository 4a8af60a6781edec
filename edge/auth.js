// Bearer-token check in constant time.
//
// Both tokens are hashed with SHA-256 first, so the comparison always runs
// over 32 bytes: neither the length nor the first differing byte of the
// configured token can be learnt from response times.

const encoder = new TextEncoder();

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

function equalInConstantTime(a, b) {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/**
 * Returns `check(request) → Promise<boolean>`, true when the request carries
 * `Authorization: Bearer <token>` with exactly `token`.
 */
export function bearerChecker(token) {
  const expected = sha256(token);
  return async (request) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.get("Authorization") ?? "");
    // A missing header is hashed too, so it takes as long as a wrong token.
    const given = await sha256(match ? match[1] : "");
    return equalInConstantTime(given, await expected) && match !== null;
  };
}
