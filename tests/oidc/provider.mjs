// A real OpenID Connect provider (the certified `oidc-provider` package) for
// scripts/oidc-test: listens on 127.0.0.1:<port> and issues JWT access tokens
// for the audience peerlog is configured with, through the client-credentials
// grant (no browser needed). Each client stands for one person: its tokens'
// `sub` is the client id. Keys are generated afresh on every start.
//
//   node provider.mjs <port> <audience>

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const audience = process.argv[3] ?? 'urn:peerlog:api';
if (!port) {
  console.error('usage: node provider.mjs <port> [audience]');
  process.exit(2);
}

function signingKey(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

const issuer = `http://127.0.0.1:${port}`;
const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret-for-tests-only`,
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'api',
});

const provider = new Provider(issuer, {
  clients: [client('ward-worker-1'), client('stranger')],
  jwks: {
    keys: [
      signingKey('ec', { namedCurve: 'P-256' }, 'ES256'),
      signingKey('rsa', { modulusLength: 2048 }, 'RS256'),
    ],
  },
  scopes: ['openid', 'api'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== audience) {
          throw new Error(`unknown resource ${resource}`);
        }
        return {
          scope: 'api',
          audience,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
