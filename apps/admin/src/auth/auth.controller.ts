import { Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginFlow, Public, csrfToken, sessionOf } from '@isohub/auth';
import { CsrfTokenDto } from './auth.dto';
import { loggedOutPage } from './auth.pages';

/** The browser side of the SSO: login, its callback, logout, and the CSRF token for API calls. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly login: LoginFlow) {}

  @Public()
  @Get('login')
  @ApiOperation({ summary: 'Đăng nhập / Start the SSO login (authorization code + PKCE)' })
  @ApiQuery({ name: 'returnTo', required: false, description: 'path to come back to after the login' })
  @ApiResponse({ status: 302, description: 'redirect to the SSO' })
  async start(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
  ): Promise<void> {
    await this.login.start(req, res, returnTo);
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'Where the SSO sends the browser back with the authorization code' })
  @ApiResponse({ status: 302, description: 'logged in; redirect to returnTo' })
  @ApiResponse({ status: 401, description: 'the SSO refused or the login expired' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { returnTo } = await this.login.finish(req, res);
    res.redirect(302, returnTo);
  }

  @Public()
  @Post('logout')
  @HttpCode(303)
  @ApiOperation({
    summary: 'Đăng xuất / End the session, then the SSO session (needs the CSRF token when logged in)',
  })
  @ApiResponse({ status: 303, description: "redirect to the SSO's logout" })
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const logoutUrl = await this.login.logout(req);
    res.status(303).location(logoutUrl).json({ logoutUrl });
  }

  @Public()
  @Get('logged-out')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Signed-out page (the SSO returns here after logout)' })
  loggedOut(): string {
    return loggedOutPage();
  }

  @Get('csrf')
  @ApiOperation({ summary: 'The session CSRF token: send it as X-CSRF-Token on POST/PUT/PATCH/DELETE' })
  @ApiOkResponse({ type: CsrfTokenDto })
  csrf(@Req() req: Request): CsrfTokenDto {
    const session = sessionOf(req);
    if (!session) {
      throw new Error('session middleware missing');
    }
    return { csrfToken: csrfToken(session) };
  }
}
