// Scalekit's official Node SDK (@scalekit-sdk/node, pinned in package.json)
// against a running authscope sandbox. Run by scripts/sdk-scalekit-node.sh:
//   SANDBOX_URL=http://127.0.0.1:PORT node --test scalekit.test.mjs
// The SDK speaks gRPC over h2c to SANDBOX_URL/scalekit, after fetching a
// token from /scalekit/oauth/token when its first call gets code 16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScalekitClient } from '@scalekit-sdk/node';

const base = process.env.SANDBOX_URL;
assert.ok(base, 'SANDBOX_URL is not set');
const envUrl = `${base}/scalekit`;
const clientId = 'skc_sandbox_client';
const clientSecret = 'sandbox_client_secret';

test('first call without a token gets 16, the SDK fetches a token and retries', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  assert.equal(sk.coreClient.accessToken, null, 'the SDK already had a token');
  const page = await sk.organization.listOrganization({ pageSize: 10 });
  assert.ok(sk.coreClient.accessToken, 'no token after the retry');
  assert.equal(page.organizations.length, 10);
  assert.equal(page.totalSize, 23);
  assert.equal(page.organizations[0].id, 'org_59615193906282635');
  assert.equal(page.organizations[0].displayName, 'Acme Corporation');
  assert.ok(page.nextPageToken);
});

test('list pages forward and back', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const first = await sk.organization.listOrganization({ pageSize: 10 });
  const second = await sk.organization.listOrganization({ pageSize: 10, pageToken: first.nextPageToken });
  assert.equal(second.organizations.length, 10);
  assert.notEqual(second.organizations[0].id, first.organizations[0].id);
  const back = await sk.organization.listOrganization({ pageSize: 10, pageToken: second.prevPageToken });
  assert.equal(back.organizations[0].id, first.organizations[0].id);
});

test('create, get, get by external id, update, portal link, settings, user management, search, delete', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const externalId = `node-sdk-${process.pid}`;
  const created = await sk.organization.createOrganization('Node SDK Co', { externalId });
  const id = created.organization.id;
  assert.match(id, /^org_\d+$/);
  assert.equal(created.organization.externalId, externalId);

  const got = await sk.organization.getOrganization(id);
  assert.equal(got.organization.displayName, 'Node SDK Co');
  const byExternal = await sk.organization.getOrganizationByExternalId(externalId);
  assert.equal(byExternal.organization.id, id);

  const updated = await sk.organization.updateOrganization(id, { displayName: 'Node SDK Co 2', metadata: { tier: 'gold' } });
  assert.equal(updated.organization.displayName, 'Node SDK Co 2');
  assert.equal(updated.organization.metadata.tier, 'gold');
  const updatedByExternal = await sk.organization.updateOrganizationByExternalId(externalId, { displayName: 'Node SDK Co 3' });
  assert.equal(updatedByExternal.organization.displayName, 'Node SDK Co 3');

  const link = await sk.organization.generatePortalLink(id);
  assert.ok(link.location.startsWith(`${envUrl}/magicLink/`), link.location);

  const withSettings = await sk.organization.updateOrganizationSettings(id, { features: [{ name: 'sso', enabled: true }] });
  assert.ok(withSettings.organization.settings.features.some((f) => f.name === 'sso' && f.enabled));

  const upserted = await sk.organization.upsertUserManagementSettings(id, { maxAllowedUsers: 25 });
  assert.equal(upserted.maxAllowedUsers, 25);
  const userManagement = await sk.organization.getOrganizationUserManagementSetting(id);
  assert.equal(userManagement.settings.maxAllowedUsers, 25);

  const found = await sk.organization.searchOrganization('Node SDK Co 3');
  assert.ok(found.organizations.some((o) => o.id === id));

  await sk.organization.deleteOrganization(id);
  await assert.rejects(sk.organization.getOrganization(id), (err) => {
    assert.equal(err.grpcStatus, 5, `grpcStatus ${err.grpcStatus}`);
    assert.equal(err.errorCode, 'NOT_FOUND');
    return true;
  });
});

test('the REST face lists what the gRPC face created', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const externalId = `node-rest-${process.pid}`;
  const created = await sk.organization.createOrganization('Seen Over REST', { externalId });
  const res = await fetch(`${envUrl}/api/v1/organizations?external_id=${externalId}`, {
    headers: { Authorization: `Bearer ${sk.coreClient.accessToken}` },
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.organizations[0].id, created.organization.id);
});

test('a duplicate external id is ALREADY_EXISTS with ErrorInfo', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  await assert.rejects(sk.organization.createOrganization('Dup', { externalId: 'acme-corp' }), (err) => {
    assert.equal(err.grpcStatus, 6, `grpcStatus ${err.grpcStatus}`);
    assert.equal(err.errorCode, 'ALREADY_EXISTS');
    return true;
  });
});

test('a bad client secret fails with the token endpoint\'s invalid_client', async () => {
  const sk = new ScalekitClient(envUrl, clientId, 'wrong_client_secret_value');
  await assert.rejects(sk.organization.listOrganization(), (err) => {
    const text = `${err.message} ${JSON.stringify(err.response?.data ?? '')} ${err.httpStatus ?? err.response?.status ?? ''}`;
    assert.match(text, /401|invalid_client/, text);
    return true;
  });
  assert.equal(sk.coreClient.accessToken, null);
});

test('a method the sandbox does not serve is UNIMPLEMENTED', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  // WebAuthn is a service the sandbox leaves out.
  await assert.rejects(sk.webauthn.listCredentials('usr_59615193906282645'), (err) => {
    assert.equal(err.grpcStatus, 12, `grpcStatus ${err.grpcStatus}`);
    assert.equal(err.errorCode, 'UNIMPLEMENTED');
    return true;
  });
});

test('session policy: the application\'s by default, then the organization\'s own', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const org = 'org_59615204871953291';
  const before = await sk.organization.getOrganizationSessionPolicy(org);
  assert.equal(before.policySource, 1, String(before.policySource)); // APPLICATION
  const custom = await sk.organization.updateOrganizationSessionPolicy(org, {
    policySource: 'CUSTOM', absoluteSessionTimeout: 12, absoluteSessionTimeoutUnit: 'HOURS',
    idleSessionTimeoutEnabled: true, idleSessionTimeout: 30, idleSessionTimeoutUnit: 'MINUTES',
  });
  assert.equal(custom.policySource, 2, String(custom.policySource)); // CUSTOM
  assert.equal(custom.absoluteSessionTimeout, 12);
  const back = await sk.organization.updateOrganizationSessionPolicy(org, { policySource: 'APPLICATION' });
  assert.equal(back.policySource, 1);
});
