// words: how the station says a server's answer in the keeper's language.
import { t, has, lang } from "../shell/i18n.js";

/**
 * scanText is a scan result code in words; in English the server's detail
 * follows. from "problem" reads an HTTP problem code (a refused request
 * rather than a refused scan) first.
 */
export function scanText(code, detail, from) {
  const keys = from === "problem" ? ["problem." + code, "scan." + code] : ["scan." + code, "problem." + code];
  const key = keys.find(has);
  const local = key ? t(key) : code;
  return lang() === "en" && detail ? `${local} (${detail})` : local;
}

/** where splits a pickup code 3-2-4817 into its shelf and layer. */
export function where(code) {
  const [shelf, layer] = String(code || "").split("-");
  return { shelf, layer };
}

/** age says how long a parcel has waited, in days or hours. */
export function age(seconds) {
  const h = Math.floor(seconds / 3600);
  return h >= 24 ? t("shelf.days", { d: Math.floor(h / 24) }) : t("shelf.hours", { h });
}
