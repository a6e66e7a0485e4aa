// Preload (`node -r`) that makes npm's platform checks believe they run on another platform, so
// CI can check that `npm ci` would pass on macOS and Windows. npm applies `--os`/`--cpu` only to
// optional dependencies, so only a different process.platform/arch shows a hard platform-specific
// dependency. Only npm's checks (npm-install-checks: EBADPLATFORM, and the choice of which
// optional platform packages to install) see the other platform: everything else (paths, file:
// dependencies) keeps this machine's, which it really is.
// FAKE_PLATFORM=darwin-arm64 | darwin-x64 | linux-arm64 | win32-x64.
const [platform, arch] = (process.env.FAKE_PLATFORM || '').split('-');
const fromNpmChecks = () => /npm-install-checks/.test(new Error().stack || '');
if (platform && arch) {
  const real = { platform: process.platform, arch: process.arch };
  Object.defineProperty(process, 'platform', { get: () => (fromNpmChecks() ? platform : real.platform) });
  Object.defineProperty(process, 'arch', { get: () => (fromNpmChecks() ? arch : real.arch) });
}
