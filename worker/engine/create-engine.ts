// Binds the engine seam to WebLLM. (The e2e test build swaps this module for
// a deterministic test engine under test/support; see vite.config.ts.)
import { MLCEngine } from '@mlc-ai/web-llm';
import type { CreateEngine } from './engine';

export const createEngine: CreateEngine = (appConfig) => new MLCEngine({ appConfig, logLevel: 'WARN' });
