import App from '../index.js';

describe('app definition', () => {
  it('loads with its version and platform version', () => {
    expect(App.version).toBe('1.0.0');
    expect(App.platformVersion).toBe('19.1.0');
  });
});
