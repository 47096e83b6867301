import OpenAI from 'openai';
import { createLocalFetch, engine, isModelLoadError, type LoadProgress } from 'mistral-local';

declare global {
  interface Window {
    run(modelUrl: string, modelLibUrl: string): Promise<{ stages: string[]; text: string; chunks: number; finish: string | null }>;
  }
}

window.run = async (modelUrl, modelLibUrl) => {
  const stages: string[] = [];
  const model = await engine.models.addCustom({ modelUrl, modelLibUrl });
  try {
    await engine.models.load(model.id, (p: LoadProgress) => {
      if (!stages.includes(p.stage)) stages.push(p.stage);
    });
  } catch (error) {
    if (isModelLoadError(error)) throw new Error(`load failed (${error.kind}): ${error.message}`);
    throw error;
  }
  const openai = new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch: createLocalFetch(engine), dangerouslyAllowBrowser: true });
  const stream = await openai.chat.completions.create({ model: model.id, messages: [{ role: 'user', content: 'Hello' }], stream: true, max_tokens: 12, seed: 3 });
  let text = '';
  let chunks = 0;
  let finish: string | null = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  document.getElementById('out')!.textContent = text;
  return { stages, text, chunks, finish };
};
