import mammoth from 'mammoth';
import { plainText, stateFromJSON, type PMNode } from '../content/prosemirror';
import { AppError } from '../errors';
import { stukwerkStyles } from '../export/docx';
import { parseHtml } from './html';
import { toProseMirror, type ConversionReport } from './prosemirror';
import { corrupt, notDocx, readZip, type ZipEntry } from './zip';

/**
 * The CPU-heavy half of a .docx import, run in a worker thread (server/workers/tasks.ts): the strict ZIP read,
 * mammoth's conversion to HTML (no external file access, images never read), the strict HTML reader, the schema
 * check, and the Yjs state and plain text the new document is stored with. Its result is plain data; the main
 * thread (server/import/docx.ts) writes it to the database.
 */
const wordMainTypes = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml',
  'application/vnd.ms-word.document.macroEnabled.main+xml',
  'application/vnd.ms-word.template.macroEnabledTemplate.main+xml',
];

/** Round trip: the frame of a Stukwerk export goes back where it came from; its sign-off lines do not (a new draft is not signed). */
const styleMap = [
  `p[style-name='${stukwerkStyles.title}'] => !`,
  `p[style-name='${stukwerkStyles.signature}'] => !`,
  `p[style-name='${stukwerkStyles.closing}'] => div.closing > p:fresh`,
];

export interface Inspection {
  remoteImages: number;
  scripts: string[];
}

/** What the container holds besides text: macros, ActiveX, embedded HTML with scripts, images linked from elsewhere. */
function inspect(entries: Map<string, ZipEntry>): Inspection {
  const contentTypes = entries.get('[Content_Types].xml')?.data.toString('utf8');
  if (!contentTypes || !wordMainTypes.some((t) => contentTypes.includes(`"${t}"`))) throw notDocx();
  if (!entries.has('_rels/.rels')) throw corrupt('geen _rels/.rels / no package relationships');
  const scripts = new Set<string>();
  let remoteImages = 0;
  for (const entry of entries.values()) {
    const name = entry.name.toLowerCase();
    if (name.endsWith('vbaproject.bin') || name.endsWith('vbadata.xml')) scripts.add('macro’s (VBA)');
    if (name.includes('/activex/')) scripts.add('ActiveX');
    if (/\/afchunk[^/]*$/.test(name) || /\.html?$/.test(name)) {
      if (/<script\b|\son[a-z]+\s*=|javascript:/i.test(entry.data.toString('utf8')))
        scripts.add('scripts in ingesloten HTML');
    }
    if (name.endsWith('.rels')) {
      for (const rel of entry.data.toString('utf8').matchAll(/<Relationship\b[^>]*>/g)) {
        if (/Type="[^"]*\/image"/.test(rel[0]) && /TargetMode="External"/.test(rel[0])) remoteImages++;
      }
    }
  }
  if (contentTypes.includes('macroEnabled')) scripts.add('macro’s (VBA)');
  return { remoteImages, scripts: [...scripts] };
}

export interface ParsedDocx {
  doc: PMNode;
  /** Yjs state and plain text of `doc`, as createDocument would compute them. */
  state: Uint8Array;
  text: string;
  report: ConversionReport;
  inspection: Inspection;
  /** Images mammoth met (embedded or linked); none was read. */
  images: number;
  /** The HTML reader removed script elements. */
  removedScripts: boolean;
}

export async function parseDocx(input: { bytes: Uint8Array }): Promise<ParsedDocx> {
  // Bytes arrive from another thread as a plain Uint8Array; the ZIP reader and mammoth want a Buffer (no copy).
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const inspection = inspect(readZip(bytes));

  let images = 0;
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap,
        externalFileAccess: false,
        // Images are counted and never read: Stukwerk documents hold no images, and a linked one may point anywhere.
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
    html = result.value;
  } catch (cause) {
    throw corrupt('Word kan het niet lezen / unreadable document', cause);
  }

  const tree = parseHtml(html);
  const { doc, report } = toProseMirror(tree.root);
  let state: Uint8Array;
  try {
    state = stateFromJSON(doc); // checks the content against the schema first
  } catch (cause) {
    throw new AppError(
      'invalid:unsupported_content',
      'De inhoud van dit document kan niet worden overgenomen. / The content cannot be imported.',
      { cause },
    );
  }
  return { doc, state, text: plainText(doc), report, inspection, images, removedScripts: !!tree.removedScripts };
}
