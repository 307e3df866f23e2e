// Loaded (node --import) into the processes `ablate up`, `ablate worker` and the demo start, and inherited by theirs:
// when the process that started this one dies without stopping it (killed with -9), this one sends itself SIGTERM and
// shuts down as on Ctrl-C (a worker checkpoints its trial and hands it back) instead of running on, orphaned.
// Plain JavaScript: the flag reaches worker threads too (the data loader's), which load it before tsx is registered.
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.ABLATE_EXIT_WITH_PARENT === '1') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}
