// The module Web Worker that owns the engine and exposes one API object.
import * as Comlink from 'comlink';
import { appConfig } from './app-config';
import type { EngineApi } from './contract';
import { createEngine } from './create-engine';
import { createMonitoredFetch } from './download-monitor';
import { createEngineApi } from './engine-api';
import { installErrorTransfer } from './errors';
import { detectGpu } from './gpu-detect';

installErrorTransfer();

// WebLLM fetches with the global fetch; route it through the monitor so loads report bytes and failing files.
const fetchMonitor = createMonitoredFetch(globalThis.fetch.bind(globalThis));
globalThis.fetch = fetchMonitor.fetch;

const api: EngineApi = createEngineApi({ createEngine, appConfig, detectGpu: () => detectGpu(), fetchMonitor });
Comlink.expose(api);
