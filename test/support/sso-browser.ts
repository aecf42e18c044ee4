/**
 * A minimal browser for driving OpenID Connect logins in tests: a cookie jar (host-wide, as browsers
 * scope cookies without the port; path-matched; Max-Age/Expires honoured), manual redirects and HTML
 * form posts. Enough for oidc-provider's pages and the admin's session cookie, nothing more.
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number | null;
}

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, StoredCookie>();
  /** Every URL requested, in order (redirects included). */
  readonly visited: string[] = [];

  cookie(name: string): string | undefined {
    for (const c of this.cookies.values()) {
      if (c.name === name && (c.expires === null || c.expires > Date.now())) {
        return c.value;
      }
    }
    return undefined;
  }

  cookieHeader(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => (c.expires === null || c.expires > Date.now()) && pathMatches(path, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** One request, redirects not followed; cookies sent and stored. */
  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Page> {
    this.visited.push(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json', ...init.headers };
    const cookie = this.cookieHeader(url);
    if (cookie) {
      headers['cookie'] = cookie;
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      this.store(url, line);
    }
    return { url, status: res.status, headers: res.headers, body: await res.text() };
  }

  /** Posts a urlencoded form, as a browser submits one. */
  submit(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects (GET after 301/302/303, as browsers do after a form post) until `until` or a non-3xx. */
  async follow(page: Page, until: (url: URL) => boolean = () => false, max = 20): Promise<Page> {
    let current = page;
    for (let i = 0; i < max; i++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) {
        return current;
      }
      const next = new URL(location, current.url);
      if (until(next)) {
        return current;
      }
      current = await this.request(next.href);
    }
    throw new Error(`more than ${max} redirects from ${page.url}`);
  }

  private store(url: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = defaultPath(new URL(url).pathname);
    let expires: number | null = null;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      switch (key.toLowerCase()) {
        case 'path':
          path = val || '/';
          break;
        case 'max-age':
          expires = Date.now() + Number(val) * 1000;
          break;
        case 'expires':
          expires ??= Date.parse(val);
          break;
        default:
          break;
      }
    }
    const key = `${name};${path}`;
    if (expires !== null && expires <= Date.now()) {
      this.cookies.delete(key);
      return;
    }
    this.cookies.set(key, { name, value, path, expires });
  }
}

function defaultPath(pathname: string): string {
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) &&
      (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}

/** The `action` of the first form whose action contains `contains`, resolved against the page URL. */
export function formAction(page: Page, contains = ''): string {
  for (const match of page.body.matchAll(/<form\b[^>]*\baction="([^"]+)"/g)) {
    const action = (match[1] ?? '').replace(/&amp;/g, '&');
    if (action.includes(contains)) {
      return new URL(action, page.url).href;
    }
  }
  throw new Error(`no form with an action containing "${contains}" on ${page.url} (status ${page.status})`);
}

/** Values of the hidden inputs of the page (oidc-provider's logout form carries its xsrf token so). */
export function hiddenFields(page: Page): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.body.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(match[0])?.[1];
    if (name !== undefined) {
      fields[name] = value ?? '';
    }
  }
  return fields;
}

/**
 * From a page that redirects to the SSO (an authorization request), through the login form, until
 * the first redirect that leaves the SSO: returns that response (its `location` is the client's
 * callback with the code, or with `error=` when the login was refused).
 */
export async function signInAtSso(
  browser: TestBrowser,
  start: Page,
  credentials: { username: string; password: string },
  ssoPrefix: string,
): Promise<Page> {
  const loginPage = await browser.follow(start);
  if (loginPage.status !== 200 || !loginPage.body.includes('Tên đăng nhập / Username')) {
    throw new Error(`expected the SSO login form, got ${loginPage.status} at ${loginPage.url}`);
  }
  const posted = await browser.submit(formAction(loginPage, '/login'), credentials);
  return browser.follow(posted, (next) => !next.href.startsWith(ssoPrefix));
}
