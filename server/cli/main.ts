/**
 * The administration CLI: `npm run cli -- user add --email E --name N --password P [--org O] [--admin]`
 * prints the new user's id; `npm run cli -- user deactivate --email E` ends that person's access at once (their
 * open sessions stop working on the next request); `user reactivate --email E`, `user org --email E --org O` (an
 * empty `--org ""` clears it) and `user admin --email E [--revoke]` do what the administration page does, through
 * the same functions (server/users/users.ts), audited with no actor. Exit 0 on success, 1 with a one-line reason when the user cannot be created,
 * 2 for a usage error. It opens the same database as the server (migrating a new one first).
 */
import { parseArgs } from 'node:util';
import { DatabaseBusyError, openDatabase } from '../../db/client';
import { EnvError, loadConfig } from '../env';
import { isAppError } from '../errors';
import { createUser, deactivateUser, findUserByEmail, reactivateUser, setAdmin, setOrganisation } from '../users/users';

const usage =
  'usage: npm run cli -- user add --email E --name N --password P [--org "Gemeente Enschede"] [--admin] | user deactivate --email E | user reactivate --email E | user org --email E --org O | user admin --email E [--revoke]';
const commands = ['add', 'deactivate', 'reactivate', 'org', 'admin'] as const;

function fail(code: number, message: string): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

async function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  if (group !== 'user' || !commands.includes(command as (typeof commands)[number])) fail(2, usage);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
        org: { type: 'string' },
        admin: { type: 'boolean', default: false },
        revoke: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail(2, `${(err as Error).message}; ${usage}`);
  }
  const required = command === 'add' ? (['email', 'name', 'password'] as const) : (['email'] as const);
  for (const name of required) if (!values[name]) fail(2, `--${name} is required; ${usage}`);
  if (command === 'org' && values.org === undefined) fail(2, `--org is required; ${usage}`);

  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    if (command !== 'add') {
      const user = await findUserByEmail(database.db, String(values.email));
      if (!user) fail(1, `no user with e-mail address ${String(values.email).toLowerCase()}`);
      if (command === 'deactivate') await deactivateUser(database.db, user.id);
      else if (command === 'reactivate') await reactivateUser(database.db, user.id);
      else if (command === 'org') await setOrganisation(database.db, user.id, String(values.org).trim() || null);
      else await setAdmin(database.db, user.id, values.revoke !== true);
      console.log(user.id);
      return;
    }
    const user = await createUser(database.db, {
      email: String(values.email),
      name: String(values.name),
      password: String(values.password),
      organisation: values.org ? String(values.org) : undefined,
      isAdmin: values.admin === true,
    });
    console.log(user.id);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (isAppError(err) || err instanceof DatabaseBusyError || err instanceof EnvError)
    fail(1, err.message.replace(/\n\s*/g, ' '));
  fail(1, `unexpected: ${(err as Error).message}`);
});
