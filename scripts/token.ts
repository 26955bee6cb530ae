import { parseArgs } from 'node:util';
import { signDevToken } from '../gateway/auth.ts';
import { loadConfigOrExit } from '../lib/config.ts';
import { isRole } from '../lib/principal.ts';

/**
 * `npm run token -- --role analyst [--customer cus_0001] [--sub ana] [--ttl 8h]`: a bearer token
 * signed with the development key (or AUTH_SECRET). Refused when NODE_ENV=production.
 */
const { values } = parseArgs({
  options: { role: { type: 'string' }, customer: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
});
if (!isRole(values.role)) {
  console.error('Usage: npm run token -- --role <analyst|portal|operator|admin> [--customer <customerId>] [--sub <name>] [--ttl 8h]');
  process.exit(2);
}
if (values.role === 'portal' && !values.customer) {
  console.error('A portal token needs --customer <customerId>');
  process.exit(2);
}
const config = loadConfigOrExit();
try {
  console.log(
    await signDevToken(config, {
      sub: values.sub ?? `dev-${values.role}`,
      role: values.role,
      customerId: values.customer ?? null,
      ttl: values.ttl,
    }),
  );
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
