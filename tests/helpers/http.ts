import { testPassword } from './server';

/** Signs in through the real next-auth endpoints (csrf, then the credentials callback); returns the cookie header. */
export async function signIn(baseUrl: string, email: string, password = testPassword): Promise<string> {
  const result = await trySignIn(baseUrl, email, password);
  if (!result.cookie) throw new Error(`sign-in failed for ${email}: ${result.status} ${result.location}`);
  return result.cookie;
}

export async function trySignIn(baseUrl: string, email: string, password: string) {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookies = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookies, origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  // With json=true next-auth answers {url} instead of a redirect; the url carries ?error=… on failure.
  const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { url?: string }) : {};
  return {
    status: res.status,
    location: res.headers.get('location') ?? body.url ?? '',
    cookie: session?.split(';')[0],
  };
}

/** A JSON API client with this person's session and a same-origin Origin header, as a browser would send. */
export function apiClient(baseUrl: string, cookie?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        origin: baseUrl,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => call('PATCH', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
  };
}
