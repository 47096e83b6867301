// The e2e test build's engine (vite.config.ts aliases worker/create-engine.ts
// here in `--mode e2e`): scripted tokens at a human-visible pace.
import type { CreateEngine } from '../../worker/engine/engine';
import { ScriptedEngine } from './scripted-engine';

export const createEngine: CreateEngine = (appConfig) => new ScriptedEngine(appConfig, { tokenDelayMs: 40, prefillDelayMs: 100, loadSteps: 5, loadStepDelayMs: 120 });
