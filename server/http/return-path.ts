/**
 * Where to send a person after signing in: only a path on this site. The result always starts with exactly one
 * "/", so "//evil.example" (a protocol-relative URL) or "/\evil.example" can never come out of it.
 */
export function safeReturnPath(value: string | string[] | undefined, publicUrl?: string): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return '/';
  try {
    const base = 'http://stukwerk.local';
    const url = new URL(v, base);
    const sameSite = url.origin === base || (publicUrl !== undefined && url.origin === new URL(publicUrl).origin);
    if (!sameSite) return '/';
    return '/' + (url.pathname + url.search).replace(/^[/\\]+/, '');
  } catch {
    return '/'; // not a URL at all
  }
}
