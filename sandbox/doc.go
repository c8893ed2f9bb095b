// Package sandbox is authscope's built-in stand-in for every provider: one
// loopback HTTP server that answers as Scaling (/scaling), Scalekit
// (/scalekit) and Scale AI (/scale) answer, to the byte where their docs
// show the bytes (DESIGN.md, "Facts to honour"), so the explorer and the
// commands are useful with no account and no network.
//
// Each provider is one package shaped alike (its state, its handlers, its
// routes, its error shapes): scaling, scalekit (with its protobuf code in
// scalekit/scalekitpb) and scale. What they share, and nothing more, is in
// wire: the response writer, request ids, the body limit, method routing,
// the what-if switch. This package mounts the three on one mux and owns the
// listener, shutdown and TLS. Nothing here imports the sender (requests)
// or a front end; the front ends import this package.
//
// # What it serves
//
//   - Every response carries X-Request-Id, a random UUID v4. Scaling also
//     puts it in the body (requestId), equal to the header.
//   - Scaling: Bearer with the demo key. GET /v1/incidents (status,
//     severity, from, to, limit 1–100 default 20, cursor; newest first),
//     GET /v1/incidents/{id}, GET /v1/oncall/schedules,
//     GET /v1/escalation/policies. 401 missing_authorization_header /
//     invalid_api_key, 404 not_found, 422 validation_error.
//   - Scalekit: POST /oauth/token (client_secret_post or HTTP Basic; RFC
//     6749 §5.2 errors; a stale Bearer header is ignored) for
//     client_credentials (the demo client, or an organization's M2M client
//     whose token names its organization in oid and carries aud when the
//     client has an audience; requested scopes honoured within the
//     client's), authorization_code and refresh_token; real RS256 JWTs
//     (kid snk_…, jti tkn_…, iss = the sandbox's /scalekit URL as the client
//     reached it), JWKS at /keys, discovery at
//     /.well-known/openid-configuration listing exactly what is served,
//     errors in the grpc-gateway shape. The RSA key is generated on first
//     use and lives as long as the Server.
//   - Scalekit single sign-on: GET /oauth/authorize (the SDKs'
//     getAuthorizationUrl parameters; client and redirect URI checked —
//     loopback http on any port or https, RFC 8252 §7.3 — and a bad one is
//     an error page, never a redirect; routed by connection_id,
//     organization_id, domain_hint/domain, login_hint's domain or a social
//     provider; a login page of links and a form, no script; S256 PKCE only,
//     plain refused with the reason; other errors go back with error,
//     error_description and state, RFC 6749 §4.1.2.1). The headless
//     shortcut: a login_hint naming a user of a sandbox organization, or
//     any address at one of its domains (the user is made on first
//     sign-in), signs in at once; model.SandboxSSOUser is the demo user.
//     Codes are single-use, live 5 minutes and are bound to the client,
//     the redirect URI and the PKCE challenge (invalid_grant says which
//     failed; a replayed code revokes its session); refresh tokens rotate
//     and a reused one revokes the session. The ID token carries iss, sub,
//     aud (the client id), exp, iat, nonce, sid, oid, email,
//     email_verified, name, given_name, family_name and identities; the
//     user's access token carries aud, sid, oid, roles and permissions.
//     GET /oidc/logout ends the id_token_hint's session and redirects to a
//     checked post_logout_redirect_uri with state (only with a valid
//     id_token_hint; without one it shows the signed-out page).
//   - Scalekit's API, over the REST gateway's paths and over gRPC
//     (connect-go, package scalekitpb), from one store: organizations
//     (create, update, get, get by external id, list, search, delete,
//     portal links, settings, user management settings, session
//     policies), connections
//     (list by organization or domain, get, create, enable, disable,
//     delete), domains (create, get, list, delete), users and memberships
//     (create with a membership, get, update, delete, list, search, list
//     and search an organization's, add, update and remove memberships,
//     resend an invite, a member's roles and permissions), roles and
//     permissions (create, get, list, update, delete, add to and remove
//     from a role, a role's effective permissions, its users' count,
//     default roles, an organization's own roles),
//     organization M2M clients (create, get, list, update, delete, add and
//     remove secrets; secrets are kept hashed), sessions (get, list a
//     user's, revoke one or all) and directories (list, get, enable,
//     disable, users and groups of the seeded SCIM directory). Every fixture organization has
//     an enabled OIDC or SAML connection, a domain (its external id's
//     first word under .example) and three users. Lists take page_size
//     1–100 (0 means 10) and page tokens. gRPC is served under /scalekit
//     over HTTP/1.1 and h2c, and at the root when the Server was started
//     with Options.TLS (HTTP/2 with a certificate from a CA made at start,
//     CACertPEM). Errors carry grpc-status, grpc-message and
//     grpc-status-details-bin with scalekit.v1.errdetails.ErrorInfo (error
//     code, request id, field violations), the REST face the same in the
//     gateway's JSON; a missing, bad or expired token is 16. Messages are
//     capped at 32 KiB (RESOURCE_EXHAUSTED), methods not served are
//     UNIMPLEMENTED naming the method, HTTP/2 is held to 100 concurrent
//     streams per connection.
//   - Scale AI: HTTP Basic, key as user name. Projects: list (a bare
//     array), get, create (200, as Scale; rapid/studio projects get
//     staging batches), setParams, taskTemplates. Tasks: create for every
//     v1 task type, each type's required params checked (a 400 naming
//     the missing ones), every other field kept whole in params (a reused
//     unique_id is 409); get, list (project, batch, status, type,
//     unique_id, tags, created, updated and completed ranges; limit 1–100
//     with next_token or offset; newest first, created tasks included),
//     cancel (pending only, else Scale's 400; clear_unique_id), unique_id
//     set and clear, setMetadata (any JSON values), tags set/add/delete.
//     A test key's task completes at once with a response of its type's
//     shape (boxes for the objects to annotate, the first category, a
//     value per field…); a live key's stays pending until the sandbox's
//     own POST /scale/v1/sandbox/task/{id}/complete. Batches: create
//     (in_progress), get, list (newest first; limit and offset),
//     finalize, status, setMetadata. Teams (a fixed list), files import
//     (never fetched) and upload (streamed up to 8 MiB, not kept). Live
//     and test keys see separate data: a test key asking for the
//     live-only project model.SandboxLiveProject gets Scale's 404.
//
// # Sandbox-only switches
//
// Real providers never see these; they exist so that failures a real
// server gives only under load or with time can be shown on demand:
//
//   - request header "X-Authscope-Whatif: rate-limit" (WhatIfHeader): an
//     authenticated request gets 429 with Retry-After: 2 in the provider's
//     own error shape (Scaling rate_limit_error, Scalekit code 8, Scale
//     status_code 429).
//   - token form field authscope_ttl=<seconds 1..86400> (TTLField): the
//     access token's lifetime, for the expired-token what-if;
//     expires_in is then ttl-1, as 86399 is for the default 86400.
//
// # Scale callbacks
//
// A task with a callback_url (any http or https URL, or an email
// address, as Scale accepts) fires its callback when it completes: a
// test task at once, a live one at the sandbox's complete call. The
// sandbox POSTs {"task_id","status","response","task"} with the header
// "scale-callback-auth: <key>" (LiveCallbackAuthKey or
// TestCallbackAuthKey, by the key's mode) to loopback targets only,
// checked on the URL and again on the address dialled, with no proxy and
// no redirects followed, 5 s per attempt, three attempts, at most 8 in
// flight; the answer's body is never read. A callback to any other host
// is recorded and logged instead of sent, so the sandbox cannot be used
// to reach other hosts. GET /scale/v1/sandbox/callbacks lists the last
// 100 callbacks of the key's mode, newest first, with their result
// (delivered, failed, not_sent, dropped), attempts and last status; URLs
// there and in the log have user info, query values and path segments
// of 16 characters or more (a webhook secret) masked.
//
// # Safety
//
// Start binds loopback unless Options.AllowNonLoopback (the demo
// credentials are public). Credentials are compared in constant time,
// bodies are capped at 64 KiB (a path may register a larger streamed
// bound with wire.AllowLargeBody: Scale's file upload), and the state kept
// between requests is capped, oldest added first out: Scalekit
// organizations 200 added, Scale projects 100, tasks 500 (and 16 MiB as
// JSON) and batches 100 per mode; pending SSO codes 1,000, refresh tokens
// 5,000 and sessions 2,000. Scale also refuses with its 400 what would
// pass its other caps (sandbox/scale/limits.go): 20 param versions and
// 256 KiB of instructions per project and 2 MiB per mode, 50 tags of at
// most 128 characters per task, 16 KiB of metadata per task or batch;
// work that grows with a request (merging tags, copying metadata) runs
// outside the store's lock. Other Scalekit collections refuse past their
// cap with a one-line error: 10 connections and 20 domains per
// organization, 500 members per organization, 2,000 users made by clients
// and sign-ins, 50 roles, 200 permissions, 20 M2M clients per organization
// (500 in all) and 5 secrets per client. Ids with path or control
// characters, bidi controls and over-long names are refused as
// INVALID_ARGUMENT. Codes, refresh tokens and secrets are looked up by
// their SHA-256 and compared in constant time; the request log prints
// paths only, never a query or a body. A Server is safe for concurrent
// use.
package sandbox
