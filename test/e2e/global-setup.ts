// Builds the production app and the scripted e2e app, then serves both:
// /app/ is dist (real WebLLM worker), /scripted/ is dist-e2e (scripted engine),
// /harness/ the API alone over the production worker (dist-harness).
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const quiet = { logLevel: 'warn' as const, configFile: 'vite.config.ts' };
  // Vitest sets NODE_ENV=test, and Vite would then build a development bundle
  // (import.meta.env.DEV true): test exactly what `npm run build` ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...quiet, mode: 'production' });
    await build({ ...quiet, mode: 'e2e' });
    // The API harness page: the production worker and the local fetch, without the UI.
    await build({ ...quiet, mode: 'production', root: 'test/e2e/harness', base: './', build: { outDir: '../../../dist-harness', emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await startStaticServer({ '/app/': 'dist', '/scripted/': 'dist-e2e', '/harness/': 'dist-harness' });
  project.provide('baseUrl', server.url);
  return () => server.close();
}
