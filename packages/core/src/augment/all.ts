// Imports every augmentation file: importing is registering. Anything that builds ops by name imports this.
import './augmix.js';
import './autoaugment/autoaugment.js';
import './cutmix.js';
import './cutout.js';
import './gridmask.js';
import './hflip.js';
import './mixup.js';
import './random-crop.js';
import './random-erasing.js';
import './random-rotation.js';
