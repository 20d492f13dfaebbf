// api: the one way pages call the server. It sends the session cookie and
// the header X-Tongpei-Csrf: 1 that the server wants on every state-changing
// request made with the cookie (a cross-site form cannot send a header),
// waits out Retry-After on 429 and 503, and turns problem+json into ApiError.
import { t, has } from "./i18n.js";

/** ApiError carries the HTTP status (0: no network) and the RFC 9457 problem. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.problem = problem;
    this.code = problem.code || (status === 0 ? "network" : "internal");
  }
  /** text is the refusal in the reader's language, with the server's detail after it. */
  text() {
    const key = "problem." + this.code;
    const local = has(key) ? t(key) : this.code;
    return this.problem.detail ? `${local}: ${this.problem.detail}` : local;
  }
}

const MAX_WAIT_S = 30;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** retryAfter reads Retry-After as seconds or an HTTP date, capped. */
function retryAfter(resp) {
  const v = resp.headers.get("Retry-After");
  if (!v) return null;
  const s = /^\d+$/.test(v) ? Number(v) : (Date.parse(v) - Date.now()) / 1000;
  return Number.isFinite(s) ? Math.min(Math.max(s, 0), MAX_WAIT_S) : null;
}

/**
 * api calls the server: api("POST", "/v1/scans", body). It answers the
 * decoded JSON (null for 204) or throws ApiError. opts.retries bounds the
 * Retry-After waits (default 3).
 */
export async function api(method, path, body, opts = {}) {
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let resp;
    try {
      resp = await fetch(path, {
        method,
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "X-Tongpei-Csrf": "1",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: opts.signal,
      });
    } catch (e) {
      throw new ApiError(0, { title: "network", detail: "" });
    }
    const wait = retryAfter(resp);
    if ((resp.status === 429 || resp.status === 503) && wait !== null && attempt < retries) {
      await sleep(wait * 1000);
      continue;
    }
    if (resp.status === 204) return null;
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    if (resp.ok) return data;
    if (resp.status === 401) window.dispatchEvent(new CustomEvent("tongpei:unauthorized"));
    throw new ApiError(resp.status, data || { title: resp.statusText, detail: "" });
  }
}
