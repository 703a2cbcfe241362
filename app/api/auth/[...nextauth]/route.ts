import NextAuth from 'next-auth';
import { services } from '@/server/registry';

type Ctx = { params: Promise<{ nextauth: string[] }> };
const handler = (req: Request, ctx: Ctx) => NextAuth(req as never, ctx as never, services().authOptions);

export { handler as GET, handler as POST };
