/**
 * Domain events, emitted by operations and workers after their transaction commits. The MQTT
 * notifier listens to them; HTTP has no push. Listeners must not throw.
 */
export interface PendingChanged {
  type: 'pendingChanged';
  /** Things whose list of pending (QUEUED / IN_PROGRESS) executions may have changed. */
  thingNames: string[];
  /**
   * The namespace of the jobs whose executions changed: null for jobs without one, undefined
   * when the change may span namespaces (thing deletion, group membership).
   */
  namespaceId: string | null | undefined;
}

export type DomainEvent = PendingChanged;

/** A command execution's request, owed to its device once StartCommandExecution committed. */
export interface CommandRequest {
  /** The MQTT client the request is for: the thing name, or the client id of a client target. */
  clientId: string;
  topic: string;
  payload: Buffer;
  contentType: string | undefined;
  /** When the execution times out (epoch ms): MQTT 5 Message Expiry is the time left. */
  deadline: number;
}
type Listener = (event: DomainEvent) => void;

export class Events {
  private listeners: Listener[] = [];
  private capacityChecks: (() => Promise<void> | undefined)[] = [];
  private commandListeners: ((r: CommandRequest) => void)[] = [];

  /** The MQTT side delivers command requests; several nodes' listeners may each have the device. */
  onCommandRequest(listener: (r: CommandRequest) => void): void {
    this.commandListeners.push(listener);
  }

  commandRequested(r: CommandRequest): void {
    for (const l of this.commandListeners) l(r);
  }

  /** A listener with a backlog registers here, so that bulk producers can wait for it. */
  addCapacityCheck(check: () => Promise<void> | undefined): void {
    this.capacityChecks.push(check);
  }

  /** Resolves when every listener can take more events; the rollout worker awaits it per batch. */
  async capacity(): Promise<void> {
    for (const check of this.capacityChecks) await check();
  }

  on(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Names may repeat: the notifier queues per thing (a Set here cost a bulk cancel 0.3 s per 1,000,000). */
  pendingChanged(thingNames: Iterable<string>, namespaceId?: string | null): void {
    const names = Array.isArray(thingNames) ? (thingNames as string[]) : [...thingNames];
    if (names.length === 0 || this.listeners.length === 0) return;
    const event: PendingChanged = { type: 'pendingChanged', thingNames: names, namespaceId };
    for (const l of this.listeners) l(event);
  }
}
