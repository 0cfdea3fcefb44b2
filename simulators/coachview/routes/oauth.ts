/** OAuth2 client credentials: POST /oauth/token, form-encoded. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimulatorContext } from '../context';

export const tokenPath = '/oauth/token';

const tokenRequestSchema = z.object({
  grant_type: z.string(),
  client_id: z.string().default(''),
  client_secret: z.string().default(''),
});

export function oauthRoutes(ctx: SimulatorContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    app.post(tokenPath, async (req, reply) => {
      const form = tokenRequestSchema.safeParse(req.body ?? {});
      if (!form.success) return reply.code(400).send({ error: 'invalid_request' });
      if (form.data.grant_type !== 'client_credentials')
        return reply.code(400).send({ error: 'unsupported_grant_type' });
      const token = ctx.tokens.issue(form.data.client_id, form.data.client_secret);
      if (!token) return reply.code(401).send({ error: 'invalid_client' });
      return reply.send({ access_token: token, token_type: 'Bearer', expires_in: ctx.tokens.ttlSeconds });
    });
  };
}
