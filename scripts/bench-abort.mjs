// `npm run bench:abort`: how fast Stop frees the engine. In headless Chromium
// with the e2e build (scripted engine, 100 ms prefill, 40 ms per token), press
// Stop during prefill and mid-stream, then send again; measure Stop → reply
// marked stopped, and Stop → the next reply's first token.
import { machine, percentile, startScriptedApp, writeSection } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const app = await startScriptedApp();
const { page } = app;

/** Sends a long prompt, presses Stop after `afterMs`, then sends again; returns the two latencies (ms). */
async function once(afterMs) {
  return page.evaluate(async (delay) => {
    const prompt = document.querySelector('#prompt');
    const setValue = (text) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
      setter.call(prompt, text);
      prompt.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const enter = () => prompt.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const until = async (check) => {
      while (!check()) await frame();
      return performance.now();
    };
    const replies = () => document.querySelectorAll('.message-assistant');
    setValue('A long answer [tokens=2000]');
    await frame();
    enter();
    const reply = await (async () => {
      await until(() => replies().length > 0 && replies()[replies().length - 1].dataset.status === 'streaming');
      return replies()[replies().length - 1];
    })();
    await new Promise((r) => setTimeout(r, delay));
    const stopButton = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Stop');
    const t0 = performance.now();
    stopButton.click();
    const stopped = (await until(() => reply.dataset.status === 'stopped' || reply.dataset.status === 'done')) - t0;
    setValue('next');
    await frame();
    enter();
    const next = await (async () => {
      await until(() => replies()[replies().length - 1] !== reply);
      return replies()[replies().length - 1];
    })();
    const firstToken = (await until(() => (next.querySelector('.markdown')?.textContent ?? '').trim().length > 0)) - t0;
    await until(() => next.dataset.status === 'done');
    return { stopped, firstToken };
  }, afterMs);
}

const scenarios = [
  { name: 'during prefill (Stop 20 ms after sending)', afterMs: 20 },
  { name: 'mid-stream (Stop 600 ms after sending)', afterMs: 600 },
];
const rows = [];
for (const scenario of scenarios) {
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await once(scenario.afterMs));
  const stopped = results.map((r) => r.stopped);
  const first = results.map((r) => r.firstToken);
  rows.push({ name: scenario.name, stoppedP50: percentile(stopped, 50), stoppedMax: Math.max(...stopped), firstP50: percentile(first, 50), firstMax: Math.max(...first) });
}
await app.close();

for (const r of rows) console.log(`${r.name}: Stop → stopped p50 ${r.stoppedP50.toFixed(0)} ms (max ${r.stoppedMax.toFixed(0)}), Stop → next reply's first token p50 ${r.firstP50.toFixed(0)} ms (max ${r.firstMax.toFixed(0)})`);
writeSection(
  'abort',
  `## Abort latency (\`npm run bench:abort\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium ${app.version}, e2e build (scripted engine: 100 ms prefill, 40 ms per token), ${RUNS} runs each.
"Next first token" includes the next request's own 100 ms prefill and first token.

| Stop pressed | Stop → reply marked stopped, p50 (max) | Stop → next reply's first token, p50 (max) |
|---|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.stoppedP50.toFixed(0)} ms (${r.stoppedMax.toFixed(0)}) | ${r.firstP50.toFixed(0)} ms (${r.firstMax.toFixed(0)}) |`).join('\n')}

The engine is freed within one token step of the Stop (the API interrupts the engine at once and again on every chunk, and drains it), so the next request waits for no more than that plus its own prefill.`,
);
