// Which HTTP status the proxy answers for a failed call, by what the failure
// means to its caller rather than by how the registry said it.
//
// The `cr` RPC API answers business errors ("the tag does not exist") with
// HTTP 200 and `IsSuccess: false`, and throttling (`Throttling.User`) with
// HTTP 400; passed on as they are, a missing tag would be a 502 and a
// throttled call a 400 that no client retries. So the error's code decides:
// codes as the vendor's API reference lists them per operation
// (`TAG_NOT_EXIST`, `REPO_ALREADY_EXIST`, `NAMESPACE_QUOTA_EXCEED`, ...)
// and the common codes of its RPC signing (`SignatureDoesNotMatch`,
// `InvalidAccessKeyId.NotFound`, ...). Only a failure of the upstream itself
// is a 502 or 504.

/**
 * In order, first match wins. `when(code, httpStatus)` gets the package's
 * error code and the upstream's HTTP status (undefined for client-side errors).
 */
const STATUS_RULES = [
  // Not applied; the library and the dashboard retry these (`Throttling*`,
  // as src/error.rs `is_retryable` reads it).
  { status: 429, when: (code, http) => code.startsWith("Throttling") || http === 429 },
  // The upstream refused the proxy's own key, token, signature or clock:
  // nothing the caller can change, so a gateway failure. Checked before
  // "not found", or `InvalidAccessKeyId.NotFound` would read as a 404.
  {
    status: 502,
    when: (code) => /^(SignatureDoesNotMatch|IncompleteSignature|SignatureNonceUsed|InvalidAccessKeyId|InvalidSecurityToken|InvalidTimeStamp|InvalidSignature|MissingSecurityToken)/.test(code),
  },
  { status: 504, when: (code) => code === "Timeout" },
  { status: 502, when: (code, http) => code === "NetworkError" || code === "DecodeError" || code === "ServiceUnavailable" || http >= 500 },
  { status: 404, when: (code, http) => /NOT_EXIST|NOT_FOUND|NotFound|NotExist/.test(code) || http === 404 },
  { status: 409, when: (code, http) => /ALREADY_EXIST|ALREADY_LINKED|AlreadyExist|Conflict|QUOTA_EXCEED|QuotaExceeded/.test(code) || http === 409 },
  { status: 403, when: (code, http) => /^Forbidden|NoPermission/.test(code) || http === 403 },
  // The package's validation, the registry's own checks, and any other
  // refusal of a call the registry understood: the caller has to change it.
  { status: 400, when: () => true },
];

/**
 * The status and extra headers for a failure the package reported.
 * @param {{ code: string, httpStatus?: number, retryAfterMs?: number }} error
 * @returns {{ status: number, headers: Record<string, string> }}
 */
export function answerFor(error) {
  const { status } = STATUS_RULES.find((rule) => rule.when(error.code, error.httpStatus));
  const headers = {};
  if (error.retryAfterMs > 0 || status === 429) {
    // Retry-After takes whole seconds; rounded up, since retrying sooner than
    // asked would be refused again. A 429 always says how long to wait.
    headers["Retry-After"] = String(retryAfterSeconds(error.retryAfterMs));
  }
  return { status, headers };
}

/** Whole seconds, at least 1, for a wait in milliseconds (1 when unknown). */
export function retryAfterSeconds(ms) {
  return Math.max(1, Math.ceil((ms > 0 ? ms : 0) / 1000));
}
