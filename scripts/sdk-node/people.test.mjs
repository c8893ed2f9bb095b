// Scalekit's official Node SDK beyond organizations, against a running
// authscope sandbox: users and memberships, roles and permissions, M2M
// clients of an organization (their token included), sessions and
// directories. Run by scripts/sdk-scalekit-node.sh:
//   SANDBOX_URL=http://127.0.0.1:PORT node --test people.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScalekitClient } from '@scalekit-sdk/node';

const base = process.env.SANDBOX_URL;
assert.ok(base, 'SANDBOX_URL is not set');
const envUrl = `${base}/scalekit`;
const clientId = 'skc_sandbox_client';
const clientSecret = 'sandbox_client_secret';
const acme = 'org_59615193906282635';
const globex = 'org_59615204871953291';
const ada = 'usr_59615193906282645'; // model.SandboxSSOUser, ada@acme.example
const tag = `${process.pid}-${Date.now()}`;

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

function rejectsWith(promise, grpcStatus, errorCode) {
  return assert.rejects(promise, (err) => {
    assert.equal(err.grpcStatus, grpcStatus, `grpcStatus ${err.grpcStatus}: ${err.message}`);
    assert.equal(err.errorCode, errorCode);
    return true;
  });
}

test('users: create with membership, get, list (page size 1), update, memberships, invite, delete', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const email = `node-${tag}@acme.example`;
  const created = await sk.user.createUserAndMembership(acme, {
    email, externalId: `node-ext-${tag}`, userProfile: { firstName: 'Node', lastName: 'User' }, metadata: { source: 'node' }, sendInvitationEmail: true,
  });
  const id = created.user.id;
  assert.match(id, /^usr_\d+$/);
  assert.equal(created.user.userProfile.givenName, 'Node');
  assert.equal(created.user.memberships[0].organizationId, acme);

  assert.equal((await sk.user.getUser(id)).user.email, email);
  assert.equal((await sk.user.getUserByExternalId(`node-ext-${tag}`)).user.id, id);
  await rejectsWith(sk.user.createUserAndMembership(acme, { email }), 6, 'ALREADY_EXISTS');

  const one = await sk.user.listUsers({ pageSize: 1 });
  assert.equal(one.users.length, 1);
  assert.ok(one.nextPageToken);
  const members = await sk.user.listOrganizationUsers(acme, { pageSize: 100 });
  assert.ok(members.users.some((u) => u.id === id));

  const found = await sk.user.searchUsers(`node-${tag}`, 10);
  assert.deepEqual(found.users.map((u) => u.id), [id]);
  const inOrg = await sk.user.searchOrganizationUsers(acme, 'acme.example', 2);
  assert.equal(inOrg.users.length, 2);
  assert.ok(inOrg.nextPageToken);

  const updated = await sk.user.updateUser(id, { userProfile: { firstName: 'Renamed' }, metadata: { tier: 'gold' } });
  assert.equal(updated.user.userProfile.givenName, 'Renamed');

  const joined = await sk.user.createMembership(globex, id, { roles: ['member'], metadata: { via: 'node' } });
  assert.equal(joined.user.memberships.length, 2);
  const promoted = await sk.user.updateMembership(globex, id, { roles: ['admin'] });
  assert.equal(promoted.user.memberships.find((m) => m.organizationId === globex).roles[0].name, 'admin');
  await sk.user.deleteMembership(globex, id);

  const invite = await sk.user.resendInvite(acme, id);
  assert.equal(invite.invite.resentCount, 1);

  await sk.user.deleteUser(id);
  await rejectsWith(sk.user.getUser(id), 5, 'NOT_FOUND');
});

test('roles and permissions: create, get, list, add to a role, assign to a user, seen in the SSO access token', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const perm = `reports:export-${tag}`.toLowerCase().replace(/[^a-z0-9_:.-]/g, '-');
  const roleName = `auditor-${tag}`.toLowerCase().replace(/[^a-z0-9_:.-]/g, '-');
  await sk.permission.createPermission({ name: perm, description: 'Export reports' });
  assert.equal((await sk.permission.getPermission(perm)).permission.name, perm);
  assert.ok((await sk.permission.listPermissions(undefined, 100)).permissions.some((p) => p.name === perm));

  await sk.role.createRole({ name: roleName, displayName: 'Auditor', permissions: ['users:read'] });
  await sk.permission.addPermissionsToRole(roleName, [perm]);
  const rolePerms = await sk.permission.listRolePermissions(roleName);
  assert.deepEqual(rolePerms.permissions.map((p) => p.name).sort(), [perm, 'users:read'].sort());
  assert.equal((await sk.role.getRole(roleName)).role.displayName, 'Auditor');
  assert.ok((await sk.role.listRoles()).roles.some((r) => r.name === roleName));

  await sk.user.assignUserRoles(acme, ada, [roleName]);
  assert.ok((await sk.user.listUserRoles(acme, ada)).roles.some((r) => r.name === roleName));
  assert.ok((await sk.user.listUserPermissions(acme, ada)).permissions.some((p) => p.name === perm));

  // Sign in as Ada: her access token carries the role and its permission.
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const res = await fetch(sk.getAuthorizationUrl(redirectUri, { loginHint: 'ada@acme.example' }), { redirect: 'manual' });
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  const auth = await sk.authenticateWithCode(code, redirectUri);
  const access = claims(auth.accessToken);
  assert.ok(access.roles.includes(roleName), JSON.stringify(access));
  assert.ok(access.permissions.includes(perm), JSON.stringify(access));
  assert.equal(access.oid, acme);

  // Sessions: the sign-in is listed, then revoked.
  const sessions = await sk.session.getUserSessions(ada, { pageSize: 10 });
  assert.ok(sessions.sessions.some((s) => s.sessionId === access.sid));
  const revoked = await sk.session.revokeSession(access.sid);
  assert.equal(revoked.revokedSession.sessionId, access.sid);
  assert.equal((await sk.session.getSession(access.sid)).status, 'revoked');
  await assert.rejects(sk.refreshAccessToken(auth.refreshToken), /Failed to refresh token/);

  await sk.user.removeUserRole(acme, ada, roleName);
  await sk.permission.removePermissionFromRole(roleName, perm);
  await sk.role.deleteRole(roleName);
  await sk.permission.deletePermission(perm);
  await rejectsWith(sk.role.getRole(roleName), 5, 'NOT_FOUND');
});

test('organization roles: created, listed with the environment\'s, assigned to a member', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const name = `org-role-${tag}`.toLowerCase().replace(/[^a-z0-9_:.-]/g, '-');
  const created = await sk.role.createOrganizationRole(acme, { name, displayName: 'Org role', permissions: ['users:read'] });
  assert.equal(created.role.isOrgRole, true);
  const list = await sk.role.listOrganizationRoles(acme);
  assert.ok(list.roles.some((r) => r.name === name) && list.roles.some((r) => r.name === 'admin'));
  assert.equal((await sk.role.getOrganizationRole(acme, name)).role.displayName, 'Org role');
  await sk.user.assignUserRoles(acme, 'usr_59615193906282646', [name]);
  assert.ok((await sk.user.listUserRoles(acme, 'usr_59615193906282646')).roles.some((r) => r.name === name));
  await sk.user.removeUserRole(acme, 'usr_59615193906282646', name);
  await sk.role.deleteOrganizationRole(acme, name);
  await rejectsWith(sk.role.getOrganizationRole(acme, name), 5, 'NOT_FOUND');
});

test('M2M clients: create, its secret gets a token naming the organization, with aud and scopes; secrets added and removed', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const created = await sk.m2m.createOrganizationClient(acme, {
    name: `node worker ${tag}`, description: 'Node SDK test', scopes: ['invoices:read', 'invoices:write'],
    audience: ['https://api.acme.example'], customClaims: { team: 'billing' },
  });
  const id = created.client.clientId;
  assert.ok(created.plainSecret);
  assert.equal((await sk.m2m.getOrganizationClient(acme, id)).client.name, `node worker ${tag}`);
  assert.ok((await sk.m2m.listOrganizationClients(acme, { pageSize: 1 })).clients.length === 1);

  // The client's own SDK instance gets a token with it; the SDK validates it with an audience.
  const worker = new ScalekitClient(envUrl, id, created.plainSecret);
  const token = await worker.coreClient.authenticate(new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: created.plainSecret, scope: 'invoices:read' }).toString());
  const c = claims(token.data.access_token);
  assert.equal(c.oid, acme);
  assert.deepEqual(c.aud, ['https://api.acme.example']);
  assert.deepEqual(c.scopes, ['invoices:read']);
  assert.deepEqual(c.custom_claims, { team: 'billing' }); // nested, as Scalekit's own SDK tests read them
  assert.equal(await sk.validateAccessToken(token.data.access_token, { audience: ['https://api.acme.example'] }), true);
  assert.equal(await sk.validateAccessToken(token.data.access_token, { audience: [clientId] }), false);

  const second = await sk.m2m.addOrganizationClientSecret(acme, id);
  assert.ok(second.plainSecret);
  await sk.m2m.removeOrganizationClientSecret(acme, id, second.secret.id);
  await sk.m2m.deleteOrganizationClient(acme, id);
  await rejectsWith(sk.m2m.getOrganizationClient(acme, id), 5, 'NOT_FOUND');
});

test('directories: list, get, users and groups of the seeded directory', async () => {
  const sk = new ScalekitClient(envUrl, clientId, clientSecret);
  const dirs = await sk.directory.listDirectories(acme);
  assert.equal(dirs.directories.length, 1);
  const dir = (await sk.directory.getDirectory(acme, dirs.directories[0].id)).directory;
  assert.equal(dir.totalUsers, 3);
  const users = await sk.directory.listDirectoryUsers(acme, dir.id, { pageSize: 10 });
  assert.equal(users.users[0].email, 'ada@acme.example');
  const groups = await sk.directory.listDirectoryGroups(acme, dir.id);
  assert.deepEqual(groups.groups.map((g) => g.displayName), ['Engineering', 'Everyone']);
});
