// The text side of chat titles (state/chat-title.ts asks the model): the
// instruction and the cleaning of the answer. Pure, with no imports: nothing
// here starts the engine.

/** The instruction that opens a chat-title request. */
export const TITLE_INSTRUCTION = 'Write a title for this conversation: at most six words, in the language of the question, without quotes or a final period. Reply with the title only.';

/** The model's answer as a title: its first line, without "Title:", quotes, markdown or a final period; at most 60 characters. */
export function cleanTitle(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  let title = line
    .replace(/^(?:title|titre|titel|título|titolo)\s*:\s*/i, '')
    .replace(/^[#*_\s"'“”«»`]+|[*_\s"'“”«»`.。!]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (title.length > 60) title = `${title.slice(0, 59).replace(/\s+\S*$/, '')}…`;
  return title;
}

