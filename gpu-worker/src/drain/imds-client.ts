/**
 * EC2 instance metadata, IMDSv2 only: a session token from `PUT /latest/api/token`, sent as
 * `X-aws-ec2-metadata-token` on every read; refreshed before it expires and once on a 401.
 */
const TOKEN_TTL_S = 21_600;

export class ImdsError extends Error {
  override name = 'ImdsError';
}

export class ImdsClient {
  private token: string | null = null;
  private tokenAt = 0;

  constructor(
    private readonly endpoint: string,
    private readonly timeoutMs = 1000,
  ) {}

  private async fetchToken(): Promise<string> {
    const r = await fetch(`${this.endpoint}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': String(TOKEN_TTL_S) }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!r.ok) throw new ImdsError(`IMDSv2 token request answered ${r.status}`);
    this.token = (await r.text()).trim();
    this.tokenAt = Date.now();
    return this.token;
  }

  private async currentToken(): Promise<string> {
    // Renew at half the TTL so a long-running worker never reads with an expired token.
    if (this.token && Date.now() - this.tokenAt < (TOKEN_TTL_S * 1000) / 2) return this.token;
    return this.fetchToken();
  }

  /** Reads a metadata path; null when it does not exist (404), which is how "no notice" looks. */
  async get(path: string): Promise<string | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = attempt === 0 ? await this.currentToken() : await this.fetchToken();
      const r = await fetch(`${this.endpoint}${path}`, { headers: { 'X-aws-ec2-metadata-token': token }, signal: AbortSignal.timeout(this.timeoutMs) });
      if (r.status === 404) return null;
      if (r.status === 401) continue;
      if (!r.ok) throw new ImdsError(`IMDS ${path} answered ${r.status}`);
      return r.text();
    }
    throw new ImdsError(`IMDS ${path} refused the session token twice`);
  }
}
