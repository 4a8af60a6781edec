/**
 * Turns an error from the package, the proxy or the browser into words a
 * user understands: a short title, what it means and what to do, plus the
 * facts support needs (code, request id, HTTP status, the service's message).
 *
 * The decisive facts come from the error code, not from message text, except
 * for `SignatureDoesNotMatch`, where the package says whether the strings
 * to sign differed (a canonicalisation bug) or only the secret did, and for
 * Scaleway's `precondition_failed`, whose reason (`tag_digest_shared`) is in
 * the message. Codes of the three registries: Alibaba's (`Throttling.User`,
 * `TAG_NOT_EXIST`, …), Scaleway's error types (`denied_authentication`,
 * `not_found`, …) and SWR's (`SVCSTG.SWR.4010001`, …).
 */
const SWR_CODE = /^SVCSTG\.SWR\.(\d{3})/;
const REST_REGISTRIES = new Set(["scaleway", "swr"]);

/** The HTTP status an SWR code stands for (`SVCSTG.SWR.4040002` → 404), else 0. */
function swrStatus(code) {
  return Number(SWR_CODE.exec(code)?.[1] ?? 0);
}

const RULES = [
  {
    match: (code) => code === "SignatureDoesNotMatch",
    explain: (error) =>
      // The package compares the server's string-to-sign with its own and says so.
      /differs from ours at position|canonicali[sz]ation difference/i.test(error.message ?? "")
        ? {
            kind: "signing",
            title: "The request was signed differently than the registry expected",
            text: "Your secret may be right: the registry built a different string to sign. This is a compatibility problem, please report it with the request ID.",
          }
        : {
            kind: "wrong-secret",
            title: "Wrong AccessKey secret",
            text: "The registry knows this AccessKey ID, but the signature did not match: the secret does not belong to this key. Check for a typo or a rotated key.",
          },
  },
  {
    // Scaleway's and SWR's answer to a bad X-Auth-Token (Scaleway: denied_authentication, SWR: 401).
    match: (code, error, context) =>
      code === "denied_authentication" || swrStatus(code) === 401 || (REST_REGISTRIES.has(context.registry) && error.httpStatus === 401),
    explain: (error, context) => ({
      kind: "token",
      title: "The registry refused the token",
      text:
        SWR_CODE.test(error.code) || context.registry === "swr"
          ? "SWR did not accept this IAM token. IAM tokens expire after 24 hours: get a new one from IAM and connect again."
          : "Scaleway did not accept this secret key. Use the secret key (a UUID) of an API key that is still valid, not its access key (SCW\u2026).",
    }),
  },
  {
    match: (code, error) => code === "precondition_failed" && /tag_digest_shared/.test(error.message),
    explain: () => ({
      kind: "shared-digest",
      title: "Another tag points at the same image",
      text: "Scaleway deletes such a tag only when the deletion is forced. Delete it again with \u201cforce\u201d, or delete the other tags first.",
    }),
  },
  {
    // DeleteRepoTag of a repository with tag immutability on (UpdateRepository's TagImmutability).
    match: (code) => code === "TAG_IMMUTABLE",
    explain: () => ({
      kind: "immutable",
      title: "The tag is immutable",
      text: "This repository has tag immutability on, so the registry refuses to delete or overwrite its tags (all but latest). Switch tag immutability off on the repository first if the deletion is intended.",
    }),
  },
  {
    match: (code) => /^InvalidAccessKeyId/.test(code),
    explain: (error) => ({
      kind: "unknown-key",
      title: error.code === "InvalidAccessKeyId.Inactive" ? "This AccessKey is disabled" : "Unknown AccessKey ID",
      text: "The registry does not know this AccessKey ID (or it is disabled). Check the ID, and that it belongs to this account and region.",
    }),
  },
  {
    match: (code) => code === "InvalidTimeStamp.Expired",
    explain: () => ({
      kind: "clock-skew",
      title: "Your computer\u2019s clock is off",
      text: "Requests are signed with the current time, and the registry accepts at most 15 minutes of difference. Correct this device\u2019s date, time and time zone, then connect again.",
    }),
  },
  {
    match: (code) => /^InvalidSecurityToken/.test(code),
    explain: () => ({
      kind: "sts-token",
      title: "The STS token is invalid or expired",
      text: "Temporary credentials expire. Get a fresh AccessKey, secret and token together.",
    }),
  },
  {
    match: (code) => code === "NetworkError",
    explain: (error, context) => ({
      kind: "network",
      title: "Could not reach the registry",
      text:
        context.mode === "proxy"
          ? "The browser could not talk to the proxy. Check the proxy URL, that it is running, and that it allows this page\u2019s origin (CORS)."
          : isLocal(context.endpoint)
            ? "The browser could not talk to the endpoint. Check the address and that the server is running."
            : REST_REGISTRIES.has(context.registry)
              ? "Either the endpoint is unreachable, or it does not accept requests from web pages (CORS). Check the address, or use an endpoint that allows this page."
              : "Either the endpoint is unreachable, or (most likely) it does not accept requests from web pages: Alibaba Cloud\u2019s API endpoints send no CORS headers. Use \u201cvia edge proxy\u201d mode.",
    }),
  },
  {
    match: (code) => code === "Timeout",
    explain: () => ({
      kind: "timeout",
      title: "The registry did not answer in time",
      text: "The request timed out. The service or your connection may be slow; try again.",
    }),
  },
  {
    match: (code, error) => /^Throttling/.test(code) || error.httpStatus === 429,
    explain: () => ({
      kind: "throttled",
      title: "Too many requests",
      text: "The registry is limiting how fast requests can be made. Wait a moment and try again.",
    }),
  },
  {
    match: (code) => code === "Proxy.OriginNotAllowed",
    explain: () => ({
      kind: "proxy-origin",
      title: "The proxy does not accept this page",
      text: "This page\u2019s origin is not in the proxy\u2019s ALLOWED_ORIGINS. Ask whoever runs the proxy to add it.",
    }),
  },
  {
    match: (code) => code === "Proxy.ActionNotAllowed",
    explain: () => ({
      kind: "proxy-action",
      title: "The proxy does not allow this operation",
      text: "The proxy only forwards the operations in its ALLOWED_ACTIONS (by default, read-only ones). Changing tags through it has to be allowed there.",
    }),
  },
  {
    match: (code, error) => /Unauthorized$/.test(code) || error.httpStatus === 401,
    explain: () => ({
      kind: "proxy-token",
      title: "The proxy refused the token",
      text: "The proxy token is missing or wrong. Check it with whoever runs the proxy.",
    }),
  },
  {
    match: (code, error) => /^(Forbidden|NoPermission)/.test(code) || error.httpStatus === 403,
    explain: () => ({
      kind: "forbidden",
      title: "Not allowed",
      text: "These credentials (or the proxy\u2019s allow-list) do not permit this operation.",
    }),
  },
  {
    match: (code) => code === "SignatureNonceUsed",
    explain: () => ({
      kind: "nonce",
      title: "The registry saw this request twice",
      text: "A request was replayed. Trying again sends a fresh one.",
    }),
  },
  {
    match: (code) => code === "InvalidApi.NotFound",
    explain: () => ({
      kind: "unsupported",
      title: "The registry cannot do this",
      text: "This registry\u2019s API has no such operation.",
    }),
  },
  {
    match: (code, error) => swrStatus(code) === 409 || error.httpStatus === 409,
    explain: () => ({
      kind: "exists",
      title: "It already exists",
      text: "A tag with this name is already there. Pick another name, or delete the existing tag first.",
    }),
  },
  {
    match: (code) => /^(MissingParameter|InvalidParameter|Missing)/.test(code) || code === "invalid_arguments" || swrStatus(code) === 400,
    explain: () => ({
      kind: "invalid",
      title: "The request was not valid",
      text: "A value was missing or not accepted; the details below name it.",
    }),
  },
  {
    match: (code) => /NotFound|NOT_EXIST|NotExist|^not_found$/i.test(code) || swrStatus(code) === 404,
    explain: () => ({
      kind: "not-found",
      title: "Not found",
      text: "It may have been deleted or renamed in the meantime.",
    }),
  },
  {
    match: (code) => code === "DecodeError",
    explain: () => ({
      kind: "decode",
      title: "Unexpected answer from the registry",
      text: "The answer could not be read. Please report it with the request ID.",
    }),
  },
  {
    match: (code, error) => /ServiceUnavailable|InternalError/.test(code) || error.httpStatus >= 500,
    explain: () => ({
      kind: "server",
      title: "The registry had a problem",
      text: "The service failed to handle the request. Try again in a moment.",
    }),
  },
];

/**
 * Whether the service said it has no such operation (Alibaba's
 * `InvalidApi.NotFound`, or the package refusing an Action its catalogue
 * lacks): a part of the page is not available, not a failure to report.
 */
export function isUnknownApi(error) {
  return /^(InvalidApi\.NotFound|InvalidAction(\.NotFound)?|UnsupportedOperation)$/.test(String(error?.code ?? ""));
}

export function describeError(error, context = {}) {
  const normalized = normalize(error);
  const rule = RULES.find(({ match }) => match(normalized.code, normalized, context));
  const explanation = rule
    ? rule.explain(normalized, context)
    : { kind: "other", title: "Something went wrong", text: "The registry refused the request." };
  return { ...normalized, ...explanation };
}

/** The fields every error display needs, whatever produced the error. */
function normalize(error) {
  if (error instanceof TypeError && !error.code) {
    // fetch() rejects with a bare TypeError for network and CORS failures.
    return { code: "NetworkError", message: error.message, requestId: "", httpStatus: 0, recommend: "" };
  }
  return {
    code: String(error?.code ?? error?.name ?? "Error"),
    message: String(error?.message ?? error ?? ""),
    requestId: error?.requestId ? String(error.requestId) : "",
    httpStatus: Number(error?.httpStatus ?? 0) || 0,
    recommend: error?.recommend ? String(error.recommend) : "",
  };
}

function isLocal(endpoint) {
  if (!endpoint) return false;
  try {
    const { hostname } = new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`);
    return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === globalThis.location?.hostname;
  } catch {
    return false;
  }
}
