// Scalekit's official Node SDK's single sign-on methods, and its
// Connections and Domains clients, against a running authscope sandbox.
// Run by scripts/sdk-scalekit-node.sh:
//   SANDBOX_URL=http://127.0.0.1:PORT node --test sso.test.mjs
// The sandbox's headless shortcut (login_hint naming a user of a sandbox
// organization) signs in without a page, so fetch follows the flow alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ScalekitClient } from '@scalekit-sdk/node';

const base = process.env.SANDBOX_URL;
assert.ok(base, 'SANDBOX_URL is not set');
const envUrl = `${base}/scalekit`;
const clientId = 'skc_sandbox_client';
const clientSecret = 'sandbox_client_secret';
const redirectUri = 'http://127.0.0.1:53682/callback';
const demoUser = 'ada@acme.example'; // model.SandboxSSOUser
const acme = 'org_59615193906282635';
const acmeConnection = 'conn_59615193906282636';

// signIn follows getAuthorizationUrl to the sandbox and returns the
// callback's query.
async function signIn(sk, options) {
  const url = sk.getAuthorizationUrl(redirectUri, options);
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302, `authorize answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  return location.searchParams;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

test('getAuthorizationUrl → sandbox → authenticateWithCode with PKCE → refresh → validate → logout', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const { verifier, challenge } = pkce();
  const back = await signIn(sk, { state: 'st-node', nonce: 'n-node', loginHint: demoUser, codeChallenge: challenge, codeChallengeMethod: 'S256' });
  assert.equal(back.get('state'), 'st-node');
  const code = back.get('code');
  assert.ok(code, `no code: ${back}`);

  const auth = await sk.authenticateWithCode(code, redirectUri, { codeVerifier: verifier });
  assert.equal(auth.user.email, demoUser);
  assert.equal(auth.user.givenName, 'Ada');
  assert.equal(auth.user.familyName, 'Lovelace');
  assert.equal(auth.user.emailVerified, true);
  assert.match(auth.user.id, /^usr_\d+$/);
  assert.equal(auth.user.identities[0].organization_id, acme);
  assert.equal(auth.user.identities[0].connection_id, acmeConnection);
  assert.ok(auth.refreshToken && auth.accessToken && auth.idToken);
  assert.equal(auth.expiresIn, 86399);

  const idClaims = await sk.validateToken(auth.idToken, { issuer: envUrl, audience: clientId });
  assert.equal(idClaims.nonce, 'n-node');
  assert.match(idClaims.sid, /^ses_\d+$/);

  assert.equal(await sk.validateAccessToken(auth.accessToken, { audience: [clientId] }), true);
  assert.equal(await sk.validateAccessToken(auth.accessToken, { audience: ['skc_someone_else'] }), false);
  assert.equal(await sk.validateAccessToken(auth.accessToken, { issuer: 'https://other.scalekit.dev' }), false);

  const refreshed = await sk.refreshAccessToken(auth.refreshToken);
  assert.notEqual(refreshed.refreshToken, auth.refreshToken, 'the refresh token was not rotated');
  assert.equal(await sk.validateAccessToken(refreshed.accessToken, { audience: [clientId] }), true);
  // Rotated: the old one is refused.
  await assert.rejects(sk.refreshAccessToken(auth.refreshToken), /Failed to refresh token/);

  const logoutUrl = sk.getLogoutUrl({ idTokenHint: auth.idToken, postLogoutRedirectUri: 'http://localhost:3000/bye', state: 'bye' });
  assert.ok(logoutUrl.startsWith(`${envUrl}/oidc/logout?`), logoutUrl);
  const out = await fetch(logoutUrl, { redirect: 'manual' });
  assert.equal(out.status, 302);
  assert.equal(out.headers.get('location'), 'http://localhost:3000/bye?state=bye');

  // The code is single-use.
  await assert.rejects(sk.authenticateWithCode(code, redirectUri, { codeVerifier: verifier }), /invalid_grant|400/);
});

test('authenticateWithCode without PKCE; the logout ends the session', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const back = await signIn(sk, { state: 's2', organizationId: acme, loginHint: 'grace@acme.example' });
  const auth = await sk.authenticateWithCode(back.get('code'), redirectUri);
  assert.equal(auth.user.email, 'grace@acme.example');
  const out = await fetch(sk.getLogoutUrl({ idTokenHint: auth.idToken }), { redirect: 'manual' });
  assert.equal(out.status, 200);
  await assert.rejects(sk.refreshAccessToken(auth.refreshToken), /Failed to refresh token/);
});

test('a wrong verifier and a wrong redirect URI are invalid_grant', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const { challenge } = pkce();
  let back = await signIn(sk, { loginHint: demoUser, codeChallenge: challenge, codeChallengeMethod: 'S256' });
  await assert.rejects(sk.authenticateWithCode(back.get('code'), redirectUri, { codeVerifier: pkce().verifier }), /invalid_grant|400/);
  back = await signIn(sk, { loginHint: demoUser });
  await assert.rejects(sk.authenticateWithCode(back.get('code'), `${redirectUri}/`), /invalid_grant|400/);
});

test('routing by domain hint, connection and provider; plain PKCE refused with the reason', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  for (const options of [{ domainHint: 'acme.example' }, { connectionId: acmeConnection }, { organizationId: acme }]) {
    const page = await fetch(sk.getAuthorizationUrl(redirectUri, options), { redirect: 'manual' });
    assert.equal(page.status, 200, JSON.stringify(options));
    assert.match(await page.text(), /ada@acme\.example/);
  }
  const social = await signIn(sk, { provider: 'google', loginHint: demoUser });
  const auth = await sk.authenticateWithCode(social.get('code'), redirectUri);
  assert.equal(auth.user.identities[0].social, true);
  assert.equal(auth.user.identities[0].provider_name, 'GOOGLE');

  const refused = await signIn(sk, { loginHint: demoUser, state: 'p', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'plain' });
  assert.equal(refused.get('error'), 'invalid_request');
  assert.match(refused.get('error_description'), /plain is not supported/);
  assert.equal(refused.get('state'), 'p');
});

test('connections: list, list by domain, get, disable (sign-in refused), enable, create, delete', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const list = await sk.connection.listConnections(acme);
  assert.equal(list.connections.length, 1);
  assert.equal(list.connections[0].id, acmeConnection);
  const byDomain = await sk.connection.listConnectionsByDomain('acme.example');
  assert.equal(byDomain.connections[0].id, acmeConnection);
  const got = await sk.connection.getConnection(acme, acmeConnection);
  assert.equal(got.connection.enabled, true);

  const disabled = await sk.connection.disableConnection(acme, acmeConnection);
  assert.equal(disabled.enabled, false);
  const refused = await signIn(sk, { loginHint: demoUser });
  assert.equal(refused.get('error'), 'access_denied');
  const enabled = await sk.connection.enableConnection(acme, acmeConnection);
  assert.equal(enabled.enabled, true);
  assert.ok((await signIn(sk, { loginHint: demoUser })).get('code'));

  const created = await sk.connection.createConnection(acme, { type: 2, provider: 1 }); // SAML, OKTA
  assert.match(created.connection.id, /^conn_\d+$/);
  await sk.connection.deleteConnection(acme, created.connection.id);
  await assert.rejects(sk.connection.getConnection(acme, created.connection.id), (err) => {
    assert.equal(err.grpcStatus, 5);
    assert.equal(err.errorCode, 'NOT_FOUND');
    return true;
  });
});

test('domains: create (routes sign-in), get, list, delete (no longer routes), duplicate', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const name = `node-${process.pid}.example`;
  const created = await sk.domain.createDomain(acme, name);
  assert.equal(created.domain.domain, name);
  const got = await sk.domain.getDomain(acme, created.domain.id);
  assert.equal(got.domain.organizationId, acme);
  const list = await sk.domain.listDomains(acme);
  assert.ok(list.domains.some((d) => d.id === created.domain.id));
  assert.ok((await signIn(sk, { loginHint: `someone@${name}` })).get('code'));
  await assert.rejects(sk.domain.createDomain(acme, name), (err) => {
    assert.equal(err.grpcStatus, 6);
    assert.equal(err.errorCode, 'ALREADY_EXISTS');
    return true;
  });
  await sk.domain.deleteDomain(acme, created.domain.id);
  assert.equal((await signIn(sk, { loginHint: `other@${name}` })).get('error'), 'invalid_request');
});
