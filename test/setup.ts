import nock from 'nock';

// No test may reach the internet: only the local sandbox on 127.0.0.1 is allowed.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

// OAuth client credentials as Zapier would inject them; fake values, never real ones.
process.env.CLIENT_ID = 'test-client-id';
process.env.CLIENT_SECRET = 'test-client-secret';
delete process.env.GHL_API_BASE_URL;
delete process.env.GHL_AUTH_BASE_URL;

afterEach(() => {
  nock.cleanAll();
});

// Jest gives every test file its own copy of nock; each must unhook itself from `http` when its
// file ends, or the next file's requests meet a stale interceptor.
afterAll(() => {
  nock.restore();
});
