// Answers from the user's documents: the question sent to the model carries
// the documents attached in this conversation — whole when they are small
// enough for the context window, otherwise the passages that best match the
// question (BM25) — chosen in the documents worker, numbered as sources the reply
// cites as [1], [2]. What is stored stays the user's own words.
import type { ChatMessage } from '../../protocol/contract';
import * as Comlink from 'comlink';
import { documentsWorker } from '../documents/documents-client';
import type { QueryVector } from '../documents/documents-api';
import { engine } from '../engine/bridge';
import { semanticSearch } from './app-state';
import { EMBEDDING_MODEL } from './embedding-model';
import { groundedQuestion } from './source-prompt';
import type { Conversation, Source } from '../storage/conversations';
import { promptBudget } from './context-window';

const CHARS_PER_TOKEN = 3;
/** At most this share of the prompt budget goes to sources; the rest is for the conversation. */
const SOURCE_SHARE = 0.5;

/** The documents to answer from: every one attached in this conversation so far. */
function documentIds(c: Conversation): string[] {
  return [...new Set(c.messages.flatMap((m) => (Array.isArray(m.attachments) ? m.attachments.map((a) => a.id) : [])))];
}

/** The question's embedding, or nothing (keyword search alone) when the embedding model cannot answer. */
async function queryVector(question: string): Promise<QueryVector | undefined> {
  try {
    const response = await engine.embeddings.create({ model: EMBEDDING_MODEL, input: question.slice(0, 1200) });
    const vector = new Float32Array(response.data[0]!.embedding as number[]);
    return Comlink.transfer({ model: EMBEDDING_MODEL, vector }, [vector.buffer]);
  } catch {
    return undefined;
  }
}

/**
 * The request with its last question grounded in the conversation's
 * documents, and the sources it was given (none when the chat has no files,
 * or nothing in them matches the question).
 */
export async function groundRequest(c: Conversation, request: ChatMessage[], contextWindow: number): Promise<{ messages: ChatMessage[]; sources: Source[] }> {
  const ids = documentIds(c);
  const last = request[request.length - 1];
  if (ids.length === 0 || last?.role !== 'user' || typeof last.content !== 'string') return { messages: request, sources: [] };
  const room = Math.floor(promptBudget(contextWindow, c.settings.max_tokens) * CHARS_PER_TOKEN * SOURCE_SHARE);
  const sources = await documentsWorker().sources(ids, last.content, room, semanticSearch.peek() ? await queryVector(last.content) : undefined);
  if (sources.length === 0) return { messages: request, sources: [] };
  return { messages: [...request.slice(0, -1), { role: 'user', content: groundedQuestion(last.content, sources) }], sources };
}
