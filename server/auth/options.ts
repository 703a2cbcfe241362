import type { AuthOptions } from 'next-auth';
import CredentialsModule from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { OidcConfig } from '../env';
import { currentSessionVersion, endSessions, findUserByEmail, getSessionUser, setOrganisation } from '../users/users';
import { organisationFromClaims } from './oidc-organisation';
import { sessionVersionClaim, sessionVersionOf } from './session';
import { acceptInvitationsByVerifiedEmail } from '../invitations/accept';
import { dummyPasswordHash, verifyPassword } from './password';
import { clearFailures, isLockedOut, recordFailure } from './throttle';

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(1024),
});

// next-auth 4 is CommonJS: under Node's ESM loader its default export arrives wrapped once more.
const CredentialsProvider = ((CredentialsModule as unknown as { default?: typeof CredentialsModule }).default ??
  CredentialsModule) as typeof CredentialsModule;

/** Thrown to next-auth, which passes the message to the sign-in page as `?error=`. */
export const lockedOutError = 'TooManyAttempts';

export async function checkCredentials(db: Database, raw: unknown) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  if (await isLockedOut(db, email)) throw new Error(lockedOutError);
  const user = await findUserByEmail(db, email);
  // Hash even for unknown addresses, so the response time does not tell which accounts exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!ok || !user || !user.passwordHash || user.deactivatedAt) {
    await recordFailure(db, email);
    return null;
  }
  await clearFailures(db, email);
  return { id: user.id, email: user.email, name: user.name };
}

export function createAuthOptions(db: Database, secret: string, oidc?: OidcConfig): AuthOptions {
  const providers: AuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail en wachtwoord',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Wachtwoord', type: 'password' } },
      authorize: (credentials) => checkCredentials(db, credentials),
    }),
  ];
  if (oidc) {
    // Entra ID or Keycloak: the account must exist already (added by an administrator); matched by e-mail.
    providers.push({
      id: 'oidc',
      name: oidc.name,
      type: 'oauth',
      wellKnown: `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile: (p: { sub: string; email?: string; name?: string }) => ({
        id: p.sub,
        email: p.email ?? null,
        name: p.name ?? p.email ?? null,
      }),
    });
  }
  return {
    secret,
    providers,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/signin', error: '/signin' },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider === 'credentials') return true;
        // Only an address the identity provider has verified may stand for an existing account.
        if ((profile as { email_verified?: boolean } | undefined)?.email_verified !== true) return false;
        let known = user.email ? await findUserByEmail(db, user.email) : undefined;
        // No account yet, but invited: the verified address is what the invitation binds to (server/invitations).
        if (!known && user.email) {
          if (!(await acceptInvitationsByVerifiedEmail(db, user.email, user.name ?? user.email))) return false;
          known = await findUserByEmail(db, user.email);
        }
        if (!known || known.deactivatedAt) return false;
        // The identity provider's directory decides the organisation when a claim is configured (README).
        const organisation = organisationFromClaims(profile as Record<string, unknown>, oidc?.organisationClaim);
        if (organisation) await setOrganisation(db, known.id, organisation);
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider !== 'credentials' && user.email) {
          const known = await findUserByEmail(db, user.email);
          if (known) token.sub = known.id; // our id, not the identity provider's
        }
        // At sign-in only: the session is bound to the user's current session version, which sign-out raises.
        if (user && token.sub) {
          const version = await currentSessionVersion(db, token.sub);
          if (version !== undefined) token[sessionVersionClaim] = version;
        }
        return token;
      },
      async session({ session, token }) {
        const version = sessionVersionOf(token);
        const active = token.sub && version !== undefined ? await getSessionUser(db, token.sub, version) : undefined;
        if (!active) return { expires: new Date(0).toISOString() };
        return { ...session, user: { id: active.id, name: active.name, email: active.email } } as typeof session;
      },
    },
    events: {
      // Deleting the cookie is not enough for a JWT session: a copy of it would stay valid until it expires.
      // next-auth calls this only after checking the CSRF token, and logs (does not rethrow) a failure.
      async signOut({ token }) {
        const version = sessionVersionOf(token);
        if (token?.sub && version !== undefined) await endSessions(db, token.sub, version);
      },
    },
  };
}
