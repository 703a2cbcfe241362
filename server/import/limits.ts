/** Limits of the .docx import (docs/api.md), apart from the reader so that the route handler can share them. */
export const importLimits = {
  /** Uploads larger than this are refused (413). */
  maxFileBytes: 10 * 1024 * 1024,
  /** Sum of all uncompressed entries: a real .docx of 10 MB rarely inflates past a few times its size. */
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxEntries: 2_000,
} as const;
