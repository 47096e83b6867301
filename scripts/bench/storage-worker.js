// Runs in a dedicated worker (where WebLLM's cache code runs): writes then
// reads the same synthetic shards through IndexedDB, the Cache API and OPFS.
const MiB = 1024 * 1024;

function randomBuffer(bytes) {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(bytes, i + 65536)));
  return out;
}

function idbOpen() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('bench-idb', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('urls', { keyPath: 'url' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
const idbTx = (db, mode, body) =>
  new Promise((resolve, reject) => {
    const tx = db.transaction('urls', mode);
    let result;
    body(tx.objectStore('urls'), (v) => (result = v));
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
  });

const backends = {
  // WebLLM's "indexeddb" cache: one record { url, data: ArrayBuffer } per shard.
  async indexeddb(shards, data) {
    const db = await idbOpen();
    const t0 = performance.now();
    for (let i = 0; i < shards; i++) {
      const copy = data.slice().buffer; // a fresh ArrayBuffer per shard, as a fetched body is
      await idbTx(db, 'readwrite', (s) => s.put({ url: `shard-${i}`, data: copy }));
    }
    const t1 = performance.now();
    let read = 0;
    for (let i = 0; i < shards; i++) read += await idbTx(db, 'readonly', (s, done) => (s.get(`shard-${i}`).onsuccess = (e) => done(e.target.result.data.byteLength)));
    const t2 = performance.now();
    db.close();
    await new Promise((r) => (indexedDB.deleteDatabase('bench-idb').onsuccess = r));
    return { writeMs: t1 - t0, readMs: t2 - t1, read };
  },
  // WebLLM's default "cache" backend.
  async cache(shards, data) {
    const cache = await caches.open('bench-cache');
    const t0 = performance.now();
    for (let i = 0; i < shards; i++) await cache.put(`https://bench.invalid/shard-${i}`, new Response(data.slice()));
    const t1 = performance.now();
    let read = 0;
    for (let i = 0; i < shards; i++) read += (await (await cache.match(`https://bench.invalid/shard-${i}`)).arrayBuffer()).byteLength;
    const t2 = performance.now();
    await caches.delete('bench-cache');
    return { writeMs: t1 - t0, readMs: t2 - t1, read };
  },
  // WebLLM's "opfs" backend in a worker can use synchronous access handles.
  async opfs(shards, data) {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('bench-opfs', { create: true });
    const t0 = performance.now();
    for (let i = 0; i < shards; i++) {
      const handle = await (await dir.getFileHandle(`shard-${i}`, { create: true })).createSyncAccessHandle();
      handle.truncate(0);
      handle.write(data, { at: 0 });
      handle.flush();
      handle.close();
    }
    const t1 = performance.now();
    let read = 0;
    for (let i = 0; i < shards; i++) {
      const file = await (await dir.getFileHandle(`shard-${i}`)).getFile();
      read += (await file.arrayBuffer()).byteLength;
    }
    const t2 = performance.now();
    await root.removeEntry('bench-opfs', { recursive: true });
    return { writeMs: t1 - t0, readMs: t2 - t1, read };
  },
};

self.onmessage = async (event) => {
  const { totalMiB, shardMiB, rounds } = event.data;
  const shards = totalMiB / shardMiB;
  const data = randomBuffer(shardMiB * MiB);
  const results = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(backends)) {
        const r = await run(shards, data);
        if (r.read !== shards * shardMiB * MiB) throw new Error(`${name} read back ${r.read} bytes`);
        (results[name] ??= []).push(r);
      }
    }
    self.postMessage({ results });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
