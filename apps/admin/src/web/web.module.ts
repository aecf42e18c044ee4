import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve, sep } from 'node:path';
import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  Module,
  NotFoundException,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '@isohub/auth';

export const WEB_ROOT = Symbol('WEB_ROOT');

/** Where `npm run build:web` writes the console: apps/admin/web/dist, or ADMIN_WEB_DIR. */
export function defaultWebRoot(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return resolve(cwd, env.ADMIN_WEB_DIR ?? 'apps/admin/web/dist');
}

/** Paths the console never answers: the API and the login routes keep their own 404s. */
const RESERVED = /^\/(api|auth)(\/|$)/;

/**
 * The mapping console (a Vite-built single-page app) at `/`, behind the login like every page:
 * a file of the build when the path names one, else index.html (SPA fallback).
 * Registered after every other module, so it only sees paths no other route took.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(@Inject(WEB_ROOT) private readonly root: string) {}

  @Roles('viewer')
  @Get('{*path}')
  serve(@Req() req: Request, @Res() res: Response): void {
    if (RESERVED.test(req.path)) {
      throw new NotFoundException();
    }
    const index = resolve(this.root, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Giao diện chưa được build / The console is not built: run `npm run build:web`.');
      return;
    }
    const file = resolve(this.root, `.${decodeURIComponent(req.path)}`);
    const inside = relative(this.root, file);
    const isFile =
      inside !== '' && !inside.startsWith('..') && !inside.split(sep).includes('..') && safeIsFile(file);
    if (isFile) {
      // Vite puts content hashes in asset names: those may be cached for good.
      const immutable = inside.startsWith(`assets${sep}`);
      res.sendFile(file, {
        headers: { 'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-cache' },
      });
      return;
    }
    if (extname(req.path) !== '') {
      throw new NotFoundException();
    }
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
  }
}

function safeIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

@Module({})
export class WebModule {
  static forRoot(root: string = defaultWebRoot()): DynamicModule {
    return {
      module: WebModule,
      controllers: [WebController],
      providers: [{ provide: WEB_ROOT, useValue: root }],
    };
  }
}
