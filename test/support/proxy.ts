import { freePort } from './free-port';
import { Doubles, TestApp, startApp } from './start-app';

/** A v3 password sign-in of the doubles' admin user, scoped to its admin project. */
export const ADMIN_SIGN_IN = {
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'admin', password: 'os-secret-password', domain: { name: 'Default' } } } },
    scope: { project: { name: 'admin', domain: { name: 'Default' } } },
  },
};

/**
 * The app listening on the port MSB names, so the catalog the proxy hands out leads
 * back to it, as through MSB. `base` is its `http://127.0.0.1:{port}`.
 */
export async function startProxyApp(doubles: Doubles, env: Record<string, string> = {}): Promise<{ service: TestApp; base: string }> {
  const port = await freePort();
  const service = await startApp(doubles, { ...env, MSB_PORT: String(port) });
  await service.app.listen(port, '127.0.0.1');
  return { service, base: `http://127.0.0.1:${port}` };
}
