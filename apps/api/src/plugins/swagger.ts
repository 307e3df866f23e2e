// OpenAPI document generated from the routes' zod schemas, served with Swagger UI at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerSwagger(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'ablate', description: 'Image-classification ablation studies as distributed sweeps', version: '0.1.0' },
      tags: [{ name: 'sweeps' }, { name: 'experiments' }, { name: 'workers' }, { name: 'leaderboard' }, { name: 'health' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
