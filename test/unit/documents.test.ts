// Passages and lexical retrieval (the documents worker's pure parts), in Node.
import { describe, expect, it } from 'vitest';
import { PASSAGE_CHARS, toPassages } from '../../src/documents/passages';
import { buildIndex, fuse, nearest, search } from '../../src/documents/retrieval';
import { groundedQuestion } from '../../src/state/source-prompt';
import { extract, kindOf, MAX_FILE_BYTES } from '../../src/documents/extract';

describe('passages', () => {
  it('joins short paragraphs up to the passage size, cuts long ones at sentence ends, and keeps the page each starts on', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} talks about harbours.`).join(' ');
    const passages = toPassages([
      { number: 1, text: 'Short one.\n\nShort two.' },
      { number: 2, text: long },
    ]);
    expect(passages[0]).toEqual({ index: 0, page: 1, text: 'Short one.\n\nShort two.' });
    expect(passages.slice(1).every((p) => p.page === 2 && p.text.length <= PASSAGE_CHARS && /\.$/.test(p.text))).toBe(true);
    expect(passages.slice(1).map((p) => p.text).join(' ')).toBe(long);
  });
});

describe('retrieval', () => {
  it('finds the passage that answers, across documents, by BM25 with prefixes', () => {
    const a = toPassages([{ number: null, text: 'The invoice is due on the fifth.\n\n' + 'Unrelated text about weather. '.repeat(40) }], 200);
    const b = toPassages([{ number: 3, text: 'Lighthouses need their lenses polished.\n\nKeepers log every storm.' }], 60);
    const hits = search([{ documentId: 'a', index: buildIndex(a) }, { documentId: 'b', index: buildIndex(b) }], 'when is the invoice due', 2);
    expect(hits[0]).toMatchObject({ documentId: 'a', passage: 0 });
    expect(search([{ documentId: 'b', index: buildIndex(b) }], 'lighthouse lens', 1)[0]).toMatchObject({ documentId: 'b', passage: 0 });
  });
});

describe('grounding and file kinds', () => {
  it('numbers sources with file and page before the question, with the citation instruction', () => {
    const q = groundedQuestion('How often?', [{ n: 1, documentId: 'd', name: 'minutes.pdf', page: 7, text: 'Every 40 days.' }]);
    expect(q).toMatch(/^Sources:\n\n\[1\] minutes\.pdf, page 7:\nEvery 40 days\.\n\nAnswer the question from the sources above\. .*say so plainly.*\n\nQuestion: How often\?$/s);
  });
  it('knows which files it can read', () => {
    expect(kindOf('a.pdf', '')).toBe('pdf');
    expect(kindOf('a.docx', '')).toBe('docx');
    expect(kindOf('page.html', 'text/html')).toBe('html');
    expect(kindOf('main.rs', '')).toBe('text');
    expect(kindOf('data.csv', 'text/csv')).toBe('text');
    expect(kindOf('photo.png', 'image/png')).toBeNull();
  });
});

describe('semantic retrieval and fusion', () => {
  it('nearest ranks passages by cosine to the question; fusion favours a passage both rankings found', () => {
    const unit = (...xs: number[]) => {
      const n = Math.hypot(...xs);
      return xs.map((x) => x / n);
    };
    const data = new Float32Array([...unit(1, 0, 0), ...unit(0, 1, 0), ...unit(1, 1, 0)]);
    const near = nearest([{ documentId: 'd', vectors: { model: 'm', dims: 3, data } }], unit(1, 0.2, 0), 3);
    expect(near.map((h) => h.passage)).toEqual([0, 2, 1]);
    // A query of another size (another model) finds nothing rather than garbage.
    expect(nearest([{ documentId: 'd', vectors: { model: 'm', dims: 3, data } }], [1, 0], 3)).toEqual([]);
    const lexical = [{ documentId: 'd', passage: 5, score: 9 }, { documentId: 'd', passage: 2, score: 4 }];
    const semantic = [{ documentId: 'd', passage: 2, score: 0.9 }, { documentId: 'd', passage: 7, score: 0.8 }];
    expect(fuse([lexical, semantic], 3).map((h) => h.passage)).toEqual([2, 5, 7]);
  });
});

describe('reading files', () => {
  it('text as it is; HTML without scripts or styles; empty, oversized and unsupported files refused with the reason', async () => {
    expect(await extract(new File(['a,b\n1,2'], 'data.csv', { type: 'text/csv' }))).toEqual([{ number: null, text: 'a,b\n1,2' }]);
    const html = await extract(new File(['<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>One &amp; two</p></body></html>'], 'page.html', { type: 'text/html' }));
    expect(html[0]!.text.trim()).toBe('Title\n\nOne & two');
    await expect(extract(new File([], 'empty.txt', { type: 'text/plain' }))).rejects.toThrow('This file is empty.');
    await expect(extract(new File([new Uint8Array(MAX_FILE_BYTES + 1)], 'big.txt', { type: 'text/plain' }))).rejects.toThrow(/^This file is 50\.0 MB, over the 50 MB a file can have here\.$/);
    await expect(extract(new File([new Uint8Array([1, 2])], 'archive.zip', { type: 'application/zip' }))).rejects.toThrow(/^application\/zip is not supported: attach text, Markdown, code, CSV, HTML, PDF or Word \(\.docx\) files\.$/);
    await expect(extract(new File(['not a zip'], 'letter.docx', { type: '' }))).rejects.toThrow(/^This Word document could not be read/);
  });
});
