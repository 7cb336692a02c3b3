import type { Hono } from 'hono';

/**
 * A browser without a browser, for the web companion's pages in-process:
 * keeps the cookies a page sets, sends them back, reads a page's CSRF token,
 * and never follows a redirect (a test reads where it leads).
 *   const web = webClient(app); await web.signIn(await linkFor(app, ws.rep.token)); await web.get('/account')
 */
export function webClient(app: Hono<any>, headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  async function send(method: string, path: string, form?: Record<string, string>, extra: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers, ...extra };
    if (jar.size) h.cookie = cookie();
    let body: string | undefined;
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await app.request(path, { method, headers: h, ...(body !== undefined ? { body } : {}) });
    keep(res);
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, location: res.headers.get('location') };
  }
  return {
    jar,
    get: (path: string, extra?: Record<string, string>) => send('GET', path, undefined, extra),
    post: (path: string, form: Record<string, string> = {}, extra?: Record<string, string>) => send('POST', path, form, extra),
    /** the CSRF token in a page's forms */
    csrfIn(html: string): string {
      const m = /name="_csrf" value="([^"]+)"/.exec(html);
      if (!m?.[1]) throw new Error('no CSRF token on the page');
      return m[1];
    },
    /** opens a one-time link and presses Continue; answers where it led */
    async signIn(url: string) {
      const path = new URL(url).pathname;
      const shown = await send('GET', path);
      if (shown.status !== 200) return shown;
      return send('POST', path, {});
    },
  };
}

/** A one-time sign-in link for the member whose API token this is. */
export async function linkFor(app: Hono<any>, token: string, next?: string): Promise<string> {
  const res = await app.request('/api/me/signin-link', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(next ? { next } : {}),
  });
  if (res.status !== 200) throw new Error(`signin-link: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}
