import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { errors, type Provider } from 'oidc-provider';
import { checkDemoLogin } from './demo-accounts';
import { consentPage, errorPage, loginPage } from './sso-pages';
import { DEMO_USERNAMES, isFirstParty } from './sso-provider';
import type { SsoConfig } from './sso.config';

type Handler = (req: Request, res: Response, provider: Provider) => Promise<void>;

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Grants what the authorization request asks for and finishes the consent prompt. Used directly for
 * first-party clients (the admin app and automation are the province's own: no consent screen).
 */
async function grantConsent(req: Request, res: Response, provider: Provider): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  const { details } = interaction.prompt;
  const accountId = interaction.session?.accountId;
  const clientId = String(interaction.params['client_id']);
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) {
    throw new errors.SessionNotFound('grant not found');
  }
  const missingScope = asStrings(details['missingOIDCScope']);
  if (missingScope.length > 0) {
    grant.addOIDCScope(missingScope.join(' '));
  }
  const missingClaims = asStrings(details['missingOIDCClaims']);
  if (missingClaims.length > 0) {
    grant.addOIDCClaims(missingClaims);
  }
  const resourceScopes = (details['missingResourceScopes'] ?? {}) as Record<string, unknown>;
  for (const [indicator, scopes] of Object.entries(resourceScopes)) {
    grant.addResourceScope(indicator, asStrings(scopes).join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: interaction.grantId ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** The login and consent pages the provider redirects to (`interactions.url`), Vietnamese first. */
export function ssoInteractionRouter(
  config: SsoConfig,
  providerFor: (req: Request) => Promise<Provider>,
): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const handle =
    (fn: Handler) =>
    (req: Request, res: Response, next: NextFunction): void => {
      res.set('Cache-Control', 'no-store');
      providerFor(req)
        .then((provider) => fn(req, res, provider))
        .catch((error: unknown) => {
          if (error instanceof errors.SessionNotFound) {
            res
              .status(400)
              .type('html')
              .send(
                errorPage({
                  error: 'Phiên đăng nhập đã hết hạn, hãy thử lại / The sign-in session expired, try again',
                }),
              );
            return;
          }
          next(error);
        });
    };
  const clientName = async (provider: Provider, clientId: unknown): Promise<string> => {
    const client = await provider.Client.find(String(clientId));
    return client?.clientName ?? String(clientId);
  };

  router.get(
    '/:uid',
    handle(async (req, res, provider) => {
      const interaction = await provider.interactionDetails(req, res);
      const clientId = String(interaction.params['client_id']);
      if (interaction.prompt.name === 'consent') {
        if (isFirstParty(config, clientId)) {
          await grantConsent(req, res, provider);
          return;
        }
        const scope = interaction.params['scope'];
        const scopes = typeof scope === 'string' ? scope.split(' ') : [];
        res
          .type('html')
          .send(
            consentPage({ uid: interaction.uid, clientName: await clientName(provider, clientId), scopes }),
          );
        return;
      }
      res.type('html').send(
        loginPage({
          uid: interaction.uid,
          clientName: await clientName(provider, clientId),
          demoUsers: DEMO_USERNAMES,
          demoPassword: config.demoPassword,
        }),
      );
    }),
  );

  router.post(
    '/:uid/login',
    form,
    handle(async (req, res, provider) => {
      const interaction = await provider.interactionDetails(req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = typeof body['username'] === 'string' ? body['username'] : '';
      const password = typeof body['password'] === 'string' ? body['password'] : '';
      const account = checkDemoLogin(username, password, config.demoPassword);
      if (!account) {
        res
          .status(401)
          .type('html')
          .send(
            loginPage({
              uid: interaction.uid,
              clientName: await clientName(provider, interaction.params['client_id']),
              error: 'Sai tên đăng nhập hoặc mật khẩu / Wrong username or password',
              username,
              demoUsers: DEMO_USERNAMES,
              demoPassword: config.demoPassword,
            }),
          );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.username, remember: false } },
        { mergeWithLastSubmission: false },
      );
    }),
  );

  router.post(
    '/:uid/confirm',
    form,
    handle((req, res, provider) => grantConsent(req, res, provider)),
  );

  router.get(
    '/:uid/abort',
    handle(async (req, res, provider) => {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'Người dùng đã hủy / End-user aborted' },
        { mergeWithLastSubmission: false },
      );
    }),
  );
  return router;
}
