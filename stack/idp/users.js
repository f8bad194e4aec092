// The provider's customers: a JSON file of {login, subject, password_hash | password}, read
// again at every use so that a test (or a person) can add a user while the provider runs.
//
// password_hash is "scrypt$N$r$p$<salt base64url>$<hash base64url>" (what
// stack/identity_provider.py writes); a plain "password" is accepted for test users only.
import { readFile } from 'node:fs/promises';
import { scrypt, timingSafeEqual } from 'node:crypto';

// Hashed when the login is unknown, so that an unknown login costs the same time as a known one.
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const MAX_PASSWORD_CHARS = 1024;

export class Users {
  constructor(path) {
    this.path = path;
  }

  async all() {
    const users = JSON.parse(await readFile(this.path, 'utf8'));
    if (!Array.isArray(users)) {
      throw new TypeError(`${this.path} must hold a JSON array of users`);
    }
    return users.filter((u) => typeof u?.login === 'string' && typeof u?.subject === 'string');
  }

  async bySubject(subject) {
    return (await this.all()).find((u) => u.subject === subject);
  }

  async byLogin(login) {
    const wanted = normalise(login);
    return (await this.all()).find((u) => normalise(u.login) === wanted);
  }

  // The user whose login and password these are, else undefined (same time either way).
  async authenticate(login, password) {
    const user = await this.byLogin(login);
    const ok = await verifyPassword(password, user ? storedSecret(user) : DECOY_HASH);
    return user && ok ? user : undefined;
  }
}

export function normalise(login) {
  return typeof login === 'string' ? login.trim().toLowerCase() : '';
}

function storedSecret(user) {
  if (typeof user.password_hash === 'string') return user.password_hash;
  if (typeof user.password === 'string') return { plain: user.password };
  return DECOY_HASH;
}

function scryptAsync(password, salt, length, options) {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function verifyPassword(password, stored) {
  if (typeof password !== 'string' || password.length > MAX_PASSWORD_CHARS) return false;
  if (typeof stored === 'object') {
    const given = Buffer.from(password);
    const wanted = Buffer.from(stored.plain);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const derived = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(derived, expected);
}
