import { isIP } from 'node:net';

/**
 * Every address a mail links to, from the one public URL (PUBLIC_URL, or http://HOST:PORT once the server
 * listens). `domain` names the Message-IDs this installation makes.
 */
export interface MailLinks {
  baseUrl: string;
  domain: string;
  settings: string;
  document(documentId: string, threadId?: string | null): string;
  invitation(token: string): string;
}

export function mailLinks(baseUrl: string): MailLinks {
  const base = baseUrl.replace(/\/$/, '');
  const host = new URL(base).hostname.replace(/^\[|\]$/g, '');
  return {
    baseUrl: base,
    // An IP address or a bare name (localhost) is no mail domain; `.invalid` is reserved for exactly this (RFC 2606).
    domain: /^[a-z0-9.-]+$/i.test(host) && host.includes('.') && isIP(host) === 0 ? host : 'stukwerk.invalid',
    settings: `${base}/settings`,
    document: (documentId, threadId) => `${base}/documents/${documentId}${threadId ? `?thread=${threadId}` : ''}`,
    invitation: (token) => `${base}/invite/${token}`,
  };
}
