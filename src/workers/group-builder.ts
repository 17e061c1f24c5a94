import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Events } from '../events.js';
import type { Store } from '../store/store.js';
import { buildStep, groupsToBuild } from '../operations/dynamic-groups.js';

/** How often the builder looks for owed builds without being woken (another node's CreateDynamicThingGroup). */
const POLL_MS = 500;

/**
 * Builds dynamic thing groups in the background (BUILDING → ACTIVE, REBUILDING → ACTIVE), one
 * step of `batchSize` things per transaction; the cursor is stored with each step, so a restart
 * resumes the build, and two nodes take turns on a group through its row lock.
 */
export class GroupBuilder {
  private running = false;
  private loop: Promise<void> | undefined;
  private waking: (() => void) | undefined;

  constructor(private readonly o: { store: Store; clock: Clock; events: Events; batchSize: number; log: { error(obj: object, msg: string): void } }) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.waking?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        for (const group of await groupsToBuild(this.o.store.db)) {
          for (;;) {
            if (!this.running) return;
            // The step's transaction owes its notifications itself (store.run publishes them after commit).
            const { done } = await buildStep(this.o.store, group, this.o.batchSize, () => this.o.clock.now());
            if (done) break;
          }
        }
      } catch (err) {
        this.o.log.error({ err }, 'dynamic thing group build step failed; retrying');
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        this.waking = resolve;
        void sleep(POLL_MS).then(resolve);
      });
      this.waking = undefined;
    }
  }
}
