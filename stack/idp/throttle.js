// Failed sign-ins counted per login and per client address in a sliding window: past the limit
// every attempt of that login (or from that address) is refused, the right password included,
// until the oldest failure leaves the window. A successful sign-in clears its login's count.
const MAX_KEYS = 10000; // past this many counters, expired ones are swept

export class FailureThrottle {
  constructor({ maxPerLogin, maxPerAddress, windowS }) {
    this.maxPerLogin = maxPerLogin;
    this.maxPerAddress = maxPerAddress;
    this.windowMs = windowS * 1000;
    this.failures = new Map(); // key -> timestamps (ms) of recent failures
  }

  // Seconds until the login and address may try again; 0 when they may now.
  retryAfterS(login, address, now = Date.now()) {
    const wait = Math.max(
      this.#wait(`login:${login}`, this.maxPerLogin, now),
      this.#wait(`address:${address}`, this.maxPerAddress, now),
    );
    return Math.ceil(wait / 1000);
  }

  failed(login, address, now = Date.now()) {
    if (this.failures.size > MAX_KEYS) {
      for (const key of [...this.failures.keys()]) this.#recent(key, now);
    }
    for (const key of [`login:${login}`, `address:${address}`]) {
      this.failures.set(key, [...this.#recent(key, now), now]);
    }
  }

  succeeded(login) {
    this.failures.delete(`login:${login}`);
  }

  #recent(key, now) {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  #wait(key, max, now) {
    const recent = this.#recent(key, now);
    if (recent.length < max) return 0;
    return recent[recent.length - max] + this.windowMs - now;
  }
}
