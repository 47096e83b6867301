// The question as the model gets it when the chat has documents: numbered
// sources (file, page), the instruction to answer from them and cite them,
// then the user's words. Pure, so the tests read the exact prompt.
import type { Source } from '../storage/conversations';

export const SOURCE_INSTRUCTION =
  'Answer the question from the sources above. Cite the sources you use as [1], [2] after the sentence they support. If the sources do not contain the answer, say so plainly instead of guessing.';

/** The sources block and instruction put before the question. */
export function groundedQuestion(question: string, sources: Source[]): string {
  const blocks = sources.map((s) => `[${s.n}] ${s.name}${s.page ? `, page ${s.page}` : ''}:\n${s.text}`);
  return `Sources:\n\n${blocks.join('\n\n')}\n\n${SOURCE_INSTRUCTION}\n\nQuestion: ${question}`;
}
