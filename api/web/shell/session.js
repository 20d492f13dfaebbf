// session: who is signed in. The browser holds only an HttpOnly cookie the
// server set; no script can read it, and no token is ever stored here. What
// is kept in localStorage is who the cookie belongs to (role, scope, name),
// so a page can open with no signal and still know its station.
import { api, ApiError } from "./api.js";

const ME_KEY = "tongpei.me";

/** homeFor is the page each role starts on after signing in. */
export const homeFor = (role) => ({ keeper: "/station", carrier: "/carrier", merchant: "/merchant" }[role] || "/");

/** cachedMe is the last known signed-in person, or null. */
export function cachedMe() {
  try { return JSON.parse(localStorage.getItem(ME_KEY)); } catch (e) { return null; }
}

/**
 * whoami asks the server who is signed in. It answers the person, null when
 * nobody is (401), or the cached person when the network is down.
 */
export async function whoami() {
  try {
    const me = await api("GET", "/v1/session");
    localStorage.setItem(ME_KEY, JSON.stringify(me));
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 0) return cachedMe();
    if (e instanceof ApiError && e.status === 401) { localStorage.removeItem(ME_KEY); return null; }
    throw e;
  }
}

/** redeem trades a sign-in link's secret for the session cookie. */
export async function redeem(secret) {
  const me = await api("POST", "/v1/sessions", { link: secret }, { retries: 0 });
  localStorage.setItem(ME_KEY, JSON.stringify(me));
  return me;
}

/** signOut ends the session on the server and forgets the person here. */
export async function signOut() {
  try { await api("DELETE", "/v1/session"); } finally {
    localStorage.removeItem(ME_KEY);
    location.href = "/login";
  }
}

/**
 * requireSignIn answers the signed-in person, or sends the browser to the
 * sign-in page (and answers null) when nobody is or the role is not one of
 * roles.
 */
export async function requireSignIn(roles) {
  const me = await whoami();
  if (!me || (roles && !roles.includes(me.role))) {
    location.href = "/login?next=" + encodeURIComponent(location.pathname);
    return null;
  }
  return me;
}
