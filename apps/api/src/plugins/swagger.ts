// OpenAPI document generated from the routes' zod schemas, served with Swagger UI at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerSwagger(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'ablate', description: 'Image-classification ablation studies as distributed sweeps', version: '0.1.0' },
      tags: [{ name: 'sweeps' }, { name: 'experiments' }, { name: 'workers' }, { name: 'leaderboard' }, { name: 'keys' }, { name: 'health' }],
      // Every route but /health, the dashboard's files and these docs takes `Authorization: Bearer <key>`.
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An ablate API key (abl_…): npm run keys -- create' } },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
