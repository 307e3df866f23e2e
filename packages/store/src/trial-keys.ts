// Where a trial's files live in the blob store, shared by the worker that writes them and the API that deletes them.
export const trialKeys = {
  /** Every file of the trial. */
  trial: (trialId: string) => `trials/${trialId}/`,
  checkpoints: (trialId: string) => `trials/${trialId}/checkpoints/`,
  /** A checkpoint file of one lease (its token's first 8 characters), so a late writer never overwrites the owner's. */
  checkpoint: (trialId: string, token: string, file: string) => `trials/${trialId}/checkpoints/${token.slice(0, 8)}-${file}`,
  tensorboard: (trialId: string) => `trials/${trialId}/tensorboard/`,
};
