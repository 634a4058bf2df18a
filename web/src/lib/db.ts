// IndexedDB, the tablet's own storage: the queue of records not yet sent
// ("outbox") and a key-value store of what the app needs to open with no
// network (the user's profile, the vocabulary, the ward's service users and
// recent activities, sync cursors). Everything clinical is kept per user.
//
// Encrypted at rest (issue 22, item 8): every queued record and every
// per-user value (keys `u:<user>:…`) is stored as AES-GCM ciphertext under
// one key made on this tablet by WebCrypto with `extractable: false` and
// kept here as a CryptoKey. The key's bytes can never be read out, by this
// app or anyone else, so a copy of the browser's files (a lost tablet's
// disk, a copied profile) or someone reading the storage in devtools sees
// only ciphertext. What it does not stop: a script running on this origin
// (the app itself, or an attacker who got script into it) can still ask the
// browser to use the key, and so read the queue. The record's id is the
// GCM additional data, so a ciphertext cannot be moved onto another id.
// The API of this module is unchanged: callers read and write plain values.

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

/** Where the tablet's key is kept (a CryptoKey, not its bytes). */
const KEY_SLOT = "crypto:outbox-key";

/** A value as stored: AES-GCM ciphertext of its JSON, and the IV. */
interface Sealed {
  sealed: { iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer };
}

function isSealed(x: unknown): x is Sealed {
  return typeof x === "object" && x !== null && "sealed" in x && typeof (x as Sealed).sealed === "object";
}

let keying: Promise<CryptoKey> | null = null;

/** The tablet's key: read from IndexedDB, or made once (non-extractable).
 * Two tabs making one at once: `add` lets only the first be kept, and the
 * other reads it back. */
function tabletKey(): Promise<CryptoKey> {
  if (keying) return keying;
  keying = (async () => {
    const kept = await run<CryptoKey | undefined>("kv", "readonly", (s) => s.get(KEY_SLOT) as IDBRequest<CryptoKey | undefined>);
    if (kept) return kept;
    const made = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    try {
      await run("kv", "readwrite", (s) => s.add(made, KEY_SLOT));
      return made;
    } catch {
      const other = await run<CryptoKey | undefined>("kv", "readonly", (s) => s.get(KEY_SLOT) as IDBRequest<CryptoKey | undefined>);
      if (!other) throw new Error("no key for the tablet's storage");
      return other;
    }
  })();
  keying.catch(() => {
    keying = null;
  });
  return keying;
}

const text = new TextEncoder();

async function seal(value: unknown, binding: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: text.encode(binding) },
    await tabletKey(),
    text.encode(JSON.stringify(value)),
  );
  return { sealed: { iv, data } };
}

/** The plain value, or undefined when it cannot be opened (a key that was
 * wiped with the browser's data, or a row tampered with). */
async function unseal<T>(row: Sealed, binding: string): Promise<T | undefined> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: row.sealed.iv, additionalData: text.encode(binding) },
      await tabletKey(),
      row.sealed.data,
    );
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return undefined;
  }
}

/** Per-user values hold people's details: sealed. The vocabulary, measure
 * definitions and the key itself are not personal. */
function isPersonal(key: string): boolean {
  return key.startsWith("u:");
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  const stored = await run<unknown>("kv", "readonly", (s) => s.get(key));
  if (isSealed(stored)) return unseal<T>(stored, key);
  if (stored !== undefined && isPersonal(key)) await kvSet(key, stored).catch(() => undefined);
  return stored as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  const stored = isPersonal(key) ? await seal(value, key) : value;
  return run<IDBValidKey>("kv", "readwrite", (s) => s.put(stored, key)).then(() => undefined);
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

/** A queued row as stored: its id in the clear (the store's key, a random
 * UUID), everything else sealed. */
type OutboxRow = { id: string } & Sealed;

/** A queued row's plain value; one stored before encryption (an older
 * version of the app) is sealed now. */
async function openRow<T>(row: unknown): Promise<T | undefined> {
  if (isSealed(row)) return unseal<T>(row, (row as OutboxRow).id);
  if (row && typeof row === "object" && "id" in row) {
    await outboxPut(row as { id: string }).catch(() => undefined);
    return row as T;
  }
  return undefined;
}

export async function outboxAll<T>(): Promise<T[]> {
  const rows = await run<unknown[]>("outbox", "readonly", (s) => s.getAll());
  const out: T[] = [];
  for (const row of rows) {
    const item = await openRow<T>(row);
    if (item !== undefined) out.push(item);
  }
  return out;
}

export async function outboxGet<T>(id: string): Promise<T | undefined> {
  return openRow<T>(await run<unknown>("outbox", "readonly", (s) => s.get(id)));
}

export async function outboxPut<T extends { id: string }>(item: T): Promise<void> {
  const row: OutboxRow = { id: item.id, ...(await seal(item, item.id)) };
  return run("outbox", "readwrite", (s) => s.put(row)).then(() => undefined);
}

export function outboxDelete(id: string): Promise<void> {
  return run("outbox", "readwrite", (s) => s.delete(id)).then(() => undefined);
}
