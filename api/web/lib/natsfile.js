// natsfile: a carrier's NATS login as a file to keep. The server shows the
// password only in the answer to the issue (it keeps a hash), so the page
// turns that answer into a download at once: the JSON `tongpei nats-creds
// --json` prints, which a carrier's client reads for url, user, password
// and its subjects.
import { api } from "/console/shell/api.js";
import { el } from "/console/lib/fmt.js";

/**
 * issueNATSFile issues a login for carrier and offers it as
 * tongpei-nats-<carrier>-<id>.json; it answers the credential and leaves
 * the link (#nats-file) in box so it can be saved again.
 */
export async function issueNATSFile(carrier, name, box) {
  const cred = await api("POST", `/v1/carriers/${encodeURIComponent(carrier)}/nats-credentials`, name ? { name } : {});
  const blob = new Blob([JSON.stringify(cred, null, 2) + "\n"], { type: "application/json" });
  const file = `tongpei-nats-${cred.carrier}-${cred.id}.json`;
  const a = el("a", { id: "nats-file", href: URL.createObjectURL(blob), download: file, class: "nats-file" }, file);
  box.replaceChildren(a);
  a.click();
  return cred;
}
