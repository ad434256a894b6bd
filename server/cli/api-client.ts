// The ops API over HTTP, and the one error type the CLI exits with: every
// failure becomes an exit code scripts can rely on plus one line for people.

export type Lang = 'zh' | 'en';

/** Picks the message in the chosen language. */
export const say = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

/**
 * The exit codes, also listed in `huiliu ops --help`:
 * 0 success (replay-check: all compatible; stuck: the listing worked, even when empty);
 * 1 the action ran but failed, a replay is incompatible, or a bulk run had failures;
 * 2 usage error (bad arguments, also when the server rejects them with 400/422);
 * 3 not found (404); 4 not allowed (401/403); 5 server unreachable, too slow, or 5xx.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, notAllowed: 4, unavailable: 5 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(readonly exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** What an HTTP status means for a script. A 409 (e.g. the conversation is no longer running) is a failed action. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 404) return EXIT.notFound;
  if (status === 401 || status === 403) return EXIT.notAllowed;
  if (status === 400 || status === 422) return EXIT.usage;
  if (status >= 500) return EXIT.unavailable;
  return EXIT.failed;
}

export interface ClientOptions {
  url: string;
  token?: string;
  lang: Lang;
  /** Actions such as replay-check run server-side and may take a while; a hung server must not hang scripts. */
  timeoutMs?: number;
}

export type ApiClient = ReturnType<typeof createClient>;

export function createClient(opts: ClientOptions) {
  const { lang } = opts;
  let base: URL;
  try {
    base = new URL('/api/v1/ops/', opts.url);
  } catch {
    throw new CliError(EXIT.usage, say(lang, `--url 不是有效的地址：${opts.url}`, `--url is not a valid URL: ${opts.url}`));
  }

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = new URL(path, base);
    let res: Response;
    try {
      res = await fetch(url, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
      });
    } catch (err) {
      throw unreachable(err);
    }
    const text = await res.text();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (!res.ok) throw httpError(res.status, payload);
    if (payload === undefined) {
      throw new CliError(EXIT.unavailable, say(lang, `${base.origin} 的回答不是 JSON（HTTP ${res.status}）：--url 指向的是汇流服务吗？`,
        `${base.origin} answered with something other than JSON (HTTP ${res.status}): does --url point at a Huiliu server?`));
    }
    return payload as T;
  }

  function unreachable(err: unknown): CliError {
    const e = err as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') {
      return new CliError(EXIT.unavailable, say(lang, `服务 ${base.origin} 未在限定时间内回答`, `the server at ${base.origin} did not answer in time`));
    }
    const why = e.cause?.code ?? e.cause?.message;
    const code = why ? ` (${why})` : '';
    return new CliError(EXIT.unavailable, say(lang,
      `无法连接汇流服务 ${base.origin}${code}：服务是否在运行？可用 --url 或 HUILIU_URL 指定地址`,
      `cannot reach the Huiliu server at ${base.origin}${code}: is it running? Set --url or HUILIU_URL`));
  }

  function httpError(status: number, payload: unknown): CliError {
    // The server answers every error as { error, details } (server/errors.ts).
    const apiMessage = typeof (payload as { error?: unknown })?.error === 'string' ? (payload as { error: string }).error : undefined;
    let message = apiMessage ?? say(lang, `服务返回 HTTP ${status}`, `the server answered HTTP ${status}`);
    if (status === 401 && !opts.token) message = say(lang, '缺少令牌：请使用 --token 或设置 HUILIU_TOKEN', 'no token: pass --token or set HUILIU_TOKEN');
    return new CliError(exitCodeForStatus(status), message);
  }

  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  };
}
