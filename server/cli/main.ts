/**
 * The administration CLI: `npm run cli -- user add --email E --name N --password P [--org O] [--admin]`
 * prints the new user's id; `npm run cli -- user deactivate --email E` ends that person's access at once (their
 * open sessions stop working on the next request). Exit 0 on success, 1 with a one-line reason when the user cannot be created,
 * 2 for a usage error. It opens the same database as the server (migrating a new one first).
 */
import { parseArgs } from 'node:util';
import { DatabaseBusyError, openDatabase } from '../../db/client';
import { EnvError, loadConfig } from '../env';
import { isAppError } from '../errors';
import { createUser, deactivateUser, findUserByEmail } from '../users/users';

const usage =
  'usage: npm run cli -- user add --email E --name N --password P [--org "Gemeente Enschede"] [--admin] | user deactivate --email E';

function fail(code: number, message: string): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

async function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  if (group !== 'user' || (command !== 'add' && command !== 'deactivate')) fail(2, usage);
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
      },
      strict: true,
    }));
  } catch (err) {
    fail(2, `${(err as Error).message}; ${usage}`);
  }
  const required = command === 'add' ? (['email', 'name', 'password'] as const) : (['email'] as const);
  for (const name of required) if (!values[name]) fail(2, `--${name} is required; ${usage}`);

  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    if (command === 'deactivate') {
      const user = await findUserByEmail(database.db, String(values.email));
      if (!user) fail(1, `no user with e-mail address ${String(values.email).toLowerCase()}`);
      await deactivateUser(database.db, user.id);
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
