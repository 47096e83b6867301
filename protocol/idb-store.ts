// An idb-keyval store that repairs itself. idb-keyval's createStore creates
// its object store only when the database is new: a database that exists
// without the store (an old version's data, a damaged profile, any plain
// indexedDB.open of that name) then fails every call with "One of the
// specified object stores was not found", for good. This one reopens such a
// database one version up and creates the store: a missing store means
// "empty", never "broken". Used by every database the app owns, on both sides.
import { promisifyRequest, type UseStore } from 'idb-keyval';

function open(dbName: string, storeName: string, version?: number): Promise<IDBDatabase> {
  const request = version === undefined ? indexedDB.open(dbName) : indexedDB.open(dbName, version);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
  };
  return promisifyRequest(request);
}

async function openWithStore(dbName: string, storeName: string): Promise<IDBDatabase> {
  const db = await open(dbName, storeName);
  if (db.objectStoreNames.contains(storeName)) return db;
  const version = db.version + 1;
  db.close();
  return open(dbName, storeName, version);
}

export function createRepairingStore(dbName: string, storeName: string): UseStore {
  let db: Promise<IDBDatabase> | null = null;
  const connect = () => {
    db ??= openWithStore(dbName, storeName).then((opened) => {
      // Another tab upgrading (or deleting) the database closes this connection: reopen next time.
      opened.onversionchange = () => {
        opened.close();
        db = null;
      };
      opened.onclose = () => {
        db = null;
      };
      return opened;
    });
    return db;
  };
  return async (txMode, callback) => {
    let opened = await connect().catch((error) => {
      db = null;
      throw error;
    });
    if (!opened.objectStoreNames.contains(storeName)) {
      // The store vanished under an open connection (another tab's repair raced ours).
      opened.close();
      db = null;
      opened = await connect();
    }
    return callback(opened.transaction(storeName, txMode).objectStore(storeName));
  };
}
