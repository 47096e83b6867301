// The conversation database against fake-indexeddb: records are validated on
// read, writes are read-modify-write in one transaction (so concurrent writers
// never drop each other's messages), and a database without its store heals.
import { get, promisifyRequest, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createRepairingStore } from '../../protocol/idb-store';
import { readConversation } from '../../src/storage/conversation-records';
import { changeConversation, CONVERSATION_DB, CONVERSATION_STORE, DEFAULT_SETTINGS, deleteRecord, listConversations, saveConversation, type Conversation, type StoredMessage } from '../../src/storage/conversations';

const message = (id: string, content = id, role: StoredMessage['role'] = 'user'): StoredMessage => ({ id, role, content, status: 'done' });
const conversation = (id: string, messages: StoredMessage[] = []): Conversation => ({
  id,
  title: id,
  createdAt: 1,
  updatedAt: 1,
  modelId: null,
  messages,
  settings: { ...DEFAULT_SETTINGS },
});

/** Writes a record as another program (an old version, a hand edit) would, past our validation. */
async function putRaw(key: string, value: unknown): Promise<void> {
  const db = await promisifyRequest(indexedDB.open(CONVERSATION_DB));
  const tx = db.transaction(CONVERSATION_STORE, 'readwrite');
  tx.objectStore(CONVERSATION_STORE).put(value, key);
  await promisifyRequest(tx as unknown as IDBRequest);
  db.close();
}

describe('createRepairingStore', () => {
  it('a database that exists without its store is upgraded with the store, not failed forever', async () => {
    const plain = await promisifyRequest(indexedDB.open('bare-db'));
    expect([...plain.objectStoreNames]).toEqual([]);
    plain.close();
    const store = createRepairingStore('bare-db', 'things');
    await set('a', 1, store);
    expect(await get('a', store)).toBe(1);
    const reopened = await promisifyRequest(indexedDB.open('bare-db'));
    expect([...reopened.objectStoreNames]).toEqual(['things']);
    expect(reopened.version).toBe(2);
    reopened.close();
  });

  it('a database deleted under an open connection (another tab) is reopened and recreated', async () => {
    const store = createRepairingStore('deleted-db', 'things');
    await set('a', 1, store);
    await promisifyRequest(indexedDB.deleteDatabase('deleted-db'));
    expect(await get('a', store)).toBeUndefined();
    await set('b', 2, store);
    expect(await get('b', store)).toBe(2);
  });
});

describe('reading conversations', () => {
  it('a record that is not a conversation is listed as damaged with its raw JSON; the others are read; Delete removes it', async () => {
    await saveConversation(conversation('good', [message('m1')]));
    await putRaw('bad', { id: 'bad', title: 'Broken', messages: 'not an array' });
    await putRaw('worse', 42);
    const listed = await listConversations();
    expect(listed.conversations.map((c) => c.id)).toEqual(['good']);
    expect(listed.damaged.map((d) => d.key).sort()).toEqual(['bad', 'worse']);
    expect(JSON.parse(listed.damaged.find((d) => d.key === 'bad')!.json)).toEqual({ id: 'bad', title: 'Broken', messages: 'not an array' });
    await deleteRecord('bad');
    expect((await listConversations()).damaged.map((d) => d.key)).toEqual(['worse']);
  });

  it('a damaged message is kept raw on the conversation, never dropped; a bad field takes its default', () => {
    const read = readConversation({
      id: 'c',
      title: '',
      messages: [message('ok'), { id: 'x', role: 'user', content: { text: 'an object' } }, null, { ...message('s'), status: 'weird' }],
      settings: { temperature: 'hot', max_tokens: 64, seed: 7 },
    })!;
    expect(read.messages.map((m) => m.id)).toEqual(['ok', 's']);
    expect(read.messages[1]!.status).toBe('done');
    expect(read.damaged).toEqual([{ id: 'x', role: 'user', content: { text: 'an object' } }, null]);
    expect(read.title).toBe('Untitled chat');
    expect(read.settings.temperature).toBe(DEFAULT_SETTINGS.temperature);
    expect(read.settings.max_tokens).toBe(64);
    expect(read.settings.seed).toBe(7);
  });

  it('a reply that was streaming when the page closed comes back interrupted', async () => {
    await saveConversation(conversation('s', [message('q'), { ...message('r', 'half a rep', 'assistant'), status: 'streaming' }]));
    const read = (await listConversations()).conversations.find((c) => c.id === 's');
    expect(read!.messages.map((m) => m.status)).toEqual(['done', 'interrupted']);
  });
});

describe('changeConversation', () => {
  it('writers that start together (two tabs) each see the other’s write: no message is dropped', async () => {
    await saveConversation(conversation('shared', [message('first')]));
    const append = (id: string) => changeConversation('shared', (stored) => (stored ? { ...stored, messages: [...stored.messages, message(id)] } : null));
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(`m${i}`)));
    const stored = (await listConversations()).conversations.find((c) => c.id === 'shared');
    expect(stored!.messages.map((m) => m.id).sort()).toEqual(['first', ...Array.from({ length: 20 }, (_, i) => `m${i}`)].sort());
  });

  it('gets undefined for a record deleted meanwhile, and null writes nothing', async () => {
    const result = await changeConversation('gone', (stored) => {
      expect(stored).toBeUndefined();
      return null;
    });
    expect(result).toBeNull();
    expect((await listConversations()).conversations.map((c) => c.id)).not.toContain('gone');
  });
});
