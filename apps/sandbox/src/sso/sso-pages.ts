/** HTML of the development SSO's own pages: Vietnamese first, English after a slash. */

export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — SSO thử nghiệm isohub</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:26rem;padding:0 1rem}
label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1.2rem;padding:.5rem 1rem}.error{color:#b00020}aside{margin-top:2rem;font-size:.85rem;color:#555}
small{color:#555;font-weight:normal}</style></head>
<body>${body}</body></html>`;
}

export function loginPage(opts: {
  uid: string;
  clientName: string;
  error?: string;
  username?: string;
  demoUsers: string[];
  demoPassword: string;
}): string {
  const action = `/sso/interaction/${encodeURIComponent(opts.uid)}`;
  return page(
    'Đăng nhập',
    `<h1>Đăng nhập <small>/ Sign in</small></h1>
<p>Ứng dụng / Application: <strong>${esc(opts.clientName)}</strong></p>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
<form method="post" action="${action}/login" autocomplete="off">
<label for="username">Tên đăng nhập / Username</label>
<input id="username" name="username" required autofocus value="${esc(opts.username ?? '')}">
<label for="password">Mật khẩu / Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Đăng nhập / Sign in</button>
</form>
<p><a href="${action}/abort">Hủy / Cancel</a></p>
<aside>Môi trường phát triển — tài khoản thử nghiệm / Development only — demo accounts:
${opts.demoUsers.map((u) => `<code>${esc(u)}</code>`).join(', ')};
mật khẩu / password <code>${esc(opts.demoPassword)}</code></aside>`,
  );
}

export function consentPage(opts: { uid: string; clientName: string; scopes: string[] }): string {
  const action = `/sso/interaction/${encodeURIComponent(opts.uid)}`;
  return page(
    'Cấp quyền',
    `<h1>Cấp quyền <small>/ Authorize</small></h1>
<p><strong>${esc(opts.clientName)}</strong> yêu cầu truy cập / asks for access to:</p>
<ul>${opts.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
<form method="post" action="${action}/confirm"><button type="submit">Đồng ý / Allow</button></form>
<p><a href="${action}/abort">Từ chối / Deny</a></p>`,
  );
}

/** `form` is oidc-provider's hidden logout form (id `op.logoutForm`, with its xsrf field). */
export function logoutPage(form: string): string {
  return page(
    'Đăng xuất',
    `<h1>Đăng xuất <small>/ Sign out</small></h1>
<p>Đăng xuất khỏi SSO? / Sign out of the SSO?</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Có, đăng xuất / Yes, sign me out</button>
<button type="submit" form="op.logoutForm">Không / No</button>`,
  );
}

export function loggedOutPage(): string {
  return page('Đã đăng xuất', '<h1>Đã đăng xuất <small>/ Signed out</small></h1>');
}

export function errorPage(out: Record<string, string>): string {
  return page(
    'Lỗi',
    `<h1>Có lỗi xảy ra <small>/ Something went wrong</small></h1>
${Object.entries(out)
  .map(([key, value]) => `<p><strong>${esc(key)}</strong>: ${esc(value)}</p>`)
  .join('')}`,
  );
}
