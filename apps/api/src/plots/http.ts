// What both plot routes share: the format check, plot errors as API errors, and the response (content type,
// cache-control, ETag with 304 on a match).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { PlotDataMissingError, UnknownPlotError } from './errors.js';
import { listPlots } from './registry.js';
import { CONTENT_TYPES, PLOT_FORMATS, type PlotFormat } from './render.js';
import type { PlotScope } from './types.js';

/** A finished trial's plot never changes: browsers may reuse it for a day (and revalidate by ETag after). */
// private: a plot is behind an API key, so only the caller's browser may keep it.
export const CACHE_FINISHED = 'private, max-age=86400';
/** Anything that can still change (running trials, sweeps): revalidate by ETag every time. */
export const CACHE_LIVE = 'no-cache';

export const PlotFormatParam = z.string().describe('svg or png');

/** The OpenAPI description of a plot's 200 answer. */
export const PlotImageResponse = {
  description: 'The plot: SVG (image/svg+xml) for .svg, PNG (image/png, drawn at twice the SVG size) for .png.',
  content: {
    'image/svg+xml': { schema: z.string() },
    'image/png': { schema: z.string().meta({ format: 'binary' }) },
  },
};

export function plotFormat(format: string): PlotFormat {
  if ((PLOT_FORMATS as readonly string[]).includes(format)) return format as PlotFormat;
  throw new ApiError('PLOT_ERR_BAD_FORMAT', `plots come as .svg or .png, not '.${format}'`, [{ path: 'params.format', message: 'use svg or png' }]);
}

/** The answer to a plot path that matched no plot route: a known name without a usable extension, or an unknown name. */
export function unmatchedPlot(scope: PlotScope, file: string): ApiError {
  const dot = file.lastIndexOf('.');
  const name = dot < 0 ? file : file.slice(0, dot);
  const known = listPlots(scope).map((p) => p.name);
  if (known.includes(name))
    return new ApiError('PLOT_ERR_BAD_FORMAT', `ask for ${name}.svg or ${name}.png`, [{ path: 'params.format', message: 'use svg or png' }]);
  return new ApiError('PLOT_ERR_UNKNOWN', new UnknownPlotError(scope, name, known).message);
}

export function asApiError(err: unknown): unknown {
  if (err instanceof UnknownPlotError) return new ApiError('PLOT_ERR_UNKNOWN', err.message);
  if (err instanceof PlotDataMissingError) return new ApiError('PLOT_ERR_NO_DATA', err.message);
  return err;
}

export function sendPlot(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, format: PlotFormat, cacheControl: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  void reply.header('cache-control', cacheControl).header('etag', etag);
  const match = request.headers['if-none-match'];
  if (match && (match === '*' || match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) return reply.code(304).send();
  return reply.type(CONTENT_TYPES[format]).send(body);
}
