// Exposes the real worker API on one end of a real MessageChannel and wraps
// the other end with the real client, as comlink's own tests do.
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { createEngineClient, type EngineClient } from '../../src/engine-client';
import type { EngineApi, GpuReport } from '../../worker/contract';
import { createEngineApi } from '../../worker/engine-api';
import type { AppConfig } from '../../worker/engine';
import { installErrorTransfer } from '../../worker/errors';
import { ScriptedEngine, type ScriptedEngineOptions } from './scripted-engine';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';

export const SWIFTSHADER_GPU: GpuReport = {
  status: 'ok',
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader',
  isFallback: true,
  features: ['float32-filterable'],
  shaderF16: false,
  maxBufferSize: 1 << 30,
  maxStorageBufferBindingSize: 1 << 30,
};

export const F16_GPU: GpuReport = { ...SWIFTSHADER_GPU, vendor: 'nvidia', architecture: 'ampere', isFallback: false, features: ['shader-f16'], shaderF16: true };

export interface Harness {
  client: EngineClient;
  remote: Comlink.Remote<EngineApi>;
  engine: ScriptedEngine;
  close(): void;
}

export function createHarness(options: { engine?: ScriptedEngineOptions; gpu?: GpuReport; appConfig?: AppConfig } = {}): Harness {
  installErrorTransfer();
  const appConfig = options.appConfig ?? { ...prebuiltAppConfig, cacheBackend: 'indexeddb' as const };
  let engine!: ScriptedEngine;
  const api = createEngineApi({
    appConfig,
    createEngine: (config, engineOptions) => (engine = new ScriptedEngine(config, options.engine, engineOptions)),
    detectGpu: async () => options.gpu ?? SWIFTSHADER_GPU,
  });
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
  const remote = Comlink.wrap<EngineApi>(port2 as unknown as Comlink.Endpoint);
  const client = createEngineClient(remote);
  return {
    client,
    remote,
    get engine() {
      return engine;
    },
    close() {
      remote[Comlink.releaseProxy]();
      port1.close();
      port2.close();
    },
  };
}

export const Q4F32 = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
