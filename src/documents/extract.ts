// Text out of an attached file, by kind: plain text, Markdown, source code and
// CSV as they are; HTML through htmlparser2 (no scripts or styles); PDF page by
// page with Mozilla's pdf.js; DOCX with mammoth. Runs in the documents worker.
import type { Page } from './passages';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export type DocumentKind = 'text' | 'html' | 'pdf' | 'docx';

/** Thrown for a file that cannot be read; the message is shown on its chip as it is. */
export class ExtractError extends Error {
  override name = 'ExtractError' as const;
}

const TEXT_EXTENSIONS = /\.(txt|md|markdown|mdx|rst|csv|tsv|json|jsonl|ya?ml|toml|ini|log|xml|tex|[cm]?[jt]sx?|py|rb|go|rs|java|kt|swift|c|h|cc|cpp|hpp|cs|php|sh|bash|zsh|sql|r|lua|pl|scala|dart|vue|svelte|css|scss|less)$/i;

export function kindOf(name: string, type: string): DocumentKind | null {
  if (type === 'application/pdf' || /\.pdf$/i.test(name)) return 'pdf';
  if (type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' || /\.docx$/i.test(name)) return 'docx';
  if (type === 'text/html' || /\.x?html?$/i.test(name)) return 'html';
  if (type.startsWith('text/') || TEXT_EXTENSIONS.test(name) || type === 'application/json') return 'text';
  return null;
}

async function pdfPages(bytes: ArrayBuffer, onPage: (done: number, total: number) => void): Promise<Page[]> {
  const pdfjs = await import('pdfjs-dist');
  // pdf.js in this worker's own thread (it is off the main thread already): its "fake worker".
  // @ts-expect-error pdf.js ships no types for its worker module; only its presence matters here.
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/build/pdf.worker.mjs');
  const loading = pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true });
  let doc;
  try {
    doc = await loading.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new ExtractError('This PDF is encrypted with a password; open it, save an unprotected copy and attach that.');
    throw new ExtractError(`This PDF could not be read (${(error as Error).message || 'damaged file'}).`);
  }
  const pages: Page[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    // Items end lines with hasEOL; keep those breaks so paragraphs survive.
    const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
    pages.push({ number: n, text });
    page.cleanup();
    onPage(n, doc.numPages);
  }
  await doc.cleanup();
  await loading.destroy();
  return pages;
}

async function docxText(bytes: ArrayBuffer): Promise<string> {
  const mammoth = await import('mammoth');
  try {
    return (await mammoth.extractRawText({ arrayBuffer: bytes })).value;
  } catch (error) {
    throw new ExtractError(`This Word document could not be read (${(error as Error).message || 'damaged file'}).`);
  }
}

async function htmlText(source: string): Promise<string> {
  const { Parser } = await import('htmlparser2');
  const out: string[] = [];
  let skipping = 0;
  const BLOCK = /^(p|div|br|li|h[1-6]|tr|section|article|header|footer|pre|blockquote|table|ul|ol)$/;
  const parser = new Parser(
    {
      onopentag: (name) => {
        if (name === 'script' || name === 'style' || name === 'noscript' || name === 'template') skipping++;
        else if (BLOCK.test(name)) out.push('\n\n');
      },
      onclosetag: (name) => {
        if (name === 'script' || name === 'style' || name === 'noscript' || name === 'template') skipping--;
        else if (BLOCK.test(name)) out.push('\n\n');
      },
      ontext: (text) => {
        if (skipping === 0) out.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.write(source);
  parser.end();
  return out.join('').replace(/\n{3,}/g, '\n\n');
}

/** The file's text, as pages (one page for documents without them). */
export async function extract(file: Blob & { name: string }, onProgress: (fraction: number) => void = () => {}): Promise<Page[]> {
  const kind = kindOf(file.name, file.type);
  if (!kind) throw new ExtractError(`${file.type || 'This kind of file'} is not supported: attach text, Markdown, code, CSV, HTML, PDF or Word (.docx) files.`);
  if (file.size > MAX_FILE_BYTES) throw new ExtractError(`This file is ${(file.size / 2 ** 20).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 2 ** 20} MB a file can have here.`);
  if (file.size === 0) throw new ExtractError('This file is empty.');
  let pages: Page[];
  if (kind === 'pdf') pages = await pdfPages(await file.arrayBuffer(), (done, total) => onProgress(done / total));
  else if (kind === 'docx') pages = [{ number: null, text: await docxText(await file.arrayBuffer()) }];
  else if (kind === 'html') pages = [{ number: null, text: await htmlText(await file.text()) }];
  else pages = [{ number: null, text: await file.text() }];
  if (!pages.some((p) => p.text.trim() !== '')) {
    throw new ExtractError(kind === 'pdf' ? 'This PDF has no text layer (a scan?); only PDFs with selectable text can be read.' : 'This file has no text.');
  }
  return pages;
}
