// Keeps a request inside the model's context window: when the conversation
// would not fit, the oldest turns are left out (the system prompt stays) and
// the UI says how many. The UI has no tokenizer, so tokens are estimated
// conservatively (about 3 characters per token for Mistral's tokenizers on
// prose, fewer on code); if the engine still finds the prompt too long, the
// caller retries with a smaller budget.
import type { ChatMessage } from '../../protocol/contract';

const CHARS_PER_TOKEN = 3;
const PER_MESSAGE_OVERHEAD = 6; // [INST] / [/INST] and separators

export function estimateTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + Math.ceil((m.content ?? '').length / CHARS_PER_TOKEN) + PER_MESSAGE_OVERHEAD, 0);
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** Messages (not counting the system prompt) left out from the start of the history. */
  dropped: number;
  estimatedTokens: number;
}

/** Drops the oldest messages until the estimate fits `budget` tokens; keeps the system prompt and the last message. */
export function fitToContext(messages: ChatMessage[], budget: number): FittedPrompt {
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  let rest = messages.slice(system.length);
  let dropped = 0;
  // A reply being continued (an assistant prefix) keeps the question it answers.
  const last = rest[rest.length - 1];
  const keep = last?.role === 'assistant' && last.prefix === true ? 2 : 1;
  while (rest.length > keep && estimateTokens([...system, ...rest]) > budget) {
    rest = rest.slice(1);
    dropped++;
    // A turn starts with the user: never begin the history with an orphan assistant reply.
    while (rest.length > keep && rest[0]!.role === 'assistant') {
      rest = rest.slice(1);
      dropped++;
    }
  }
  const fitted = [...system, ...rest];
  return { messages: fitted, dropped, estimatedTokens: estimateTokens(fitted) };
}

/** Tokens available for the prompt: the window minus room for the reply. */
export function promptBudget(contextWindow: number, maxTokens: number): number {
  return Math.max(256, contextWindow - Math.min(maxTokens, Math.floor(contextWindow / 2)));
}
