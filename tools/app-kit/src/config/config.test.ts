import { describe, expect, it } from 'vitest';
import { ConfigValueError } from './config-value-error.js';
import { parseEnvBoolean } from './env-boolean.js';
import { parseHostPort } from './host-port.js';

describe('parseHostPort', () => {
  it('reads host and port, IPv6 in brackets, and an empty host as the default', () => {
    expect(parseHostPort('127.0.0.1:9200', 'bind')).toEqual({ host: '127.0.0.1', port: 9200 });
    expect(parseHostPort('[::1]:0', 'bind')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort(':8080', 'bind')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseHostPort(':8080', 'bind', '127.0.0.1').host).toBe('127.0.0.1');
  });

  it('rejects a value without a port with a config_invalid error naming the key', () => {
    const error = (() => {
      try {
        parseHostPort('localhost', 'admin_bind');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigValueError);
    expect(error).toMatchObject({ code: 'config_invalid', key: 'admin_bind' });
    expect(() => parseHostPort('h:70000', 'bind')).toThrowError(/bind: expected host:port/);
  });
});

describe('parseEnvBoolean', () => {
  it('takes 1/0, true/false, yes/no, on/off in any case', () => {
    for (const word of ['1', 'true', 'YES', 'On']) expect(parseEnvBoolean(word, 'K')).toBe(true);
    for (const word of ['0', 'False', 'no', 'OFF']) expect(parseEnvBoolean(word, 'K')).toBe(false);
  });

  it('rejects anything else with an error naming the key', () => {
    expect(() => parseEnvBoolean('maybe', 'FLUSSO_PRETTY')).toThrowError(
      expect.objectContaining({ code: 'config_invalid', key: 'FLUSSO_PRETTY' }),
    );
  });
});
