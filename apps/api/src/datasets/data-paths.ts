// Submission-time check of image_folder paths: each must resolve inside the server's data roots (ABLATE_DATA_DIR,
// ABLATE_DATA_ROOTS). Every refusal is the same 400, whether the path is outside, escapes by `..` or a symlink, or is odd.
import { DATA_PATH_REFUSED, type DataRoots, resolveDataPath } from '@ablate/spec';
import { ApiError } from '../errors.js';

/** Throws DATASET_ERR_PATH unless every image_folder path of the cells lies inside the roots. */
export async function checkDataPaths(cells: readonly { config: { dataset: unknown } }[], roots: DataRoots): Promise<void> {
  const paths = new Set<string>();
  for (const c of cells) {
    const d = c.config.dataset as { name?: unknown; path?: unknown };
    if (d && d.name === 'image_folder' && typeof d.path === 'string') paths.add(d.path);
  }
  for (const p of paths) {
    if ((await resolveDataPath(p, roots)) === undefined)
      throw new ApiError('DATASET_ERR_PATH', DATA_PATH_REFUSED, [{ path: 'dataset.path', message: DATA_PATH_REFUSED }]);
  }
}
