// Pins the engine seam: WebLLM's MLCEngine and the scripted engine both satisfy ChatEngine.
import type { MLCEngine } from '@mlc-ai/web-llm';
import { describe, expectTypeOf, it } from 'vitest';
import type { EngineClient } from '../../src/engine/client';
import type { ChatCompletion } from '../../protocol/contract';
import type { ChatEngine } from '../../worker/engine/engine';
import type { ScriptedEngine } from '../support/scripted-engine';

describe('engine interface', () => {
  it('MLCEngine satisfies ChatEngine', () => {
    expectTypeOf<MLCEngine>().toExtend<ChatEngine>();
  });
  it('the scripted engine satisfies ChatEngine', () => {
    expectTypeOf<ScriptedEngine>().toExtend<ChatEngine>();
  });
  it('the client returns a ChatCompletion without stream and an async iterable with it', () => {
    type Create = EngineClient['chat']['completions']['create'];
    expectTypeOf<ReturnType<(r: { model: string; messages: []; stream?: false }) => ReturnType<Create>>>().toExtend<Promise<unknown>>();
    expectTypeOf<Awaited<ReturnType<EngineClient['chat']['completions']['create']>>>().toExtend<ChatCompletion | AsyncIterable<unknown>>();
  });
});
