// No test-time augmentation: the image itself.
import { registerTta } from './registry.js';

registerTta('none', () => ({ merge: 'logits', views: (x) => [x] }));
