import { AUTH_PATHS } from '@isohub/auth';

export function loggedOutPage(): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>isohub — Đã đăng xuất</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}</style></head>
<body><h1>Đã đăng xuất <small>(Signed out)</small></h1>
<p><a href="${AUTH_PATHS.login}">Đăng nhập lại / Sign in again</a></p></body></html>`;
}
