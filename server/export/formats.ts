/**
 * The export formats and the download header, apart from the renderers: route handlers (bundled by Next.js) import
 * this small module, so pdfkit and docx stay in the server process (reached through the registry).
 */
export const exportFormats = ['pdf', 'docx', 'html', 'md'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** A file name anyone's file system accepts, from a document title. */
export function fileStem(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\w\- ]+/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'document'
  );
}

/** RFC 6266: an ASCII `filename` for old clients and the exact name in `filename*`. */
export function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
