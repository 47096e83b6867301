// Plays the model hosts (huggingface.co, raw.githubusercontent.com) for a
// browser context with Playwright routes, which also see the worker's
// requests: synthetic model files, a request log, and injected failures.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Route } from 'playwright-core';
import { syntheticFile, type SyntheticModel } from '../support/synthetic-model';

export interface ModelHost {
  requests: string[];
  /**
   * Paths ending with this suffix answer like this from now on. `hang`: the
   * request is held until the override changes; `cut`: the headers promise the
   * whole file and the connection ends halfway through its body (served by a
   * local HTTPS server: open the page with `ignoreHTTPSErrors`).
   */
  override(suffix: string, answer: Answer | null): void;
}

type Answer = 'unreachable' | 404 | 'html' | 'hang' | 'cut';

export async function routeModelHosts(context: BrowserContext, model: SyntheticModel, options: { unreachable?: boolean } = {}): Promise<ModelHost> {
  const requests: string[] = [];
  const overrides = new Map<string, Answer>();
  const held: (() => void)[] = [];
  const answerFor = (path: string) => [...overrides].find(([suffix]) => path.endsWith(suffix))?.[1];
  const handle = async (route: Route): Promise<void> => {
    const url = route.request().url();
    requests.push(url);
    const path = new URL(url).pathname;
    while (answerFor(path) === 'hang') await new Promise<void>((release) => held.push(release));
    const override = answerFor(path);
    if (options.unreachable || override === 'unreachable') return route.abort('internetdisconnected');
    if (override === 404) return route.fulfill({ status: 404, body: 'Entry not found' });
    if (override === 'html') return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>Sign in to the Wi-Fi' });
    const file = syntheticFile(path, model);
    if (!file) return route.fulfill({ status: 404, body: 'Entry not found' });
    if (override === 'cut') return route.continue({ url: `${await cuttingServer()}${path}` });
    return route.fulfill({ status: 200, contentType: file.type, body: Buffer.from(file.body), headers: { 'access-control-allow-origin': '*' } });
  };
  let cutting: Promise<string> | undefined;
  const cuttingServer = () => (cutting ??= serveCutFiles(model, context));
  await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com)\//, handle);
  return {
    requests,
    override(suffix, answer) {
      if (answer === null) overrides.delete(suffix);
      else overrides.set(suffix, answer);
      // Held requests look again at what they should answer.
      for (const release of held.splice(0)) release();
    },
  };
}

/** An HTTPS server on 127.0.0.1 that sends each file's headers and half its body, then drops the connection. */
function serveCutFiles(model: SyntheticModel, context: BrowserContext): Promise<string> {
  const tls = new URL('../fixtures/tls/', import.meta.url);
  const server = createServer({ key: readFileSync(new URL('key.pem', tls)), cert: readFileSync(new URL('cert.pem', tls)) }, (request, response) => {
    const file = syntheticFile(new URL(request.url!, 'https://x').pathname, model);
    if (!file) return response.writeHead(404).end();
    const body = Buffer.from(file.body);
    response.writeHead(200, { 'content-type': file.type, 'content-length': body.byteLength, 'access-control-allow-origin': '*' });
    response.write(body.subarray(0, body.byteLength >> 1), () => response.socket?.destroy());
  });
  context.on('close', () => server.close());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}
