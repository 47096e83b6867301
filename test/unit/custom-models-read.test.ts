// The catalog reads the user's custom models once per worker; a read that failed
// (IndexedDB refused it) is not remembered, so the next request reads again.
import { afterEach, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../support/api-harness';

const failures = vi.hoisted(() => ({ left: 0 }));
vi.mock('../../worker/models/custom-models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../worker/models/custom-models')>();
  return {
    ...actual,
    listCustomRecords: () => (failures.left-- > 0 ? Promise.reject(new DOMException('The database connection is closing.', 'InvalidStateError')) : actual.listCustomRecords()),
  };
});

let h: Harness;
afterEach(() => h.close());

it('a failed read of the custom models is not kept: the next models.list reads them again', async () => {
  h = createHarness();
  failures.left = 1;
  await expect(h.client.models.list()).rejects.toThrow(/closing/);
  const list = await h.client.models.list();
  expect(list.data.some((m) => m.owned_by === 'mistralai')).toBe(true);
  expect(failures.left).toBe(-1);
});
