// Read-only access to WebLLM's IndexedDB cache (one database per scope, store
// "urls", keyPath "url"). Opening never creates a database: a store created
// here without WebLLM's keyPath would break WebLLM's own writes later.

export type CacheScope = 'webllm/model' | 'webllm/config' | 'webllm/wasm';

/** The tensor-cache manifest WebLLM downloads first: one record per weight shard. */
export interface TensorManifest {
  records: { dataPath: string; nbytes: number }[];
}

function openExisting(scope: CacheScope): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(scope);
    request.onupgradeneeded = () => {
      // The database did not exist: abort so nothing is created.
      request.transaction?.abort();
    };
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('urls')) {
        db.close();
        resolve(null);
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

/** Looks up cached records by URL; returns the ones present (value = stored data). */
export async function readCached(scope: CacheScope, urls: string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  if (urls.length === 0 || typeof indexedDB === 'undefined') return found;
  const db = await openExisting(scope);
  if (!db) return found;
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('urls', 'readonly');
      const store = tx.objectStore('urls');
      for (const url of urls) {
        const get = store.get(url);
        get.onsuccess = () => {
          const row = get.result as { url: string; data: unknown } | undefined;
          if (row !== undefined) found.set(url, row.data);
        };
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
  return found;
}

/** Which of these URLs have a record, without reading their (large) values. */
export async function cachedKeys(scope: CacheScope, urls: string[]): Promise<Set<string>> {
  const present = new Set<string>();
  if (urls.length === 0 || typeof indexedDB === 'undefined') return present;
  const db = await openExisting(scope);
  if (!db) return present;
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('urls', 'readonly');
      const store = tx.objectStore('urls');
      for (const url of urls) {
        const req = store.getKey(url);
        req.onsuccess = () => {
          if (req.result !== undefined) present.add(url);
        };
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
  return present;
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
  if (!Array.isArray(records)) return null;
  const ok = records.every((r) => typeof r?.dataPath === 'string' && Number.isFinite(r?.nbytes));
  return ok ? { records: records.map((r) => ({ dataPath: r.dataPath as string, nbytes: r.nbytes as number })) } : null;
}
