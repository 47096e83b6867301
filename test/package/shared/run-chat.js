// What the JavaScript sites do with the package (copied into each project):
// register the tiny model, load it with progress, stream a reply through the
// openai client in front of the local engine.
export async function runChat({ engine, createLocalFetch, OpenAI }, modelUrl, modelLibUrl) {
  const stages = [];
  const model = await engine.models.addCustom({ modelUrl, modelLibUrl });
  await engine.models.load(model.id, (p) => {
    if (!stages.includes(p.stage)) stages.push(p.stage);
  });
  const openai = new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch: createLocalFetch(engine), dangerouslyAllowBrowser: true });
  const stream = await openai.chat.completions.create({ model: model.id, messages: [{ role: 'user', content: 'Hello' }], stream: true, max_tokens: 12, seed: 3 });
  let text = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  document.getElementById('out').textContent = text;
  return { stages, text, chunks, finish };
}
