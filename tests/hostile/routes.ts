// Every route the app serves, read from the app itself: the OpenAPI document gives each documented route's path and
// query parameters and whether it takes a body; the router's own listing adds the hidden ones (the dashboard, the plot
// catch-alls). Swagger UI's own files are left out (they belong to @fastify/swagger-ui), and so is the not-found route.
import type { FastifyInstance } from 'fastify';
import type { RouteInfo } from './generator.js';

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: { type?: string; enum?: string[] } }[];
  requestBody?: unknown;
}

/** (method, template) pairs of the router's tree as `printRoutes` draws it. */
export function routerRoutes(app: FastifyInstance): { method: string; template: string }[] {
  const out: { method: string; template: string }[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:└── |├── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + m[2]!;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      out.push({ method, template: path });
  }
  return out;
}

export function listRoutes(app: FastifyInstance): RouteInfo[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes = new Map<string, RouteInfo>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    const template = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const query = (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, type: p.schema?.type ?? 'string', enum: p.schema?.enum }));
      routes.set(`${method.toUpperCase()} ${template}`, {
        method: method.toUpperCase(),
        template,
        params,
        query,
        body: op.requestBody !== undefined,
      });
    }
  }
  for (const { method, template } of routerRoutes(app)) {
    if (method === 'HEAD' || template.startsWith('/docs') || template === '/*' || routes.has(`${method} ${template}`)) continue;
    const params = [...template.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
    routes.set(`${method} ${template}`, { method, template, params, query: [], body: false });
  }
  return [...routes.values()];
}
