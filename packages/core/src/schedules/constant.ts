// Constant learning rate.
import { registerSchedule } from './registry.js';

registerSchedule('constant', (_o, { baseLr }) => ({ lr: () => baseLr }));
