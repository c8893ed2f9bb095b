// Records a HAR from a real Chromium session against the authscope
// sandbox: a token with a 2-second life, a call with it, two refreshes
// racing, the expired token used again (401), the fresh one (200), a
// Bearer sent to Scale AI and "Bearer Bearer" sent to Scaling.
// Usage: node make-har.js SANDBOX_URL DEVTOOLS_PORT > chromium-sandbox.har
// (make.sh starts both). The HAR is built from the DevTools protocol's
// Network events by chrome-har, response bodies included.
const CDP = require('chrome-remote-interface');
const { harFromMessages } = require('chrome-har');

const [sandbox, port] = process.argv.slice(2);

async function main() {
  const client = await CDP({ port: Number(port) });
  const { Network, Page, Runtime } = client;
  const events = [];
  const responses = new Map();
  for (const method of ['Network.requestWillBeSent', 'Network.requestWillBeSentExtraInfo', 'Network.responseReceived',
    'Network.responseReceivedExtraInfo', 'Network.dataReceived', 'Network.loadingFinished', 'Network.loadingFailed',
    'Page.loadEventFired', 'Page.domContentEventFired', 'Page.frameStartedLoading', 'Page.frameNavigated']) {
    client.on(method, (params) => {
      events.push({ method, params });
      if (method === 'Network.responseReceived') responses.set(params.requestId, params.response);
    });
  }
  const bodies = [];
  client.on('Network.loadingFinished', (params) => {
    bodies.push(Network.getResponseBody({ requestId: params.requestId }).then((b) => {
      const r = responses.get(params.requestId);
      if (r) r.body = b.base64Encoded ? Buffer.from(b.body, 'base64').toString('utf8') : b.body;
    }).catch(() => {}));
  });
  await Network.enable();
  await Page.enable();
  await Page.navigate({ url: sandbox + '/' });
  await Page.loadEventFired();
  const script = `(async () => {
    const token = async (ttl) => {
      const body = new URLSearchParams({grant_type: 'client_credentials', client_id: 'skc_sandbox_client', client_secret: 'sandbox_client_secret'});
      if (ttl) body.set('authscope_ttl', ttl);
      const r = await fetch('/scalekit/oauth/token', {method: 'POST', body});
      return (await r.json()).access_token;
    };
    const orgs = (t) => fetch('/scalekit/api/v1/organizations?page_size=10', {headers: {Authorization: 'Bearer ' + t}});
    document.cookie = 'sid=browser-session-0123456789abcdef; path=/';
    const t1 = await token('2');
    await orgs(t1);
    await new Promise((r) => setTimeout(r, 3000));
    const [t2, t3] = await Promise.all([token(), token()]);
    await orgs(t1);
    await orgs(t3);
    await fetch('/scale/v1/projects', {headers: {Authorization: 'Bearer live_0123456789abcdef0123456789abcdef'}});
    await fetch('/scaling/v1/incidents?limit=10', {headers: {Authorization: 'Bearer Bearer scl_live_0123456789abcdef0123456789abcdef'}});
    return 'ok';
  })()`;
  const res = await Runtime.evaluate({ expression: script, awaitPromise: true });
  if (res.exceptionDetails) throw new Error(JSON.stringify(res.exceptionDetails));
  await new Promise((r) => setTimeout(r, 500));
  await Promise.all(bodies);
  const har = harFromMessages(events, { includeTextFromResponseBody: true });
  process.stdout.write(JSON.stringify(har, null, 2) + '\n');
  await client.close();
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
