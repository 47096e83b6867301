// Plays the model hosts (huggingface.co, raw.githubusercontent.com) for a
// browser context with Playwright routes, which also see the worker's
// requests: synthetic model files, a request log, and injected failures.
import type { BrowserContext, Route } from 'playwright-core';
import { syntheticFile, type SyntheticModel } from '../support/synthetic-model';

export interface ModelHost {
  requests: string[];
  /** Paths ending with this suffix answer like this from now on. */
  override(suffix: string, answer: 'unreachable' | 404 | 'html' | null): void;
}

export async function routeModelHosts(context: BrowserContext, model: SyntheticModel, options: { unreachable?: boolean } = {}): Promise<ModelHost> {
  const requests: string[] = [];
  const overrides = new Map<string, 'unreachable' | 404 | 'html'>();
  const handle = async (route: Route) => {
    const url = route.request().url();
    requests.push(url);
    const path = new URL(url).pathname;
    const override = [...overrides].find(([suffix]) => path.endsWith(suffix))?.[1];
    if (options.unreachable || override === 'unreachable') return route.abort('internetdisconnected');
    if (override === 404) return route.fulfill({ status: 404, body: 'Entry not found' });
    if (override === 'html') return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>Sign in to the Wi-Fi' });
    const file = syntheticFile(path, model);
    if (!file) return route.fulfill({ status: 404, body: 'Entry not found' });
    return route.fulfill({ status: 200, contentType: file.type, body: Buffer.from(file.body), headers: { 'access-control-allow-origin': '*' } });
  };
  await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com)\//, handle);
  return {
    requests,
    override(suffix, answer) {
      if (answer === null) overrides.delete(suffix);
      else overrides.set(suffix, answer);
    },
  };
}
