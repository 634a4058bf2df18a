// IndexedDB, the tablet's own storage: the queue of records not yet sent
// ("outbox") and a key-value store of what the app needs to open with no
// network (the user's profile, the vocabulary, the ward's service users and
// recent activities, sync cursors). Everything clinical is kept per user.

const NAME = "peerlog";
const VERSION = 1;

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id" });
      if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

function run<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = fn(tx.objectStore(store));
        let result: T;
        if (req) req.onsuccess = () => (result = req.result);
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

export function kvGet<T>(key: string): Promise<T | undefined> {
  return run<T | undefined>("kv", "readonly", (s) => s.get(key) as IDBRequest<T | undefined>);
}

export function kvSet(key: string, value: unknown): Promise<void> {
  return run<IDBValidKey>("kv", "readwrite", (s) => s.put(value, key)).then(() => undefined);
}

export function kvDelete(key: string): Promise<void> {
  return run("kv", "readwrite", (s) => s.delete(key)).then(() => undefined);
}

/** Removes every key starting with `prefix`. */
export function kvDeletePrefix(prefix: string): Promise<void> {
  return run("kv", "readwrite", (s) => s.delete(IDBKeyRange.bound(prefix, prefix + "\uffff"))).then(() => undefined);
}

/** Removes every user's cached ward data but this one's (the queue of
 * unsent records is another store, and stays). */
export function kvDeleteOtherUsers(userId: string): Promise<void> {
  const mine = `u:${userId}:`;
  return open().then(
    (db) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction("kv", "readwrite");
        const req = tx.objectStore("kv").openKeyCursor(IDBKeyRange.bound("u:", "u:\uffff"));
        req.onsuccess = () => {
          const c = req.result;
          if (!c) return;
          if (!String(c.key).startsWith(mine)) tx.objectStore("kv").delete(c.key);
          c.continue();
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      }),
  );
}

export function outboxAll<T>(): Promise<T[]> {
  return run<T[]>("outbox", "readonly", (s) => s.getAll() as IDBRequest<T[]>);
}

export function outboxGet<T>(id: string): Promise<T | undefined> {
  return run<T | undefined>("outbox", "readonly", (s) => s.get(id) as IDBRequest<T | undefined>);
}

export function outboxPut<T extends { id: string }>(item: T): Promise<void> {
  return run("outbox", "readwrite", (s) => s.put(item)).then(() => undefined);
}

export function outboxDelete(id: string): Promise<void> {
  return run("outbox", "readwrite", (s) => s.delete(id)).then(() => undefined);
}
