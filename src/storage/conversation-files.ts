// Export a conversation as Markdown or as JSON in the OpenAI `messages` format,
// and import that JSON back. Imported files are untrusted: validated, size
// capped, always stored as a new conversation (they can never overwrite
// another), and their text is rendered through the same sanitizer as replies.
import { DEFAULT_SETTINGS, type Conversation, type StoredMessage } from './conversations';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_MESSAGES = 10_000;
const MAX_TITLE = 100;

export function toMarkdown(c: Conversation): string {
  const parts = [`# ${c.title}`, ''];
  if (c.settings.systemPrompt) parts.push(`> System: ${c.settings.systemPrompt.replace(/\n/g, '\n> ')}`, '');
  for (const m of c.messages) {
    parts.push(`## ${m.role === 'user' ? 'You' : 'Mistral'}`, '', m.content, '');
    if (Array.isArray(m.attachments) && m.attachments.length > 0) parts.push(`*Attached: ${m.attachments.map((a) => a.name).join(', ')} (${NOT_EXPORTED})*`, '');
    if (Array.isArray(m.sources) && m.sources.length > 0) parts.push(`Sources: ${m.sources.map((s) => `[${s.n}] ${s.name}${s.page ? `, page ${s.page}` : ''}`).join('; ')}`, '');
  }
  return parts.join('\n');
}

/** Exports say so plainly: the files stay in this browser. */
const NOT_EXPORTED = 'the files themselves are not part of this export';

/** The conversation as an OpenAI chat-completions `messages` array (plus title and model). */
export function toOpenAIJson(c: Conversation): string {
  const messages = [
    ...(c.settings.systemPrompt ? [{ role: 'system', content: c.settings.systemPrompt }] : []),
    ...c.messages.filter((m) => m.content !== '').map((m) => ({ role: m.role, content: m.content })),
  ];
  const attached = c.messages.flatMap((m) => (Array.isArray(m.attachments) ? m.attachments.map((a) => a.name) : []));
  return JSON.stringify({ title: c.title, model: c.modelId, messages, ...(attached.length > 0 ? { attachments: { files: attached, note: `Attached in this chat; ${NOT_EXPORTED}.` } } : {}) }, null, 2);
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/** Parses an exported file (or a bare `messages` array) into a new conversation. */
export function fromOpenAIJson(text: string, now = Date.now()): Conversation {
  if (new TextEncoder().encode(text).byteLength > MAX_IMPORT_BYTES) throw new ImportError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('The file is not valid JSON.');
  }
  const raw = Array.isArray(data) ? data : (data as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(raw) || raw.length === 0) throw new ImportError('The file has no "messages" array.');
  if (raw.length > MAX_MESSAGES) throw new ImportError(`The file has ${raw.length} messages; at most ${MAX_MESSAGES} can be imported.`);
  let systemPrompt = '';
  const messages: StoredMessage[] = [];
  raw.forEach((m, i) => {
    const role = (m as { role?: unknown })?.role;
    const content = (m as { content?: unknown })?.content;
    if (typeof content !== 'string') throw new ImportError(`Message ${i + 1} has no text content.`);
    if (role === 'system') {
      if (i !== 0) throw new ImportError(`Message ${i + 1}: a system message must come first.`);
      systemPrompt = content;
    } else if (role === 'user' || role === 'assistant') {
      messages.push({ id: crypto.randomUUID(), role, content, status: 'done' });
    } else {
      throw new ImportError(`Message ${i + 1} has an unsupported role (${JSON.stringify(String(role)).slice(0, 30)}).`);
    }
  });
  const fileTitle = Array.isArray(data) ? null : (data as { title?: unknown }).title;
  const firstUser = messages.find((m) => m.role === 'user')?.content ?? 'Imported chat';
  const title = (typeof fileTitle === 'string' && fileTitle.trim() ? fileTitle : firstUser).replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE);
  return {
    // Always a fresh id: an imported file can never replace an existing conversation.
    id: crypto.randomUUID(),
    title: title || 'Imported chat',
    createdAt: now,
    updatedAt: now,
    modelId: null,
    messages,
    settings: { ...DEFAULT_SETTINGS, systemPrompt },
  };
}
