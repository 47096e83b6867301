// Synthetic model files (a tensor-cache manifest, weight shards with
// deterministic bytes, an mlc-chat-config.json) and two ways to serve them:
// an in-memory fetch for API tests, and a real HTTP server with fault
// injection for download tests. Stand-ins for the model host, which these
// machines cannot reach.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface SyntheticModel {
  shards: number;
  shardBytes: number;
}

export const TINY_MODEL: SyntheticModel = { shards: 3, shardBytes: 2048 };

export function manifestFor(model: SyntheticModel): { metadata: object; records: { dataPath: string; format: string; nbytes: number; records: object[] }[] } {
  return {
    metadata: { ParamSize: model.shards, ParamBytes: model.shards * model.shardBytes, BitsPerParam: 4.5 },
    records: Array.from({ length: model.shards }, (_, i) => ({
      dataPath: `params_shard_${i}.bin`,
      format: 'raw-shard',
      nbytes: model.shardBytes,
      records: [{ name: `param_${i}`, shape: [model.shardBytes / 2], dtype: 'float16', format: 'f32-to-bf16', nbytes: model.shardBytes, byteOffset: 0 }],
    })),
  };
}

export function shardBytes(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 31 + i) & 0xff;
  return bytes;
}

export const CHAT_CONFIG = {
  vocab_size: 32768,
  context_window_size: 4096,
  tokenizer_files: ['tokenizer.json'],
  conv_template: { name: 'mistral_default', system_template: '[INST] {system_message}', roles: { user: '[INST]', assistant: '[/INST]' }, seps: [' '], stop_str: ['</s>'], stop_token_ids: [2] },
  quantization: 'q4f16_1',
};

/** What to answer for a path: a body and content type, or null for 404. */
export function syntheticFile(path: string, model: SyntheticModel = TINY_MODEL): { body: Uint8Array | string; type: string } | null {
  if (path.endsWith('/tensor-cache.json')) return { body: JSON.stringify(manifestFor(model)), type: 'application/json' };
  if (path.endsWith('/mlc-chat-config.json')) return { body: JSON.stringify(CHAT_CONFIG), type: 'application/json' };
  const shard = /params_shard_(\d+)\.bin$/.exec(path);
  if (shard && Number(shard[1]) < model.shards) return { body: shardBytes(Number(shard[1]), model.shardBytes), type: 'application/octet-stream' };
  return null;
}

/** An in-memory fetch serving synthetic files for any model URL; records every URL asked for. */
export function syntheticFetch(model: SyntheticModel = TINY_MODEL): typeof fetch & { requests: string[] } {
  const requests: string[] = [];
  const fn = async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push(url);
    const file = syntheticFile(new URL(url).pathname, model);
    if (!file) return new Response('Entry not found', { status: 404 });
    return new Response(file.body as BodyInit, { status: 200, headers: { 'content-type': file.type, 'content-length': String(typeof file.body === 'string' ? file.body.length : file.body.byteLength) } });
  };
  return Object.assign(fn as typeof fetch, { requests });
}

/** Faults a test can inject per path (matched by suffix): each applies to the next `times` requests. */
export type Fault = { kind: 'status'; status: number } | { kind: 'html' } | { kind: 'truncate' } | { kind: 'drop' } | { kind: 'reset' };

export interface ModelServer {
  url: string;
  requests: string[];
  fault(pathSuffix: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

/** A real HTTP server for synthetic model files, with fault injection and CORS. */
export async function startModelServer(model: SyntheticModel = TINY_MODEL): Promise<ModelServer> {
  const requests: string[] = [];
  const faults: { suffix: string; fault: Fault; left: number }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    res.setHeader('access-control-allow-origin', '*');
    const injected = faults.find((f) => f.left > 0 && path.endsWith(f.suffix));
    if (injected) injected.left--;
    const fault = injected?.fault;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status).end('server error');
      return;
    }
    if (fault?.kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Login</title><p>Please sign in to the Wi-Fi');
      return;
    }
    const file = syntheticFile(path, model);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const body = typeof file.body === 'string' ? Buffer.from(file.body) : Buffer.from(file.body);
    if (fault?.kind === 'truncate') {
      // A 200 with fewer bytes than the manifest says (and an honest content-length).
      res.writeHead(200, { 'content-type': file.type, 'content-length': String(body.length / 2) }).end(body.subarray(0, body.length / 2));
      return;
    }
    if (fault?.kind === 'drop') {
      // The connection dies mid-body: content-length promises more than is sent.
      res.writeHead(200, { 'content-type': file.type, 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length / 2), () => req.socket.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    fault(suffix, fault, times = 1) {
      faults.push({ suffix, fault, left: times });
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
