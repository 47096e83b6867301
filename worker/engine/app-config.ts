// The engine's model list: WebLLM's prebuilt records, cached in IndexedDB.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { AppConfig } from './engine';

export const appConfig: AppConfig = { ...prebuiltAppConfig, cacheBackend: 'indexeddb' };
