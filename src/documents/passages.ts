// Splits a document's text into passages for retrieval: paragraphs joined up
// to about PASSAGE_CHARS, long paragraphs cut at sentence ends, each passage
// remembering the page it starts on (PDFs). Pure: runs in the documents worker
// and in Node tests.

export const PASSAGE_CHARS = 900;

export interface Page {
  /** 1-based page number, or null for documents without pages. */
  number: number | null;
  text: string;
}

export interface Passage {
  /** Position in the document, from 0. */
  index: number;
  page: number | null;
  text: string;
}

/** Paragraphs, with over-long ones cut at sentence (or, failing that, word) boundaries. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\n\s*\n/)) {
    const paragraph = raw.replace(/[ \t]+/g, ' ').trim();
    if (!paragraph) continue;
    if (paragraph.length <= max) {
      out.push(paragraph);
      continue;
    }
    let rest = paragraph;
    while (rest.length > max) {
      const window = rest.slice(0, max);
      const cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('\n'), window.lastIndexOf('? '), window.lastIndexOf('! '));
      const at = cut > max / 2 ? cut + 1 : window.lastIndexOf(' ') > max / 2 ? window.lastIndexOf(' ') : max;
      out.push(rest.slice(0, at).trim());
      rest = rest.slice(at).trim();
    }
    if (rest) out.push(rest);
  }
  return out;
}

export function toPassages(pages: Page[], max = PASSAGE_CHARS): Passage[] {
  const passages: Passage[] = [];
  let current = '';
  let currentPage: number | null = null;
  const flush = () => {
    if (current) passages.push({ index: passages.length, page: currentPage, text: current });
    current = '';
  };
  for (const page of pages) {
    for (const piece of pieces(page.text, max)) {
      if (current && current.length + piece.length + 2 > max) flush();
      if (!current) currentPage = page.number;
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  flush();
  return passages;
}
