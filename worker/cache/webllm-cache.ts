// Access to WebLLM's IndexedDB cache: one database per scope ("webllm/model",
// "webllm/config", "webllm/wasm"), store "urls" with keyPath "url", one record
// { url, data } per fetched file. Reads never create a database (a store made
// here without WebLLM's keyPath would break its own writes); writes create it
// exactly as WebLLM does, and use put(), not WebLLM's add(), so two writers
// of the same file cannot fail each other with a ConstraintError.

export type CacheScope = 'webllm/model' | 'webllm/config' | 'webllm/wasm';

/** The tensor-cache manifest WebLLM downloads first: one record per weight shard. */
export interface TensorManifest {
  records: { dataPath: string; nbytes: number }[];
}

const STORE = 'urls';

function openDb(scope: CacheScope, create: boolean, version?: number): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(scope) : indexedDB.open(scope, version);
    request.onupgradeneeded = () => {
      if (!create) {
        // The database did not exist: abort so nothing is created.
        request.transaction?.abort();
        return;
      }
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'url' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab's upgrade must not wait on us forever.
      db.onversionchange = () => db.close();
      if (!db.objectStoreNames.contains(STORE)) {
        db.close();
        // A database without its store (damaged, or made by a plain open of this name) holds
        // nothing: reads see it empty; a write repairs it one version up, as WebLLM would create it.
        resolve(create && version === undefined ? openDb(scope, true, db.version + 1) : null);
        return;
      }
      resolve(db);
    };
    request.onerror = () => {
      if (request.error?.name === 'AbortError') resolve(null);
      else reject(request.error);
    };
  });
}

async function withStore<T>(scope: CacheScope, mode: IDBTransactionMode, fallback: T, body: (store: IDBObjectStore, done: (value: T) => void) => void): Promise<T> {
  if (typeof indexedDB === 'undefined') return fallback;
  const db = await openDb(scope, mode === 'readwrite');
  if (!db) return fallback;
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let result = fallback;
      body(tx.objectStore(STORE), (value) => (result = value));
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    });
  } finally {
    db.close();
  }
}

/** Looks up cached records by URL; returns the ones present (value = stored data). */
export function readCached(scope: CacheScope, urls: string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  if (urls.length === 0) return Promise.resolve(found);
  return withStore(scope, 'readonly', found, (store) => {
    for (const url of urls) {
      const get = store.get(url);
      get.onsuccess = () => {
        const row = get.result as { url: string; data: unknown } | undefined;
        if (row !== undefined) found.set(url, row.data);
      };
    }
  });
}

/** Which of these URLs have a record, without reading their (large) values. */
export function cachedKeys(scope: CacheScope, urls: string[]): Promise<Set<string>> {
  const present = new Set<string>();
  if (urls.length === 0) return Promise.resolve(present);
  return withStore(scope, 'readonly', present, (store) => {
    for (const url of urls) {
      const req = store.getKey(url);
      req.onsuccess = () => {
        if (req.result !== undefined) present.add(url);
      };
    }
  });
}

/** Every URL cached in a scope. */
export function allCachedUrls(scope: CacheScope): Promise<string[]> {
  return withStore<string[]>(scope, 'readonly', [], (store, done) => {
    const req = store.getAllKeys();
    req.onsuccess = () => done(req.result as string[]);
  });
}

/** Writes one record in WebLLM's format. The transaction commits before this resolves. */
export async function writeCached(scope: CacheScope, url: string, data: unknown): Promise<void> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available.');
  await withStore(scope, 'readwrite', undefined, (store) => {
    store.put({ url, data });
  });
}

export async function deleteCached(scope: CacheScope, urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  await withStore(scope, 'readwrite', undefined, (store) => {
    for (const url of urls) store.delete(url);
  });
}

/** Byte size of a stored value (Blob, ArrayBuffer, typed array, string or JSON object). */
export function storedSize(data: unknown): number {
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === 'string') return new TextEncoder().encode(data).byteLength;
  if (data === undefined || data === null) return 0;
  return new TextEncoder().encode(JSON.stringify(data)).byteLength;
}

/** WebLLM's rule for a model's base URL (`…/resolve/main/` on Hugging Face). */
export function modelBaseUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url, globalThis.location?.href).href;
}

export function manifestUrl(model: string): string {
  return new URL('tensor-cache.json', modelBaseUrl(model)).href;
}

export function shardUrls(model: string, manifest: TensorManifest): { url: string; nbytes: number }[] {
  const base = manifestUrl(model);
  return manifest.records.map((r) => ({ url: new URL(r.dataPath, base).href, nbytes: r.nbytes }));
}

/** Parses a manifest (JSON text, bytes or an already-parsed object) or returns null when it is not one. */
export function parseManifest(value: unknown): TensorManifest | null {
  let data = value;
  try {
    if (data instanceof ArrayBuffer) data = new TextDecoder().decode(data);
    if (typeof data === 'string') data = JSON.parse(data);
  } catch {
    return null;
  }
  const records = (data as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || records.length === 0) return null;
  const ok = records.every((r) => typeof r?.dataPath === 'string' && Number.isSafeInteger(r?.nbytes) && r.nbytes >= 0 && !/^[a-z]+:|^\/|\.\./i.test(r.dataPath));
  return ok ? { records: records.map((r) => ({ dataPath: r.dataPath as string, nbytes: r.nbytes as number })) } : null;
}
