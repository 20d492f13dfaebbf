// idb: the few IndexedDB calls the station needs, as promises. Three
// stores: "queue" (scans not yet answered by the server, by client id),
// "attention" (scans the server refused on sync, with the reason) and "kv"
// (the last shelf seen, the last sync time).
const DB = "tongpei-station";
let opened = null;

function db() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        d.createObjectStore("queue", { keyPath: "id" });
        d.createObjectStore("attention", { keyPath: "id" });
        d.createObjectStore("kv");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opened;
}

function run(store, mode, fn) {
  return db().then((d) => new Promise((resolve, reject) => {
    const tx = d.transaction(store, mode);
    const result = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

export const put = (store, value, key) => run(store, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
export const get = (store, key) => run(store, "readonly", (s) => s.get(key));
export const all = (store) => run(store, "readonly", (s) => s.getAll());
export const count = (store) => run(store, "readonly", (s) => s.count());
export const del = (store, keys) => run(store, "readwrite", (s) => { for (const k of [].concat(keys)) s.delete(k); });
