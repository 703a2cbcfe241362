/**
 * Attachments (*bijlagen*): what the server (server/attachments) and the browser (the attachments panel) both need.
 * The server decides on every upload; the browser uses the same numbers only to spare a long upload that would fail.
 */

/** The types an attachment may have, detected from the file's content on the server (server/attachments/detect.ts). */
export const attachmentTypes = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
} as const;
export type AttachmentType = (typeof attachmentTypes)[keyof typeof attachmentTypes];

/** The extension each type gets on its stored name, so a download opens in the right program whatever it was called. */
export const attachmentExtensions: Record<AttachmentType, string> = {
  [attachmentTypes.pdf]: '.pdf',
  [attachmentTypes.png]: '.png',
  [attachmentTypes.jpeg]: '.jpg',
  [attachmentTypes.docx]: '.docx',
  [attachmentTypes.xlsx]: '.xlsx',
  [attachmentTypes.odt]: '.odt',
};

/** The file picker's `accept`: every extension (and .jpeg) and every type. Only a hint; the server detects. */
export const attachmentAccept = [
  ...Object.values(attachmentExtensions),
  '.jpeg',
  ...Object.values(attachmentTypes),
].join(',');

export const attachmentLimits = {
  /** 25 MiB per file. */
  maxBytes: 25 * 1024 * 1024,
  /** How many attachments one document holds at most. */
  maxPerDocument: 100,
} as const;

/**
 * One attachment as `GET /api/documents/:id/attachments` lists it. The server builds it with a `Date`; the browser
 * receives an ISO string: the date type is the parameter `D`.
 */
export interface AttachmentView<D = string> {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { id: string; name: string } | null;
  createdAt: D;
}
