import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createEncryptionCodec } from '../../../platform/codec';
import { loadConfig } from '../../../platform/config';
import { Secret } from '../../../platform/secret';
import { startCodecServer } from '../../../services/codec-server';
import { startIntakeServer } from '../../../services/intake';

const keys = { k1: randomBytes(32).toString('base64') };
const env = { CODEC_KEYS: JSON.stringify(keys), CODEC_ACTIVE_KEY_ID: 'k1' };
const secrets = { ilias: new Secret('ilias-secret-1'), anewspring: new Secret('anewspring-secret-1') };
const notCalled = async (): Promise<never> => {
  throw new Error('not expected');
};

/** This machine's address on a real network interface, as another machine would call it. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address to test reachability with');
  return address;
}

const reachable = (host: string, port: number): Promise<boolean> =>
  fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => r.ok,
    () => false,
  );

describe('where the HTTP listeners bind', () => {
  it('[PLAT-15] one setting, LISTEN_HOST, loopback unless a container opens it', () => {
    expect(loadConfig(env).listenHost).toBe('127.0.0.1');
    expect(loadConfig({ ...env, LISTEN_HOST: '0.0.0.0' }).listenHost).toBe('0.0.0.0');
  });

  it('[PLAT-15] the intake and the codec server answer only on loopback by default, on every interface when told', async () => {
    const codec = createEncryptionCodec({ keys, activeKeyId: 'k1' });
    const external = externalAddress();
    const closed = [
      await startIntakeServer({ port: 0, secrets, startGradeReturn: notCalled }),
      await startCodecServer({ port: 0, codec, corsOrigins: [] }),
    ];
    const openedIntake = await startIntakeServer({
      port: 0,
      host: '0.0.0.0',
      secrets,
      startGradeReturn: notCalled,
    });
    const opened = [
      openedIntake,
      await startCodecServer({ port: 0, host: '0.0.0.0', codec, corsOrigins: [] }),
    ];
    try {
      for (const s of closed) {
        expect(await reachable('127.0.0.1', s.port)).toBe(true);
        expect(await reachable(external, s.port)).toBe(false);
      }
      for (const s of opened) expect(await reachable(external, s.port)).toBe(true);
      expect((openedIntake.app.server.address() as AddressInfo).address).toBe('0.0.0.0');
    } finally {
      await Promise.all([...closed, ...opened].map((s) => s.close()));
    }
  });
});
