// A real OpenID Connect provider (the certified `oidc-provider` package) for
// scripts/oidc-test, listening on 127.0.0.1:<port>. Keys are generated afresh
// on every start.
//
// - Client-credentials clients `ward-worker-1` and `stranger` (no browser
//   needed): JWT access tokens for the audience peerlog is configured with,
//   whose `sub` is the client id.
// - With a redirect URI, also the web app's client `peerlog-web`, as a
//   trust registers it: a public client (`token_endpoint_auth_method:
//   none`, no secret), authorisation code with PKCE (S256) required, that
//   one redirect URI, ID tokens (aud `peerlog-web`) signed with RS256. The
//   people who can sign in through the browser are the same two, on a small
//   sign-in page of this provider's own (below), with the password
//   `nhs-test-password`; their `sub` is their username. Consent is not asked
//   of peerlog-web (a trust's own application), as at a trust's provider.
//
//   node provider.mjs <port> <audience> [<redirect uri>]

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const audience = process.argv[3] ?? 'urn:peerlog:api';
const redirectUri = process.argv[4];
if (!port) {
  console.error('usage: node provider.mjs <port> [audience] [redirect uri]');
  process.exit(2);
}

function signingKey(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

const WEB_CLIENT = 'peerlog-web';
const PASSWORD = 'nhs-test-password';
const PEOPLE = {
  'ward-worker-1': { name: 'Sam Worker' },
  stranger: { name: 'Alex Stranger' },
};

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
const clients = [client('ward-worker-1'), client('stranger')];
if (redirectUri) {
  clients.push({
    client_id: WEB_CLIENT,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    id_token_signed_response_alg: 'RS256',
    scope: 'openid profile',
  });
}

const provider = new Provider(issuer, {
  clients,
  jwks: {
    keys: [
      signingKey('ec', { namedCurve: 'P-256' }, 'ES256'),
      signingKey('rsa', { modulusLength: 2048 }, 'RS256'),
    ],
  },
  cookies: { keys: [randomUUID()] },
  scopes: ['openid', 'profile', 'api'],
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, sub) {
    const person = PEOPLE[sub];
    if (!person) return undefined;
    return { accountId: sub, claims: async () => ({ sub, name: person.name }) };
  },
  // peerlog-web is the trust's own application: no consent page.
  async loadExistingGrant(ctx) {
    const { client: c, session, result } = ctx.oidc;
    const grantId = result?.consent?.grantId || session.grantIdFor(c.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (c.clientId !== WEB_CLIENT) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: c.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  // The browser trades the code from the web app's origin: allowed for a
  // public client from the origin of its redirect URI only.
  clientBasedCORS(_ctx, origin, c) {
    return c.clientAuthMethod === 'none' && c.redirectUris.some((u) => new URL(u).origin === origin);
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // JWT access tokens for peerlog's audience to the client-credentials
      // clients; the web app uses the ID token.
      defaultResource: (_ctx, c, oneOf) => oneOf ?? (c.clientId === WEB_CLIENT ? undefined : audience),
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

// The sign-in page: a username and password, or "Cancel" (which answers
// the web app `access_denied`).
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function page(uid, { error, username = '' } = {}) {
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in – test NHS identity provider</title>
<style>body{font-family:Arial,sans-serif;margin:2rem auto;max-width:30rem;padding:0 1rem;color:#212b32}
label{display:block;font-weight:bold;margin:1rem 0 .25rem}input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1.5rem;font-size:1.1rem;padding:.6rem 1.2rem;background:#005eb8;color:#fff;border:0}
.error{color:#d5281b;font-weight:bold}a{color:#005eb8;display:inline-block;margin-top:1rem}</style></head>
<body><main><h1>Sign in to your NHS account</h1>
<p>Test identity provider for peerlog's test suite.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" value="${escape(username)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Continue</button></form>
<a href="/interaction/${escape(uid)}/abort">Cancel and go back</a></main></body></html>`;
}

async function form(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 8192) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

provider.use(async (ctx, next) => {
  const m = ctx.path.match(/^\/interaction\/([\w-]+)(\/abort)?$/);
  if (!m) return next();
  ctx.set('cache-control', 'no-store');
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (m[2] && ctx.method === 'GET') {
    return provider.interactionFinished(ctx.req, ctx.res, {
      error: 'access_denied',
      error_description: 'The person cancelled signing in',
    }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name !== 'login') {
    ctx.status = 501;
    ctx.body = `interaction ${details.prompt.name} is not handled`;
    return undefined;
  }
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(details.uid);
    return undefined;
  }
  if (ctx.method !== 'POST') return next();
  const body = await form(ctx.req);
  const username = (body.get('username') ?? '').trim();
  if (!PEOPLE[username] || body.get('password') !== PASSWORD) {
    ctx.type = 'html';
    ctx.status = 200;
    ctx.body = page(details.uid, { error: 'The username or password is not right.', username });
    return undefined;
  }
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: username } }, {
    mergeWithLastSubmission: false,
  });
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}${redirectUri ? ` (peerlog-web returns to ${redirectUri})` : ''}`);
});
